"""Pairwise squared Euclidean distances, the one place the analyses compute them."""

from __future__ import annotations

import numpy as np


def squared_distances(x: np.ndarray, dtype=np.float64) -> np.ndarray:
    """Return D (n, n) with D[i, j] = |x_i - x_j|^2 for points x (n, d).

    Uses |a|^2 + |b|^2 - 2 a.b (one matrix product instead of an (n, n, d) difference
    array). Rounding can make that slightly negative, so it is clipped at 0, and the
    diagonal is exactly 0.
    """
    x = np.asarray(x, dtype=dtype)
    x = x - x.mean(axis=0)  # centred: smaller norms, less cancellation in the subtraction
    norms = np.einsum("ij,ij->i", x, x)  # (n,)
    d = x @ x.T  # (n, n)
    d *= -2
    d += norms[:, None]
    d += norms[None, :]
    np.maximum(d, 0, out=d)
    np.fill_diagonal(d, 0)
    return d
