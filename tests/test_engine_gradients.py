"""Float64 numerical gradient checks for every layer, the loss and whole models."""

import numpy as np
import pytest

from digitapp.app.architectures import mlp_config
from digitapp.engine import Dense, Dropout, Flatten, ReLU, Sequential, SoftmaxCrossEntropy
from digitapp.engine.gradcheck import check_layer, numerical_gradient, relative_error

TOL = 1e-6


def built(layer, input_shape, seed=0):
    layer.build(input_shape, np.random.default_rng(seed), np.float64)
    return layer


@pytest.mark.parametrize("d_in,d_out,n", [(5, 3, 4), (1, 1, 1), (7, 11, 3)])
def test_dense_gradients(d_in, d_out, n):
    rng = np.random.default_rng(1)
    layer = built(Dense(d_out), (d_in,))
    layer.params["b"][...] = rng.standard_normal(d_out)
    errors = check_layer(layer, rng.standard_normal((n, d_in)), rng)
    assert max(errors.values()) < TOL, errors


def test_relu_gradients_away_from_the_kink():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((6, 9))
    x[np.abs(x) < 0.05] = 0.5  # finite differences straddling 0 would be meaningless
    errors = check_layer(built(ReLU(), (9,)), x, rng)
    assert errors["x"] < TOL


def test_dropout_gradients_with_a_fixed_mask():
    rng = np.random.default_rng(3)
    layer = built(Dropout(0.3), (8,))
    x = rng.standard_normal((5, 8))
    mask_seed = 42

    # Re-seed before every forward so each finite-difference evaluation sees the same mask.
    original_forward = layer.forward

    def forward(inputs, training=False):
        layer.rng = np.random.default_rng(mask_seed)
        return original_forward(inputs, training)

    layer.forward = forward
    errors = check_layer(layer, x, rng)
    assert errors["x"] < TOL
    dropped = layer.forward(np.ones((5, 8)), training=True) == 0
    assert 0 < dropped.mean() < 0.7  # the mask really drops something


def test_dropout_is_identity_at_inference_and_unbiased_in_training():
    layer = built(Dropout(0.25), (1000,))
    x = np.ones((200, 1000))
    assert np.array_equal(layer.forward(x.copy(), training=False), x)
    y = layer.forward(x.copy(), training=True)
    assert set(np.unique(y)) == {0.0, 1.0 / 0.75}
    assert abs(y.mean() - 1.0) < 0.01  # inverted dropout keeps the expectation


def test_flatten_gradients():
    rng = np.random.default_rng(4)
    errors = check_layer(built(Flatten(), (2, 3, 3)), rng.standard_normal((2, 2, 3, 3)), rng)
    assert errors["x"] < TOL


def test_softmax_cross_entropy_gradient():
    rng = np.random.default_rng(5)
    logits = rng.standard_normal((7, 10)) * 3
    labels = rng.integers(0, 10, 7)
    loss_fn = SoftmaxCrossEntropy()
    _, grad = loss_fn.loss_and_grad(logits.copy(), labels)
    numeric = numerical_gradient(lambda: loss_fn.loss(logits, labels), logits)
    assert relative_error(grad, numeric) < TOL


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    logits = np.array([[1e4, 0.0, -1e4], [-1e4, 1e4, 0.0]], dtype=np.float32)
    loss, grad = SoftmaxCrossEntropy().loss_and_grad(logits, np.array([0, 2]))
    assert np.isfinite(loss) and np.all(np.isfinite(grad))
    assert loss == pytest.approx(1e4 / 2, rel=1e-3)  # second row is wrong by 1e4 nats


def test_whole_mlp_gradient_including_l2():
    rng = np.random.default_rng(6)
    model = Sequential.from_config(mlp_config([6, 5], inputs=4, classes=3), seed=0,
                                    dtype=np.float64)
    x = rng.standard_normal((8, 4))
    y = rng.integers(0, 3, 8)
    loss_fn = SoftmaxCrossEntropy()
    model.backward(loss_fn.loss_and_grad(model.forward(x, training=True), y)[1])
    analytic = model.params.grads.copy()

    def loss():
        return loss_fn.loss(model.forward(x, training=True), y)

    numeric = numerical_gradient(loss, model.params.values)
    assert relative_error(analytic, numeric) < TOL


def test_l2_penalty_gradient_matches_the_seed_formula():
    from digitapp.engine import l2_penalty

    rng = np.random.default_rng(7)
    w = rng.standard_normal((3, 4))
    lam, m = 0.01, 32
    numeric = numerical_gradient(lambda: l2_penalty([w], lam, m), w)
    assert relative_error(lam / m * w, numeric) < TOL
    assert l2_penalty([w], lam, m) == pytest.approx(lam / (2 * m) * np.sum(w**2))


def test_model_parameters_are_views_into_one_buffer():
    model = Sequential([Dense(4), ReLU(), Dense(2)], (3,))
    assert model.num_parameters() == 3 * 4 + 4 + 4 * 2 + 2
    model.params.values[:] = 0.5
    assert np.all(model.layers[0].params["W"] == 0.5)
    assert np.all(model.layers[2].params["b"] == 0.5)
