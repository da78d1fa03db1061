"""The test-set audit of the shipped model and the maps of its layers (no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

from digitapp.analysis.control import Cancelled
from digitapp.app.audit import audit_model, model_key
from digitapp.app.audit_cache import AuditCache
from digitapp.app.evaluation import evaluate_dataset
from digitapp.app.maps import MapRequest, check_request, compute_map, layer_choices
from digitapp.app.models import default_model_path, open_model
from digitapp.data.mnist import load_mnist
from digitapp.engine import Control
from digitapp.paths import weights_path


@pytest.fixture(scope="module")
def shipped():
    """The shipped MLP audited on the test set (the CNN has its own test below)."""
    model, _ = open_model(weights_path("mlp-512"))
    test = load_mnist("test")
    return model, test, audit_model(model, test.images, test.labels)


def test_audit_agrees_with_evaluate(shipped):
    model, test, audit = shipped
    reference = evaluate_dataset(model, test)
    np.testing.assert_array_equal(audit.predictions, reference["predictions"])
    np.testing.assert_array_equal(audit.confusion, reference["confusion"])
    assert audit.accuracy == reference["accuracy"]
    assert audit.mistakes == len(test) - int(np.trace(reference["confusion"]))
    assert np.all(audit.second != audit.predictions)


def test_audit_can_be_cancelled(shipped):
    model, test, _ = shipped
    control = Control()
    control.stop()
    with pytest.raises(Cancelled):
        audit_model(model, test.images, test.labels, control)


def test_layer_choices_of_the_mlp(shipped):
    model, _, _ = shipped
    assert layer_choices(model) == {"input": "Input pixels (784)",
                                    "hidden": "Hidden layer (512)",
                                    "output": "Output logits (10)"}


@pytest.mark.parametrize("layer", ["input", "hidden", "output"])
def test_pca_map_points_are_the_models_answers(shipped, layer):
    model, test, audit = shipped
    layer_map = compute_map(model, audit, MapRequest(layer, "pca", 10_000))
    assert layer_map.xy.shape == (10_000, 2) and np.isfinite(layer_map.xy).all()
    np.testing.assert_array_equal(layer_map.labels, test.labels[layer_map.indices])
    np.testing.assert_array_equal(layer_map.predictions, audit.predictions[layer_map.indices])


def test_bad_requests_get_a_sentence(shipped):
    model, _, audit = shipped
    assert "5,000" in check_request(model, MapRequest("hidden", "tsne", 8000), len(audit))
    assert "no" in check_request(model, MapRequest("middle", "pca", 500), len(audit))
    with pytest.raises(ValueError):
        compute_map(model, audit, MapRequest("hidden", "pca", 5))


def test_cache_keeps_the_last_models(shipped):
    _, _, audit = shipped
    cache = AuditCache(models=2)
    cache.put_audit("a", audit)
    cache.put_audit("b", audit)
    assert cache.audit("a") is audit  # "a" is now the most recent
    cache.put_audit("c", audit)
    assert cache.audit("b") is None and cache.audit("a") is audit
    assert model_key(default_model_path()) == model_key(default_model_path())


def test_a_cnn_is_audited_and_mapped_as_well(tmp_path):
    """A convolutional model (NHWC input): its hidden layer is the 256-unit dense layer."""
    from digitapp.app.architectures import build

    cnn = build("cnn", [], dropout=0.3, seed=0)  # untrained: the shapes are what matters
    test = load_mnist("test")
    audit = audit_model(cnn, test.images[:300], test.labels[:300])
    assert audit.probabilities.shape == (300, 10)
    assert layer_choices(cnn)["hidden"] == "Hidden layer (256)"
    layer_map = compute_map(cnn, audit, MapRequest("hidden", "tsne", 200))
    assert layer_map.xy.shape == (200, 2)
    np.testing.assert_array_equal(layer_map.predictions, audit.predictions[layer_map.indices])
