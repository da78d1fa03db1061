"""Audit a model on a labelled set (the MNIST test set): every prediction, kept for browsing.

The Mistakes and Insights tabs show views of one Audit: the images, the true classes, the
probabilities, the confusion matrix and the per-class scores. Computed in batches so that
a slow model (a CNN) reports progress and can be stopped between two batches.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..analysis.control import Report, Steps, StopToken, drain, raise_if_stopped
from ..analysis.mistakes import second_choices
from ..data.dataset import to_inputs
from ..engine import Sequential
from ..engine.metrics import scores_of_probabilities
from ..engine.parallel import ParallelPredictor
from .models import as_model_inputs, check_outputs

BATCH = 500  # images per progress step (the model predicts them in smaller batches)


def inference_workers() -> int:
    """Return how many threads evaluate a model: two where there are two cores (the CNN's
    test-set evaluation 2.1 -> 1.2 s), each with the one BLAS thread background work uses."""
    return min(2, os.cpu_count() or 1)


@dataclass(frozen=True, eq=False)
class Audit:
    """A model's answers on a labelled set of N images."""

    images: np.ndarray  # (N, 28, 28) uint8, white on black
    labels: np.ndarray  # (N,) int64, the true classes
    probabilities: np.ndarray  # (N, 10) float32
    predictions: np.ndarray  # (N,) int64
    second: np.ndarray  # (N,) int64, the class with the second highest probability
    confusion: np.ndarray  # (10, 10) int64, [true, predicted]
    per_class: dict  # precision, recall, f1 (10,) floats; support (10,) ints
    accuracy: float
    loss: float
    seconds: float  # how long the evaluation took

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def mistakes(self) -> int:
        return int(len(self.labels) - np.trace(self.confusion))

    def confidence(self, index: int) -> float:
        return float(self.probabilities[index, self.predictions[index]])


def audit_model(model: Sequential, images: np.ndarray, labels: np.ndarray,
                control: StopToken | None = None, report: Report | None = None) -> Audit:
    """Return the Audit of `model` on images (N, 28, 28) uint8 with labels (N,).

    Raises digitapp.analysis.control.Cancelled if `control` says stop between batches,
    ModelError if the model's outputs are not finite numbers.
    """
    return drain(audit_steps(model, images, labels, control), report)


def audit_steps(model: Sequential, images: np.ndarray, labels: np.ndarray,
                control: StopToken | None = None) -> Steps[Audit]:
    """`audit_model` as steps: yield (fraction, text) between batches, return the Audit."""
    start = time.perf_counter()
    n = len(labels)
    probabilities = np.empty((n, model.output_shape[-1]), dtype=np.float32)
    with ParallelPredictor(model, inference_workers()) as predictor:
        for first in range(0, n, BATCH):
            raise_if_stopped(control)
            yield first / n, f"Classifying the test images: {first:,} of {n:,}"
            batch = to_inputs(images[first:first + BATCH])  # (b, 784) float32, x / 255
            probabilities[first:first + BATCH] = predictor.predict_proba(
                as_model_inputs(model, batch))
    yield 1.0, f"Classified {n:,} test images"
    check_outputs(probabilities)  # ModelError: NaN would make every score meaningless
    scores = scores_of_probabilities(probabilities, labels)
    return Audit(images, np.asarray(labels, np.int64), probabilities,
                 scores["predictions"], second_choices(probabilities), scores["confusion"],
                 scores["per_class"], scores["accuracy"], scores["loss"],
                 time.perf_counter() - start)


def describe_selection(shown: int, total: int, true: int | None, predicted: int | None,
                       include_correct: bool) -> str:
    """Return what a filtered view shows, e.g. "5 of 86 mistakes: 9s taken for 4s"."""
    what = "images" if include_correct else "mistakes"
    if true is not None and predicted is not None:
        which = f"{true}s recognised" if true == predicted else f"{true}s taken for {predicted}s"
    elif true is not None:
        which = f"true class {true}"
    elif predicted is not None:
        which = f"predicted {predicted}"
    else:
        which = ""
    text = f"{shown:,} of {total:,} {what}: {which}" if which else f"{shown:,} {what}"
    return text + ("" if shown else " (nothing to show)")


def model_key(path: Path) -> tuple[str, int]:
    """Return what identifies a saved model's weights: its folder and model.json's mtime.

    A model retrained into the same folder gets a new key, so nothing stale is shown.
    """
    path = Path(path)
    try:
        stamp = (path / "model.json").stat().st_mtime_ns
    except OSError:
        stamp = 0
    return (str(path.resolve()), stamp)
