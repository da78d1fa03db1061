"""Calibration of a classifier's confidence: reliability table, ECE, MCE, temperature scaling.

A model is calibrated when, of the answers it gives with confidence about p, a share of
about p is right. Measured here the usual way (Guo et al., 2017): the top-1 confidences are
put in equal-width bins over [0, 1]; per bin, the mean confidence is compared with the
accuracy. The expected calibration error (ECE) is the mean gap weighted by the bins' shares
of the examples, the maximum calibration error (MCE) the largest gap of a non-empty bin.

Temperature scaling divides every logit by one number T > 0 fitted to minimise the negative
log-likelihood on held-out data: T > 1 softens an over-confident model, T < 1 sharpens an
under-confident one; the predicted class never changes, so neither does the accuracy.

NumPy in, NumPy out; float64 inside. Logits may be any per-row shift of the true logits
(log-probabilities will do): softmax, and so everything here, ignores such a shift.
"""

from __future__ import annotations

import math

import numpy as np

BINS = 15  # the usual choice for ECE on 10-class image benchmarks
LOG_T_RANGE = (math.log(0.05), math.log(20.0))  # where fit_temperature searches
GRID_POINTS = 41  # coarse grid over LOG_T_RANGE before the golden-section refinement
GOLDEN_TOLERANCE = 1e-6  # width in log T at which the refinement stops


def _checked(confidences, correct) -> tuple[np.ndarray, np.ndarray]:
    confidences = np.asarray(confidences, dtype=np.float64).ravel()
    correct = np.asarray(correct).ravel()
    if confidences.shape != correct.shape:
        raise ValueError(f"{confidences.size} confidences but {correct.size} correct flags")
    if confidences.size == 0:
        raise ValueError("no examples")
    if not (np.isfinite(confidences).all() and (confidences >= 0).all()
            and (confidences <= 1).all()):
        raise ValueError("confidences must be numbers in [0, 1]")
    return confidences, correct.astype(bool)


def bin_index(confidences: np.ndarray, bins: int = BINS) -> np.ndarray:
    """Return (N,) the bin of each confidence: bin b holds (b/bins, (b+1)/bins], 0 in bin 0."""
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
        raise ValueError(f"bins must be a positive int, got {bins!r}")
    index = np.ceil(np.asarray(confidences, dtype=np.float64) * bins).astype(np.int64) - 1
    return np.clip(index, 0, bins - 1)


