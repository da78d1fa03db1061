"""Pooling layers for NHWC images: 2x2 max pooling and global average pooling."""

from __future__ import annotations

import numpy as np

from .layers import Layer, count_values


class MaxPool2D(Layer):
    """Non-overlapping max pooling with a `size` x `size` window (stride = size).

    Shapes: x (N, H, W, C) -> y (N, H//size, W//size, C); rows/columns that do not fill a
    whole window are dropped (7 -> 3 for size 2). The gradient goes to one maximum of each
    window only, so ties (common: equal values over a blank background) do not multiply it.

    Notes
    -----
    2x2 windows (the usual case) take two steps: the maximum of each pair of rows, whose
    W*C values are contiguous runs (long loops), then of each pair of columns; training
    keeps the two "second one won" masks (ties go to the top row, then the left column).
    Other sizes work on the size*size strided views x[:, a::s, b::s], a running
    np.maximum over them and one "this position won" mask per view (ties go to the first
    position). Both are a few elementwise passes instead of copying windows out and
    calling argmax.
    """

    kind = "maxpool2d"
    runs_before_relu = True  # max(relu(x)) == relu(max(x)): see model.execution_order

    def __init__(self, size: int = 2) -> None:
        super().__init__()
        if not isinstance(size, (int, np.integer)) or not 2 <= size <= 8:
            raise ValueError(f"pool size must be a whole number in 2..8, not {size!r}")
        self.size = int(size)
        self._winners: list[np.ndarray] | None = None

    def build(self, input_shape, rng, dtype):
        output_shape = self.plan(input_shape)[0]  # checks the inputs fit
        self._in_shape = tuple(input_shape)
        return output_shape

    def plan(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"maxpool2d needs (H, W, C) inputs, got shape {tuple(input_shape)}")
        h, w, c = input_shape
        if h < self.size or w < self.size:
            raise ValueError(f"a {self.size}x{self.size} pool does not fit inputs {h}x{w}")
        return (h // self.size, w // self.size, c), 0, h * w * c

    def activation_values(self, input_shape, output_shape):
        n_out = count_values(output_shape)  # the output and two boolean "winner" masks
        return n_out + (3 * n_out) // 4, 2 * n_out

    def _views(self, x: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
        """Return (a, b, x[:, a::s, b::s] cropped to whole windows) for each window position."""
        s = self.size
        ho, wo = x.shape[1] // s, x.shape[2] // s
        return [(a, b, x[:, a : ho * s : s, b : wo * s : s])
                for a in range(s) for b in range(s)]

    def forward(self, x, training=False):
        if self.size == 2:
            return self._forward_pairs(x, training)
        views = self._views(x)
        y = np.maximum(views[0][2], views[1][2])
        for _, _, view in views[2:]:
            np.maximum(y, view, out=y)
        if not training:
            self._winners = None
            return y
        taken = np.zeros(y.shape, dtype=bool)
        winners = []
        for _, _, view in views:
            won = view == y
            won &= ~taken  # a tie goes to the first position only
            taken |= won
            winners.append(won)
        self._winners = winners
        return y

    def backward(self, grad, need_input_grad=True):
        if self.size == 2:
            return self._backward_pairs(grad)
        n = grad.shape[0]
        dx = np.zeros((n,) + self._in_shape, dtype=grad.dtype)
        for (_, _, view), won in zip(self._views(dx), self._winners, strict=True):
            np.multiply(grad, won, out=view)  # view writes straight into dx
        self._winners = None
        return dx

    # -- 2x2 windows in two steps: row pairs, then column pairs ----------------------------
    # Row pairs of an NHWC image are two contiguous runs of W*C values, so the first step
    # (half of the work) runs NumPy's loops over long rows instead of C values at a time.
    # Ties go to the top row, then to the left column: one winner per window.
    def _forward_pairs(self, x, training):
        n, h, w, c = x.shape
        ho, wo = h // 2, w // 2
        if (h, w) != (2 * ho, 2 * wo):
            x = np.ascontiguousarray(x[:, : 2 * ho, : 2 * wo])  # drop the odd row/column
        pairs = x.reshape(n, ho, 2, 2 * wo * c)  # (image, output row, top/bottom, W*C)
        top, bottom = pairs[:, :, 0], pairs[:, :, 1]
        rows = np.maximum(top, bottom).reshape(n, ho, wo, 2, c)
        left, right = rows[..., 0, :], rows[..., 1, :]
        y = np.maximum(left, right)
        self._winners = [bottom > top, right > left] if training else None
        return y

    def _backward_pairs(self, grad):
        n, (h, w, c) = grad.shape[0], self._in_shape
        ho, wo = grad.shape[1], grad.shape[2]
        bottom_won, right_won = self._winners
        self._winners = None
        rows = np.empty((n, ho, wo, 2, c), dtype=grad.dtype)  # gradient of the row maxima
        np.multiply(grad, right_won, out=rows[..., 1, :])
        np.subtract(grad, rows[..., 1, :], out=rows[..., 0, :])
        rows = rows.reshape(n, ho, 2 * wo * c)
        even = (h, w) == (2 * ho, 2 * wo)
        dx = np.empty((n, h, w, c), dtype=grad.dtype) if even else \
            np.empty((n, 2 * ho, 2 * wo, c), dtype=grad.dtype)
        pairs = dx.reshape(n, ho, 2, 2 * wo * c)
        np.multiply(rows, bottom_won, out=pairs[:, :, 1])
        np.subtract(rows, pairs[:, :, 1], out=pairs[:, :, 0])
        if even:
            return dx
        full = np.zeros((n, h, w, c), dtype=grad.dtype)
        full[:, : 2 * ho, : 2 * wo] = dx
        return full

    def config(self):
        return {"type": self.kind, "size": self.size}


class GlobalAvgPool2D(Layer):
    """Average over all positions: x (N, H, W, C) -> y (N, C)."""

    kind = "globalavgpool2d"

    def build(self, input_shape, rng, dtype):
        output_shape = self.plan(input_shape)[0]  # checks the inputs are (H, W, C)
        self._in_shape = tuple(input_shape)
        return output_shape

    def plan(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"globalavgpool2d needs (H, W, C) inputs, got {tuple(input_shape)}")
        h, w, c = input_shape
        return (c,), 0, h * w * c

    def forward(self, x, training=False):
        return x.mean(axis=(1, 2))

    def backward(self, grad, need_input_grad=True):
        h, w, c = self._in_shape
        dx = np.empty((grad.shape[0], h, w, c), dtype=grad.dtype)
        dx[...] = (grad / (h * w))[:, None, None, :]
        return dx
