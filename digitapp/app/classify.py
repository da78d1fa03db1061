"""Classify images of digits: the seed's inference agent, shared by the CLI and the GUI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..data.preprocess import load_grayscale, to_mnist28
from ..engine import Sequential
from .models import as_model_inputs, predict_checked
from .not_a_digit import NOT_A_DIGIT, shipped_check


@dataclass(frozen=True)
class Prediction:
    digit: int | None  # None: not a digit (`reason` says so); the model's choice is `best`
    confidence: float  # the probability of `best`
    probabilities: np.ndarray  # (10,) float32, the model's (calibrated when it has a temperature)
    image28: np.ndarray  # (28, 28) float32: what the network saw
    reason: str = ""  # why there is no digit; "" when there is one
    not_digit_score: float | None = None  # the not-a-digit check's score; None without it

    @property
    def best(self) -> int:
        """The digit the model would name, declined or not."""
        return int(self.probabilities.argmax())


def classify_image(model: Sequential, gray: np.ndarray) -> Prediction:
    """Return the prediction for a grayscale image (H, W) in [0, 1] of any size/polarity.

    A drawing the not-a-digit check declines gets digit None and reason NOT_A_DIGIT (the
    probabilities are still the model's). Raises digitapp.data.preprocess.NoDigit for an
    empty image, ModelError if the model's outputs are not finite numbers.
    """
    return classify_image28(model, to_mnist28(gray))


def classify_image28(model: Sequential, image28: np.ndarray) -> Prediction:
    """Return the prediction for the network's view (28, 28), as classify_image."""
    probs = predict_checked(model, as_model_inputs(model, image28[None]))[0]
    best = int(probs.argmax())
    check, _ = shipped_check()
    if check is None:
        return Prediction(best, float(probs[best]), probs, image28)
    score = float(check.scores(image28[None])[0])
    if score > check.threshold:
        return Prediction(None, float(probs[best]), probs, image28, NOT_A_DIGIT, score)
    return Prediction(best, float(probs[best]), probs, image28, "", score)


def classify_file(model: Sequential, path: str | Path) -> Prediction:
    """Return the prediction for an image file; raises ImageError or NoDigit."""
    return classify_image(model, load_grayscale(path))
