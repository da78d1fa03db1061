"""Pooling layers for NHWC images: 2x2 max pooling and global average pooling."""

from __future__ import annotations

import numpy as np

from .layers import Layer


class MaxPool2D(Layer):
    """Non-overlapping max pooling with a `size` x `size` window (stride = size).

    Shapes: x (N, H, W, C) -> y (N, H//size, W//size, C); rows/columns that do not fill a
    whole window are dropped (7 -> 3 for size 2). The gradient goes to the first maximum
    of each window only, so ties do not multiply it.
    """

    kind = "maxpool2d"

    def __init__(self, size: int = 2) -> None:
        super().__init__()
        if not isinstance(size, (int, np.integer)) or not 2 <= size <= 8:
            raise ValueError(f"pool size must be a whole number in 2..8, not {size!r}")
        self.size = int(size)
        self._argmax: np.ndarray | None = None

    def build(self, input_shape, rng, dtype):
        if len(input_shape) != 3:
            raise ValueError(f"maxpool2d needs (H, W, C) inputs, got shape {input_shape}")
        h, w, c = input_shape
        if h < self.size or w < self.size:
            raise ValueError(f"a {self.size}x{self.size} pool does not fit inputs {h}x{w}")
        self._in_shape = (h, w, c)
        return (h // self.size, w // self.size, c)

    def _windows(self, x):
        """Return x as (N, Ho, Wo, C, s*s): each window's values on the last axis (a copy)."""
        s = self.size
        n, h, w, c = x.shape
        ho, wo = h // s, w // s
        x = x[:, : ho * s, : wo * s]
        return x.reshape(n, ho, s, wo, s, c).transpose(0, 1, 3, 5, 2, 4).reshape(
            n, ho, wo, c, s * s)

    def forward(self, x, training=False):
        s = self.size
        n, h, w, c = x.shape
        if not training:
            # Inference needs no argmax: two reductions on a view, no copy.
            ho, wo = h // s, w // s
            view = x[:, : ho * s, : wo * s].reshape(n, ho, s, wo, s, c)
            return view.max(axis=(2, 4))
        windows = self._windows(x)
        argmax = windows.argmax(axis=-1)  # (N, Ho, Wo, C)
        self._argmax = argmax
        return np.take_along_axis(windows, argmax[..., None], axis=-1)[..., 0]

    def backward(self, grad, need_input_grad=True):
        s = self.size
        n, ho, wo, c = grad.shape
        h, w, _ = self._in_shape
        windows = np.zeros((n, ho, wo, c, s * s), dtype=grad.dtype)
        np.put_along_axis(windows, self._argmax[..., None], grad[..., None], axis=-1)
        dx_core = windows.reshape(n, ho, wo, c, s, s).transpose(0, 1, 4, 2, 5, 3)
        dx_core = dx_core.reshape(n, ho * s, wo * s, c)
        if (ho * s, wo * s) == (h, w):
            return dx_core
        dx = np.zeros((n, h, w, c), dtype=grad.dtype)
        dx[:, : ho * s, : wo * s] = dx_core
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
