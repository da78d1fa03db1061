"""Selective prediction: how often a model is right when it answers only when sure enough.

A model that answers only when its confidence is at least a threshold t answers a share of
the inputs (the coverage) and is right on a share of those it answers (the accuracy).
Lowering t from the highest confidence to the lowest traces the coverage-accuracy curve,
from "answers only its surest input" to "answers everything" (coverage 1, where the accuracy
is the plain accuracy). A good confidence puts the mistakes last: accuracy then falls
slowly as coverage grows.

Confidences may be any finite scores, higher meaning surer (probabilities, or a negated
energy). Ties are kept together: a threshold answers every input with that score or more.
NumPy in, NumPy out; float64 inside.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MAX_POINTS = 200  # enough for a smooth plot; one point per distinct score could be 10,000


@dataclass(frozen=True, eq=False)
class CoverageCurve:
    """Points of the coverage-accuracy curve, by growing coverage (falling threshold)."""

    thresholds: np.ndarray  # (P,) float64, falling: answer when confidence >= threshold
    coverage: np.ndarray  # (P,) float64, rising, in (0, 1]; the last is 1
    accuracy: np.ndarray  # (P,) float64, accuracy of the answered inputs
    answered: np.ndarray  # (P,) int64, how many inputs are answered at each threshold

    def __len__(self) -> int:
        return len(self.thresholds)


def _checked(confidences, correct) -> tuple[np.ndarray, np.ndarray]:
    confidences = np.asarray(confidences, dtype=np.float64)
    correct = np.asarray(correct)
    if confidences.ndim != 1 or correct.ndim != 1:
        raise ValueError(f"expected confidences (N,) and correct (N,), got "
                         f"{confidences.shape} and {correct.shape}")
    if confidences.size != correct.size:
        raise ValueError(f"{confidences.size} confidences but {correct.size} correct flags")
    if confidences.size == 0:
        raise ValueError("no examples")
    if not np.isfinite(confidences).all():
        raise ValueError("confidences must be finite numbers")
    if correct.dtype != bool and not np.isin(correct, (0, 1)).all():
        raise ValueError("correct must be booleans (or 0/1)")
    return confidences, correct.astype(bool)


def coverage_curve(confidences, correct, max_points: int = MAX_POINTS) -> CoverageCurve:
    """Return the coverage-accuracy curve of confidences (N,) and correct flags (N,).

    One point per distinct confidence t (answer when confidence >= t), thinned to at most
    `max_points` points spread evenly along the coverage axis. Thinning drops points, it
    never moves one: every point kept is the exact (coverage, accuracy) of its threshold,
    and the first (highest threshold) and last (coverage 1) points are always kept.
    """
    confidences, correct = _checked(confidences, correct)
    if isinstance(max_points, bool) or not isinstance(max_points, int) or max_points < 2:
        raise ValueError(f"max_points must be an int >= 2, got {max_points!r}")
    n = confidences.size
    # 1. Sort by falling confidence; answering the first k is a threshold of the k-th.
    order = np.argsort(-confidences, kind="stable")
    scores = confidences[order]
    hits = np.cumsum(correct[order], dtype=np.int64)  # (N,) correct among the first k + 1
    # 2. A threshold answers whole groups of ties: keep the last index of each group.
    last = np.flatnonzero(np.append(scores[1:] != scores[:-1], True))  # (D,) rising
    answered = last + 1
    # 3. Thin: the distinct point nearest (from above) to each of max_points coverages.
    if len(last) > max_points:
        targets = np.linspace(answered[0], n, max_points)
        pick = np.unique(np.searchsorted(answered, targets - 1e-9))
        last, answered = last[pick], answered[pick]
    return CoverageCurve(thresholds=scores[last], coverage=answered / n,
                         accuracy=hits[last] / answered, answered=answered.astype(np.int64))


def operating_point(confidences, correct, threshold: float) -> tuple[float, float]:
    """Return (coverage, accuracy) when answering only inputs with confidence >= threshold.

    The accuracy is NaN when nothing is answered (coverage 0): there is nothing to score.
    """
    confidences, correct = _checked(confidences, correct)
    threshold = float(threshold)
    if not math.isfinite(threshold):
        raise ValueError(f"the threshold must be a finite number, got {threshold}")
    answered = confidences >= threshold
    count = int(answered.sum())
    coverage = count / confidences.size
    accuracy = float(correct[answered].mean()) if count else math.nan
    return coverage, accuracy
