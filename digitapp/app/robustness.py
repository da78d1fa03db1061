"""Robustness curves: a model's accuracy as each perturbation of its inputs grows.

    steps = model_robustness_steps(model, images, labels, decline=None, control=control)
    result = drain(steps, report)      # or iterate it: yields (fraction, text)
    result.curves["rotation"].accuracy  # one value per level of FAMILIES' rotation

`robustness_steps` does the work for any `predict` function; `model_robustness_steps` gives
it a model's, run in two threads (as the Mistakes tab's evaluation does).

Work is done in chunks of at most CHUNK images, one (family, level, chunk) per step, so
memory stays bounded (one perturbed chunk at a time) and a caller can stop between two
steps: by its StopToken (Cancelled is raised) or by no longer iterating.

Common random numbers: every level of a family draws from the same seeded stream (one per
family name), so each image keeps its rotation sign, shift direction and noise pattern as
the level grows. The curves are then smooth and monotone in the amount, not in the luck.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from ..analysis.control import Report, Steps, StopToken, drain, raise_if_stopped
from ..engine import Sequential
from ..engine.parallel import ParallelPredictor
from .audit import inference_workers
from .models import CLASSES, as_model_inputs, check_outputs
from .perturbations import FAMILIES, Family

CHUNK = 2000  # images perturbed and predicted per step (~6 MB of float32 each)

Predict = Callable[[np.ndarray], np.ndarray]  # images (n, 28, 28) float32 -> probs (n, 10)
Decline = Callable[[np.ndarray], np.ndarray]  # images (n, 28, 28) float32 -> bool (n,)


@dataclass(frozen=True)
class Curve:
    """One family's accuracy at each of its levels (tuples of len(levels) floats)."""

    family: str
    unit: str
    levels: tuple[float, ...]
    accuracy: tuple[float, ...]  # share of images predicted right
    # With a decline function only (None otherwise): the share declined as "not a digit",
    # and the accuracy counting a declined image as wrong.
    declined: tuple[float, ...] | None = None
    accuracy_with_declines: tuple[float, ...] | None = None

    def as_json(self) -> dict:
        out = {"unit": self.unit, "levels": list(self.levels), "accuracy": list(self.accuracy)}
        if self.declined is not None:
            out["declined"] = list(self.declined)
            out["accuracy_with_declines"] = list(self.accuracy_with_declines)
        return out


@dataclass(frozen=True)
class Robustness:
    """The robustness curves of one model on `count` labelled images."""

    count: int
    seed: int
    curves: dict[str, Curve]  # by family name, in the order measured
    seconds: float

    def as_json(self) -> dict:
        """Return {family: {"unit", "levels", "accuracy"[, "declined",
        "accuracy_with_declines"]}}."""
        return {name: curve.as_json() for name, curve in self.curves.items()}


@contextmanager
def model_predictor(model: Sequential, workers: int | None = None) -> Iterator[Predict]:
    """Give a Predict for `model` for the duration of a `with` block (ModelError on NaN).

    The images of each call are split over `workers` threads (default: inference_workers(),
    two on two cores), each with one BLAS thread, held until the block ends. Measured on a
    busy 2-core machine, 2000 images: CNN 2.4 s with the default BLAS threads, 1.0 s so;
    MLP 0.97 s (BLAS threads waiting for busy cores), 0.04 s so.
    """
    with ParallelPredictor(model, workers or inference_workers()) as predictor:
        def predict(images: np.ndarray) -> np.ndarray:
            with np.errstate(all="ignore"):  # overflow: check_outputs says it in one line
                probabilities = predictor.predict_proba(as_model_inputs(model, images))
            check_outputs(probabilities)
            return probabilities
        yield predict


def model_robustness_steps(model: Sequential, images: np.ndarray, labels: np.ndarray,
                           families: Sequence[Family] = FAMILIES, seed: int = 0,
                           decline: Decline | None = None,
                           control: StopToken | None = None) -> Steps[Robustness]:
    """`robustness_steps` with `model`'s predictions (see model_predictor); the threads
    end with the generator, also when it is abandoned midway."""
    with model_predictor(model) as predict:
        return (yield from robustness_steps(predict, images, labels, families, seed,
                                            decline, control))


def robustness(predict: Predict, images: np.ndarray, labels: np.ndarray,
               families: Sequence[Family] = FAMILIES, seed: int = 0,
               decline: Decline | None = None, control: StopToken | None = None,
               report: Report | None = None) -> Robustness:
    """Return the robustness curves; `robustness_steps` run to its end."""
    return drain(robustness_steps(predict, images, labels, families, seed, decline, control),
                 report)


