"""What a unit responds to (app/unit_response.py): the model copy the Inside window predicts
with, the ranking of test images per unit against a plain sort, stopping, and which units
have weights over the pixels."""

import numpy as np
import pytest

from digitapp.app.models import as_model_inputs, open_model
from digitapp.app.unit_response import copy_model, input_weights, top_images
from digitapp.data.mnist import load_mnist
from digitapp.engine import Control
from digitapp.paths import weights_path


@pytest.fixture(scope="module")
def test_set():
    data = load_mnist("test")
    return data.images[:1200], data.labels[:1200]


def run(generator):
    fractions = []
    while True:
        try:
            fractions.append(next(generator))
        except StopIteration as end:
            return fractions, end.value


@pytest.mark.parametrize("name", ["mlp-512", "cnn"])
def test_the_copy_predicts_the_same_and_shares_nothing(name, test_set):
    model = open_model(weights_path(name))[0]
    twin = copy_model(model)
    x = as_model_inputs(model, test_set[0][:50].astype(np.float32) / 255)
    np.testing.assert_array_equal(twin.predict_proba(x), model.predict_proba(x))
    assert twin.temperature == model.temperature
    assert not np.shares_memory(twin.params.values, model.params.values)


@pytest.mark.parametrize("name, layer", [("mlp-512", 1), ("cnn", 3)])
def test_top_images_are_the_strongest_responses(name, layer, test_set):
    images, labels = test_set
    model = copy_model(open_model(weights_path(name))[0])
    fractions, top = run(top_images(model, layer, images, labels))
    assert fractions[-1] == 1.0 and fractions == sorted(fractions)
    out = model.activations(as_model_inputs(model, images.astype(np.float32) / 255), layer)
    responses = out.reshape(len(images), -1, out.shape[-1]).max(axis=1) if out.ndim == 4 \
        else out  # (N, units)
    for unit in (0, 5):
        expected = np.sort(responses[:, unit])[::-1][:9]
        np.testing.assert_allclose(top.values[unit], expected, rtol=1e-5)
        np.testing.assert_array_equal(top.images[unit], images[top.indices[unit]])
        np.testing.assert_array_equal(top.labels[unit], labels[top.indices[unit]])


def test_a_stopped_ranking_returns_nothing(test_set):
    control = Control()
    control.stop()
    model = copy_model(open_model(weights_path("mlp-512"))[0])
    assert run(top_images(model, 0, *test_set, control)) == ([], None)


def test_only_the_first_layers_units_have_weights_over_the_pixels():
    mlp = open_model(weights_path("mlp-512"))[0]
    np.testing.assert_array_equal(input_weights(mlp, 2, 7),
                                  mlp.layers[0].params["W"][:, 7].reshape(28, 28))
    assert input_weights(mlp, 3, 0) is None
    cnn = open_model(weights_path("cnn"))[0]
    assert input_weights(cnn, 3, 31).shape == (5, 5)  # conv, BatchNorm, ReLU, pooling
    assert all(input_weights(cnn, i, 0) is None for i in range(4, len(cnn.layers)))
