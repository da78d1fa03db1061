"""Training curves for plotting: smoothing a noisy batch loss, and the epoch axis."""

from __future__ import annotations

import numpy as np


def smoothing_weight(batches_per_epoch: int) -> float:
    """Return the EMA weight that averages over about a tenth of an epoch (2 to 100 batches):
    ~43 batches of a full MNIST epoch, 3 of a 30-batch quick run."""
    return min(0.5, max(0.01, 10.0 / max(batches_per_epoch, 1)))


def ema(values: np.ndarray, weight: float, start: float | None = None,
        count: int = 0) -> np.ndarray:
    """Return the bias-corrected exponential moving average (B,) float32 of values (B,).

    m[t] = (1 - w) m[t-1] + w v[t] from m[0] = 0, shown as m[t] / (1 - (1 - w)^t) so that the
    first points are a weighted mean of those seen (no lag towards a starting value), as in
    Adam's moment estimates. To smooth a stream chunk by chunk, pass the last smoothed value
    as `start` and the number of points before this chunk as `count`. Non-finite values are
    skipped (the average carries over them).
    """
    values = np.asarray(values, dtype=np.float64)
    out = np.empty(len(values), dtype=np.float32)
    keep = 1.0 - weight
    seen = count if start is not None else 0
    moment = start * (1.0 - keep**seen) if start is not None else 0.0
    for i, v in enumerate(values.tolist()):  # a Python loop: ~17,000 points take ~5 ms
        if v == v and abs(v) != float("inf"):
            seen += 1
            moment = keep * moment + weight * v
        out[i] = moment / (1.0 - keep**seen) if seen else np.nan
    return out


def epoch_axis(count: int, batches_per_epoch: int, first: int = 0) -> np.ndarray:
    """Return (count,) float64 positions in epochs of batches first .. first+count-1.

    Batch b of epoch e sits at e + (b + 1) / batches_per_epoch: the end of that batch, so
    a whole epoch ends at an integer, where its EpochDone point is drawn.
    """
    steps = np.arange(first + 1, first + count + 1, dtype=np.float64)
    return steps / max(batches_per_epoch, 1)


def grown_span(span: float, needed: float) -> float:
    """Return `span` doubled as often as needed to reach `needed` (span > 0).

    A live plot's x range grows by doubling, so its axis is redrawn a handful of times in
    a whole run instead of at every update, and the curve always fills half of it or more.
    """
    while span < needed:
        span *= 2
    return span


def bounds_125(low: float, high: float) -> tuple[float, float]:
    """Return (a, b): the nearest values of the 1-2-5 series with a <= low and b >= high.

    For a log-scale axis that changes only when the data leaves a 1-2-5 step (0 < low);
    equal ends are pulled one step apart.
    """
    steps = (1.0, 2.0, 5.0, 10.0)

    def down(v: float) -> float:
        power = 10.0 ** np.floor(np.log10(v))
        return max(s for s in steps if s * power <= v * (1 + 1e-9)) * power

    def up(v: float) -> float:
        power = 10.0 ** np.floor(np.log10(v))
        return min(s for s in steps if s * power >= v * (1 - 1e-9)) * power

    a, b = float(down(low)), float(up(high))
    return (a, float(up(b * 1.0001))) if a == b else (a, b)  # never an empty range
