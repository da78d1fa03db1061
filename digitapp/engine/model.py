"""Sequential: a stack of layers with one flat parameter buffer."""

from __future__ import annotations

import math

import numpy as np

from .layers import Layer, ReLU, layer_from_config
from .losses import softmax
from .norm import BatchNorm
from .parameters import FlatParameters

# Images per forward pass when predicting, at most: the MLP's products gain a little up to
# here (one thread, 10,000 test images: 0.11 s in batches of 16, 0.08 s in batches of 128).
PREDICT_BATCH = 128
FOLD_FROM_BATCH = 16  # images per forward pass from which BatchNorm is folded (see _run)

# Limits on an architecture described by a config (often an untrusted model.json), checked
# before anything is allocated. The shipped CNN stores 392,842 values and works on at most
# 68,992 per image (its second convolution's patches and output); the largest convolutional
# net the Train tab builds stores 826,378.
MAX_LAYERS = 1_000
MAX_STORED_VALUES = 100_000_000  # parameters and buffers: 400 MB of float32
MAX_WORK_PER_EXAMPLE = 1_000_000  # values one layer reads/writes for one example: 4 MB
# Values (inputs, patches, outputs) one layer of a prediction batch may work on at once:
# 4.8 MB of float32, so a convolution's patches and output stay in the CPU's caches. The
# shipped CNN (68,992 values per image) then predicts 17 images a pass; measured on one
# thread, 10,000 test images: 2.0 s in batches of 16-20, 2.2 s of 32, 2.6 s of 128 (where
# it was) and 5.1 s of 1,000 (page faults and cache misses, not arithmetic).
PREDICT_WORK = 1_200_000


