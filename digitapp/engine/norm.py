"""Batch normalisation over every axis but the last (features of Dense, channels of NHWC)."""

from __future__ import annotations

import math

import numpy as np

from .channels import per_channel, tiled
from .layers import Layer, count_values

# Smallest eps accepted (digitapp uses 1e-5, as most libraries; Keras 1e-3). Inference divides
# by sqrt(var + eps): with a variance of 0 and eps 1e-45 (a float32 denormal) the scale is
# ~1e22 and every output overflows; eps 1e-10 bounds it at 1e5.
MIN_EPS = 1e-10


class BatchNorm(Layer):
    """y = gamma * (x - mean) / sqrt(var + eps) + beta, per feature/channel.

    Training uses the batch's statistics and updates running averages (buffers, saved with
    the model); inference uses the running averages, so a single image is classified the
    same way whatever batch it comes in.

    Shapes: x (N, D) or (N, H, W, C); gamma, beta, running_mean, running_var (D,) or (C,).

    Notes
    -----
    With xhat = (x - mu) / s, s = sqrt(var + eps), and m values per channel:
        dbeta = sum dy,  dgamma = sum dy * xhat,
        dx = gamma / (m s) * (m dy - dbeta - xhat dgamma).
    """

    kind = "batchnorm"

    def __init__(self, momentum: float = 0.9, eps: float = 1e-5) -> None:
        super().__init__()
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"batchnorm momentum must be in [0, 1), not {momentum!r}")
        if not MIN_EPS <= eps < 1.0:
            raise ValueError(f"batchnorm eps must be in [{MIN_EPS:g}, 1), not {eps!r}")
        self.momentum, self.eps = float(momentum), float(eps)
        self._cache = None

    def build(self, input_shape, rng, dtype):
        features = input_shape[-1]
        self.add_parameter("gamma", np.ones(features, dtype=dtype), decays=False)
        self.add_parameter("beta", np.zeros(features, dtype=dtype), decays=False)
        self.buffers = {"running_mean": np.zeros(features, dtype=dtype),
                        "running_var": np.ones(features, dtype=dtype)}
        return input_shape

    def plan(self, input_shape):
        # Stored: gamma, beta, running_mean, running_var, one value per feature each.
        return tuple(input_shape), 4 * int(input_shape[-1]), count_values(input_shape)

    def activation_values(self, input_shape, output_shape):
        # A new centred output is kept; backward makes one input-sized array.
        return count_values(output_shape), count_values(input_shape)

    def forward(self, x, training=False):
        # Work on per-image rows (N, P*C), P = positions per image (H*W, or 1 for Dense),
        # with per-channel vectors tiled P times (channels.py).
        features, n = x.shape[-1], x.shape[0]
        rows = x.reshape(n, math.prod(x.shape[1:]))  # not (n, -1): n may be 0
        reps = rows.shape[1] // features
        gamma, beta = self.params["gamma"], self.params["beta"]
        if not training:
            scale, shift = self.inference_affine()
            y = rows * tiled(scale, reps)
            y += tiled(shift, reps)
            return y.reshape(x.shape)
        m = n * reps
        mean = per_channel(rows.sum(axis=0), features) / m
        y = rows - tiled(mean, reps)  # centred values; becomes the output in place
        var = per_channel(np.einsum("ij,ij->j", y, y), features) / m
        inv_std = 1.0 / np.sqrt(var + self.eps)
        mom = self.momentum
        self.buffers["running_mean"] *= mom
        self.buffers["running_mean"] += (1 - mom) * mean
        self.buffers["running_var"] *= mom
        self.buffers["running_var"] += (1 - mom) * var * (m / max(m - 1, 1))  # unbiased
        # Backward rebuilds xhat from the input itself, so keep x (no copy), not xhat.
        self._cache = (rows, mean, inv_std)
        y *= tiled(gamma * inv_std, reps)
        y += tiled(beta, reps)
        return y.reshape(x.shape)

    def inference_affine(self) -> tuple[np.ndarray, np.ndarray]:
        """Return (scale, shift), (C,) each: inference is y = x * scale + shift."""
        scale = self.params["gamma"] / np.sqrt(self.buffers["running_var"] + self.eps)
        return scale, self.params["beta"] - self.buffers["running_mean"] * scale

    def backward(self, grad, need_input_grad=True):
        rows, mean, inv_std = self._cache
        self._cache = None
        features, n = grad.shape[-1], grad.shape[0]
        dy = grad.reshape(n, -1)
        reps = dy.shape[1] // features
        m = n * reps
        dbeta = per_channel(dy.sum(axis=0), features)
        # sum dy * xhat = (sum dy * x - mean * sum dy) * inv_std: no xhat array needed.
        dgamma = (per_channel(np.einsum("ij,ij->j", dy, rows), features) - mean * dbeta)
        dgamma *= inv_std
        self.grads["beta"][...] = dbeta
        self.grads["gamma"][...] = dgamma
        if not need_input_grad:
            return None
        # dx = gamma inv_std / m * (m dy - dbeta - xhat dgamma) with xhat = (x - mean) inv_std
        #    = a dy + c x + b, per-channel a, b, c; built in dy (ours to overwrite).
        a = self.params["gamma"] * inv_std
        c = -a * inv_std * dgamma / m
        b = -a * dbeta / m - c * mean
        cx = rows * tiled(c, reps)
        dy *= tiled(a, reps)
        dy += tiled(b, reps)
        dy += cx
        return dy.reshape(grad.shape)

    def config(self):
        return {"type": self.kind, "momentum": self.momentum, "eps": self.eps}
