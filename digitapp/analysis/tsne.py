"""Exact t-SNE (van der Maaten and Hinton, 2008) in NumPy, for a few thousand points.

    result = tsne(x)                     # x (n, d) -> result.embedding (n, 2)
    tsne(x, control=c, report=f)         # c.stopped checked every iteration; f(fraction, text)

1. Input affinities: each point's Gaussian width is found by binary search so that its
   conditional distribution over the other points has the chosen perplexity; the
   conditionals are symmetrised into joint probabilities P (n, n), summing to 1.
2. The map starts from the first two principal axes, shrunk to a standard deviation of
   1e-4 (deterministic, and it keeps the global layout better than a random start).
3. Gradient descent on KL(P || Q) with Student-t affinities Q, momentum and per-coordinate
   gains; P is multiplied by `exaggeration` for the first iterations so that clusters form
   before they settle.

Every pairwise quantity is computed in blocks of rows, so that the (rows, n) temporaries of
one block stay in the CPU cache and the memory holds P and little else: at 2,000 points an
iteration costs a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .control import Cancelled, Report, Steps, StopToken, drain, raise_if_stopped
from .distances import squared_distances
from .pca import pca

MAX_POINTS = 5000  # P alone is n^2 float32: 100 MB at 5,000 points, and time grows as n^2
BLOCK_ELEMENTS = 1 << 16  # elements of one (rows, n) block: 256 kB of float32 (L2-sized)

__all__ = ["Cancelled", "Tsne", "TsneSettings", "conditional_probabilities",
           "joint_probabilities", "kl_divergence", "kl_gradient", "tsne"]


@dataclass(frozen=True)
class TsneSettings:
    perplexity: float = 30.0
    iterations: int = 750  # in all, exaggerated ones included
    exaggeration: float = 12.0
    exaggeration_iterations: int = 250
    learning_rate: float | None = None  # None: n / exaggeration, at least 50 (Belkina 2019)
    initial_momentum: float = 0.5  # during the exaggeration
    final_momentum: float = 0.8
    min_gain: float = 0.01
    pca_dims: int = 50  # inputs of more dimensions are first reduced to this many by PCA
    seed: int = 0  # only used to break ties in the initial layout


@dataclass(frozen=True, eq=False)
class Tsne:
    embedding: np.ndarray  # (n, 2) float64
    kl_divergence: float  # KL(P || Q) of the final map (exaggeration off)
    iterations: int


def tsne(x: np.ndarray, settings: TsneSettings | None = None,
         control: StopToken | None = None, report: Report | None = None) -> Tsne:
    """Return the 2-D t-SNE map of points x (n, d).

    Raises Cancelled as soon as `control.stopped` is seen (checked between iterations and
    between blocks of the affinity search), ValueError for unusable input.
    """
    return drain(tsne_steps(x, settings, control), report)


def tsne_steps(x: np.ndarray, settings: TsneSettings | None = None,
               control: StopToken | None = None) -> Steps[Tsne]:
    """`tsne` as steps: yield (fraction, text) as it goes, return the Tsne."""
    settings = settings or TsneSettings()
    x = np.asarray(x, dtype=np.float64)
    n = _check_input(x, settings.perplexity)

    def check() -> None:
        raise_if_stopped(control)

    # 1. Affinities (about a tenth of the time), on at most pca_dims principal components.
    yield 0.0, "t-SNE: neighbour affinities"
    if x.shape[1] > settings.pca_dims and n > settings.pca_dims:
        x = pca(x, settings.pca_dims).embedding
    p = joint_probabilities(squared_distances(x), settings.perplexity, check)

    # 2. Start from PCA, scaled to a tiny spread (all points near the origin).
    rng = np.random.default_rng(settings.seed)
    start = pca(x, 2).embedding if x.shape[1] >= 2 else np.c_[x[:, 0], np.zeros(n)]
    start = start + 1e-9 * rng.standard_normal(start.shape)  # separate identical points
    y = start / max(start[:, 0].std(), 1e-12) * 1e-4

    # 3. Gradient descent with momentum and gains.
    rate = settings.learning_rate or max(n / settings.exaggeration, 50.0)
    update = np.zeros_like(y)
    gains = np.ones_like(y)
    every = max(1, settings.iterations // 100)
    for it in range(settings.iterations):
        check()
        early = it < settings.exaggeration_iterations
        grad = kl_gradient(y, p, settings.exaggeration if early else 1.0)
        momentum = settings.initial_momentum if early else settings.final_momentum
        # Delta-bar-delta: grow a coordinate's step while its direction keeps changing...
        flipped = (grad > 0) != (update > 0)
        gains = np.where(flipped, gains + 0.2, gains * 0.8)
        np.maximum(gains, settings.min_gain, out=gains)
        update = momentum * update - rate * gains * grad
        y = y + update
        y -= y.mean(axis=0)
        if it % every == 0:
            yield (0.1 + 0.9 * (it + 1) / settings.iterations,
                   f"t-SNE: iteration {it + 1} of {settings.iterations}")
    yield 1.0, "t-SNE: done"
    return Tsne(y, kl_divergence(y, p), settings.iterations)


def _check_input(x: np.ndarray, perplexity: float) -> int:
    if x.ndim != 2 or x.shape[1] < 1:
        raise ValueError(f"t-SNE expects points (n, d), got shape {x.shape}")
    n = x.shape[0]
    if n > MAX_POINTS:
        raise ValueError(f"exact t-SNE is limited to {MAX_POINTS:,} points, got {n:,}")
    if not 1 <= perplexity < (n - 1) / 3:
        raise ValueError(f"a perplexity of {perplexity:g} needs more than "
                         f"{int(3 * perplexity + 1)} points, got {n}")
    if not np.isfinite(x).all():
        raise ValueError("t-SNE input holds NaN or infinite values")
    return n


def _rows_per_block(n: int) -> int:
    return max(1, min(n, BLOCK_ELEMENTS // max(n, 1)))


# -- 1. affinities --------------------------------------------------------------------------
def conditional_probabilities(sq_dist: np.ndarray, perplexity: float,
                              check: Callable[[], None] | None = None,
                              tolerance: float = 1e-5, steps: int = 100) -> np.ndarray:
    """Return P (n, n) float32, row i = p_{j|i} = exp(-beta_i d_ij) / sum_k exp(-beta_i d_ik).

    beta_i (one per point) is found by a bisection on log-scale, run for a block of rows at
    once, until the entropy H_i = log(sum) + beta_i <d>_p is log(perplexity).
    """
    n = sq_dist.shape[0]
    target = np.log(perplexity)
    out = np.empty((n, n), dtype=np.float32)
    rows = _rows_per_block(n)
    for first in range(0, n, rows):
        if check is not None:
            check()
        last = min(first + rows, n)
        d = np.array(sq_dist[first:last], dtype=np.float64)  # (b, n)
        diagonal = (np.arange(last - first), np.arange(first, last))
        d[diagonal] = np.inf  # a point is not its own neighbour
        d -= d.min(axis=1, keepdims=True)  # nearest at 0: exp() never underflows to all-zero
        finite = np.where(np.isinf(d), 0, d)  # the same with 0 on the diagonal
        beta = 1.0 / np.maximum(finite.mean(axis=1), 1e-12)
        low = np.zeros_like(beta)
        high = np.full_like(beta, np.inf)
        for _ in range(steps):
            e = np.exp(-d * beta[:, None])  # (b, n), 0 on the diagonal
            total = e.sum(axis=1)
            mean_d = np.einsum("ij,ij->i", e, finite) / total
            entropy = np.log(total) + beta * mean_d
            error = entropy - target
            if np.all(np.abs(error) < tolerance):
                break
            too_flat = error > 0  # entropy too high: the Gaussian is too wide, raise beta
            low = np.where(too_flat, beta, low)
            high = np.where(too_flat, high, beta)
            beta = np.where(np.isinf(high), beta * 2, (low + high) / 2)
        out[first:last] = e / total[:, None]
    return out


def joint_probabilities(sq_dist: np.ndarray, perplexity: float,
                        check: Callable[[], None] | None = None) -> np.ndarray:
    """Return symmetric P (n, n) float32, p_ij = (p_{j|i} + p_{i|j}) / 2n, summing to 1."""
    p = conditional_probabilities(sq_dist, perplexity, check)
    p += p.T
    p /= np.float32(p.sum(dtype=np.float64))
    np.maximum(p, np.float32(1e-12), out=p)  # as the reference code: no log(0) in KL
    np.fill_diagonal(p, 0)
    return p


# -- 3. gradient ----------------------------------------------------------------------------
def kl_gradient(y: np.ndarray, p: np.ndarray, exaggeration: float = 1.0) -> np.ndarray:
    """Return dKL(P || Q)/dy (n, 2) for the map y (n, 2).

    Notes
    -----
    With w_ij = 1 / (1 + |y_i - y_j|^2), Z = sum_{k != l} w_kl and q_ij = w_ij / Z:

        dC/dy_i = 4 sum_j (a p_ij - q_ij) w_ij (y_i - y_j)
                = 4 [a A_i - R_i / Z],   A_i = sum_j p_ij w_ij (y_i - y_j),
                                         R_i = sum_j w_ij^2 (y_i - y_j)

    A and R need no Z, so one pass over blocks of rows computes them and Z together. For
    any (b, n) weights M, sum_j M_ij (y_i - y_j) = (M 1)_i y_i - (M y)_i: both come from
    one product with [y, 1] (n, 3).
    """
    n = y.shape[0]
    y32 = y.astype(np.float32)
    ones = np.c_[y32, np.ones(n, np.float32)]  # (n, 3)
    left, right = _distance_factors(y32)
    attract = np.empty((n, 3))
    repulse = np.empty((n, 3))
    z = 0.0
    rows = _rows_per_block(n)
    for first in range(0, n, rows):
        last = min(first + rows, n)
        w = _student_weights(left, right, first, last)  # (b, n)
        z += float(w.sum())  # float32 pairwise sum of a block: ample for Z
        attract[first:last] = (p[first:last] * w) @ ones
        np.multiply(w, w, out=w)
        repulse[first:last] = w @ ones
    # Columns: 0..1 = (M y)_i, 2 = (M 1)_i.
    a = attract[:, 2:] * y - attract[:, :2]
    r = repulse[:, 2:] * y - repulse[:, :2]
    return 4.0 * (exaggeration * a - r / z)


def _distance_factors(y32: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return L (n, 4), R (4, n) float32 with (L R)_ij = 1 + |y_i - y_j|^2.

    L_i = [-2 y_i, |y_i|^2 + 1, 1] and R_j = [y_j, 1, |y_j|^2]: one small matrix product
    gives a block of 1 + squared distances, with no further pass over it.
    """
    norms = np.einsum("ij,ij->i", y32, y32)[:, None]  # (n, 1)
    ones = np.ones_like(norms)
    return np.hstack([-2 * y32, norms + 1, ones]), np.hstack([y32, ones, norms]).T.copy()


