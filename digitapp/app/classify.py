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
    return classify_images28(model, image28[None])[0]


def classify_images28(model: Sequential, images28: np.ndarray) -> list[Prediction]:
    """Return one prediction per image of images28 (N, 28, 28), the model and the check
    each run once on the whole batch (the digits of a number)."""
    probs = predict_checked(model, as_model_inputs(model, images28))
    check, _ = shipped_check()
    scores = None if check is None else check.scores(images28)
    out = []
    for i, p in enumerate(probs):
        best = int(p.argmax())
        if scores is None:
            out.append(Prediction(best, float(p[best]), p, images28[i]))
        elif scores[i] > check.threshold:
            out.append(Prediction(None, float(p[best]), p, images28[i], NOT_A_DIGIT,
                                  float(scores[i])))
        else:
            out.append(Prediction(best, float(p[best]), p, images28[i], "", float(scores[i])))
    return out


def classify_file(model: Sequential, path: str | Path) -> Prediction:
    """Return the prediction for an image file; raises ImageError or NoDigit."""
    return classify_image(model, load_grayscale(path))
