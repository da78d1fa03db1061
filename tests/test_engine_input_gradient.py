"""input_gradient: dlogits/dx at inference, against finite differences, model untouched."""

import numpy as np

from digitapp.engine import Sequential
from digitapp.engine.input_gradient import input_gradient

CONFIG = {"input_shape": [10, 10, 1], "layers": [
    {"type": "conv2d", "filters": 3, "kernel": 3, "padding": "same"},
    {"type": "batchnorm"}, {"type": "relu"}, {"type": "maxpool2d", "size": 2},
    {"type": "conv2d", "filters": 4, "kernel": 2, "padding": "valid"}, {"type": "relu"},
    {"type": "maxpool2d", "size": 3}, {"type": "flatten"}, {"type": "dropout", "rate": 0.5},
    {"type": "dense", "units": 6}, {"type": "batchnorm"}, {"type": "relu"},
    {"type": "dense", "units": 4},
]}


def _model():
    """CONFIG in float64 with running statistics and biases that are not the defaults."""
    model = Sequential.from_config(CONFIG, seed=1, dtype=np.float64)
    rng = np.random.default_rng(2)
    model.params.values[...] += 0.1 * rng.standard_normal(model.params.values.size)
    model.params.buffers[...] = rng.uniform(0.5, 1.5, model.params.buffers.size)
    return model


def test_the_input_gradient_matches_finite_differences():
    model = _model()
    x = np.random.default_rng(3).random((2, 10, 10, 1))
    seed = np.random.default_rng(4).standard_normal((2, 4))  # any dL/dlogits
    logits, dx = input_gradient(model, x, seed)
    assert dx.shape == x.shape
    np.testing.assert_allclose(logits, model.forward(x), rtol=1e-12)
    eps = 1e-6
    for index in [(0, 0, 0, 0), (0, 4, 5, 0), (1, 9, 2, 0), (1, 3, 3, 0), (0, 7, 8, 0)]:
        up, down = x.copy(), x.copy()
        up[index] += eps
        down[index] -= eps
        numeric = ((model.forward(up) - model.forward(down)) * seed).sum() / (2 * eps)
        assert abs(numeric - dx[index]) < 1e-6 * max(1.0, abs(numeric))


def test_the_model_is_left_as_it_was():
    model = _model()
    flat = model.get_flat()
    model.params.grads[...] = 7.0  # a training run's gradients, mid-step
    dropout = model.layers[8]
    state = dropout.rng.bit_generator.state
    input_gradient(model, np.ones((1, 10, 10, 1)), np.ones((1, 4)))
    assert np.array_equal(model.get_flat(), flat)  # parameters and running statistics
    assert np.all(model.params.grads == 7.0)
    assert dropout.rng.bit_generator.state == state
