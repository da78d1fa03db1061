"""A model's calibration: the softmax temperature stored in its folder, fitted and applied.

Every percentage the app shows is softmax(logits / T). T is fitted once, when a model is
saved (app.training) or by `digitapp calibrate MODEL` for an older folder, by minimising
the negative log-likelihood on the model's VALIDATION split seen twice: as it is, and
distorted a little beyond what the Train tab's augmentation does (DISTORTION: shift, turn,
zoom, stroke width, slant, width). MNIST alone is tidier than what people draw; of the
recipes compared (clean validation only, + default augmentation, + this distortion, this
distortion only; README, "Honest confidence"), this one kept MNIST test's ECE under 0.6%
for both shipped models and brought messy drawn digits closest for both.

Stored in model.json as {"calibration": {"temperature": T, "fitted_on": ...}}. A folder
without it (saved by an older digitapp) loads with T = 1 and a note.
"""

from __future__ import annotations

import math

import numpy as np

from ..analysis.calibration import LOG_T_RANGE, fit_temperature
from ..data.augment import AugmentConfig, Augmenter
from ..engine import Sequential

KEY = "calibration"
FITTED_ON = "validation split, plain and distorted (shift, turn, zoom, stroke, slant)"
UNCALIBRATED = "saved before calibration: its percentages are the raw softmax"
MIN_T, MAX_T = math.exp(LOG_T_RANGE[0]), math.exp(LOG_T_RANGE[1])  # 0.05 .. 20
# Stronger than AugmentConfig()'s 2 px / 12 degrees / 0.9-1.1 / 30%: outside what most
# models trained on, as people's drawings are.
DISTORTION = AugmentConfig(max_shift=3, max_rotation=25, scale_range=(0.8, 1.15),
                           thickness_prob=0.6, max_shear=0.3, max_aspect=0.2)
FIT_IMAGES = 10_000  # at most this many validation images (each seen plain and distorted)


def stored_temperature(manifest: dict) -> float | None:
    """Return the temperature a model.json records, or None (none, or not a sane number)."""
    entry = manifest.get(KEY)
    if not isinstance(entry, dict):
        return None
    t = entry.get("temperature")
    if isinstance(t, bool) or not isinstance(t, (int, float)):
        return None
    t = float(t)
    return t if math.isfinite(t) and MIN_T * 0.999 <= t <= MAX_T * 1.001 else None


def apply_stored(model: Sequential, manifest: dict) -> str:
    """Set model.temperature from the manifest; return "" or a note for an uncalibrated one."""
    t = stored_temperature(manifest)
    model.temperature = 1.0 if t is None else t
    return "" if t is not None else UNCALIBRATED


def logits(model: Sequential, images: np.ndarray) -> np.ndarray:
    """Return the logits (N, K) for images (N, 28, 28) or (N, 784) float32 in [0, 1]."""
    x = np.asarray(images, np.float32).reshape((len(images),) + model.input_shape)
    chunks = [np.zeros((0,) + model.output_shape, np.float32)]  # an empty set: (0, K)
    with np.errstate(all="ignore"):
        size = model.prediction_batch()
        chunks += [model.forward(x[i:i + size]) for i in range(0, len(x), size)]
    return np.concatenate(chunks)


def fit(model: Sequential, images: np.ndarray, labels: np.ndarray, seed: int = 0) -> dict:
    """Return the calibration entry {"temperature", "fitted_on", "images"} for a model, fitted
    on validation images (N, 28, 28) or (N, 784) in [0, 1] with their labels (N,).

    Raises ValueError when there are no images or their logits are not finite.
    """
    if len(images) == 0:
        raise ValueError("no validation images to calibrate on")
    if len(images) > FIT_IMAGES:
        pick = np.random.default_rng(seed).choice(len(images), FIT_IMAGES, replace=False)
        images, labels = images[pick], labels[pick]
    flat = np.asarray(images, np.float32).reshape(len(images), -1)
    distorted = Augmenter(DISTORTION, seed=seed)(flat)
    z = logits(model, np.concatenate([flat, distorted]))
    if not np.isfinite(z).all():
        raise ValueError("the model's outputs are not finite numbers")
    t = fit_temperature(z, np.concatenate([labels, labels]).astype(np.int64))
    return {"temperature": round(float(t), 4), "fitted_on": FITTED_ON, "images": 2 * len(flat)}
