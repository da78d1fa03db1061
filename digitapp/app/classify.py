"""Classify images of digits: the seed's inference agent, shared by the CLI and the GUI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..data.preprocess import load_grayscale, to_mnist28
from ..engine import Sequential
from .models import as_model_inputs, predict_checked


@dataclass(frozen=True)
class Prediction:
    digit: int
    confidence: float
    probabilities: np.ndarray  # (10,) float32
    image28: np.ndarray  # (28, 28) float32: what the network saw


def classify_image(model: Sequential, gray: np.ndarray) -> Prediction:
    """Return the prediction for a grayscale image (H, W) in [0, 1] of any size/polarity.

    Raises digitapp.data.preprocess.NoDigit for an empty image, ModelError if the model's
    outputs are not finite numbers.
    """
    image28 = to_mnist28(gray)
    probs = predict_checked(model, as_model_inputs(model, image28[None]))[0]
    digit = int(probs.argmax())
    return Prediction(digit, float(probs[digit]), probs, image28)


def classify_file(model: Sequential, path: str | Path) -> Prediction:
    """Return the prediction for an image file; raises ImageError or NoDigit."""
    return classify_image(model, load_grayscale(path))
