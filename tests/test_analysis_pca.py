"""PCA against NumPy's SVD: the same axes, variances and coordinates (up to each axis's sign)."""

from __future__ import annotations

import numpy as np
import pytest

from digitapp.analysis.pca import pca


def _svd_reference(x: np.ndarray, k: int):
    centred = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    return vt[:k], s[:k] ** 2 / (len(x) - 1), centred @ vt[:k].T


@pytest.mark.parametrize("shape", [(300, 20), (15, 40)])  # covariance and Gram paths
def test_pca_matches_svd(shape):
    rng = np.random.default_rng(1)
    scales = np.linspace(3, 0.1, shape[1])  # distinct variances: the axes are well defined
    x = rng.standard_normal(shape) * scales + 5.0
    k = 3
    result = pca(x, k)
    axes, variance, embedding = _svd_reference(x, k)
    signs = np.sign(np.sum(result.components * axes, axis=1))  # +-1 per axis
    np.testing.assert_allclose(result.components, axes * signs[:, None], atol=1e-8)
    np.testing.assert_allclose(result.explained_variance, variance, rtol=1e-8)
    np.testing.assert_allclose(result.embedding, embedding * signs, atol=1e-8)
    np.testing.assert_allclose(result.transform(x), result.embedding, atol=1e-10)


def test_pca_is_deterministic_in_sign():
    x = np.random.default_rng(2).standard_normal((50, 6))
    a, b = pca(x, 2), pca(x[::-1].copy(), 2)
    np.testing.assert_allclose(a.components, b.components, atol=1e-10)


def test_pca_refuses_bad_input():
    with pytest.raises(ValueError):
        pca(np.zeros(5), 2)
    with pytest.raises(ValueError):
        pca(np.zeros((4, 3)), 5)
