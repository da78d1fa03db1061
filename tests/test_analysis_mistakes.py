"""The mistakes ranking: which mistakes, in which order; second choices."""

from __future__ import annotations

import numpy as np
import pytest

from digitapp.analysis.mistakes import second_choices, select


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
