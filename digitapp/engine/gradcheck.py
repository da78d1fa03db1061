"""Numerical gradient checks: analytic gradients against central finite differences.

Run in float64, where a central difference with h=1e-6 is accurate to ~1e-9 relative.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Return df/dx by central differences, perturbing x in place (and restoring it)."""
    grad = np.zeros_like(x, dtype=np.float64)
    flat, out = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + h
        up = f()
        flat[i] = saved - h
        down = f()
        flat[i] = saved
        out[i] = (up - down) / (2 * h)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """Return ||a - b|| / (||a|| + ||b||): 0 for identical arrays, ~1 for unrelated ones.

    Norm-based, so tiny entries whose finite differences are all rounding noise do not
    dominate the verdict the way an element-wise ratio would.
    """
    scale = max(float(np.linalg.norm(a) + np.linalg.norm(b)), 1e-12)
    return float(np.linalg.norm(a - b)) / scale


def check_layer(layer, x: np.ndarray, rng: np.random.Generator, training: bool = True) -> dict:
    """Return {name: relative error} for dL/dx and every parameter of a built float64 layer.

    The scalar tested is L = sum(forward(x) * R) for a fixed random R, so dL/dy = R.
    Layers with randomness (dropout) must be checked with their mask fixed by the caller.
    """
    y = layer.forward(x.copy(), training)
    weights = rng.standard_normal(y.shape)

    def loss() -> float:
        return float(np.sum(layer.forward(x.copy(), training) * weights))

    layer.forward(x.copy(), training)
    dx = layer.backward(weights.copy(), need_input_grad=True)
    errors = {"x": relative_error(dx, numerical_gradient(loss, x))}
    analytic = {k: g.copy() for k, g in layer.grads.items()}
    for key, param in layer.params.items():
        errors[key] = relative_error(analytic[key], numerical_gradient(loss, param))
    return errors