def robustness_steps(predict: Predict, images: np.ndarray, labels: np.ndarray,
                     families: Sequence[Family] = FAMILIES, seed: int = 0,
                     decline: Decline | None = None, control: StopToken | None = None,
                     chunk: int = CHUNK) -> Steps[Robustness]:
    """Measure accuracy per family and level: yield (fraction, text) before each chunk,
    return a Robustness.

    images: (N, 28, 28) uint8 0..255 or float in [0, 1], white on black; labels (N,).
    predict: float32 images (n, 28, 28) -> probabilities (n, 10).
    decline: optional, float32 images (n, 28, 28) -> bool (n,), True for inputs the app
    would answer "not a digit"; adds `declined` and `accuracy_with_declines` to each curve.
    Raises Cancelled when `control` says stop, ValueError for inconsistent inputs.
    """
    start = time.perf_counter()
    labels = _checked(images, labels)
    n, families = len(labels), tuple(families)
    if not families:
        raise ValueError("no perturbation families to measure")
    bounds = list(range(0, n, chunk)) + [n]
    # 1. The unperturbed images once: they give every family's "none" level.
    # 2. Every other (family, level): perturb, predict and count, chunk by chunk.
    tasks = [(None, None)] + [(f, level) for f in families for level in f.levels
                              if level != f.none]
    total = len(tasks) * (len(bounds) - 1)
    counts = {}  # (family name or None, level) -> (right, declined, right and kept)
    step = 0
    for fam, level in tasks:
        rng = np.random.default_rng([seed, zlib.crc32(fam.name.encode())]) if fam else None
        what = f"{fam.name} {level:g}" if fam else "unperturbed"
        tally = np.zeros(3, dtype=np.int64)
        for lo, hi in pairwise(bounds):
            raise_if_stopped(control)
            yield step / total, f"Robustness: {what}, images {lo + 1:,}-{hi:,} of {n:,}"
            x = _as_float(images[lo:hi])  # (b, 28, 28) float32
            if fam is not None:
                x = fam.perturb(x, level, rng)
            tally += _score(predict, decline, x, labels[lo:hi])
            step += 1
        counts[(fam.name if fam else None, level)] = tally
    yield 1.0, f"Robustness measured on {n:,} images"
    curves = {f.name: _curve(f, counts, n, decline is not None) for f in families}
    return Robustness(n, seed, curves, time.perf_counter() - start)


def _checked(images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Return labels as int64 (N,) after checking images (N, 28, 28) against them."""
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(f"expected images of shape (N, 28, 28), got {images.shape}")
    if labels.shape != (len(images),):
        raise ValueError(f"{len(images)} images but labels of shape {labels.shape}")
    if len(labels) == 0:
        raise ValueError("no images")
    return labels.astype(np.int64)


def _as_float(images: np.ndarray) -> np.ndarray:
    """Return float32 (b, 28, 28) in [0, 1] from uint8 pixels or floats already scaled."""
    if images.dtype == np.uint8:
        return images.astype(np.float32) / np.float32(255.0)
    return np.array(images, dtype=np.float32)  # a copy: perturbations never touch the input


def _score(predict: Predict, decline: Decline | None, x: np.ndarray,
           labels: np.ndarray) -> np.ndarray:
    """Return int64 (3,): how many of x (b, 28, 28) are right, declined, right and kept."""
    probabilities = np.asarray(predict(x))
    if probabilities.shape != (len(x), CLASSES):
        raise ValueError(f"predict returned shape {probabilities.shape}, "
                         f"expected ({len(x)}, {CLASSES})")
    right = probabilities.argmax(axis=1) == labels
    if decline is None:
        return np.array([right.sum(), 0, right.sum()])
    declined = np.asarray(decline(x))
    if declined.shape != (len(x),) or declined.dtype != bool:
        raise ValueError(f"decline returned {declined.dtype} {declined.shape}, "
                         f"expected bool ({len(x)},)")
    return np.array([right.sum(), declined.sum(), (right & ~declined).sum()])


def _curve(fam: Family, counts: dict, n: int, with_declines: bool) -> Curve:
    rows = np.array([counts[(None, None) if level == fam.none else (fam.name, level)]
                     for level in fam.levels]) / n  # (levels, 3) shares
    return Curve(fam.name, fam.unit, tuple(float(v) for v in fam.levels),
                 tuple(rows[:, 0].tolist()),
                 tuple(rows[:, 1].tolist()) if with_declines else None,
                 tuple(rows[:, 2].tolist()) if with_declines else None)
