"""Inside a model: its layers as a table, and every layer's activations for one image.

Drawn from the model itself (model.layers), so any model the app can load is described:
the shipped MLP, the shipped CNN, a user's model. The Network view draws both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import Sequential, describe_architecture, softmax
from ..engine.layers import Layer
from .models import as_model_inputs


@dataclass(frozen=True)
class LayerRow:
    """One layer of an architecture, as a diagram shows it."""

    index: int  # position in model.layers
    kind: str  # the layer's config type: "conv2d", "dense", "relu", ...
    name: str  # its class name: "Conv2D"
    description: str  # one line: "Conv2D 32 filters 5x5, same"
    shape: tuple[int, ...]  # output shape without the batch axis: (28, 28, 32) or (512,)
    parameters: int  # trained values (weights, biases, BatchNorm's gamma and beta)


@dataclass(frozen=True)
class Architecture:
    """A model's layers in order, with totals."""

    input_shape: tuple[int, ...]  # (784,) or (28, 28, 1)
    rows: tuple[LayerRow, ...]
    parameters: int  # sum of the rows' parameters == model.num_parameters()
    buffers: int  # saved but not trained (BatchNorm's running mean and variance)
    summary: str  # the model's short name: "784-512-10", "CNN c32-c64-c128-256-10"


@dataclass(frozen=True)
class LayerView:
    """One layer's output for one image."""

    row: LayerRow
    activations: np.ndarray  # float32, row.shape: (H, W, C) maps or (units,)
    probabilities: np.ndarray | None = None  # (K,) on the last view (predict_proba's), else None


def architecture(model: Sequential) -> Architecture:
    """Return the table of `model`'s layers (in model.layers order) with its totals."""
    rows, shape = [], model.input_shape
    for index, layer in enumerate(model.layers):
        shape = layer.plan(shape)[0]
        count = sum(int(p.size) for p in layer.params.values())
        rows.append(LayerRow(index, layer.kind, type(layer).__name__, describe_layer(layer),
                             tuple(shape), count))
    parameters = sum(r.parameters for r in rows)
    return Architecture(model.input_shape, tuple(rows), parameters,
                        int(model.params.buffers.size),
                        describe_architecture(model.config()))


def architecture_rows(model: Sequential) -> list[LayerRow]:
    """Return architecture(model).rows as a list."""
    return list(architecture(model).rows)


# kind -> its one-line description from its config; other kinds are named by their class.
_DESCRIPTIONS = {
    "conv2d": lambda c: f"Conv2D {c['filters']} filters {c['kernel']}x{c['kernel']}, "
                        f"{c['padding']}",
    "dense": lambda c: f"Dense {c['units']} units",
    "maxpool2d": lambda c: f"MaxPool {c['size']}x{c['size']}",
    "batchnorm": lambda c: "BatchNorm",
    "relu": lambda c: "ReLU",
    "dropout": lambda c: f"Dropout {c['rate']:g} (off when predicting)",
    "flatten": lambda c: "Flatten",
    "globalavgpool2d": lambda c: "Global average pool",
}


def describe_layer(layer: Layer) -> str:
    """Return a one-line description of a layer: 'Conv2D 32 filters 5x5, same'."""
    describe = _DESCRIPTIONS.get(layer.kind)
    return describe(layer.config()) if describe else type(layer).__name__


def layer_views(model: Sequential, image28: np.ndarray) -> list[LayerView]:
    """Return every layer's activations for one image (28, 28) (or already shaped as the
    model's input), at inference: dropout off, BatchNorm with its running statistics.

    The layers run in model.layers order (not the engine's faster execution order, which
    pools before a ReLU), so each view is that layer's own output. The last view also holds
    the probabilities, equal to model.predict_proba (temperature included).
    """
    x = as_model_inputs(model, np.asarray(image28).reshape(1, -1))  # (1, *input_shape)
    rows = architecture(model).rows
    views = []
    for layer, row in zip(model.layers, rows, strict=True):
        # A copy in: ReLU works in place, and Dropout returns its input itself.
        x = layer.forward(x.copy(), training=False)
        views.append(LayerView(row, x[0]))
    logits = views[-1].activations[None]
    if model.temperature != 1.0:
        logits = logits / np.asarray(model.temperature, logits.dtype)
    views[-1] = LayerView(rows[-1], views[-1].activations, softmax(logits)[0])
    return views
