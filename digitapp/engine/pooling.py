"""Pooling layers for NHWC images: 2x2 max pooling and global average pooling."""

from __future__ import annotations

import numpy as np

from .layers import Layer


class MaxPool2D(Layer):
    """Non-overlapping max pooling with a `size` x `size` window (stride = size).

    Shapes: x (N, H, W, C) -> y (N, H//size, W//size, C); rows/columns that do not fill a
    whole window are dropped (7 -> 3 for size 2). The gradient goes to the first maximum
    of each window only, so ties (common: zeros after a ReLU) do not multiply it.

    Notes
    -----
    Everything works on the size*size strided views x[:, a::s, b::s] (one per position in
    the window), each a quarter of the input for s=2: the max is a running np.maximum over
    them, and training keeps one boolean "this position won" mask per view. That is a few
    cheap elementwise passes instead of copying windows out and calling argmax.
    """

    kind = "maxpool2d"

    def __init__(self, size: int = 2) -> None:
        super().__init__()
        if not isinstance(size, (int, np.integer)) or not 2 <= size <= 8:
            raise ValueError(f"pool size must be a whole number in 2..8, not {size!r}")
        self.size = int(size)
        self._winners: list[np.ndarray] | None = None

    def build(self, input_shape, rng, dtype):
        if len(input_shape) != 3:
            raise ValueError(f"maxpool2d needs (H, W, C) inputs, got shape {input_shape}")
        h, w, c = input_shape
        if h < self.size or w < self.size:
            raise ValueError(f"a {self.size}x{self.size} pool does not fit inputs {h}x{w}")
        self._in_shape = (h, w, c)
        return (h // self.size, w // self.size, c)

    def _views(self, x: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
        """Return (a, b, x[:, a::s, b::s] cropped to whole windows) for each window position."""
        s = self.size
        ho, wo = x.shape[1] // s, x.shape[2] // s
        return [(a, b, x[:, a : ho * s : s, b : wo * s : s])
                for a in range(s) for b in range(s)]

    def forward(self, x, training=False):
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
        n = grad.shape[0]
        dx = np.zeros((n,) + self._in_shape, dtype=grad.dtype)
        for (_, _, view), won in zip(self._views(dx), self._winners, strict=True):
            np.multiply(grad, won, out=view)  # view writes straight into dx
        self._winners = None
        return dx

    def config(self):
        return {"type": self.kind, "size": self.size}


class GlobalAvgPool2D(Layer):
    """Average over all positions: x (N, H, W, C) -> y (N, C)."""

    kind = "globalavgpool2d"

    def build(self, input_shape, rng, dtype):
        if len(input_shape) != 3:
            raise ValueError(f"globalavgpool2d needs (H, W, C) inputs, got {input_shape}")
        self._in_shape = tuple(input_shape)
        return (input_shape[2],)

    def forward(self, x, training=False):
        return x.mean(axis=(1, 2))

    def backward(self, grad, need_input_grad=True):
        h, w, c = self._in_shape
        dx = np.empty((grad.shape[0], h, w, c), dtype=grad.dtype)
        dx[...] = (grad / (h * w))[:, None, None, :]
        return dx
