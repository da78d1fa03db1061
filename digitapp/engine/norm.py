"""Batch normalisation over every axis but the last (features of Dense, channels of NHWC)."""

from __future__ import annotations

import numpy as np

from .layers import Layer


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
        if not 0.0 < eps < 1.0:
            raise ValueError(f"batchnorm eps must be in (0, 1), not {eps!r}")
        self.momentum, self.eps = float(momentum), float(eps)
        self._cache = None

    def build(self, input_shape, rng, dtype):
        features = input_shape[-1]
        self.params = {"gamma": np.ones(features, dtype=dtype),
                       "beta": np.zeros(features, dtype=dtype)}
        self.grads = {name: np.zeros_like(p) for name, p in self.params.items()}
        self.buffers = {"running_mean": np.zeros(features, dtype=dtype),
                        "running_var": np.ones(features, dtype=dtype)}
        return input_shape

    def forward(self, x, training=False):
        features = x.shape[-1]
        flat = x.reshape(-1, features)  # (m, C): every position of every image is a sample
        gamma, beta = self.params["gamma"], self.params["beta"]
        if not training:
            scale = gamma / np.sqrt(self.buffers["running_var"] + self.eps)
            shift = beta - self.buffers["running_mean"] * scale
            return (flat * scale + shift).reshape(x.shape)
        m = flat.shape[0]
        mean = flat.mean(axis=0)
        xhat = flat - mean
        var = np.einsum("ij,ij->j", xhat, xhat) / m  # no (m, C) temporary for the square
        inv_std = 1.0 / np.sqrt(var + self.eps)
        xhat *= inv_std  # centred values become xhat in place
        mom = self.momentum
        self.buffers["running_mean"] *= mom
        self.buffers["running_mean"] += (1 - mom) * mean
        self.buffers["running_var"] *= mom
        self.buffers["running_var"] += (1 - mom) * var * (m / max(m - 1, 1))  # unbiased
        self._cache = (xhat, inv_std)
        y = np.multiply(xhat, gamma)
        y += beta
        return y.reshape(x.shape)

    def backward(self, grad, need_input_grad=True):
        xhat, inv_std = self._cache
        self._cache = None
        features = grad.shape[-1]
        dy = grad.reshape(-1, features)
        m = dy.shape[0]
        dbeta = dy.sum(axis=0)
        dgamma = np.einsum("ij,ij->j", dy, xhat)
        self.grads["beta"][...] = dbeta
        self.grads["gamma"][...] = dgamma
        if not need_input_grad:
            return None
        # dx = gamma inv_std / m * (m dy - dbeta - xhat dgamma), built in xhat's buffer.
        xhat *= -dgamma
        xhat += m * dy
        xhat -= dbeta
        xhat *= self.params["gamma"] * inv_std / m
        return xhat.reshape(grad.shape)

    def config(self):
        return {"type": self.kind, "momentum": self.momentum, "eps": self.eps}
