"""Which examples to look at, and in what order: the mistakes (or all) of a classifier."""

from __future__ import annotations

import numpy as np

# order key -> what a person reads in the sort menu
ORDERS = {
    "confident": "Most confident first",
    "unsure": "Least confident first",
    "true": "By true class",
    "predicted": "By predicted class",
    "index": "Test-set order",
}


def confidences(probabilities: np.ndarray) -> np.ndarray:
    """Return (n,) the probability given to the predicted (top) class of each example."""
    return np.asarray(probabilities).max(axis=1)


def second_choices(probabilities: np.ndarray) -> np.ndarray:
    """Return (n,) the class with the second highest probability for each example."""
    return np.argsort(np.asarray(probabilities), axis=1)[:, -2]


def select(labels: np.ndarray, predictions: np.ndarray, probabilities: np.ndarray, *,
           true: int | None = None, predicted: int | None = None,
           include_correct: bool = False, order: str = "confident") -> np.ndarray:
    """Return the indices (m,) of the examples to show, in the order to show them.

    labels, predictions (n,) ints and probabilities (n, K). By default only the mistakes
    (label != prediction); `true` and `predicted` keep one true or predicted class (both:
    one confusion pair, e.g. the 4s taken for 9s). Ties keep the test-set order.
    """
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r} (known: {', '.join(ORDERS)})")
    keep = np.ones(len(labels), dtype=bool) if include_correct else labels != predictions
    if true is not None:
        keep &= labels == true
    if predicted is not None:
        keep &= predictions == predicted
    chosen = np.flatnonzero(keep)
    if order == "index":
        return chosen
    confidence = confidences(probabilities)[chosen]
    # np.lexsort sorts by the last key first; the index makes every order deterministic.
    if order == "confident":
        keys = (chosen, -confidence)
    elif order == "unsure":
        keys = (chosen, confidence)
    elif order == "true":
        keys = (chosen, -confidence, labels[chosen])
    else:
        keys = (chosen, -confidence, predictions[chosen])
    return chosen[np.lexsort(keys)]
