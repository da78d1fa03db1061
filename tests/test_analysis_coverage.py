"""The coverage-accuracy curve (selective prediction) and its operating point."""

import math

import numpy as np
import pytest

from digitapp.analysis.coverage import coverage_curve, operating_point


def random_case(n=5000, seed=0):
    """Confidences (n,) and correct flags (n,) where surer answers are more often right."""
    rng = np.random.default_rng(seed)
    confidences = rng.uniform(0.1, 1.0, n)
    correct = rng.random(n) < confidences
    return confidences, correct


def test_the_curve_ends_at_full_coverage_with_the_overall_accuracy():
    confidences, correct = random_case()
    curve = coverage_curve(confidences, correct)
    assert curve.coverage[-1] == 1.0 and curve.answered[-1] == len(correct)
    assert curve.accuracy[-1] == pytest.approx(correct.mean())
    assert curve.thresholds[-1] == confidences.min()
    # The first point answers only the surest input.
    assert curve.answered[0] == 1 and curve.thresholds[0] == confidences.max()


def test_coverage_rises_thresholds_fall_and_thinning_keeps_exact_points():
    confidences, correct = random_case()
    curve = coverage_curve(confidences, correct, max_points=50)
    assert 2 <= len(curve) <= 50
    assert (np.diff(curve.coverage) > 0).all()
    assert (np.diff(curve.thresholds) < 0).all()
    for t, c, a in zip(curve.thresholds, curve.coverage, curve.accuracy, strict=True):
        assert (c, a) == pytest.approx(operating_point(confidences, correct, t))
    # Spread along coverage: no gap much wider than an even step.
    assert np.diff(curve.coverage).max() < 2.5 / 50
    # With more points allowed than distinct values, every distinct value is a point.
    assert len(coverage_curve(confidences[:100], correct[:100], max_points=500)) == 100


def test_a_useful_confidence_is_more_accurate_when_answering_less():
    confidences, correct = random_case()
    curve = coverage_curve(confidences, correct)
    half = np.searchsorted(curve.coverage, 0.5)
    assert curve.accuracy[half] > curve.accuracy[-1] + 0.1


def test_ties_are_answered_together():
    curve = coverage_curve([0.9, 0.9, 0.5, 0.5, 0.5], [True, False, True, True, False])
    assert curve.coverage.tolist() == [0.4, 1.0]
    assert curve.accuracy.tolist() == [0.5, 0.6]
    assert curve.thresholds.tolist() == [0.9, 0.5]


def test_operating_point():
    confidences = [0.2, 0.6, 0.8, 0.95]
    correct = [False, False, True, True]
    assert operating_point(confidences, correct, 0.6) == (0.75, pytest.approx(2 / 3))
    assert operating_point(confidences, correct, 0.0) == (1.0, 0.5)
    coverage, accuracy = operating_point(confidences, correct, 0.99)
    assert coverage == 0.0 and math.isnan(accuracy)


@pytest.mark.parametrize("confidences, correct, message", [
    ([], [], "no examples"),
    ([0.5, 0.6], [True], "2 confidences but 1"),
    ([0.5, np.nan], [True, False], "finite"),
    ([0.5, np.inf], [True, False], "finite"),
    ([[0.5]], [[True]], r"\(N,\)"),
    ([0.5, 0.6], [2, 0], "booleans"),
])
def test_bad_inputs_raise(confidences, correct, message):
    with pytest.raises(ValueError, match=message):
        coverage_curve(confidences, correct)
    with pytest.raises(ValueError, match=message):
        operating_point(confidences, correct, 0.5)


def test_bad_threshold_or_point_count_raise():
    with pytest.raises(ValueError, match="threshold"):
        operating_point([0.5], [True], float("nan"))
    with pytest.raises(ValueError, match="max_points"):
        coverage_curve([0.5, 0.6], [True, False], max_points=1)
