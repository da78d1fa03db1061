"""t-SNE: the gradient, the perplexity search, neighbourhoods kept better than PCA, Cancel."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from digitapp.analysis.distances import squared_distances
from digitapp.analysis.pca import pca
from digitapp.analysis.tsne import (
    Cancelled,
    TsneSettings,
    conditional_probabilities,
    joint_probabilities,
    kl_divergence,
    kl_gradient,
    tsne,
)
from digitapp.data.mnist import load_mnist
from digitapp.engine import Control
from digitapp.engine.blas import BLAS
from testkit.embedding_quality import same_class_neighbours, trustworthiness


@pytest.fixture(autouse=True)
def one_blas_thread():
    """As the GUI runs analyses: with two BLAS threads on two busy cores, OpenBLAS's
    spinning made an eigen-decomposition ten times slower, and these tests with it."""
    with BLAS.limited(1):
        yield


@pytest.fixture(scope="module")
def mnist_sample():
    """400 test images (784 pixels in [0, 1]) and their labels, a fixed random sample."""
    test = load_mnist("test")
    chosen = np.random.default_rng(0).choice(len(test), 400, replace=False)
    return test.inputs()[chosen], test.labels[chosen]


def test_perplexity_search_reaches_the_target():
    x = np.random.default_rng(0).standard_normal((120, 5))
    p = conditional_probabilities(squared_distances(x), perplexity=20.0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-5)
    assert np.all(np.diag(p) == 0)
    positive = np.where(p > 0, p, 1.0)
    perplexity = np.exp(-np.sum(p * np.log(positive), axis=1))
    np.testing.assert_allclose(perplexity, 20.0, rtol=1e-3)


def test_gradient_matches_finite_differences():
    rng = np.random.default_rng(3)
    p = joint_probabilities(squared_distances(rng.standard_normal((40, 4))), 8.0)
    y = rng.standard_normal((40, 2))
    grad = kl_gradient(y, p)
    eps = 1e-3  # the weights are float32: a smaller step would measure their rounding
    for i, j in [(0, 0), (7, 1), (39, 0), (20, 1)]:
        plus, minus = y.copy(), y.copy()
        plus[i, j] += eps
        minus[i, j] -= eps
        numeric = (kl_divergence(plus, p) - kl_divergence(minus, p)) / (2 * eps)
        assert grad[i, j] == pytest.approx(numeric, rel=2e-3, abs=1e-5)


def test_tsne_keeps_neighbourhoods_better_than_pca(mnist_sample):
    x, labels = mnist_sample
    embedding = tsne(x).embedding  # about 1 s (benchmarks/bench_insights.py times it)
    flat = pca(x, 2).embedding
    assert embedding.shape == (400, 2) and np.isfinite(embedding).all()
    t_tsne, t_pca = trustworthiness(x, embedding, 10), trustworthiness(x, flat, 10)
    assert t_tsne > 0.9  # measured 0.94 (PCA 0.75)
    assert t_tsne > t_pca + 0.1
    # The same, seen through the labels: a point's map neighbours are mostly its own digit.
    assert same_class_neighbours(embedding, labels) > same_class_neighbours(flat, labels) + 0.2


def test_tsne_is_deterministic():
    x = np.random.default_rng(4).standard_normal((100, 8))
    settings = TsneSettings(perplexity=10, iterations=60, exaggeration_iterations=30)
    np.testing.assert_array_equal(tsne(x, settings).embedding, tsne(x, settings).embedding)


def test_cancel_stops_a_running_tsne_promptly(mnist_sample):
    x, _ = mnist_sample
    control = Control()
    reports: list[float] = []
    stop_time: list[float] = []

    def report(fraction: float, text: str) -> None:
        reports.append(fraction)
        if len(reports) == 3:  # the affinities are done, iterations under way
            # Stop from another thread, as the GUI's Cancel button does.
            threading.Thread(target=control.stop).start()
            stop_time.append(time.perf_counter())

    with pytest.raises(Cancelled):
        tsne(x, TsneSettings(iterations=5_000), control=control, report=report)
    assert time.perf_counter() - stop_time[0] < 0.5
    assert len(reports) <= 4 and max(reports) < 0.2  # it did not run on (1 report / 50 its)


def test_tsne_refuses_bad_input():
    with pytest.raises(ValueError, match="perplexity"):
        tsne(np.zeros((20, 3)))
    with pytest.raises(ValueError, match="NaN"):
        tsne(np.full((200, 3), np.nan))
    with pytest.raises(ValueError, match="shape"):
        tsne(np.zeros(200))
