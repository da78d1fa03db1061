"""Finding and loading models: the shipped ones, the user's, any folder on disk."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..engine import ModelError, Sequential, load_model
from ..paths import user_models_dir, weights_path

# The CNN: on drawn digits (benchmarks/bench_drawn_digits.py, README) it is within half a
# point of the MLP on neat ones and 2-3 points better on messy ones.
DEFAULT_MODEL = "cnn"

# What every model's inputs are: digitapp.data.preprocess.to_mnist28 output, flattened or not.
PREPROCESSING = {
    "function": "digitapp.data.preprocess.to_mnist28",
    "image": "28x28 grayscale, white ink on black, digit fitted in a 20x20 box, "
    "centre of mass at the centre (as MNIST)",
    "scale": "pixel / 255, float32 in [0, 1]",
}


def shipped_models() -> list[Path]:
    """Return the model folders shipped in weights/ (those with a model.json)."""
    root = weights_path()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "model.json").is_file())


def user_models() -> list[Path]:
    """Return the model folders the user trained (newest first)."""
    root = user_models_dir()
    found = [p for p in root.iterdir() if (p / "model.json").is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def default_model_path() -> Path:
    return weights_path(DEFAULT_MODEL)


def open_model(path: str | Path | None = None) -> tuple[Sequential, dict]:
    """Return (model, manifest) for a model folder (default: the shipped default model).

    Raises ModelError with a one-line reason for anything unusable.
    """
    folder = Path(path) if path is not None else default_model_path()
    if path is None and not folder.is_dir():
        raise ModelError(f"{folder}: the shipped model is missing from this installation")
    return load_model(folder)


def as_model_inputs(model: Sequential, x: np.ndarray) -> np.ndarray:
    """Return inputs (N, 784) or (N, 28, 28) reshaped to the model's input shape, float32."""
    x = np.asarray(x, dtype=np.float32)
    return x.reshape((x.shape[0],) + model.input_shape)
