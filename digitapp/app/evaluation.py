"""Evaluate a model on a labelled dataset (the test set by default)."""

from __future__ import annotations

import numpy as np

from ..analysis.calibration import expected_calibration_error
from ..analysis.control import Steps, drain, scaled
from ..data.dataset import to_inputs
from ..engine import Sequential
from ..engine.metrics import scores_of_probabilities
from .models import as_model_inputs, predict_checked
from .not_a_digit import shipped_check

# Images turned into float32 inputs at a time (31 MB of inputs): a dataset of 250,000
# images (the IDX reader's limit) is 196 MB as uint8 but would be 784 MB as float32.
EVALUATE_CHUNK = 10_000
# Images per progress step (`evaluation_steps`): MNIST's test set in 10 + 10 steps of
# 0.1-0.2 s each for the CNN; measured as fast as whole chunks (load 0.2, 2 cores: classify
# 1.8-2.0 s, not-a-digit check 1.1-1.3 s, either way).
STEP_CHUNK = 1_000


def evaluate_dataset(model: Sequential, dataset) -> dict:
    """Return accuracy, loss, confusion matrix, per-class scores and predictions.

    `dataset` is a digitapp.data.mnist.Dataset (images (N, 28, 28) uint8, labels (N,)).
    Raises ModelError if the model's outputs are not finite numbers.
    """
    return drain(_evaluate_steps(model, dataset, EVALUATE_CHUNK))


def evaluation_steps(model: Sequential, dataset) -> Steps[dict]:
    """Evaluate as `evaluate` shows it: yield (fraction, text) every STEP_CHUNK images
    (classifying, then the not-a-digit check); return summary | trust_figures."""
    share = 0.6  # of the time spent classifying (CNN: 1.9 s of 3.1 s, the check the rest)
    full = yield from scaled(_evaluate_steps(model, dataset, STEP_CHUNK), 0.0, share)
    declined = yield from scaled(_declines_steps(dataset, STEP_CHUNK), share, 1.0)
    return summary(full) | _trust(full, dataset, declined)


def _evaluate_steps(model: Sequential, dataset, chunk: int) -> Steps[dict]:
    images = dataset.images
    count = len(images)
    parts = []
    for start in range(0, count, chunk):
        batch = to_inputs(images[start:start + chunk])
        parts.append(predict_checked(model, as_model_inputs(model, batch)))
        done = min(start + chunk, count)
        yield done / count, f"classifying {done:,} of {count:,} images"
    probabilities = np.concatenate(parts) if parts else \
        predict_checked(model, as_model_inputs(model, dataset.inputs()))
    labels = dataset.labels.astype(np.int64)
    result = scores_of_probabilities(probabilities, labels)
    result["probabilities"] = probabilities  # (N, 10): for trust_figures
    return result


def trust_figures(result: dict, dataset) -> dict:
    """Return the calibration and the declines of an evaluation (evaluate_dataset's result):
    ECE of the model's probabilities (as the app shows them) and, with the not-a-digit check,
    the share of images it declines and the accuracy counting a declined image as wrong."""
    return _trust(result, dataset, drain(_declines_steps(dataset, EVALUATE_CHUNK)))


def _declines_steps(dataset, chunk: int) -> Steps[np.ndarray | str]:
    """Yield progress of the not-a-digit check over `dataset`; return bool (N,), True for
    a declined image, or the note saying why there is no check."""
    check, note = shipped_check()
    if check is None:
        return note
    count = len(dataset.labels)
    parts = [np.zeros(0, bool)]
    for start in range(0, count, chunk):
        parts.append(check.declines(to_inputs(dataset.images[start:start + chunk])))
        done = min(start + chunk, count)
        yield done / count, f"checking {done:,} of {count:,} images for non-digits"
    return np.concatenate(parts)


def _trust(result: dict, dataset, declined: np.ndarray | str) -> dict:
    """trust_figures with the declines already computed (or the note saying why none)."""
    probabilities = result["probabilities"]
    labels = dataset.labels.astype(np.int64)
    correct = result["predictions"] == labels
    confidences = probabilities.max(axis=1)
    out = {"ece": expected_calibration_error(confidences, correct),
           "mean_confidence": float(confidences.mean())}
    if isinstance(declined, str):
        out["not_a_digit"] = {"missing": declined}
        return out
    out["not_a_digit"] = {
        "declined": float(declined.mean()) if len(labels) else 0.0,
        "declined_count": int(declined.sum()),
        "accuracy_with_declines": float((correct & ~declined).mean()) if len(labels) else 0.0,
    }
    return out


def summary(result: dict) -> dict:
    """Return the JSON-able part of an evaluation (no per-example arrays)."""
    per_class = result["per_class"]
    return {
        "accuracy": result["accuracy"],
        "loss": result["loss"],
        "count": int(result["confusion"].sum()),
        "correct": int(np.trace(result["confusion"])),
        "confusion_matrix": result["confusion"].tolist(),
        "per_class": [
            {
                "digit": digit,
                "precision": float(per_class["precision"][digit]),
                "recall": float(per_class["recall"][digit]),
                "f1": float(per_class["f1"][digit]),
                "support": int(per_class["support"][digit]),
            }
            for digit in range(len(per_class["support"]))
        ],
    }
