"""Trustworthiness (the benchmarks' and t-SNE tests' yardstick) against a plain loop over
its definition."""

from __future__ import annotations

import numpy as np
import pytest

from testkit.embedding_quality import trustworthiness


def _trustworthiness_by_definition(x, y, k):
    n = len(x)
    dx = ((x[:, None] - x[None]) ** 2).sum(-1)
    dy = ((y[:, None] - y[None]) ** 2).sum(-1)
    total = 0.0
    for i in range(n):
        order_x = [j for j in np.argsort(dx[i], kind="stable") if j != i]
        order_y = [j for j in np.argsort(dy[i], kind="stable") if j != i]
        rank = {j: r + 1 for r, j in enumerate(order_x)}
        for j in order_y[:k]:
            if j not in order_x[:k]:
                total += rank[j] - k
    return 1 - 2 / (n * k * (2 * n - 3 * k - 1)) * total


def test_trustworthiness_matches_its_definition():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((60, 5))
    y = x[:, :2] + 0.5 * rng.standard_normal((60, 2))
    for k in (1, 5, 12):
        assert trustworthiness(x, y, k) == pytest.approx(_trustworthiness_by_definition(x, y, k))
    assert trustworthiness(x, x, 5) == pytest.approx(1.0)
    assert trustworthiness(x, rng.standard_normal((60, 2)), 5) < 0.7
