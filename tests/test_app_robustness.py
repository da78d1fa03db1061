"""Robustness curves: the six perturbations, and accuracy as they grow (digitapp.app)."""

import threading

import numpy as np
import pytest

from digitapp.analysis.control import Cancelled, drain
from digitapp.app.audit import inference_workers
from digitapp.app.models import open_model
from digitapp.app.perturbations import FAMILIES, family
from digitapp.app.robustness import (
    model_predictor,
    model_robustness_steps,
    robustness,
    robustness_steps,
)
from digitapp.data.mnist import load_mnist
from digitapp.data.splits import subset
from digitapp.paths import weights_path


@pytest.fixture(scope="module")
def test_set():
    """300 MNIST test images (stratified, seed 0): uint8 (300, 28, 28) and labels."""
    ds = subset(load_mnist("test"), 300, seed=0)
    return ds.images, ds.labels


@pytest.fixture(scope="module")
def images(test_set):
    return test_set[0][:64].astype(np.float32) / 255.0


@pytest.fixture(scope="module")
def model():
    return open_model(weights_path("mlp-512"))[0]


@pytest.fixture(scope="module")
def predict(model):
    with model_predictor(model) as predict:
        yield predict


@pytest.fixture(scope="module")
def curves(predict, test_set):
    return robustness(predict, *test_set, seed=0)


def centre_of_mass(images):
    """(N, 2): the ink's mean (row, col) per image."""
    rows, cols = np.mgrid[0:28, 0:28]
    mass = images.sum(axis=(1, 2))
    return np.stack([(images * rows).sum(axis=(1, 2)) / mass,
                     (images * cols).sum(axis=(1, 2)) / mass], axis=1)


@pytest.mark.parametrize("fam", FAMILIES, ids=lambda f: f.name)
def test_level_none_leaves_images_unchanged_and_others_change_them(fam, images):
    rng = np.random.default_rng(0)
    same = fam.perturb(images, fam.none, rng)
    assert same is not images and np.array_equal(same, images)
    assert fam.none in fam.levels and len(fam.levels) >= 5
    for level in fam.levels:
        if level == fam.none:
            continue
        out = fam.perturb(images, level, np.random.default_rng(0))
        assert out.shape == images.shape and out.dtype == np.float32
        assert out.min() >= 0.0 and out.max() <= 1.0
        assert np.abs(out - images).mean() > 1e-3, (fam.name, level)


@pytest.mark.parametrize("fam", FAMILIES, ids=lambda f: f.name)
def test_perturbations_are_deterministic_given_a_seed(fam, images):
    level = fam.levels[-1]
    a = fam.perturb(images, level, np.random.default_rng(7))
    b = fam.perturb(images, level, np.random.default_rng(7))
    assert np.array_equal(a, b)


def test_random_families_depend_on_the_seed(images):
    for name in ("noise", "rotation", "shift"):
        fam = family(name)
        a = fam.perturb(images, fam.levels[-1], np.random.default_rng(1))
        b = fam.perturb(images, fam.levels[-1], np.random.default_rng(2))
        assert not np.array_equal(a, b), name


def test_each_perturbation_does_what_its_name_says(images):
    rng = np.random.default_rng(0)
    ink = images.sum(axis=(1, 2))
    assert (family("thickness").perturb(images, 1, rng).sum(axis=(1, 2)) > ink).all()
    assert (family("thickness").perturb(images, -1, rng).sum(axis=(1, 2)) < ink).all()
    # Blur spreads the ink (lower peaks) and keeps nearly all of it (digits are centred).
    blurred = family("blur").perturb(images, 2.0, rng)
    assert (blurred.max(axis=(1, 2)) < images.max(axis=(1, 2))).all()
    assert np.allclose(blurred.sum(axis=(1, 2)), ink, rtol=0.02)
    # A 3-px shift moves the centre of mass by 3 px (less where ink leaves the field).
    moved = centre_of_mass(family("shift").perturb(images, 3, rng)) - centre_of_mass(images)
    distance = np.hypot(*moved.T)
    assert np.median(distance) == pytest.approx(3.0, abs=0.01)
    assert (np.abs(distance - 3.0) < 0.05).mean() > 0.9 and (distance < 3.01).all()
    # Scale 0.6: the ink's area (in pixels, bilinear) shrinks by about 0.6 ** 2.
    small = family("scale").perturb(images, 0.6, rng)
    assert 0.25 < small.sum() / images.sum() < 0.5
    # Rotation keeps the ink about the same and, for turns both ways, moves it.
    turned = family("rotation").perturb(images, 30, rng)
    assert np.allclose(turned.sum(), images.sum(), rtol=0.05)
    # Noise: the added part has the standard deviation asked for (before clipping).
    noisy = family("noise").perturb(np.full((50, 28, 28), 0.5, np.float32), 0.1, rng)
    assert abs(float(noisy.std()) - 0.1) < 0.005


def test_family_names_the_choices_for_an_unknown_one():
    with pytest.raises(ValueError, match="noise, blur, rotation, shift, thickness, scale"):
        family("fog")


