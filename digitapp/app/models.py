"""Finding and loading models: the shipped ones, the user's, any folder on disk."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from ..engine import ModelError, Sequential, load_model
from ..engine.save_leftovers import clean_leftovers
from ..paths import user_models_dir, weights_path
from .calibration import apply_stored

# The CNN: on drawn digits (benchmarks/bench_drawn_digits.py, README) it is within half a
# point of the MLP on neat ones and 2-3 points better on messy ones.
DEFAULT_MODEL = "cnn"

CLASSES = 10  # a digit model's outputs: one probability per digit
IMAGE_VALUES = 28 * 28  # its inputs: one value per pixel, shaped (784,) or (28, 28, 1)
UNUSABLE = "the model produced non-finite outputs (its weights are unusable)"

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
    return sorted(_model_folders(root))


def user_models() -> list[Path]:
    """Return the model folders the user trained (newest first).

    Hidden folders, leftovers of interrupted saves included, are never listed. Listing
    changes nothing, except that the first listing of a process removes the leftovers
    (`clean_user_leftovers`); each save removes them too (engine/save_leftovers.py).
    """
    root = user_models_dir()
    if not root.is_dir():
        return []
    clean_user_leftovers()
    found = []
    for p in _model_folders(root):
        try:
            found.append((p.stat().st_mtime, p))
        except OSError:
            continue  # removed meanwhile
    return [p for _, p in sorted(found, key=lambda item: item[0], reverse=True)]


_cleaned_roots: set[Path] = set()  # user models folders whose leftovers this process removed
_cleaning = threading.Lock()


def clean_user_leftovers() -> list[Path]:
    """Remove the leftovers of interrupted saves from the user's models folder, once per
    process (later calls do nothing); return what was removed.

    Only the app's own are removed, by the rule of engine/save_leftovers.py: a save folder's
    name AND the marker it wrote.
    """
    root = user_models_dir()
    with _cleaning:
        if root in _cleaned_roots or not root.is_dir():
            return []
        _cleaned_roots.add(root)
        return clean_leftovers(root)


def _model_folders(root: Path) -> list[Path]:
    """The children of `root` that are model folders: not hidden (a save in progress or its
    leftover, a user's dot-folder), a folder with a model.json file."""
    return [p for p in root.iterdir()
            if not p.name.startswith(".") and p.is_dir() and (p / "model.json").is_file()]


def default_model_path() -> Path:
    return weights_path(DEFAULT_MODEL)


def find_model(text: str | Path) -> Path:
    """Return the model folder `text` names: a path as given when it exists, else a bare
    name of a shipped model ("cnn", "mlp-512") or of one of the user's models (as the
    Train tab names them). Anything else comes back as given, for the loader to refuse."""
    path = Path(text)
    if path.exists() or path.name != str(text) or str(text) in ("", ".", ".."):
        return path
    for root in (weights_path(), user_models_dir()):
        candidate = root / str(text)
        if (candidate / "model.json").is_file():
            return candidate
    return path


def open_model(path: str | Path | None = None) -> tuple[Sequential, dict]:
    """Return (model, manifest) for a model folder (default: the shipped default model),
    with the temperature its folder records applied (app.calibration; 1 without one).

    Raises ModelError with a one-line reason for anything unusable.
    """
    folder = Path(path) if path is not None else default_model_path()
    if path is None and not folder.is_dir():
        raise ModelError(f"{folder}: the shipped model is missing from this installation")
    model, manifest = load_model(folder)
    check_digit_model(model, folder)
    apply_stored(model, manifest)  # its probabilities: softmax(logits / stored temperature)
    return model, manifest


def check_digit_model(model: Sequential, folder: Path) -> None:
    """Raise ModelError unless `model` reads 28x28 images and gives 10 finite outputs.

    The engine checks that a folder holds a network; this checks that the network is a
    digit classifier whose weights compute numbers (finite weights of 3e38 overflow to
    inf, then NaN): three probe images (black, grey, white) must give finite outputs.
    """
    inputs = 1
    for d in model.input_shape:
        inputs *= d
    if inputs != IMAGE_VALUES:
        raise ModelError(f"{folder}: the model reads inputs of shape {model.input_shape}, "
                         "not 28x28 images")
    if model.output_shape != (CLASSES,):
        raise ModelError(f"{folder}: the model gives outputs of shape {model.output_shape}; "
                         f"a digit model gives {CLASSES} (one per digit)")
    probes = np.repeat(np.array([0.0, 0.5, 1.0], np.float32)[:, None], IMAGE_VALUES, axis=1)
    try:
        predict_checked(model, as_model_inputs(model, probes))
    except ModelError:
        raise ModelError(f"{folder}: {UNUSABLE}") from None


def predict_checked(model: Sequential, x: np.ndarray) -> np.ndarray:
    """Return model.predict_proba(x) (N, 10); raise ModelError if any value is not finite.

    Overflow warnings are silenced: the error says it once, in words.
    """
    with np.errstate(all="ignore"):
        probabilities = model.predict_proba(x)
    check_outputs(probabilities)
    return probabilities


def check_outputs(probabilities: np.ndarray) -> None:
    """Raise ModelError if probabilities (N, K) hold NaN or infinite values."""
    if not np.isfinite(probabilities).all():
        raise ModelError(UNUSABLE)


def as_model_inputs(model: Sequential, x: np.ndarray) -> np.ndarray:
    """Return inputs (N, 784) or (N, 28, 28) reshaped to the model's input shape, float32."""
    x = np.asarray(x, dtype=np.float32)
    return x.reshape((x.shape[0],) + model.input_shape)
