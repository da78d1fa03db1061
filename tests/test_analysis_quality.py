"""Trustworthiness against a plain loop over its definition; the mistakes ranking."""

from __future__ import annotations

import numpy as np
import pytest

from digitapp.analysis.mistakes import second_choices, select
from digitapp.analysis.quality import trustworthiness


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


def test_select_mistakes_filters_and_orders():
    labels = np.array([4, 4, 4, 9, 1, 4])
    probs = np.full((6, 10), 0.01)
    predictions = np.array([9, 9, 4, 4, 7, 9])
    for i, (p, c) in enumerate(zip(predictions, [0.6, 0.9, 0.95, 0.5, 0.7, 0.9], strict=True)):
        probs[i, p] = c
    assert select(labels, predictions, probs).tolist() == [1, 5, 4, 0, 3]
    assert select(labels, predictions, probs, order="unsure").tolist() == [3, 0, 4, 1, 5]
    assert select(labels, predictions, probs, true=4, predicted=9).tolist() == [1, 5, 0]
    assert select(labels, predictions, probs, predicted=4).tolist() == [3]
    assert select(labels, predictions, probs, true=4, include_correct=True,
                  order="index").tolist() == [0, 1, 2, 5]
    assert select(labels, predictions, probs, order="true").tolist() == [4, 1, 5, 0, 3]
    with pytest.raises(ValueError):
        select(labels, predictions, probs, order="nonsense")


def test_second_choices():
    probs = np.array([[0.1, 0.7, 0.2], [0.5, 0.1, 0.4]])
    assert second_choices(probs).tolist() == [2, 2]