def test_accuracy_falls_as_noise_and_rotation_grow(curves):
    assert set(curves.curves) == {f.name for f in FAMILIES}
    clean = curves.curves["noise"].accuracy[0]
    assert clean > 0.95
    for name in ("noise", "rotation"):
        acc = np.array(curves.curves[name].accuracy)
        assert acc[-1] < clean - 0.2, name
        # Falls level after level, allowing a small wobble between close levels.
        assert (np.diff(acc) <= 0.02).all(), (name, acc)
    # Every family shares the same unperturbed accuracy at its "none" level.
    for fam in FAMILIES:
        curve = curves.curves[fam.name]
        assert curve.accuracy[curve.levels.index(fam.none)] == clean
        assert curve.declined is None and curve.accuracy_with_declines is None


def test_curves_are_deterministic_and_do_not_depend_on_the_chunk_size(predict, test_set,
                                                                       curves):
    again = robustness(predict, *test_set, seed=0)
    assert again.as_json() == curves.as_json()
    chunked = robustness_steps(predict, *test_set, seed=0, chunk=70)
    while True:
        try:
            next(chunked)
        except StopIteration as end:
            assert end.value.as_json() == curves.as_json()
            break
    other = robustness(predict, *test_set, seed=1)
    assert other.as_json() != curves.as_json()


def test_progress_rises_from_zero_to_one(predict, test_set):
    images, labels = test_set
    steps = list(robustness_steps(predict, images[:30], labels[:30], chunk=10))
    fractions = [f for f, _ in steps]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert (np.diff(fractions) > 0).all()
    # One step per (level that changes something, chunk), plus the clean images and the end.
    changing = sum(len(f.levels) - 1 for f in FAMILIES)
    assert len(steps) == (changing + 1) * 3 + 1
    assert all(isinstance(text, str) and text for _, text in steps)


def test_the_generator_can_be_abandoned_or_stopped_midway(test_set):
    calls = []

    def counting(x):
        calls.append(len(x))
        return np.full((len(x), 10), 0.1, np.float32)

    images, labels = test_set
    steps = robustness_steps(counting, images, labels, chunk=100)
    for _ in range(4):
        next(steps)
    steps.close()  # what a caller does that stops iterating
    assert len(calls) == 3  # nothing predicted after the last step taken

    class Stop:
        stopped = False

    control = Stop()
    steps = robustness_steps(counting, images, labels, chunk=100, control=control)
    next(steps)
    control.stopped = True
    with pytest.raises(Cancelled):
        next(steps)


def test_a_decline_function_adds_declines_and_accuracy_counting_them(predict, test_set,
                                                                     curves):
    def decline_faint(x):  # "not a digit": little ink (heavy erosion, strong shrinking)
        return x.sum(axis=(1, 2)) < 40.0

    images, labels = test_set
    result = robustness(predict, images, labels, seed=0, decline=decline_faint)
    for name, curve in result.curves.items():
        plain = curves.curves[name]
        assert curve.accuracy == plain.accuracy
        declined = np.array(curve.declined)
        with_declines = np.array(curve.accuracy_with_declines)
        assert ((declined >= 0) & (declined <= 1)).all()
        assert (with_declines <= np.array(curve.accuracy) + 1e-12).all()
        assert (with_declines <= 1 - declined + 1e-12).all()
        assert set(result.as_json()[name]) == {"unit", "levels", "accuracy", "declined",
                                               "accuracy_with_declines"}
    assert result.curves["thickness"].declined[0] > result.curves["thickness"].declined[2]

    every = robustness(predict, images[:20], labels[:20],
                       decline=lambda x: np.ones(len(x), bool))
    assert all(set(c.accuracy_with_declines) == {0.0} for c in every.curves.values())
    assert all(set(c.declined) == {1.0} for c in every.curves.values())


def test_inconsistent_inputs_raise(predict, test_set):
    images, labels = test_set
    with pytest.raises(ValueError, match="labels"):
        robustness(predict, images, labels[:-1])
    with pytest.raises(ValueError, match="no images"):
        robustness(predict, images[:0], labels[:0])
    with pytest.raises(ValueError, match=r"\(N, 28, 28\)"):
        robustness(predict, images.reshape(len(images), -1), labels)
    with pytest.raises(ValueError, match="predict returned"):
        robustness(lambda x: np.zeros((len(x), 3)), images[:5], labels[:5])
    with pytest.raises(ValueError, match="decline returned"):
        robustness(predict, images[:5], labels[:5], decline=lambda x: np.zeros(len(x)))
    with pytest.raises(ValueError, match="no perturbation"):
        robustness(predict, images[:5], labels[:5], families=())



def test_model_robustness_steps_gives_the_same_curves_and_ends_its_threads(model, test_set,
                                                                           curves):
    images, labels = test_set
    before = threading.active_count()
    assert drain(model_robustness_steps(model, images, labels)).as_json() == curves.as_json()
    assert threading.active_count() == before
    steps = model_robustness_steps(model, images, labels)
    next(steps)
    next(steps)  # one chunk predicted: the second worker thread runs (on 2+ cores)
    assert threading.active_count() == before + (inference_workers() > 1)
    steps.close()  # abandoned midway: the predictor's threads end with it
    assert threading.active_count() == before
