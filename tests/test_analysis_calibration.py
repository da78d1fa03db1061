"""Calibration measures: reliability table, ECE, MCE, NLL and the fitted temperature."""

from __future__ import annotations

import math

import numpy as np
import pytest

from digitapp.analysis.calibration import (
    bin_index,
    calibration_report,
    expected_calibration_error,
    fit_temperature,
    maximum_calibration_error,
    negative_log_likelihood,
    reliability_table,
)


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def sampled_labels(logits: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw one label per row from softmax(logits): a model calibrated at T = 1."""
    p = softmax(logits)
    return (rng.random((len(p), 1)) > p.cumsum(axis=1)).sum(axis=1)


def synthetic_logits(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (logits, labels) for which softmax(logits) is the true distribution."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(0.0, 2.0, (n, 10))
    logits[np.arange(n), rng.integers(0, 10, n)] += rng.uniform(0, 6, n)
    return logits, sampled_labels(logits, rng)


def test_bins_are_right_closed_with_zero_in_the_first():
    assert bin_index(np.array([0.0, 1 / 15, 1 / 15 + 1e-9, 0.5, 14 / 15 + 1e-9, 1.0])).tolist() \
        == [0, 0, 1, 7, 14, 14]
    assert bin_index(np.array([0.25, 0.5, 0.75]), bins=2).tolist() == [0, 0, 1]


def test_reliability_table_counts_means_and_accuracies():
    conf = np.array([0.95, 0.97, 0.99, 0.55, 0.65, 0.1])
    correct = np.array([1, 1, 0, 1, 0, 0])
    table = reliability_table(conf, correct, bins=10)
    assert table["count"].tolist() == [1, 0, 0, 0, 0, 1, 1, 0, 0, 3]
    assert table["count"].sum() == 6
    assert table["mean_confidence"][9] == pytest.approx(0.97)
    assert table["accuracy"][9] == pytest.approx(2 / 3)
    assert table["accuracy"][5] == 1.0 and table["accuracy"][0] == 0.0
    assert np.isnan(table["accuracy"][3]) and np.isnan(table["mean_confidence"][3])
    assert table["lower"][9] == pytest.approx(0.9) and table["upper"][9] == 1.0
    # ECE by hand: bins 0 (0.1 vs 0), 5 (0.55 vs 1), 6 (0.65 vs 0), 9 (0.97 vs 2/3)
    expected = (0.1 + 0.45 + 0.65 + 3 * abs(0.97 - 2 / 3)) / 6
    assert expected_calibration_error(conf, correct, bins=10) == pytest.approx(expected)
    assert maximum_calibration_error(conf, correct, bins=10) == pytest.approx(0.65)


def test_perfectly_calibrated_confidences_give_ece_near_zero():
    rng = np.random.default_rng(1)
    conf = rng.uniform(0.1, 1.0, 200_000)
    correct = rng.random(conf.size) < conf  # right with exactly the stated probability
    assert expected_calibration_error(conf, correct) < 0.006
    assert maximum_calibration_error(conf, correct) < 0.03


def test_over_confident_model_gives_the_known_ece():
    # Always 90% sure, right 60% of the time: the gap is 0.3 everywhere.
    conf = np.full(1000, 0.9)
    correct = np.arange(1000) < 600
    assert expected_calibration_error(conf, correct) == pytest.approx(0.3)
    assert maximum_calibration_error(conf, correct) == pytest.approx(0.3)
    # Half at 99% (right 90%), half at 70% (right 70%): ECE = 0.5 * 0.09 + 0.5 * 0.
    conf = np.r_[np.full(500, 0.99), np.full(500, 0.7)]
    correct = np.r_[np.arange(500) < 450, np.arange(500) < 350]
    assert expected_calibration_error(conf, correct) == pytest.approx(0.045)
    assert maximum_calibration_error(conf, correct) == pytest.approx(0.09)


@pytest.mark.parametrize("true_t", [0.5, 2.5])
def test_fitted_temperature_recovers_a_known_one(true_t):
    logits, labels = synthetic_logits(20_000, seed=2)
    # A model whose logits are true_t times too large (too sure) or too small (too shy).
    scaled = logits * true_t
    fitted = fit_temperature(scaled, labels)
    assert abs(fitted / true_t - 1) < 0.05
    # It is the NLL's minimum: nudging it either way costs likelihood.
    best = negative_log_likelihood(scaled, labels, fitted)
    assert best < negative_log_likelihood(scaled, labels, fitted * 1.1)
    assert best < negative_log_likelihood(scaled, labels, fitted / 1.1)
    assert best < negative_log_likelihood(scaled, labels, 1.0)


def test_temperature_fixes_an_over_confident_model_without_changing_its_answers():
    logits, labels = synthetic_logits(20_000, seed=3)
    hot = logits * 3.0
    before = calibration_report(hot, labels)
    after = calibration_report(hot, labels, fit_temperature(hot, labels))
    assert before["ece"] > 0.05 and after["ece"] < 0.015
    assert after["nll"] < before["nll"]
    assert after["accuracy"] == before["accuracy"]
    assert after["mean_confidence"] < before["mean_confidence"]
    assert sum(after["reliability"]["count"]) == 20_000


def test_logits_shifted_per_row_give_the_same_figures():
    logits, labels = synthetic_logits(2000, seed=4)
    log_p = np.log(softmax(logits))  # what predict_proba's output gives back
    shifted = logits + np.random.default_rng(5).normal(0, 50, (2000, 1))
    for other in (log_p, shifted):
        assert negative_log_likelihood(other, labels, 1.7) == pytest.approx(
            negative_log_likelihood(logits, labels, 1.7))
        assert fit_temperature(other, labels) == pytest.approx(
            fit_temperature(logits, labels), rel=1e-4)


def test_nll_by_hand_and_report_fields():
    logits = np.array([[math.log(3.0), 0.0], [0.0, 0.0]])
    labels = np.array([0, 1])
    assert negative_log_likelihood(logits, labels) == pytest.approx(
        -(math.log(0.75) + math.log(0.5)) / 2)
    # Three bins, so that neither confidence (0.75, 0.5) sits on a bin's edge: with four, 0.75
    # fell into (0.5, 0.75] or (0.75, 1] as exp rounded it on the machine (1 ulp).
    report = calibration_report(logits, labels, bins=3)
    assert report["accuracy"] == 0.5  # the tie goes to class 0, which is wrong
    assert report["reliability"]["count"] == [0, 1, 1]
    assert report["reliability"]["accuracy"] == [None, 0.0, 1.0]
    assert report["ece"] == pytest.approx((0.5 + 0.25) / 2)


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        reliability_table([0.5, 0.6], [True])
    with pytest.raises(ValueError):
        reliability_table([1.5], [True])
    with pytest.raises(ValueError):
        reliability_table([], [])
    with pytest.raises(ValueError):
        reliability_table([0.5], [True], bins=0)
    with pytest.raises(ValueError):
        fit_temperature(np.zeros((3, 10)), np.array([0, 1, 10]))
    with pytest.raises(ValueError):
        negative_log_likelihood(np.zeros((2, 10)), np.array([0, 1]), temperature=0.0)
    with pytest.raises(ValueError):
        fit_temperature(np.full((2, 10), np.nan), np.array([0, 1]))
