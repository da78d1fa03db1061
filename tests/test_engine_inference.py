"""Inference takes shortcuts (BatchNorm folded into the layer before it, pooling before
ReLU); it must give what running every layer in the listed order gives."""

import numpy as np
import pytest

from digitapp.engine import Sequential
from digitapp.engine.conv import Conv2D
from digitapp.engine.layers import Dense, Flatten, ReLU
from digitapp.engine.losses import softmax
from digitapp.engine.model import FOLD_FROM_BATCH, PREDICT_BATCH, PREDICT_WORK
from digitapp.engine.norm import BatchNorm
from digitapp.engine.pooling import MaxPool2D


def model_with_statistics() -> Sequential:
    layers = [Conv2D(5, 3), BatchNorm(), ReLU(), MaxPool2D(2), Conv2D(6, 3, "valid"),
              BatchNorm(), ReLU(), Flatten(), Dense(7), BatchNorm(), ReLU(), Dense(4)]
    model = Sequential(layers, (10, 10, 2), seed=3, dtype=np.float64)
    rng = np.random.default_rng(3)
    for layer in model.layers:  # gammas of both signs, non-trivial betas
        if layer.kind == "batchnorm":
            layer.params["gamma"][...] = rng.uniform(-2, 2, layer.params["gamma"].shape)
            layer.params["beta"][...] = rng.standard_normal(layer.params["beta"].shape)
    model.forward(rng.standard_normal((16, 10, 10, 2)) * 2 + 1, training=True)  # statistics
    return model


def layer_by_layer(model: Sequential, x: np.ndarray, upto: int) -> np.ndarray:
    for layer in model.layers[: upto + 1]:
        x = layer.forward(x.copy(), training=False)
    return x


def test_folded_inference_equals_every_layer_in_order():
    model = model_with_statistics()
    assert model._folds  # the shortcut is really taken (from FOLD_FROM_BATCH images on)
    x = np.random.default_rng(4).standard_normal((FOLD_FROM_BATCH + 1, 10, 10, 2))
    expected = softmax(layer_by_layer(model, x, len(model.layers) - 1))
    np.testing.assert_allclose(model.predict_proba(x), expected, rtol=1e-12)


@pytest.mark.parametrize("upto", range(12))
def test_activations_of_every_layer_equal_every_layer_in_order(upto):
    model = model_with_statistics()
    x = np.random.default_rng(5).standard_normal((FOLD_FROM_BATCH, 10, 10, 2))
    np.testing.assert_allclose(model.activations(x, upto), layer_by_layer(model, x, upto),
                               rtol=1e-12, atol=1e-14)


def test_one_image_is_not_folded_and_gets_the_same_answer():
    model = model_with_statistics()
    x = np.random.default_rng(7).standard_normal((FOLD_FROM_BATCH, 10, 10, 2))
    np.testing.assert_allclose(model.predict_proba(x[:1]), model.predict_proba(x)[:1],
                               rtol=1e-12)


def test_training_mode_does_not_fold():
    model = model_with_statistics()
    x = np.random.default_rng(6).standard_normal((8, 10, 10, 2))
    before = model.layers[1].buffers["running_mean"].copy()
    model.forward(x, training=True)  # batch statistics: the running ones must move
    assert not np.allclose(model.layers[1].buffers["running_mean"], before)


def wide_cnn() -> Sequential:
    """A CNN whose first layer works on ~106,000 values per image: a pass takes few images."""
    layers = [Conv2D(64, 3), BatchNorm(), ReLU(), MaxPool2D(2), Flatten(), Dense(3)]
    return Sequential(layers, (28, 28, 8), seed=2, dtype=np.float64)


def test_a_big_cnn_predicts_in_passes_small_enough_for_the_caches():
    model = wide_cnn()
    size = model.prediction_batch()
    assert 1 <= size < PREDICT_BATCH
    assert size * model.work_per_example <= PREDICT_WORK
    seen = []
    forward = model.forward
    model.forward = lambda x, training=False: seen.append(len(x)) or forward(x, training)
    model.predict_proba(np.zeros((3 * size + 1, 28, 28, 8)))
    assert seen == [size, size, size, 1]


def test_predictions_and_activations_in_several_passes_equal_one_pass_layer_by_layer():
    model = wide_cnn()
    x = np.random.default_rng(8).standard_normal((2 * model.prediction_batch() + 3, 28, 28, 8))
    last = len(model.layers) - 1
    np.testing.assert_allclose(model.predict_proba(x),
                               softmax(layer_by_layer(model, x, last)), rtol=1e-12)
    for upto in (0, 3, last):
        np.testing.assert_allclose(model.activations(x, upto), layer_by_layer(model, x, upto),
                                   rtol=1e-12, atol=1e-14)


def test_no_images_give_no_predictions_and_no_activations():
    model = model_with_statistics()
    none = np.zeros((0, 10, 10, 2))
    assert model.predict_proba(none).shape == (0, 4)
    assert model.activations(none, 2).shape == (0, 10, 10, 5)
    assert model.activations(none, 11).shape == (0, 4)
