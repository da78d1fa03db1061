"""How faithful a 2-D map is to its data: trustworthiness and neighbours of the same class.

The yardstick of the t-SNE tests and of benchmarks/bench_insights.py; the product does not
score its maps.
"""

from __future__ import annotations

import numpy as np

from digitapp.analysis.distances import squared_distances


def neighbour_ranks(x: np.ndarray) -> np.ndarray:
    """Return R (n, n) int: R[i, j] = rank of j among i's neighbours (i itself 0, nearest 1)."""
    d = squared_distances(x)
    np.fill_diagonal(d, -1.0)  # the point itself first, even among duplicates
    order = np.argsort(d, axis=1, kind="stable")  # (n, n)
    ranks = np.empty_like(order)
    rows = np.arange(len(d))[:, None]
    ranks[rows, order] = np.arange(len(d))[None, :]
    return ranks


def nearest(x: np.ndarray, k: int) -> np.ndarray:
    """Return (n, k) indices of each point's k nearest other points, nearest first."""
    d = squared_distances(x)
    np.fill_diagonal(d, np.inf)
    part = np.argpartition(d, k - 1, axis=1)[:, :k]  # the k nearest, unordered
    rows = np.arange(len(d))[:, None]
    return part[rows, np.argsort(d[rows, part], axis=1)]


def trustworthiness(x: np.ndarray, embedding: np.ndarray, k: int = 10) -> float:
    """Return the trustworthiness T(k) in [0, 1] of `embedding` (n, m) of points x (n, d).

    Notes
    -----
    Venna and Kaski (2001): a map is untrustworthy where points that were far apart in
    the data become neighbours in the map. With U_i the map's k nearest neighbours of i
    that are not among its k nearest in the data, and r(i, j) the rank of j among i's
    neighbours in the data,

        T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in U_i} (r(i, j) - k)

    1 means every map neighbourhood was a data neighbourhood; a random map scores about 0.5.
    """
    x, embedding = np.asarray(x), np.asarray(embedding)
    n = len(x)
    if len(embedding) != n:
        raise ValueError("x and embedding hold different numbers of points")
    if not 1 <= k < n / 2:
        raise ValueError(f"k must be in 1..{int(np.ceil(n / 2)) - 1} for {n} points")
    ranks = neighbour_ranks(x)  # (n, n)
    in_map = nearest(embedding, k)  # (n, k)
    r = ranks[np.arange(n)[:, None], in_map]  # data ranks of the map's neighbours
    penalty = np.maximum(r - k, 0).sum()  # data neighbours (rank <= k) cost nothing
    return float(1.0 - 2.0 / (n * k * (2 * n - 3 * k - 1)) * penalty)


def same_class_neighbours(embedding: np.ndarray, labels: np.ndarray, k: int = 10) -> float:
    """Return the fraction of each point's k nearest map neighbours that share its label."""
    labels = np.asarray(labels)
    neighbours = nearest(embedding, k)
    return float(np.mean(labels[neighbours] == labels[:, None]))
