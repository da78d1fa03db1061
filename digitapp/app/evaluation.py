"""Evaluate a model on a labelled dataset (the test set by default)."""

from __future__ import annotations

import numpy as np

from ..analysis.calibration import expected_calibration_error
from ..data.dataset import to_inputs
from ..engine import Sequential
from ..engine.metrics import scores_of_probabilities
from .models import as_model_inputs, predict_checked
from .not_a_digit import shipped_check

# Images turned into float32 inputs at a time (31 MB of inputs): a dataset of 250,000
# images (the IDX reader's limit) is 196 MB as uint8 but would be 784 MB as float32.
EVALUATE_CHUNK = 10_000


def evaluate_dataset(model: Sequential, dataset) -> dict:
    """Return accuracy, loss, confusion matrix, per-class scores and predictions.

    `dataset` is a digitapp.data.mnist.Dataset (images (N, 28, 28) uint8, labels (N,)).
    Raises ModelError if the model's outputs are not finite numbers.
    """
    images = dataset.images
    probabilities = np.concatenate([
        predict_checked(model, as_model_inputs(model, to_inputs(images[i:i + EVALUATE_CHUNK])))
        for i in range(0, len(images), EVALUATE_CHUNK)
    ]) if len(images) else predict_checked(model, as_model_inputs(model, dataset.inputs()))
    labels = dataset.labels.astype(np.int64)
    result = scores_of_probabilities(probabilities, labels)
    result["probabilities"] = probabilities  # (N, 10): for trust_figures
    return result


def trust_figures(result: dict, dataset) -> dict:
    """Return the calibration and the declines of an evaluation (evaluate_dataset's result):
    ECE of the model's probabilities (as the app shows them) and, with the not-a-digit check,
    the share of images it declines and the accuracy counting a declined image as wrong."""
    probabilities = result["probabilities"]
    labels = dataset.labels.astype(np.int64)
    correct = result["predictions"] == labels
    confidences = probabilities.max(axis=1)
    out = {"ece": expected_calibration_error(confidences, correct),
           "mean_confidence": float(confidences.mean())}
    check, note = shipped_check()
    if check is None:
        out["not_a_digit"] = {"missing": note}
        return out
    declined = np.concatenate([
        check.declines(to_inputs(dataset.images[i:i + EVALUATE_CHUNK]))
        for i in range(0, len(labels), EVALUATE_CHUNK)]) if len(labels) else np.zeros(0, bool)
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
