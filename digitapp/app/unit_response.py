"""What a unit responds to: the MNIST test images that excite it most.

A unit is one output of a layer: a dense layer's unit, or a convolution's (or pooling's,
BatchNorm's, ReLU's) channel, whose response to an image is its strongest value anywhere on
the map (max over the H x W positions). The whole test set goes through the model up to the
layer in chunks, so a layer's every unit is ranked in one pass and any unit of it can then
be shown at once (the caller caches the result per model and layer).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

import numpy as np

from ..engine import Sequential
from .inside import architecture
from .models import as_model_inputs

CHUNK = 500  # images per forward pass: a stop is heard within ~0.5 s for the CNN
TOP = 9  # images kept per unit: a 3 x 3 grid


@dataclass(frozen=True)
class TopImages:
    """The images of a set that excite each unit of one layer most, strongest first."""

    layer: int  # index in model.layers
    indices: np.ndarray  # (units, k) int64: positions in the image set
    values: np.ndarray  # (units, k) float32: the unit's response to each
    images: np.ndarray  # (units, k, 28, 28) uint8: the images themselves
    labels: np.ndarray  # (units, k) int64: their digits


def copy_model(model: Sequential) -> Sequential:
    """Return an independent model with `model`'s architecture, weights, buffers and
    temperature: its layers' caches are its own, so it can predict on another thread."""
    twin = Sequential.from_config(model.config(), seed=model.seed, dtype=model.dtype,
                                  initialise=False)
    twin.set_flat(model.get_flat())
    twin.temperature = model.temperature
    return twin


def unit_responses(activations: np.ndarray) -> np.ndarray:
    """Return (N, units) from a layer's output (N, units) or maps (N, H, W, C): the map's
    maximum per channel."""
    if activations.ndim == 2:
        return activations
    return activations.reshape(len(activations), -1, activations.shape[-1]).max(axis=1)


def top_images(model: Sequential, layer: int, images: np.ndarray, labels: np.ndarray,
               control=None, k: int = TOP) -> Generator[float, None, TopImages | None]:
    """Rank `images` (N, 28, 28) uint8 with their `labels` (N,) for every unit of layer
    `layer`; yield the fraction done after each chunk and return the TopImages (None if
    `control.stopped`).

    `model` must be used by nobody else meanwhile (its layers' caches): pass a copy_model.
    """
    n = len(images)
    k = min(k, n)
    scores = None  # (N, units) float32
    for start in range(0, n, CHUNK):
        if control is not None and control.stopped:
            return None
        chunk = images[start : start + CHUNK].astype(np.float32) / 255
        out = unit_responses(model.activations(as_model_inputs(model, chunk), layer))
        if scores is None:
            scores = np.empty((n, out.shape[1]), np.float32)
        scores[start : start + len(out)] = out
        yield min(1.0, (start + len(out)) / n)
    by_unit = scores.T  # (units, N)
    best = np.argpartition(-by_unit, k - 1, axis=1)[:, :k]  # (units, k), unordered
    values = np.take_along_axis(by_unit, best, axis=1)
    order = np.argsort(-values, axis=1, kind="stable")
    best = np.take_along_axis(best, order, axis=1)
    values = np.take_along_axis(values, order, axis=1)
    return TopImages(layer, best.astype(np.int64), values, images[best],
                     np.asarray(labels)[best].astype(np.int64))


def input_weights(model: Sequential, layer: int, unit: int) -> np.ndarray | None:
    """Return the weights that connect unit `unit` of layer `layer` to the input pixels,
    or None when its unit is not one of the first weighted layer's.

    The first dense or convolution layer's units see the pixels directly: a Dense on 784
    inputs has a (28, 28) image of weights per unit, a Conv2D on one channel a (k, k)
    kernel per filter. The layers after it that keep its units one to one (BatchNorm,
    ReLU, Dropout, pooling) show the same unit's weights.
    """
    first = next((i for i, lay in enumerate(model.layers) if lay.kind in ("dense", "conv2d")),
                 None)
    if first is None or layer < first:
        return None
    weights = model.layers[first].params["W"]  # (784, U) or (k, k, 1, C)
    units = weights.shape[-1]
    rows = architecture(model).rows
    for i in range(first + 1, layer + 1):
        if rows[i].kind in ("dense", "conv2d", "flatten", "globalavgpool2d") or \
                rows[i].shape[-1] != units:
            return None
    if weights.ndim == 2 and weights.shape[0] == 28 * 28:
        return weights[:, unit].reshape(28, 28).copy()
    if weights.ndim == 4 and weights.shape[2] == 1:
        return weights[:, :, 0, unit].copy()
    return None
