"""How the not-a-digit check's threshold is chosen (tools/train_not_a_digit.choose_threshold):
digits first. The lowest threshold that declines at most DIGIT_DECLINE of the MNIST
validation digits and at most STROKE_DECLINE of the held-back stroke digits."""

from __future__ import annotations

import numpy as np

from tools.train_not_a_digit import DIGIT_DECLINE, STROKE_DECLINE, choose_threshold

STROKES = 5000  # held-back stroke digits in these made-up sets


def held_scores(strokes: np.ndarray, validation: np.ndarray) -> dict:
    return {"mnist validation": validation, "stroke digits": strokes,
            "nondigits": np.random.default_rng(0).uniform(0.5, 1.0, 2000)}


def test_the_stroke_digits_bind_when_they_doubt_more():
    rng = np.random.default_rng(1)
    strokes = rng.uniform(0.0, 0.5, STROKES)
    strokes[-STROKES // 50:] = np.linspace(0.95, 0.999, STROKES // 50)  # 2% the check doubts
    validation = rng.uniform(0.0, 0.2, 5000)  # MNIST validation: all clearly digits
    threshold, shares = choose_threshold(held_scores(strokes, validation))
    assert 0.95 < threshold < 0.999
    assert (strokes > threshold).mean() <= STROKE_DECLINE
    assert (strokes > threshold).mean() >= STROKE_DECLINE - 2 / STROKES  # no lower one would do
    assert shares["stroke digits"] == (strokes > threshold).mean()
    assert shares["mnist validation"] == 0.0
    assert shares["nondigits"] == (held_scores(strokes, validation)["nondigits"] > threshold).mean()


def test_mnist_validation_binds_when_it_doubts_more():
    strokes = np.random.default_rng(2).uniform(0.0, 0.5, STROKES)  # no doubtful strokes
    validation = np.random.default_rng(3).uniform(0.0, 1.0, 5000)
    threshold, shares = choose_threshold(held_scores(strokes, validation))
    assert threshold == np.quantile(validation, 1 - DIGIT_DECLINE)
    assert shares["mnist validation"] <= DIGIT_DECLINE
    assert shares["stroke digits"] == 0.0
