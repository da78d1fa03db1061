"""How well one score separates two sets: AUROC, and a threshold at a chosen error rate.

Used to measure an out-of-distribution detector: a score meant to be higher for inputs
to decline (positives, e.g. non-digits) than for inputs to keep (negatives, e.g. digits).
NumPy in, NumPy out; float64 inside.
"""

from __future__ import annotations

import numpy as np


def _scores(values, name: str) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64).ravel()
    if values.size == 0:
        raise ValueError(f"{name}: no scores")
    if not np.isfinite(values).all():
        raise ValueError(f"{name}: scores must be finite")
    return values


def auroc(positive_scores, negative_scores) -> float:
    """Return the area under the ROC curve: P(positive > negative) + P(tie) / 2.

    The probability that a random positive scores above a random negative, a tie counting
    one half (the Mann-Whitney U statistic over n_pos * n_neg, from mid-ranks). 1: every
    positive above every negative; 0.5: no separation (or every score equal); 0: inverted.
    """
    pos = _scores(positive_scores, "positive_scores")
    neg = _scores(negative_scores, "negative_scores")
    values = np.concatenate([pos, neg])
    unique, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    # Mid-rank (1-based) of each distinct value: the ranks it occupies, averaged.
    first = np.cumsum(counts) - counts + 1
    mid_ranks = first + (counts - 1) / 2.0
    rank_sum = mid_ranks[inverse[: pos.size]].sum()
    u = rank_sum - pos.size * (pos.size + 1) / 2.0
    return float(u / (pos.size * neg.size))


def decline_threshold(keep_scores, max_share: float) -> float:
    """Return the lowest threshold t such that declining every score > t declines at most
    `max_share` of `keep_scores` (the inputs that should be kept).

    Ties are kept together: t is one of the scores, and no score equal to t is declined.
    """
    keep = np.sort(_scores(keep_scores, "keep_scores"))
    if not 0.0 <= max_share < 1.0:
        raise ValueError("max_share must be in [0, 1)")
    allowed = int(np.floor(max_share * keep.size + 1e-9))  # how many may be declined
    return float(keep[keep.size - 1 - allowed])
