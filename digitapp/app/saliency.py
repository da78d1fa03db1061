"""Why this digit: which pixels of a 28x28 image a model's answer for a class rests on.

Two maps, both (28, 28) float32, positive where the pixels speak for the class:
- gradient x input: d logit_cls / d pixel * pixel, from the engine's backward passes
  (engine/input_gradient.py). One forward and one backward pass: cheap enough to follow
  the drawing. For a ReLU network (piecewise linear, BatchNorm at inference included) the
  map sums to d/da logit_cls(a x) at a = 1, and is exactly 0 on blank (0) pixels.
- occlusion: how much the class's log-probability drops when a patch of the image is
  blanked, averaged over the patches covering each pixel. Model-agnostic and easy to explain, but
  one forward pass per patch position (169 for patch 4, stride 2).
"""

from __future__ import annotations

import numpy as np

from ..engine import Sequential, log_softmax
from ..engine.input_gradient import input_gradient
from .models import as_model_inputs

SIDE = 28  # images are 28x28: MNIST's size


def saliency(model: Sequential, image28: np.ndarray, cls: int) -> np.ndarray:
    """Return gradient x input (28, 28) float32 of class `cls`'s logit for image28 (28, 28).

    The logit, not the probability: the probability's gradient vanishes when the model is
    sure, and mixes in every other class. The temperature (a positive scale) is left out.
    """
    image = np.asarray(image28, dtype=np.float32).reshape(SIDE, SIDE)
    x = as_model_inputs(model, image[None])  # (1, *input_shape)
    one_hot = np.zeros((1,) + model.output_shape, model.dtype)
    one_hot[0, cls] = 1.0
    _, dx = input_gradient(model, x, one_hot)
    return (dx.reshape(SIDE, SIDE) * image).astype(np.float32)


def occlusion(model: Sequential, image28: np.ndarray, cls: int, patch: int = 4,
              stride: int = 2, fill: float = 0.0) -> np.ndarray:
    """Return the occlusion map (28, 28) float32 of class `cls` for image28 (28, 28).

    Each patch x patch square (top-left corners every `stride` pixels) is set to `fill`
    (0: MNIST's background) in its own copy of the image; all copies go through the model
    in predict_proba's batches. A pixel's value is the mean, over the patches covering it,
    of log p(cls | image) - log p(cls | image with the patch blanked): positive where hiding
    the pixel costs the class probability. Log-probabilities, not probabilities: a sure
    model's p stays ~1.0 in float32 under most patches, its log-probability still moves.
    Pixels no patch covers get 0.
    """
    image = np.asarray(image28, dtype=np.float32).reshape(SIDE, SIDE)
    if not (1 <= patch <= SIDE and stride >= 1):
        raise ValueError(f"patch must be in 1..{SIDE} and stride >= 1, not {patch}, {stride}")
    corners = range(0, SIDE - patch + 1, stride)
    boxes = [(r, c) for r in corners for c in corners]
    batch = np.repeat(image[None], len(boxes) + 1, axis=0)  # (1 + patches, 28, 28); 0: as is
    for k, (r, c) in enumerate(boxes, start=1):
        batch[k, r : r + patch, c : c + patch] = fill
    x = as_model_inputs(model, batch)
    size = model.prediction_batch()
    p = np.concatenate([log_softmax(model.forward(x[i : i + size]) / model.temperature)[:, cls]
                        for i in range(0, len(x), size)])  # (1 + patches,)
    total = np.zeros((SIDE, SIDE), np.float64)
    count = np.zeros((SIDE, SIDE), np.int64)
    for k, (r, c) in enumerate(boxes, start=1):
        total[r : r + patch, c : c + patch] += p[0] - p[k]
        count[r : r + patch, c : c + patch] += 1
    return np.divide(total, count, out=np.zeros_like(total), where=count > 0).astype(np.float32)