class Sequential:
    """A feed-forward network: layers applied in order to inputs of `input_shape`.

    Build it from layers (`Sequential([Dense(512), ReLU(), ...], input_shape=(784,))`) or from
    a JSON-able architecture (`Sequential.from_config(...)`). The seed fixes the initial
    weights and every dropout mask, so a run is reproducible.
    """

    def __init__(
        self,
        layers: list[Layer],
        input_shape: tuple[int, ...],
        seed: int = 0,
        dtype=np.float32,
        initialise: bool = True,
    ) -> None:
        """initialise=False: weights are left at zero (cheap), for a loader that overwrites
        them all from files; no random numbers are drawn."""
        if not layers:
            raise ValueError("a model needs at least one layer")
        self.layers = list(layers)
        self.input_shape = tuple(int(d) for d in input_shape)
        self.dtype = np.dtype(dtype)
        self.seed = int(seed)
        rng = np.random.default_rng(self.seed) if initialise else _NoRandom()
        shape = self.input_shape
        for layer in self.layers:
            shape = tuple(layer.build(shape, rng, self.dtype))
        self.output_shape = shape
        self.work_per_example = max(layer.plan(s)[2] for layer, s in
                                    zip(self.layers, self._input_shapes(), strict=True))
        self.params = FlatParameters(self.layers, self.dtype)
        # Softmax temperature of predict_proba (calibration: logits / T; 1 = the raw softmax).
        # Training never uses it: the loss reads the logits of forward().
        self.temperature = 1.0
        self._order = execution_order(self.layers)
        # Positions in _order of a layer that folds a BatchNorm (Layer.folds_next_batchnorm)
        # followed by one: at inference the BatchNorm's affine map scales that layer's weights.
        self._folds = {k for k in range(len(self._order) - 1)
                       if self.layers[self._order[k]].folds_next_batchnorm
                       and isinstance(self.layers[self._order[k + 1]], BatchNorm)}

    # -- computation -------------------------------------------------------------------
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """Return the logits (N, K) for a batch x (N, *input_shape)."""
        # Layers may work in place on their input (ReLU, Dropout); never on the caller's x.
        if self.layers[0].params:
            x = x.astype(self.dtype, copy=False)
        else:
            x = np.array(x, dtype=self.dtype, copy=True)
        return self._run(x, training, len(self._order))

    def _run(self, x: np.ndarray, training: bool, count: int) -> np.ndarray:
        """Run the first `count` layers of the execution order on x (already ours)."""
        # Folding rescales the weights on each call (~0.1 ms for the CNN) and saves ~20 us
        # per image: worth it from a few images on, not for the Draw tab's single one.
        fold = not training and len(x) >= FOLD_FROM_BATCH
        k = 0
        while k < count:
            layer = self.layers[self._order[k]]
            if fold and k in self._folds and k + 1 < count:
                scale, shift = self.layers[self._order[k + 1]].inference_affine()
                x = layer.forward_scaled(x, scale, shift)
                k += 2
            else:
                x = layer.forward(x, training)
                k += 1
        return x

    def backward(self, grad: np.ndarray) -> None:
        """Back-propagate dL/dlogits (N, K), filling every layer's gradients."""
        first = self._order[0]
        for index in reversed(self._order):
            # The first layer's input gradient would be dL/dpixels: nobody needs it.
            grad = self.layers[index].backward(grad, need_input_grad=index != first)

    def prediction_batch(self) -> int:
        """Return how many examples one inference pass should take (PREDICT_WORK)."""
        return max(1, min(PREDICT_BATCH, PREDICT_WORK // self.work_per_example))

    def predict_proba(self, x: np.ndarray, batch_size: int | None = None) -> np.ndarray:
        """Return class probabilities (N, K) for inputs (N, *input_shape), in batches
        (prediction_batch() unless a smaller batch_size is given): the softmax of the
        logits divided by self.temperature."""
        x = np.asarray(x)
        out = np.empty((x.shape[0],) + self.output_shape, dtype=self.dtype)
        batch_size = min(batch_size or PREDICT_BATCH, self.prediction_batch())
        for start in range(0, x.shape[0], batch_size):
            batch = x[start : start + batch_size].astype(self.dtype, copy=False)
            logits = self.forward(batch, training=False)
            if self.temperature != 1.0:
                logits = logits / np.asarray(self.temperature, logits.dtype)
            out[start : start + batch_size] = softmax(logits)
        return out

    def predict(self, x: np.ndarray, batch_size: int | None = None) -> np.ndarray:
        """Return the predicted class (N,) for inputs (N, *input_shape)."""
        return self.predict_proba(x, batch_size).argmax(axis=1)

    def activations(self, x: np.ndarray, upto: int) -> np.ndarray:
        """Return the output of layer `upto` (inference mode) for inputs x (N, ...), computed
        prediction_batch() examples at a time."""
        size = self.prediction_batch()
        if len(x) <= size:
            return self._activations(x, upto)
        return np.concatenate([self._activations(x[i : i + size], upto)
                               for i in range(0, len(x), size)])

    def _activations(self, x: np.ndarray, upto: int) -> np.ndarray:
        x = np.array(x, dtype=self.dtype, copy=True)
        if sorted(self._order[: upto + 1]) == list(range(upto + 1)):
            return self._run(x, False, upto + 1)  # the same layers, in the fast order
        for layer in self.layers[: upto + 1]:  # e.g. up to a ReLU run after its pooling
            x = layer.forward(x, training=False)
        return x

    # -- parameters --------------------------------------------------------------------
    def named_parameters(self) -> dict[str, np.ndarray]:
        """Return {"layers.<i>.<key>": array view} for every trained parameter."""
        return self.params.named()

    def named_arrays(self) -> dict[str, np.ndarray]:
        """Return every array a saved model needs: parameters and buffers (views)."""
        return {**self.params.named(), **self.params.named_buffers()}

    def weights(self) -> list[np.ndarray]:
        """Return the weights: the parameters L2 and weight decay apply to (views)."""
        return [self.params.view(self.params.values, s) for s in self.params.decayed_slots()]

    def get_flat(self) -> np.ndarray:
        """Return a copy of all parameters, then all buffers, as one flat array (a snapshot)."""
        return np.concatenate([self.params.values, self.params.buffers])

    def set_flat(self, flat: np.ndarray) -> None:
        """Overwrite all parameters and buffers from a snapshot made by `get_flat`."""
        n = self.params.values.size
        if flat.shape != (n + self.params.buffers.size,):
            raise ValueError("snapshot does not match this model's parameters")
        self.params.values[...] = flat[:n]
        self.params.buffers[...] = flat[n:]

    def release_workspaces(self) -> None:
        """Drop the scratch arrays layers keep between training batches (see workspace.py)."""
        for layer in self.layers:
            workspace = getattr(layer, "workspace", None)
            if workspace is not None:
                workspace.clear()

    def num_parameters(self) -> int:
        return self.params.size

    def _input_shapes(self) -> list[tuple[int, ...]]:
        """Return the input shape of each layer (without the batch axis)."""
        shapes, shape = [], self.input_shape
        for layer in self.layers:
            shapes.append(shape)
            shape = layer.plan(shape)[0]
        return shapes

    # -- description -------------------------------------------------------------------
    def config(self) -> dict:
        """Return the JSON-able architecture."""
        return {
            "input_shape": list(self.input_shape),
            "layers": [layer.config() for layer in self.layers],
        }

    @classmethod
    def from_config(cls, config: dict, seed: int = 0, dtype=np.float32,
                    initialise: bool = True) -> Sequential:
        """Return a new model with the architecture `config` (weights freshly initialised,
        or zero with initialise=False: see __init__)."""
        layers, shape = checked_architecture(config)
        return cls(layers, shape, seed, dtype, initialise)

    def summary(self) -> str:
        """Return a one-line description like '784-512-10 (407,050 parameters)'."""
        return f"{describe_architecture(self.config())} ({self.num_parameters():,} parameters)"

    def __repr__(self) -> str:
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Sequential([{inner}], input_shape={self.input_shape})"


def describe_architecture(config: dict) -> str:
    """Return an architecture's short name: '784-512-10' for an MLP, 'CNN c32-c64-256-10'.

    config: {"input_shape": [...], "layers": [...]} (nothing is built). A flat input is
    named by its size, an image input by "CNN"; then each layer's label (Layer.label).
    """
    shape = config["input_shape"]
    parts = [str(math.prod(shape))] if len(shape) == 1 else []
    parts += [label for c in config["layers"] if (label := layer_from_config(c).label())]
    return ("" if len(shape) == 1 else "CNN ") + "-".join(parts)


def checked_architecture(config) -> tuple[list[Layer], tuple[int, ...]]:
    """Return (layers, input shape) of an architecture config, unbuilt; raise ValueError
    unless it is well formed and within the size limits (check_size). Allocates nothing."""
    if not isinstance(config, dict):
        raise ValueError("architecture must be an object")
    shape = config.get("input_shape")
    if (
        not isinstance(shape, list)
        or not shape
        or not all(isinstance(d, int) and 0 < d <= 100_000 for d in shape)
    ):
        raise ValueError(f"architecture has a bad input_shape: {shape!r}")
    layers = config.get("layers")
    if not isinstance(layers, list) or not layers:
        raise ValueError("architecture has no layers")
    if len(layers) > MAX_LAYERS:
        raise ValueError(f"architecture has {len(layers):,} layers (at most {MAX_LAYERS:,})")
    built = [layer_from_config(c) for c in layers]  # options checked; nothing allocated
    check_size(built, tuple(shape))
    return built, tuple(shape)


class _NoRandom:
    """Stands for the random generator when a model's weights will all be read from files:
    "random" weights are zeros (no random numbers drawn, float32 not float64)."""

    @staticmethod
    def standard_normal(shape) -> np.ndarray:
        return np.zeros(shape, np.float32)

    @staticmethod
    def integers(*args, **kwargs) -> int:
        return 0


def check_size(layers: list[Layer], input_shape: tuple[int, ...]) -> None:
    """Raise ValueError unless `layers` fit inputs of `input_shape` within the size limits.

    Works from the layers' plans alone (shapes and counts as Python ints), so a config asking
    for terabytes is refused in microseconds, before a single array exists.
    """
    shape, stored = tuple(input_shape), 0
    if math.prod(shape) > MAX_WORK_PER_EXAMPLE:
        raise ValueError(f"inputs of shape {shape} are too large: {math.prod(shape):,} values "
                         f"(at most {MAX_WORK_PER_EXAMPLE:,})")
    for index, layer in enumerate(layers):
        shape, values, work = layer.plan(shape)
        stored += values
        if stored > MAX_STORED_VALUES:
            raise ValueError(f"too large: more than {MAX_STORED_VALUES:,} parameters "
                             f"(400 MB) by layer {index} ({layer.kind})")
        if work > MAX_WORK_PER_EXAMPLE:
            raise ValueError(f"too large: layer {index} ({layer.kind}) works on {work:,} "
                             f"values per image (at most {MAX_WORK_PER_EXAMPLE:,})")


def execution_order(layers: list[Layer]) -> list[int]:
    """Return the order to run `layers` in: as listed, but a layer that says it runs before
    a ReLU (Layer.runs_before_relu: max pooling) swapped with the ReLU right before it.

    ReLU then max pooling equals max pooling then ReLU (both are monotone: the largest value
    of a window stays the largest after clipping), gradients included: where the maximum is
    positive both send it to the same input, where it is not both send nothing. Pooling
    first makes the ReLU (and its backward pass) work on a quarter of the values.
    """
    order = list(range(len(layers)))
    i = 0
    while i < len(order) - 1:
        if isinstance(layers[order[i]], ReLU) and layers[order[i + 1]].runs_before_relu:
            order[i], order[i + 1] = order[i + 1], order[i]
            i += 2
        else:
            i += 1
    return order

