"""Classification metrics: accuracy, confusion matrix, per-class precision/recall/F1."""

from __future__ import annotations

import numpy as np


def accuracy(labels: np.ndarray, predictions: np.ndarray) -> float:
    """Return the fraction of predictions equal to the labels (both (N,))."""
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    if labels.shape != predictions.shape:
        raise ValueError("labels and predictions differ in shape")
    if labels.size == 0:
        return float("nan")
    return float(np.mean(labels == predictions))


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray, classes: int = 10) -> np.ndarray:
    """Return counts C (classes, classes) with C[t, p] = #examples of true t predicted p."""
    labels = np.asarray(labels, dtype=np.int64)
    predictions = np.asarray(predictions, dtype=np.int64)
    flat = np.bincount(labels * classes + predictions, minlength=classes * classes)
    return flat.reshape(classes, classes)


def per_class_scores(confusion: np.ndarray) -> dict[str, np.ndarray]:
    """Return precision, recall, F1 and support per class from a confusion matrix.

    A class never predicted has precision 0 (not NaN), so tables stay printable.
    """
    confusion = np.asarray(confusion, dtype=np.float64)
    true_pos = np.diag(confusion)
    predicted = confusion.sum(axis=0)
    support = confusion.sum(axis=1)
    precision = np.divide(true_pos, predicted, out=np.zeros_like(true_pos), where=predicted > 0)
    recall = np.divide(true_pos, support, out=np.zeros_like(true_pos), where=support > 0)
    both = precision + recall
    f1 = np.divide(2 * precision * recall, both, out=np.zeros_like(both), where=both > 0)
    return {"precision": precision, "recall": recall, "f1": f1, "support": support.astype(int)}


def evaluate(model, inputs: np.ndarray, labels: np.ndarray) -> dict:
    """Return loss, accuracy, confusion matrix and per-class scores of `model` on a dataset."""
    return scores_of_probabilities(model.predict_proba(inputs), labels)


def scores_of_probabilities(probs: np.ndarray, labels: np.ndarray) -> dict:
    """Return what `evaluate` returns, from class probabilities (N, K) already computed."""
    labels = np.asarray(labels, dtype=np.int64)
    predictions = probs.argmax(axis=1)
    rows = np.arange(len(labels))
    loss = -float(np.mean(np.log(np.maximum(probs[rows, labels], 1e-12))))
    confusion = confusion_matrix(labels, predictions, probs.shape[1])
    return {
        "loss": loss,
        "accuracy": accuracy(labels, predictions),
        "confusion": confusion,
        "per_class": per_class_scores(confusion),
        "predictions": predictions,
        "probabilities": probs,
    }
