"""Optimizers against textbook formulas; schedules; metrics."""

import math

import numpy as np
import pytest

from digitapp.engine import (
    SGD,
    Adam,
    Dense,
    Sequential,
    accuracy,
    confusion_matrix,
    make_schedule,
    per_class_scores,
)


def tiny_model():
    return Sequential([Dense(3)], (4,), seed=1)


def test_adam_matches_the_textbook_update_over_many_steps():
    model = tiny_model()
    p = model.params.values.astype(np.float64)
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    b1, b2, eps, lr = 0.9, 0.999, 1e-8, 0.01
    opt = Adam(model.params, b1, b2, eps)
    rng = np.random.default_rng(0)
    for t in range(1, 51):
        g = rng.standard_normal(p.shape)
        model.params.grads[:] = g
        opt.step(lr)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        p -= lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    np.testing.assert_allclose(model.params.values, p, rtol=1e-5, atol=1e-6)


def test_sgd_momentum_matches_the_textbook_update():
    model = tiny_model()
    p = model.params.values.astype(np.float64)
    vel = np.zeros_like(p)
    opt = SGD(model.params, momentum=0.9)
    rng = np.random.default_rng(1)
    for _ in range(20):
        g = rng.standard_normal(p.shape)
        model.params.grads[:] = g
        opt.step(0.05)
        vel = 0.9 * vel + g
        p -= 0.05 * vel
    np.testing.assert_allclose(model.params.values, p, rtol=1e-5, atol=1e-6)


def test_decoupled_weight_decay_shrinks_weights_not_biases():
    model = tiny_model()
    model.params.values[:] = 1.0
    opt = SGD(model.params, momentum=0.0, weight_decay=0.5)
    model.params.grads[:] = 0.0
    opt.step(0.1)
    assert np.allclose(model.layers[0].params["W"], 1.0 - 0.1 * 0.5)
    assert np.allclose(model.layers[0].params["b"], 1.0)


def test_schedules():
    step = make_schedule("step", 1e-3, 40)  # the seed: x0.8 every 5 epochs
    assert step(0) == step(4.9) == pytest.approx(1e-3)
    assert step(5) == pytest.approx(8e-4)
    assert step(39) == pytest.approx(1e-3 * 0.8**7)
    cosine = make_schedule("cosine", 1.0, 10)
    assert cosine(0) == pytest.approx(1.0)
    assert cosine(5) == pytest.approx(0.5)
    assert cosine(10) == pytest.approx(0.0, abs=1e-12)
    assert make_schedule("constant", 0.3, 5)(4) == 0.3
    with pytest.raises(ValueError, match="unknown schedule"):
        make_schedule("linear", 1e-3, 5)
    with pytest.raises(ValueError, match="positive"):
        make_schedule("constant", -1.0, 5)
    with pytest.raises(ValueError):
        make_schedule("constant", math.nan, 5)


def test_metrics():
    labels = np.array([0, 0, 1, 1, 2, 2])
    preds = np.array([0, 1, 1, 1, 2, 0])
    assert accuracy(labels, preds) == pytest.approx(4 / 6)
    cm = confusion_matrix(labels, preds, 3)
    assert cm.tolist() == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    scores = per_class_scores(cm)
    np.testing.assert_allclose(scores["precision"], [0.5, 2 / 3, 1.0])
    np.testing.assert_allclose(scores["recall"], [0.5, 1.0, 0.5])
    np.testing.assert_allclose(scores["f1"], [0.5, 0.8, 2 / 3])
    assert scores["support"].tolist() == [2, 2, 2]
    # A class that is never predicted has precision 0, not NaN.
    assert per_class_scores(confusion_matrix([0, 1], [0, 0], 2))["precision"][1] == 0.0
