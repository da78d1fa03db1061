"""Layers: each has forward(x, training) and backward(grad), and walkable parameters.

Every layer exposes `params` and `grads`, two dicts of equally shaped arrays keyed by
parameter name ("W", "b"), and `buffers`, state that is saved with the model but not
trained (BatchNorm's running statistics). The model rebinds all of these to views into
flat arrays (see parameters.py), so a layer must update them in place (out=..., +=) and
never reassign them.

A layer type registers itself under its `kind` when its class is defined (see
`Layer.__init_subclass__`); `layer_from_config` rebuilds any registered kind. The engine
package imports every layer module, so all kinds are known once `digitapp.engine` is.
"""

from __future__ import annotations

import math

import numpy as np

# kind -> class, filled by Layer.__init_subclass__ as each layer class is defined.
LAYER_TYPES: dict[str, type[Layer]] = {}


class Layer:
    """Base class: a layer without parameters that passes shapes through."""

    kind = "layer"  # the "type" in config(); a subclass naming its own kind is registered
    # True for a layer with forward_scaled(x, scale, shift): at inference a BatchNorm right
    # after it folds its per-channel affine map into this layer's weights (see Sequential).
    folds_next_batchnorm = False
    # True for a layer that gives the same result before or after a ReLU and shrinks its
    # input (max pooling): the model runs it first, so the ReLU works on fewer values.
    runs_before_relu = False

    def __init_subclass__(cls, **kwargs) -> None:
        """Register a subclass that names its own `kind` (abstract helpers need not)."""
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            if cls.kind in LAYER_TYPES:
                raise TypeError(f"layer kind {cls.kind!r} is taken by {LAYER_TYPES[cls.kind]}")
            LAYER_TYPES[cls.kind] = cls

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.buffers: dict[str, np.ndarray] = {}
        self.decayed: set[str] = set()  # names of the parameters weight decay and L2 apply to

    def add_parameter(self, name: str, value: np.ndarray, decays: bool) -> None:
        """Add a trained parameter (and its zero gradient) in build().

        decays: whether weight decay and L2 apply to it (weights: yes; biases, shifts and
        scales: no, shrinking them only moves the function away from the data).
        """
        self.params[name] = value
        self.grads[name] = np.zeros_like(value)
        if decays:
            self.decayed.add(name)

    def build(self, input_shape: tuple[int, ...], rng: np.random.Generator, dtype) -> tuple:
        """Create the parameters for inputs of `input_shape` (without the batch axis).

        Return the output shape (without the batch axis).
        """
        return input_shape

    def plan(self, input_shape: tuple[int, ...]) -> tuple[tuple[int, ...], int, int]:
        """Return what `build(input_shape)` would make, without allocating anything:
        (output shape, values stored (parameters and buffers), values worked on per example).

        Raise ValueError if the layer cannot take inputs of `input_shape`. Sequential checks
        a whole architecture's size with this before building it (an untrusted model.json
        of 200 bytes could otherwise ask for gigabytes).
        """
        return tuple(input_shape), 0, count_values(input_shape)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        """Store the gradients of the parameters; return dL/dx (or None if not needed)."""
        raise NotImplementedError

    def inference_affine(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Return (scale, shift) if this layer at inference is y = x * scale + shift per
        feature (the last axis), else None.

        A layer whose forward(training=True) does more than keep what backward needs
        (random masks, batch statistics) must return its map here: the input gradient at
        inference (input_gradient.py) then uses the map instead of training mode.
        """
        return None

    def activation_values(self, input_shape: tuple, output_shape: tuple) -> tuple[int, int]:
        """Return (values per example kept from forward to backward, transient values per
        example of backward beyond its input and output gradients), for memory.py.

        Booleans count as a quarter of a float32 value. Default: a new output, nothing more.
        """
        return count_values(output_shape), 0

    def label(self) -> str | None:
        """Return this layer's part of an architecture's short name ('512', 'c32'), or None
        for a layer the name leaves out (activations, pooling, normalisation)."""
        return None

    def config(self) -> dict:
        """Return the JSON-able description that `layer_from_config` rebuilds this layer from."""
        return {"type": self.kind}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.config().items() if k != "type")
        return f"{type(self).__name__}({args})"


class Dense(Layer):
    """Fully connected layer y = x W + b, with He initialisation for ReLU networks.

    Shapes: x (N, D_in), W (D_in, D_out), b (D_out,), y (N, D_out).
    """

    kind = "dense"
    folds_next_batchnorm = True

    def __init__(self, units: int) -> None:
        super().__init__()
        if not isinstance(units, (int, np.integer)) or not 1 <= units <= 65536:
            raise ValueError(f"dense units must be a whole number in 1..65536, not {units!r}")
        self.units = int(units)
        self._x: np.ndarray | None = None

    def build(self, input_shape, rng, dtype):
        output_shape = self.plan(input_shape)[0]  # checks the inputs are flat
        fan_in = input_shape[0]
        # He et al. 2015: Var(W) = 2 / fan_in keeps ReLU activations' variance constant.
        std = np.sqrt(2.0 / fan_in)
        self.add_parameter("W", (rng.standard_normal((fan_in, self.units)) * std).astype(dtype),
                           decays=True)
        self.add_parameter("b", np.zeros(self.units, dtype=dtype), decays=False)
        return output_shape

    def plan(self, input_shape):
        if len(input_shape) != 1:
            raise ValueError(f"dense layer needs flat inputs, got shape {tuple(input_shape)}")
        return (self.units,), (input_shape[0] + 1) * self.units, input_shape[0] + self.units

    def forward(self, x, training=False):
        self._x = x if training else None
        y = x @ self.params["W"]
        y += self.params["b"]
        return y

    def forward_scaled(self, x, scale, shift):
        """Return forward(x) * scale + shift (per unit) at inference, the scale folded into W."""
        y = x @ (self.params["W"] * scale)
        y += self.params["b"] * scale + shift
        return y

    def backward(self, grad, need_input_grad=True):
        x = self._x
        # dW = x^T g (D_in, D_out), written straight into the gradient buffer.
        np.matmul(x.T, grad, out=self.grads["W"])
        np.sum(grad, axis=0, out=self.grads["b"])
        if not need_input_grad:
            return None
        return grad @ self.params["W"].T

    def label(self):
        return str(self.units)

    def config(self):
        return {"type": self.kind, "units": self.units}


class ReLU(Layer):
    """Rectified linear unit y = max(x, 0), computed in place on the incoming activation."""

    kind = "relu"

    def __init__(self) -> None:
        super().__init__()
        self._mask: np.ndarray | None = None

    def forward(self, x, training=False):
        # x is the previous layer's fresh output, so overwriting it saves a (N, D) copy.
        y = np.maximum(x, 0, out=x)
        self._mask = y if training else None
        return y

    def activation_values(self, input_shape, output_shape):
        return 0, count_values(output_shape) // 4  # in place; backward's boolean mask

    def backward(self, grad, need_input_grad=True):
        # Where the output was clipped to 0 the gradient is 0 (grad is ours to overwrite).
        # Multiplying by the boolean mask is ~10x faster than grad[mask <= 0] = 0.
        np.multiply(grad, self._mask > 0, out=grad)
        return grad


class Dropout(Layer):
    """Inverted dropout: zero a fraction `rate` of units in training, scale the rest by 1/(1-rate).

    At inference the layer is the identity, so no rescaling is needed after training.
    """

    kind = "dropout"

    def __init__(self, rate: float, seed: int = 0) -> None:
        super().__init__()
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"dropout rate must be in [0, 1), not {rate!r}")
        self.rate = float(rate)
        self.rng = np.random.default_rng(seed)
        self._mask: np.ndarray | None = None

    def build(self, input_shape, rng, dtype):
        # A child generator makes the masks reproducible from the model's seed.
        self.rng = np.random.default_rng(rng.integers(2**63))
        return input_shape

    def forward(self, x, training=False):
        if not training or self.rate == 0.0:
            self._mask = None
            return x
        # Random 16-bit integers are about twice as cheap to draw as floats; the rate is
        # then quantised to 1/65536, and the scale uses the exact keep probability.
        threshold = round(self.rate * 65536)
        keep = self.rng.integers(0, 65536, size=x.shape, dtype=np.uint16) >= threshold
        mask = np.multiply(keep, 65536.0 / (65536 - threshold), dtype=x.dtype)
        self._mask = mask
        x *= mask
        return x

    def inference_affine(self):
        """Return (1, 0): dropout is the identity at inference."""
        return np.float32(1.0), np.float32(0.0)

    def activation_values(self, input_shape, output_shape):
        # The float mask is kept; drawing it makes 16-bit integers and booleans.
        n_out = count_values(output_shape)
        return n_out, n_out // 2 + n_out // 4

    def backward(self, grad, need_input_grad=True):
        if self._mask is not None:
            grad *= self._mask
        return grad

    def config(self):
        return {"type": self.kind, "rate": self.rate}


class Flatten(Layer):
    """Reshape (N, ...) to (N, prod(...)); a view, so it costs nothing."""

    kind = "flatten"

    def build(self, input_shape, rng, dtype):
        self._in_shape = tuple(input_shape)
        return (int(np.prod(input_shape)),)

    def plan(self, input_shape):
        return (count_values(input_shape),), 0, count_values(input_shape)

    def activation_values(self, input_shape, output_shape):
        return 0, 0  # a view

    def forward(self, x, training=False):
        return x.reshape(x.shape[0], math.prod(x.shape[1:]))  # not (n, -1): n may be 0

    def backward(self, grad, need_input_grad=True):
        return grad.reshape((grad.shape[0],) + self._in_shape)


def count_values(shape) -> int:
    """Return the number of values in an array of `shape` (a Python int: never overflows)."""
    total = 1
    for d in shape:
        total *= int(d)
    return total


def layer_from_config(config: dict) -> Layer:
    """Return a new layer from its `config()`; raise ValueError for anything unknown."""
    if not isinstance(config, dict) or "type" not in config:
        raise ValueError(f"a layer description must be an object with a 'type', not {config!r}")
    kind = config["type"]
    cls = LAYER_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(f"unknown layer type {kind!r} (known: {', '.join(LAYER_TYPES)})")
    kwargs = {k: v for k, v in config.items() if k != "type"}
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise ValueError(f"bad options for layer {kind!r}: {kwargs}") from exc
