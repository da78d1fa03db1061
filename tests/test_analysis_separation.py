"""AUROC and the decline threshold: exact on small cases, ties counted one half."""

from __future__ import annotations

import numpy as np
import pytest

from digitapp.analysis.separation import auroc, decline_threshold


def brute_force(pos, neg) -> float:
    pos, neg = np.asarray(pos, float)[:, None], np.asarray(neg, float)[None, :]
    return float(((pos > neg) + 0.5 * (pos == neg)).mean())


def test_perfect_inverted_and_equal():
    assert auroc([3, 4, 5], [0, 1, 2]) == 1.0
    assert auroc([0, 1], [2, 3, 4]) == 0.0
    assert auroc([1, 1, 1], [1, 1]) == 0.5


def test_ties_count_one_half():
    # pairs: (1 vs 1) tie, (1 vs 0) win, (2 vs 1) win, (2 vs 0) win -> 3.5 / 4
    assert auroc([1, 2], [1, 0]) == pytest.approx(0.875)


@pytest.mark.parametrize("seed", range(5))
def test_matches_the_pairwise_definition_with_many_ties(seed):
    rng = np.random.default_rng(seed)
    pos = rng.integers(0, 6, size=int(rng.integers(1, 40)))
    neg = rng.integers(0, 6, size=int(rng.integers(1, 40)))
    assert auroc(pos, neg) == pytest.approx(brute_force(pos, neg), abs=1e-12)
    assert auroc(neg, pos) == pytest.approx(1 - brute_force(pos, neg), abs=1e-12)


def test_refuses_empty_and_non_finite():
    with pytest.raises(ValueError):
        auroc([], [1.0])
    with pytest.raises(ValueError):
        auroc([np.nan], [1.0])


def test_decline_threshold_declines_at_most_the_share():
    keep = np.arange(1000, dtype=float)
    t = decline_threshold(keep, 0.003)
    assert (keep > t).sum() == 3
    assert decline_threshold(keep, 0.0) == 999.0  # nothing declined


def test_decline_threshold_keeps_ties_together():
    keep = np.array([0.0] * 5 + [1.0] * 5)
    t = decline_threshold(keep, 0.3)  # 3 allowed, but the top 5 are tied
    assert t == 1.0 and (keep > t).sum() == 0
