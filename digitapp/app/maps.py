"""Maps of a layer: test images as 2-D points placed by PCA or t-SNE of their activations.

    request = MapRequest(layer="hidden", method="tsne", points=2000)
    layer_map = compute_map(model, audit, request, control, report)   # off the GUI thread
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..analysis.control import Report, Steps, StopToken, drain, raise_if_stopped, scaled
from ..analysis.pca import pca
from ..analysis.tsne import MAX_POINTS as TSNE_MAX_POINTS
from ..analysis.tsne import TsneSettings, tsne_steps
from ..data.dataset import to_inputs
from ..engine import Sequential
from ..engine.parallel import ParallelPredictor
from .architectures import hidden_layer_index
from .audit import Audit, inference_workers
from .models import as_model_inputs

METHODS = {"tsne": "t-SNE", "pca": "PCA"}
MAX_POINTS = {"pca": 10_000, "tsne": TSNE_MAX_POINTS}  # t-SNE's cost grows as points^2
MIN_POINTS = 100  # fewer makes no map worth looking at (and t-SNE needs > 3 x perplexity)
DEFAULT_POINTS = 2000
BATCH = 500  # images per progress step (split across the inference threads)
SAMPLE_SEED = 0  # the same images in every map, whatever the layer or the method


@dataclass(frozen=True)
class MapRequest:
    layer: str = "hidden"  # "input", "hidden" or "output"
    method: str = "tsne"  # a key of METHODS
    points: int = DEFAULT_POINTS


@dataclass(frozen=True, eq=False)
class LayerMap:
    request: MapRequest
    title: str  # e.g. "t-SNE of the hidden layer (512), 2,000 test images"
    indices: np.ndarray  # (n,) positions of the points' images in the Audit
    xy: np.ndarray  # (n, 2) float32, map coordinates
    labels: np.ndarray  # (n,) true classes
    predictions: np.ndarray  # (n,) the model's classes
    seconds: float


def layer_choices(model: Sequential) -> dict[str, str]:
    """Return {layer key: label} of the layers a map can show, e.g. "Hidden layer (512)"
    (the number: how many values make a point, pixels, units or logits)."""
    hidden = hidden_layer_index(model)
    pixels = int(np.prod(model.input_shape))
    choices = {"input": f"Input pixels ({pixels})"}
    if hidden < len(model.layers) - 1:  # a model without hidden layer has none to map
        units = int(np.prod(_output_shape(model, hidden)))
        choices["hidden"] = f"Hidden layer ({units})"
    choices["output"] = f"Output logits ({int(np.prod(model.output_shape))})"
    return choices


def check_request(model: Sequential, request: MapRequest, available: int) -> str | None:
    """Return why `request` cannot be computed (one sentence), or None if it can."""
    if request.method not in METHODS:
        return f"Unknown method {request.method!r}."
    choices = layer_choices(model)
    if request.layer not in choices:
        return f"This model has no {request.layer} layer to map."
    most = min(MAX_POINTS[request.method], available)
    if not MIN_POINTS <= request.points <= most:
        return (f"{METHODS[request.method]} maps take {MIN_POINTS:,} to {most:,} points; "
                f"{request.points:,} asked.")
    return None


def sample_indices(total: int, points: int, seed: int = SAMPLE_SEED) -> np.ndarray:
    """Return `points` sorted indices out of `total`, a seeded random sample.

    The first m of one permutation: a smaller sample is part of a larger one.
    """
    return np.sort(np.random.default_rng(seed).permutation(total)[:points])


def layer_features(model: Sequential, images: np.ndarray, layer: str,
                   control: StopToken | None = None,
                   report: Report | None = None) -> np.ndarray:
    """Return (n, d) float32: the activations of `layer` for images (n, 28, 28) uint8.

    "input" is the pixels (n, 784), "hidden" the units of hidden_layer_index, "output"
    the logits (n, 10): before the softmax, which would squash every sure answer to one
    corner and leave nothing for a map to show.
    """
    return drain(layer_feature_steps(model, images, layer, control), report)


def layer_feature_steps(model: Sequential, images: np.ndarray, layer: str,
                        control: StopToken | None = None) -> Steps[np.ndarray]:
    """`layer_features` as steps: yield (fraction, text) between batches."""
    inputs = to_inputs(images)  # (n, 784) float32
    if layer == "input":
        return inputs
    upto = hidden_layer_index(model) if layer == "hidden" else len(model.layers) - 1
    parts = []
    with ParallelPredictor(model, inference_workers()) as predictor:
        for first in range(0, len(inputs), BATCH):
            raise_if_stopped(control)
            yield first / len(inputs), f"Activations: {first:,} of {len(inputs):,} images"
            batch = as_model_inputs(model, inputs[first:first + BATCH])
            activations = predictor.activations(batch, upto)
            parts.append(activations.reshape(len(activations), -1))
    return np.concatenate(parts).astype(np.float32, copy=False)


def compute_map(model: Sequential, audit: Audit, request: MapRequest,
                control: StopToken | None = None, report: Report | None = None) -> LayerMap:
    """Return the map asked for; raise ValueError (a sentence) if it cannot be made, and
    digitapp.analysis.control.Cancelled when `control` says stop."""
    return drain(map_steps(model, audit, request, control), report)


def map_steps(model: Sequential, audit: Audit, request: MapRequest,
              control: StopToken | None = None) -> Steps[LayerMap]:
    """`compute_map` as steps: yield (fraction, text) as it goes, return the LayerMap."""
    problem = check_request(model, request, len(audit))
    if problem:
        raise ValueError(problem)
    start = time.perf_counter()
    indices = sample_indices(len(audit), request.points)
    # Activations take about a tenth of a t-SNE, most of a PCA.
    share = 0.1 if request.method == "tsne" else 0.6
    features = layer_feature_steps(model, audit.images[indices], request.layer, control)
    x = yield from scaled(features, 0.0, share)
    if request.method == "pca":
        yield share, "PCA: principal axes"
        xy = pca(x, 2).embedding
    else:
        result = yield from scaled(tsne_steps(x, TsneSettings(), control), share, 1.0)
        xy = result.embedding
    raise_if_stopped(control)
    yield 1.0, "Map done"
    layer_name = layer_choices(model)[request.layer]
    title = (f"{METHODS[request.method]} of the {_lower_first(layer_name)}, "
             f"{request.points:,} test images")
    return LayerMap(request, title, indices, xy.astype(np.float32),
                    audit.labels[indices], audit.predictions[indices],
                    time.perf_counter() - start)


def _output_shape(model: Sequential, index: int) -> tuple[int, ...]:
    probe = np.zeros((1,) + model.input_shape, dtype=np.float32)
    return model.activations(probe, index).shape[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
