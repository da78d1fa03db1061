"""Measuring a model before and after it learns the user's handwriting (app/personalize.py).

Accuracy in chunks of CHUNK images, the stop token checked between them (a chunk of the
CNN takes ~0.15 s on two replicas), with the engine's ParallelPredictor: one replica per
core for a CNN, each with one BLAS thread (engine/parallel.py holds that limit itself).

MNIST test accuracy of a base model is cached per (folder, hash of its model.json, images
measured): teaching again from the same base skips ~3 s of measuring.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Generator
from pathlib import Path

import numpy as np

from ..analysis.control import StopToken, raise_if_stopped
from ..data.dataset import to_inputs
from ..data.mnist import Dataset, load_mnist, subset
from ..engine import Sequential
from ..engine.parallel import ParallelPredictor
from .models import as_model_inputs, check_outputs

CHUNK = 1000

_cache: dict[tuple, float] = {}  # (folder, model.json sha256, images, data) -> accuracy
_cache_lock = threading.Lock()


def accuracy(model: Sequential, workers: int, x: np.ndarray, y: np.ndarray,
             control: StopToken | None) -> float | None:
    """Return the accuracy on x (N, 28, 28) float32 in [0, 1] with labels y (N,), or None
    when N is 0. Raises Cancelled when `control` says stop (between chunks)."""
    if len(x) == 0:
        return None
    correct = 0
    with ParallelPredictor(model, workers) as predictor:
        for i in range(0, len(x), CHUNK):
            raise_if_stopped(control)
            correct += _correct(predictor, model, x[i:i + CHUNK].reshape(-1, 784),
                                y[i:i + CHUNK])
    return correct / len(x)


def _correct(predictor: ParallelPredictor, model: Sequential, x: np.ndarray,
             y: np.ndarray) -> int:
    with np.errstate(all="ignore"):
        probabilities = predictor.predict_proba(as_model_inputs(model, x))
    check_outputs(probabilities)
    return int(np.count_nonzero(probabilities.argmax(axis=1) == y))


def mnist_test(images: int | None, data_dir: str | None) -> Dataset:
    """Return MNIST test, or a stratified subset of `images` of it (seed 0)."""
    test = load_mnist("test", data_dir)
    return test if images is None or images >= len(test) else subset(test, images, 0)


def mnist_test_accuracy_steps(model: Sequential, workers: int, test: Dataset,
                              control: StopToken | None, make_step: Callable[[str], object],
                              folder: Path | None = None, data_dir: str | None = None
                              ) -> Generator[object, None, float]:
    """Yield make_step("i of n") after each chunk of `test` (MNIST test or the part of it
    that `mnist_test` returns); return the accuracy.

    With `folder` (the model's own folder, unchanged), a figure measured before for the
    same folder, model.json, number of test images and data_dir is returned at once.
    """
    key = _cache_key(folder, len(test), data_dir) if folder is not None else None
    with _cache_lock:
        if key is not None and key in _cache:
            return _cache[key]
    correct, chunks = 0, -(-len(test) // CHUNK)
    with ParallelPredictor(model, workers) as predictor:
        for k, i in enumerate(range(0, len(test), CHUNK)):
            raise_if_stopped(control)
            correct += _correct(predictor, model, to_inputs(test.images[i:i + CHUNK]),
                                test.labels[i:i + CHUNK].astype(np.int64))
            yield make_step(f"{k + 1} of {chunks}")
    result = correct / len(test)
    if key is not None:
        with _cache_lock:
            _cache[key] = result
    return result


def _cache_key(folder: Path, images: int | None, data_dir: str | None) -> tuple | None:
    try:
        digest = hashlib.sha256((folder / "model.json").read_bytes()).hexdigest()
    except OSError:
        return None
    return (str(folder.resolve()), digest, images, data_dir)
