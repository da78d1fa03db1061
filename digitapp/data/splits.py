"""Seeded, stratified splits of a Dataset: a validation hold-out and quick subsets.

Stratified means every class keeps its share: a 10% split of a set with 6742 ones holds
674 or 675 ones. Both functions are deterministic for a seed and keep the original order of
the examples they return (the trainer shuffles anyway, and a stable order makes runs easy
to compare).
"""

from __future__ import annotations

import numbers

import numpy as np

from digitapp.data.dataset import Dataset, class_counts


def split_train_val(ds: Dataset, val_size: int | float, seed: int) -> tuple[Dataset, Dataset]:
    """Return (train, val): a stratified validation hold-out and the rest of `ds`.

    val_size: a count (int, 1..N-1) or a fraction (float in (0, 1), rounded to a count).
    The two parts are disjoint and together hold every example of `ds` exactly once.
    """
    n = len(ds)
    if isinstance(val_size, bool) or not isinstance(val_size, numbers.Real):
        raise TypeError(f"val_size must be an int count or a float fraction, got {val_size!r}")
    if isinstance(val_size, numbers.Integral):
        k = int(val_size)
        if not 1 <= k <= n - 1:
            raise ValueError(f"val_size must be between 1 and {n - 1} for {n} examples, got {k}")
    else:
        if not 0.0 < val_size < 1.0:
            raise ValueError(f"val_size as a fraction must be in (0, 1), got {val_size}")
        k = round(float(val_size) * n)
        if not 1 <= k <= n - 1:
            raise ValueError(
                f"val_size {val_size} of {n} examples gives {k} validation examples; "
                "each part needs at least one"
            )
    in_val = _stratified_mask(ds.labels, k, _check_seed(seed))
    train = Dataset(ds.images[~in_val], ds.labels[~in_val])
    val = Dataset(ds.images[in_val], ds.labels[in_val])
    return train, val


def subset(ds: Dataset, n: int, seed: int) -> Dataset:
    """Return a seeded, stratified subset of `n` examples of `ds` (1 <= n <= len(ds))."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be an int, got {n!r}")
    if not 1 <= n <= len(ds):
        raise ValueError(f"n must be between 1 and {len(ds)}, got {n}")
    keep = _stratified_mask(ds.labels, int(n), _check_seed(seed))
    return Dataset(ds.images[keep], ds.labels[keep])


def _check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    return int(seed)


def allocate(counts: np.ndarray, k: int) -> np.ndarray:
    """Return (C,) int64 counts summing to k, proportional to `counts` (C,).

    Largest-remainder rounding, in integers so that no float rounding can move an example:
    each class gets floor(k * n_c / N), and the leftover goes one by one to the classes with
    the largest remainders (ties to the lower class index).
    """
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    take, remainder = np.divmod(counts * k, total)
    short = k - int(take.sum())
    order = np.argsort(-remainder, kind="stable")
    take[order[:short]] += 1
    return take


def _stratified_mask(labels: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Return (N,) bool with exactly k True, per class in proportion, chosen at random."""
    n = len(labels)
    counts = class_counts(labels)
    take = allocate(counts, k)
    rng = np.random.default_rng(seed)
    # Shuffle, then stable-sort by label: examples end up grouped by class, in random
    # order inside each group. Taking the first take[c] of group c is then a uniform draw.
    order = rng.permutation(n)
    order = order[np.argsort(labels[order], kind="stable")]
    group_start = np.concatenate(([0], np.cumsum(counts)[:-1]))
    sorted_labels = labels[order]
    rank_in_class = np.arange(n) - group_start[sorted_labels]
    mask = np.zeros(n, dtype=bool)
    mask[order[rank_in_class < take[sorted_labels]]] = True
    return mask
