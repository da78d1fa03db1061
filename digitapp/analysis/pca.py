"""Principal component analysis from the eigenvectors of the covariance (or Gram) matrix."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class Pca:
    embedding: np.ndarray  # (n, k) the points in the principal axes
    components: np.ndarray  # (k, d) unit principal axes, the largest variance first
    explained_variance: np.ndarray  # (k,) variance along each axis (divided by n - 1)
    mean: np.ndarray  # (d,) subtracted before projecting

    def transform(self, x: np.ndarray) -> np.ndarray:
        """Return other points (m, d) projected on the same axes: (m, k)."""
        return (np.asarray(x, dtype=np.float64) - self.mean) @ self.components.T


def pca(x: np.ndarray, components: int = 2) -> Pca:
    """Return the first `components` principal axes of points x (n, d) and the projection.

    Notes
    -----
    With X the centred data, the axes are the top eigenvectors of X^T X (d, d). When there
    are fewer points than dimensions, the eigenvectors u of the Gram matrix X X^T (n, n)
    give them more cheaply: X^T u / |X^T u|. Either way the work is one matrix product and
    one symmetric eigen-decomposition of the smaller side (no SVD of the whole (n, d)).
    Each axis's sign is fixed so that its largest coordinate is positive: the same data
    always gives the same picture.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"pca expects points (n, d), got shape {x.shape}")
    n, d = x.shape
    components = int(components)
    if not 1 <= components <= min(n, d):
        raise ValueError(f"cannot take {components} components of {n} points in {d} dims")
    mean = x.mean(axis=0)
    centred = x - mean
    if d <= n:
        values, vectors = np.linalg.eigh(centred.T @ centred)  # ascending eigenvalues
        top = np.argsort(values)[::-1][:components]
        axes = vectors[:, top].T  # (k, d)
    else:
        values, vectors = np.linalg.eigh(centred @ centred.T)
        top = np.argsort(values)[::-1][:components]
        axes = (centred.T @ vectors[:, top]).T  # (k, d), not yet unit length
        axes /= np.maximum(np.linalg.norm(axes, axis=1, keepdims=True), 1e-300)
    largest = np.argmax(np.abs(axes), axis=1)
    axes *= np.sign(axes[np.arange(components), largest])[:, None]
    variance = np.maximum(values[top], 0) / max(n - 1, 1)
    return Pca(centred @ axes.T, axes, variance, mean)
