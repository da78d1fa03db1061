"""Float64 gradient checks for the convolutional layers on odd shapes and channel counts."""

import numpy as np
import pytest

from digitapp.engine import Sequential, SoftmaxCrossEntropy, load_model, save_model
from digitapp.engine.conv import Conv2D
from digitapp.engine.gradcheck import check_layer, numerical_gradient, relative_error
from digitapp.engine.layers import Dense, Flatten, ReLU
from digitapp.engine.norm import BatchNorm
from digitapp.engine.pooling import GlobalAvgPool2D, MaxPool2D

TOL = 1e-6


def built(layer, input_shape, seed=0):
    layer.build(input_shape, np.random.default_rng(seed), np.float64)
    return layer


@pytest.mark.parametrize(
    "shape,filters,kernel,padding",
    [
        ((5, 7, 3), 4, 3, "same"),
        ((6, 5, 2), 3, 3, "valid"),
        ((5, 5, 1), 2, 5, "same"),
        ((4, 6, 3), 5, 2, "same"),  # even kernel: uneven 'same' padding
        ((7, 4, 2), 1, 1, "valid"),
    ],
)
def test_conv2d_gradients(shape, filters, kernel, padding):
    rng = np.random.default_rng(1)
    layer = built(Conv2D(filters, kernel, padding), shape)
    layer.params["b"][...] = rng.standard_normal(filters)
    errors = check_layer(layer, rng.standard_normal((2,) + shape), rng)
    assert max(errors.values()) < TOL, errors


def test_conv2d_matches_a_direct_loop():
    rng = np.random.default_rng(2)
    layer = built(Conv2D(3, 3, "valid"), (5, 6, 2))
    x = rng.standard_normal((2, 5, 6, 2))
    y = layer.forward(x)
    w, b = layer.params["W"], layer.params["b"]
    expected = np.zeros((2, 3, 4, 3))
    for i in range(3):
        for j in range(4):
            patch = x[:, i : i + 3, j : j + 3, :]  # (N, 3, 3, C)
            expected[:, i, j, :] = np.einsum("nhwc,hwcf->nf", patch, w) + b
    np.testing.assert_allclose(y, expected, rtol=1e-10)


@pytest.mark.parametrize("shape,size", [((4, 6, 3), 2), ((7, 5, 2), 2), ((6, 6, 1), 3)])
def test_maxpool_gradients(shape, size):
    rng = np.random.default_rng(3)
    # Distinct values: a tie inside a window has no derivative.
    x = rng.permutation(np.prod((2,) + shape)).reshape((2,) + shape).astype(np.float64)
    layer = built(MaxPool2D(size), shape)
    errors = check_layer(layer, x * 0.01, rng)
    assert errors["x"] < TOL
    out = layer.forward(x, training=False)
    assert out.shape == (2, shape[0] // size, shape[1] // size, shape[2])
    np.testing.assert_array_equal(out, layer.forward(x, training=True))


def test_maxpool_sends_a_tied_gradient_to_one_input_only():
    layer = built(MaxPool2D(2), (2, 2, 1))
    layer.forward(np.zeros((1, 2, 2, 1)), training=True)
    dx = layer.backward(np.ones((1, 1, 1, 1)))
    assert dx.sum() == 1.0


def test_global_average_pool_gradients():
    rng = np.random.default_rng(4)
    errors = check_layer(built(GlobalAvgPool2D(), (3, 5, 4)), rng.standard_normal((2, 3, 5, 4)),
                         rng)
    assert errors["x"] < TOL


@pytest.mark.parametrize("shape", [(7,), (3, 5, 3)])
def test_batchnorm_gradients(shape):
    rng = np.random.default_rng(5)
    layer = built(BatchNorm(), shape)
    layer.params["gamma"][...] = rng.uniform(0.5, 2, shape[-1])
    layer.params["beta"][...] = rng.standard_normal(shape[-1])
    errors = check_layer(layer, rng.standard_normal((6,) + shape) * 3 + 1, rng)
    assert max(errors.values()) < TOL, errors


def test_batchnorm_normalises_in_training_and_uses_running_stats_at_inference():
    rng = np.random.default_rng(6)
    layer = built(BatchNorm(momentum=0.0), (4,))
    x = rng.standard_normal((500, 4)) * 5 + 3
    y = layer.forward(x.copy(), training=True)
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-9)
    np.testing.assert_allclose(y.std(axis=0), 1, atol=1e-3)
    # momentum 0: the running stats are this batch's (variance unbiased).
    np.testing.assert_allclose(layer.buffers["running_mean"], x.mean(axis=0))
    np.testing.assert_allclose(layer.buffers["running_var"], x.var(axis=0, ddof=1))
    single = layer.forward(x[:1].copy(), training=False)
    np.testing.assert_allclose(single, y[:1], atol=1e-2)


def small_cnn(dtype=np.float64, seed=0):
    layers = [Conv2D(3, 3), BatchNorm(), ReLU(), MaxPool2D(2), Conv2D(4, 3, "valid"), ReLU(),
              Flatten(), Dense(5)]
    return Sequential(layers, (9, 9, 2), seed=seed, dtype=dtype)


def test_whole_cnn_gradient():
    rng = np.random.default_rng(7)
    model = small_cnn()
    x = rng.standard_normal((4, 9, 9, 2))
    y = rng.integers(0, 5, 4)
    loss_fn = SoftmaxCrossEntropy()
    model.backward(loss_fn.loss_and_grad(model.forward(x, training=True), y)[1])
    analytic = model.params.grads.copy()
    numeric = numerical_gradient(lambda: loss_fn.loss(model.forward(x, training=True), y),
                                 model.params.values)
    assert relative_error(analytic, numeric) < TOL


def test_cnn_round_trip_keeps_batchnorm_statistics(tmp_path):
    rng = np.random.default_rng(8)
    model = small_cnn(np.float32)
    model.forward(rng.standard_normal((16, 9, 9, 2)).astype(np.float32), training=True)
    assert not np.allclose(model.layers[1].buffers["running_mean"], 0)
    save_model(model, tmp_path / "cnn")
    loaded, manifest = load_model(tmp_path / "cnn")
    assert "layers.1.running_var" in manifest["parameters"]
    x = rng.standard_normal((3, 9, 9, 2)).astype(np.float32)
    np.testing.assert_array_equal(loaded.predict_proba(x), model.predict_proba(x))
