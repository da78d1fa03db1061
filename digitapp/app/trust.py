"""What the Trust tab shows, computed away from the GUI: how far a model's percentages and
answers can be trusted on the MNIST test set.

    figures = drain(trust_figures_steps(audit, check))   # reliability, coverage, two points
    curves = drain(trust_robustness_steps(model, images, labels, decline=check.declines))

Three views of one Audit (app.audit), NumPy in, NumPy out:
1. the reliability table (analysis.calibration) of the top-1 confidences, with ECE and MCE;
2. the coverage-accuracy curve (analysis.coverage) with two operating points: the app's own
   (it answers every image the not-a-digit check does not decline) and "sure" (confidence
   at least verdict.SURE: the Draw tab then names the digit without a doubt);
3. robustness curves (app.robustness) on the same stratified, seeded subset as
   `digitapp evaluate --robustness` (ROBUSTNESS_IMAGES images, seed 0), so both agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..analysis.calibration import (
    BINS,
    expected_calibration_error,
    maximum_calibration_error,
    reliability_table,
)
from ..analysis.control import Steps, StopToken, raise_if_stopped
from ..analysis.coverage import CoverageCurve, coverage_curve, operating_point
from ..data.dataset import Dataset
from ..data.splits import subset
from ..engine import Sequential
from .audit import Audit
from .perturbations import FAMILIES
from .robustness import Decline, Robustness, model_robustness_steps
from .verdict import SURE

ROBUSTNESS_IMAGES = 2000  # the default of `evaluate --robustness-images`: the same numbers
ROBUSTNESS_SEED = 0  # the CLI's subset and perturbation seed
DECLINE_CHUNK = 1000  # test images per step of the not-a-digit check (~0.15 s each)


@dataclass(frozen=True)
class OperatingPoint:
    """Where a rule of answering puts a model on its coverage-accuracy curve."""

    name: str  # "app" or "sure"
    coverage: float  # share of the test images answered
    accuracy: float  # share right among those answered (NaN when none is)
    answered: int


@dataclass(frozen=True, eq=False)
class TrustFigures:
    """The calibration and selective-prediction figures of one model's Audit (N images)."""

    count: int
    accuracy: float  # of all N answers
    reliability: dict  # analysis.calibration.reliability_table: BINS entries per key
    ece: float  # expected calibration error, as a share (0.004 = 0.4 points)
    mce: float  # maximum calibration error
    coverage: CoverageCurve  # ends at coverage 1 with `accuracy`
    sure: OperatingPoint  # answer when confidence >= SURE
    app: OperatingPoint | None  # answer what the not-a-digit check lets through (None: no check)


def trust_figures_steps(audit: Audit, decline: Decline | None, sure: float = SURE,
                        control: StopToken | None = None) -> Steps[TrustFigures]:
    """Yield (fraction, text) while the not-a-digit check reads the test images; return the
    TrustFigures of `audit`. decline: images (n, 28, 28) float32 in [0, 1] -> bool (n,)."""
    n = len(audit)
    confidences = audit.probabilities.max(axis=1).astype(np.float64)  # (N,) top-1, calibrated
    correct = audit.predictions == audit.labels  # (N,) bool
    app = None
    if decline is not None:
        declined = np.zeros(n, dtype=bool)
        for lo in range(0, n, DECLINE_CHUNK):
            raise_if_stopped(control)
            yield lo / n, f"Checking which test images look like digits: {lo:,} of {n:,}"
            chunk = audit.images[lo:lo + DECLINE_CHUNK].astype(np.float32) / np.float32(255)
            declined[lo:lo + DECLINE_CHUNK] = decline(chunk)
        app = _point("app", correct, ~declined)
    yield 1.0, "Calibration and coverage"
    coverage, accuracy = operating_point(confidences, correct, sure)
    return TrustFigures(
        count=n, accuracy=float(correct.mean()),
        reliability=reliability_table(confidences, correct, BINS),
        ece=expected_calibration_error(confidences, correct, BINS),
        mce=maximum_calibration_error(confidences, correct, BINS),
        coverage=coverage_curve(confidences, correct),
        sure=OperatingPoint("sure", coverage, accuracy, int((confidences >= sure).sum())),
        app=app)


def _point(name: str, correct: np.ndarray, answered: np.ndarray) -> OperatingPoint:
    count = int(answered.sum())
    accuracy = float(correct[answered].mean()) if count else math.nan
    return OperatingPoint(name, count / len(correct), accuracy, count)


def robustness_subset(images: np.ndarray, labels: np.ndarray,
                      count: int = ROBUSTNESS_IMAGES) -> Dataset:
    """Return the stratified, seeded subset the CLI's `evaluate --robustness` measures
    (the whole set when `count` is at least its size)."""
    dataset = Dataset(images, np.asarray(labels, np.uint8))
    return subset(dataset, count, seed=ROBUSTNESS_SEED) if count < len(dataset) else dataset


def trust_robustness_steps(model: Sequential, images: np.ndarray, labels: np.ndarray,
                           count: int = ROBUSTNESS_IMAGES, decline: Decline | None = None,
                           control: StopToken | None = None) -> Steps[Robustness]:
    """Robustness curves of `model` on robustness_subset(images (N, 28, 28) uint8, labels,
    count), as `evaluate --robustness` measures them; yields (fraction, text)."""
    chosen = robustness_subset(images, labels, count)
    return (yield from model_robustness_steps(model, chosen.images, chosen.labels, FAMILIES,
                                              ROBUSTNESS_SEED, decline, control))
