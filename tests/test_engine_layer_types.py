"""Layer types register themselves by kind and state their own rules: which parameters
decay, whether a following BatchNorm folds into them, how they appear in a short name."""

import numpy as np
import pytest

from digitapp.app.architectures import architecture_config, build, mlp_config
from digitapp.engine import Layer, Sequential, describe_architecture, layer_from_config
from digitapp.engine.gradcheck import check_layer
from digitapp.engine.layers import LAYER_TYPES
from digitapp.engine.memory import training_memory


def test_every_engine_layer_is_registered_under_its_kind():
    assert set(LAYER_TYPES) == {"dense", "relu", "dropout", "flatten", "conv2d", "maxpool2d",
                                "globalavgpool2d", "batchnorm"}
    for kind, cls in LAYER_TYPES.items():
        assert cls.kind == kind
    with pytest.raises(ValueError, match="unknown layer type 'lstm'"):
        layer_from_config({"type": "lstm"})


def test_a_second_class_cannot_take_a_kind():
    with pytest.raises(TypeError, match="'dense' is taken"):
        type("Dense2", (Layer,), {"kind": "dense"})
    assert LAYER_TYPES["dense"].__name__ == "Dense"


@pytest.mark.parametrize("arch", ["mlp", "cnn", "cnn3"])
def test_weight_decay_applies_to_the_weights_only(arch):
    """As before the flags: exactly the dense and convolution kernels ("W") decay."""
    model = build(arch, [32, 16], 0.1, seed=0)
    mask = model.params.decay_mask()
    for name, view in model.named_parameters().items():
        start = view.__array_interface__["data"][0] - model.params.values.ctypes.data
        values = mask[start // 4 : start // 4 + view.size]
        assert np.all(values == (1.0 if name.endswith(".W") else 0.0)), name
    assert len(model.weights()) == sum(name.endswith(".W") for name in model.named_parameters())


@pytest.mark.parametrize("arch", ["cnn", "cnn3"])
def test_batchnorm_folds_into_each_convolution_and_dense_layer_before_it(arch):
    model = build(arch, [], 0.3, seed=0)
    folded = sorted(model._order[k] for k in model._folds)
    kinds = [layer.kind for layer in model.layers]
    expected = [i for i in range(len(kinds) - 1)
                if kinds[i] in ("conv2d", "dense") and kinds[i + 1] == "batchnorm"]
    assert folded == expected and len(expected) == (4 if arch == "cnn3" else 3)
    # Max pooling says it runs before a ReLU: each block's (relu, maxpool2d) pair swaps.
    order_kinds = [kinds[i] for i in model._order]
    assert order_kinds[:4] == ["conv2d", "batchnorm", "maxpool2d", "relu"]
    assert order_kinds.count("maxpool2d") == kinds.count("maxpool2d") == len(expected) - 1
    assert all(order_kinds[i + 1] == "relu" for i, k in enumerate(order_kinds) if k == "maxpool2d")


def test_one_describer_names_jobs_and_models():
    assert describe_architecture(mlp_config([256, 64])) == "784-256-64-10"
    assert describe_architecture(architecture_config("cnn3", [], 0.3)) == \
        "CNN c32-c64-c128-256-10"
    assert build("mlp", [512], 0.1, seed=0).summary() == "784-512-10 (407,050 parameters)"
    assert build("cnn", [], 0.3, seed=0).summary().startswith("CNN c32-c64-256-10 (")


@pytest.fixture
def scale_type():
    """Define a layer type as a new file would (y = x * s + t per feature); unregister it
    afterwards so the registry is left as found."""

    class Scale(Layer):
        kind = "test_scale"

        def build(self, input_shape, rng, dtype):
            features = input_shape[-1]
            self.add_parameter("s", rng.standard_normal(features).astype(dtype), decays=True)
            self.add_parameter("t", np.zeros(features, dtype=dtype), decays=False)
            return input_shape

        def forward(self, x, training=False):
            self._x = x if training else None
            return x * self.params["s"] + self.params["t"]

        def backward(self, grad, need_input_grad=True):
            np.sum(grad * self._x, axis=0, out=self.grads["s"])
            np.sum(grad, axis=0, out=self.grads["t"])
            return grad * self.params["s"] if need_input_grad else None

    yield Scale
    del LAYER_TYPES["test_scale"]


def test_a_new_layer_type_needs_only_its_class(scale_type):
    assert LAYER_TYPES["test_scale"] is scale_type
    config = mlp_config([6], inputs=5, classes=3)
    config["layers"].insert(1, {"type": "test_scale"})
    model = Sequential.from_config(config, seed=1, dtype=np.float64)
    assert isinstance(model.layers[1], scale_type) and model.config() == config
    assert [s.name for s in model.params.decayed_slots()] == \
        ["layers.0.W", "layers.1.s", "layers.3.W"]
    assert training_memory(config, 32).total > 0  # the default memory rule covers it
    rng = np.random.default_rng(2)
    errors = check_layer(model.layers[1], rng.standard_normal((4, 6)), rng)
    assert max(errors.values()) < 1e-6, errors