def reliability_table(confidences, correct, bins: int = BINS) -> dict[str, np.ndarray]:
    """Return the reliability table of top-1 confidences (N,) and correct flags (N,).

    Keys, one entry per bin: "lower", "upper" (the bin's edges), "count" (int64),
    "mean_confidence" and "accuracy" (float64; NaN for an empty bin).
    """
    confidences, correct = _checked(confidences, correct)
    index = bin_index(confidences, bins)
    count = np.bincount(index, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_confidence = np.bincount(index, weights=confidences, minlength=bins) / count
        accuracy = np.bincount(index, weights=correct.astype(np.float64), minlength=bins) / count
    edges = np.linspace(0.0, 1.0, bins + 1)
    return {"lower": edges[:-1], "upper": edges[1:], "count": count,
            "mean_confidence": mean_confidence, "accuracy": accuracy}


def _gaps(table: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    filled = table["count"] > 0
    gaps = np.abs(table["accuracy"][filled] - table["mean_confidence"][filled])
    return gaps, table["count"][filled]


def expected_calibration_error(confidences, correct, bins: int = BINS) -> float:
    """Return the ECE: sum over bins of (bin's share of examples) * |accuracy - confidence|."""
    gaps, counts = _gaps(reliability_table(confidences, correct, bins))
    return float((gaps * counts).sum() / counts.sum())


def maximum_calibration_error(confidences, correct, bins: int = BINS) -> float:
    """Return the MCE: the largest |accuracy - mean confidence| of a non-empty bin."""
    gaps, _ = _gaps(reliability_table(confidences, correct, bins))
    return float(gaps.max())


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def _checked_logits(logits, labels) -> tuple[np.ndarray, np.ndarray]:
    logits = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels)
    if logits.ndim != 2 or labels.shape != (logits.shape[0],) or logits.shape[0] == 0:
        raise ValueError(f"expected logits (N, K) and labels (N,), N > 0; got "
                         f"{logits.shape} and {labels.shape}")
    if not np.isfinite(logits).all():
        raise ValueError("logits must be finite numbers")
    labels = labels.astype(np.int64)
    if labels.min() < 0 or labels.max() >= logits.shape[1]:
        raise ValueError(f"labels must be classes 0..{logits.shape[1] - 1}")
    return logits, labels


def _check_temperature(temperature: float) -> float:
    temperature = float(temperature)
    if not (math.isfinite(temperature) and temperature > 0):
        raise ValueError(f"the temperature must be a positive number, got {temperature}")
    return temperature


def negative_log_likelihood(logits, labels, temperature: float = 1.0) -> float:
    """Return the mean -log p(label) of softmax(logits / temperature), logits (N, K)."""
    logits, labels = _checked_logits(logits, labels)
    log_p = _log_softmax(logits / _check_temperature(temperature))
    return float(-log_p[np.arange(len(labels)), labels].mean())


def fit_temperature(logits, labels) -> float:
    """Return the temperature T minimising the NLL of softmax(logits / T) on (logits, labels).

    The NLL is convex in 1/T, so it has one minimum along log T: a coarse grid over
    LOG_T_RANGE brackets it, a golden-section search refines it. A minimum at the edge of
    the range is returned as that edge (0.05 or 20).
    """
    logits, labels = _checked_logits(logits, labels)
    rows = np.arange(len(labels))

    def nll(log_t: float) -> float:
        log_p = _log_softmax(logits / math.exp(log_t))
        return float(-log_p[rows, labels].mean())

    grid = np.linspace(*LOG_T_RANGE, GRID_POINTS)
    values = [nll(g) for g in grid]
    best = int(np.argmin(values))
    low, high = grid[max(best - 1, 0)], grid[min(best + 1, GRID_POINTS - 1)]
    ratio = (math.sqrt(5) - 1) / 2
    a, b = high - ratio * (high - low), low + ratio * (high - low)
    fa, fb = nll(a), nll(b)
    while high - low > GOLDEN_TOLERANCE:
        if fa <= fb:
            high, b, fb = b, a, fa
            a = high - ratio * (high - low)
            fa = nll(a)
        else:
            low, a, fa = a, b, fb
            b = low + ratio * (high - low)
            fb = nll(b)
    return math.exp((low + high) / 2)


def calibration_report(logits, labels, temperature: float = 1.0, bins: int = BINS) -> dict:
    """Return accuracy, NLL, ECE, MCE and the reliability table of softmax(logits / T).

    The table's arrays are returned as lists (JSON-able; None for an empty bin's means).
    """
    logits, labels = _checked_logits(logits, labels)
    temperature = _check_temperature(temperature)
    log_p = _log_softmax(logits / temperature)
    predicted = log_p.argmax(axis=1)
    confidences = np.exp(log_p.max(axis=1))
    correct = predicted == labels
    table = reliability_table(confidences, correct, bins)
    gaps, counts = _gaps(table)
    return {
        "count": int(len(labels)),
        "temperature": temperature,
        "accuracy": float(correct.mean()),
        "nll": float(-log_p[np.arange(len(labels)), labels].mean()),
        "ece": float((gaps * counts).sum() / counts.sum()),
        "mce": float(gaps.max()),
        "mean_confidence": float(confidences.mean()),
        "reliability": {
            "lower": table["lower"].tolist(), "upper": table["upper"].tolist(),
            "count": table["count"].tolist(),
            "mean_confidence": [None if math.isnan(v) else v
                                for v in table["mean_confidence"].tolist()],
            "accuracy": [None if math.isnan(v) else v for v in table["accuracy"].tolist()],
        },
    }
