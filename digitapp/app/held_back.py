"""Which of the user's drawings teach a personal model and which are set aside to measure it.

Per digit: a digit with at least MIN_TO_HOLD drawings gives a quarter of them (rounded,
at least one) to measuring; a digit with fewer gives none (all of them teach: with one to
three drawings, taking one away would leave too little to learn from). Which drawings are
set aside is drawn from `seed`, so a teach is repeatable.
"""

from __future__ import annotations

import numpy as np

MIN_TO_HOLD = 4  # a digit needs this many drawings before any is set aside
HELD_SHARE = 0.25


def held_back_count(drawings: int) -> int:
    """Return how many of a digit's `drawings` are set aside to measure (0 below 4)."""
    if drawings < MIN_TO_HOLD:
        return 0
    return max(1, int(round(drawings * HELD_SHARE)))


def split_held_back(labels: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (teach, held) index arrays (sorted int64) into `labels` (N,) ints 0..9."""
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    held = []
    for digit in range(10):
        where = np.flatnonzero(labels == digit)
        count = held_back_count(len(where))
        if count:
            held.append(rng.choice(where, count, replace=False))
    held_idx = np.sort(np.concatenate(held)).astype(np.int64) if held else np.zeros(0, np.int64)
    teach_idx = np.setdiff1d(np.arange(len(labels), dtype=np.int64), held_idx)
    return teach_idx, held_idx