def _student_weights(left: np.ndarray, right: np.ndarray, first: int, last: int) -> np.ndarray:
    """Return w (last - first, n) float32: 1 / (1 + |y_i - y_j|^2), 0 where i == j."""
    w = left[first:last] @ right  # 1 + d_ij; rounding keeps it >= 1 - 1e-3 for |y| < 100
    np.reciprocal(w, out=w)
    w[np.arange(last - first), np.arange(first, last)] = 0
    return w


def kl_divergence(y: np.ndarray, p: np.ndarray) -> float:
    """Return KL(P || Q) = sum p_ij log(p_ij / q_ij) for the map y (n, 2)."""
    n = y.shape[0]
    left, right = _distance_factors(y.astype(np.float32))
    rows = _rows_per_block(n)
    z = 0.0
    cross = 0.0  # sum p log w
    entropy = 0.0  # sum p log p
    for first in range(0, n, rows):
        last = min(first + rows, n)
        w = _student_weights(left, right, first, last)
        z += float(w.sum(dtype=np.float64))
        block = p[first:last]
        positive = block > 0
        cross += float(np.sum(block[positive] * np.log(w[positive]), dtype=np.float64))
        entropy += float(np.sum(block[positive] * np.log(block[positive]), dtype=np.float64))
    # sum p log(p / (w / Z)) = sum p log p - sum p log w + log Z (sum p = 1)
    return entropy - cross + np.log(z)
