"""Evaluate a model on a labelled dataset (the test set by default)."""

from __future__ import annotations

import numpy as np

from ..data.dataset import to_inputs
from ..engine import Sequential
from ..engine.metrics import scores_of_probabilities
from .models import as_model_inputs, predict_checked

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
    return scores_of_probabilities(probabilities, labels)


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
