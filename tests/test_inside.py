"""Inside a model (issue 16's groundwork): the layer table, every layer's activations, the
SVG diagram and the saliency maps, for the shipped MLP, the shipped CNN and a tiny CNN
trained here (every layer kind: conv 'valid' and 'same', BatchNorm, ReLU, max and global
average pooling, dropout, dense)."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from digitapp.app.architecture_svg import architecture_svg
from digitapp.app.inside import architecture, architecture_rows, layer_views
from digitapp.app.models import as_model_inputs, open_model, shipped_models
from digitapp.app.saliency import occlusion, saliency
from digitapp.data.mnist import load_mnist, subset
from digitapp.engine import Sequential, TrainConfig, train
from digitapp.paths import weights_path

TINY_CNN = {"input_shape": [28, 28, 1], "layers": [
    {"type": "conv2d", "filters": 4, "kernel": 3, "padding": "valid"},
    {"type": "batchnorm"}, {"type": "relu"}, {"type": "maxpool2d", "size": 2},
    {"type": "conv2d", "filters": 8, "kernel": 3, "padding": "same"}, {"type": "relu"},
    {"type": "globalavgpool2d"}, {"type": "dropout", "rate": 0.2}, {"type": "dense", "units": 10},
]}


@pytest.fixture(scope="module")
def images():
    """Twenty MNIST test images (20, 28, 28) float32 in [0, 1]."""
    return load_mnist("test").images[:20].astype(np.float32) / 255


@pytest.fixture(scope="module")
def tiny_cnn():
    """TINY_CNN trained one epoch on 300 MNIST images (BatchNorm statistics are trained)."""
    data = subset(load_mnist("train"), 300, seed=0)
    model = Sequential.from_config(TINY_CNN, seed=0)
    x, y = as_model_inputs(model, data.inputs()), data.labels.astype(np.int64)
    list(train(model, x[:250], y[:250], x[250:], y[250:], TrainConfig(epochs=1, batch_size=50)))
    return model


@pytest.fixture(scope="module", params=["mlp-512", "cnn", "tiny"])
def model(request, tiny_cnn):
    if request.param == "tiny":
        return tiny_cnn
    return open_model(weights_path(request.param))[0]


def test_layer_views_match_the_table_the_layers_and_predict_proba(model, images):
    rows = architecture_rows(model)
    for image in images[:3]:
        views = layer_views(model, image)
        x = as_model_inputs(model, image[None])
        assert [v.row for v in views] == rows
        for i, view in enumerate(views):
            assert view.activations.shape == view.row.shape
            assert view.activations.dtype == np.float32
            # The engine's own path to a layer's output (execution order, folding).
            np.testing.assert_allclose(view.activations, model.activations(x, i)[0],
                                       rtol=1e-5, atol=1e-5)
        assert all(v.probabilities is None for v in views[:-1])
        np.testing.assert_allclose(views[-1].probabilities, model.predict_proba(x)[0],
                                   rtol=1e-5, atol=1e-6)


def test_the_table_totals_and_describes_the_shipped_cnn():
    model = open_model(weights_path("cnn"))[0]
    arch = architecture(model)
    assert arch.parameters == model.num_parameters() == sum(r.parameters for r in arch.rows)
    assert arch.buffers == model.params.buffers.size
    first = arch.rows[0]
    assert (first.description, first.shape, first.parameters) == \
        ("Conv2D 32 filters 5x5, same", (28, 28, 32), (5 * 5 * 1 + 1) * 32)
    assert arch.rows[3].shape == (14, 14, 32) and arch.rows[-1].shape == (10,)


@pytest.mark.parametrize("folder", shipped_models(), ids=lambda p: p.name)
def test_every_shipped_model_has_a_table_and_a_diagram_naming_every_layer(folder):
    model = open_model(folder)[0]
    rows = architecture_rows(model)
    assert sum(r.parameters for r in rows) == model.num_parameters()
    svg = architecture_svg(model, f"Model {folder.name} <&>")
    root = ET.fromstring(svg)  # well-formed XML (the title is escaped)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert f"Model {folder.name} <&>" in texts
    for row in rows:
        assert row.description in texts
    assert "Input" in texts and f"{model.num_parameters():,}" in " ".join(texts)


def test_the_diagram_of_the_tiny_model_names_every_layer(tiny_cnn):
    root = ET.fromstring(architecture_svg(tiny_cnn, "tiny"))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert [r.description for r in architecture_rows(tiny_cnn)] == \
        [t for t in texts if t in {r.description for r in architecture_rows(tiny_cnn)}]


def _right_half_blank(image):
    image = image.copy()
    image[:, 14:] = 0
    return image


def test_a_blank_right_half_gets_no_saliency(model, images):
    for image in images[:5]:
        image = _right_half_blank(image)
        cls = int(model.predict(as_model_inputs(model, image[None]))[0])
        s = saliency(model, image, cls)
        assert s.shape == (28, 28) and s.dtype == np.float32
        assert np.all(s[:, 14:] == 0)  # x = 0 there: gradient x input is exactly 0
        assert np.abs(s[:, :14]).max() > 0


def _float64_copy(model):
    copy = Sequential.from_config(model.config(), dtype=np.float64)
    copy.set_flat(model.get_flat().astype(np.float64))
    return copy


def test_gradient_x_input_sums_to_the_logits_change_under_scaling(model, images):
    """For a piecewise-linear network (ReLU, max pooling, BatchNorm at inference), with
    biases the logit is affine in each linear region, and d/da logit(a x) at a = 1 is
    sum(grad * x): checked with a small central difference, tightly in float64 and more
    loosely on the float32 model itself (its logits carry ~1e-6 relative rounding: over
    2 eps = 2e-3 that is an error of ~1e-2 for logits near 10)."""
    exact = _float64_copy(model)
    for image in images[:5]:
        x = as_model_inputs(model, image[None])
        for cls in np.argsort(model.predict_proba(x)[0])[::-1][:2]:  # winner and runner-up
            for net, eps, rtol, atol in ((exact, 1e-6, 1e-5, 1e-6), (model, 1e-3, 2e-2, 1e-2)):
                s = saliency(net, image, cls).astype(np.float64)
                up = net.forward(x.astype(net.dtype) * (1 + eps))[0, cls]
                down = net.forward(x.astype(net.dtype) * (1 - eps))[0, cls]
                change = (float(up) - float(down)) / (2 * eps)
                assert change == pytest.approx(s.sum(), rel=rtol, abs=atol)


def test_saliency_and_occlusion_leave_the_model_as_it_was(model, images):
    x = as_model_inputs(model, images)
    before = model.predict_proba(x)
    flat, grads = model.get_flat(), model.params.grads.copy()
    rngs = [layer.rng.bit_generator.state for layer in model.layers if hasattr(layer, "rng")]
    saliency(model, images[0], 3)
    occlusion(model, images[0], 3)
    layer_views(model, images[0])
    assert np.array_equal(model.get_flat(), flat)  # parameters and BatchNorm statistics
    assert np.array_equal(model.params.grads, grads)
    assert rngs == [layer.rng.bit_generator.state for layer in model.layers
                    if hasattr(layer, "rng")]  # no dropout mask drawn
    assert np.array_equal(model.predict_proba(x), before)


def test_training_after_saliency_is_the_training_without_it():
    data = subset(load_mnist("train"), 200, seed=1)
    x, y = data.inputs(), data.labels.astype(np.int64)
    config = TrainConfig(epochs=1, batch_size=50, seed=0)
    a, b = (Sequential.from_config(TINY_CNN, seed=2) for _ in range(2))
    xa = as_model_inputs(a, x)
    saliency(a, data.images[0].astype(np.float32) / 255, 1)
    list(train(a, xa[:150], y[:150], xa[150:], y[150:], config))
    list(train(b, xa[:150], y[:150], xa[150:], y[150:], config))
    assert np.array_equal(a.get_flat(), b.get_flat())


def test_occlusion_covers_every_pixel_and_finds_the_ink(model, images):
    image = _right_half_blank(images[0])
    cls = int(model.predict(as_model_inputs(model, image[None]))[0])
    o = occlusion(model, image, cls, patch=4, stride=2)
    assert o.shape == (28, 28) and o.dtype == np.float32
    assert np.abs(o[:, 18:]).max() < 1e-4  # patches there blank nothing new
    assert o.max() > 0 and o.max() == o[:, :16].max()
    with pytest.raises(ValueError):
        occlusion(model, image, cls, patch=0)
