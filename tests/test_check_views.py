"""The not-a-digit check's views (app/check_views.py): the image and copies of it a little
turned, zoomed and slanted, whose log-odds the check averages (app/not_a_digit.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from digitapp.app.check_views import (
    IDENTITY,
    MAX_VIEWS,
    TURNED_ZOOMED_SLANTED,
    parse_views,
    viewed,
)
from digitapp.app.leaning_line import ink_axes
from digitapp.app.not_a_digit import ALL_VIEWS_BELOW, ALL_VIEWS_FROM, NotADigitCheck, open_check
from digitapp.engine import ModelError, Sequential, save_model


def bar() -> np.ndarray:
    """(1, 28, 28): an upright bar 3 px wide and 20 px tall, centred."""
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 4:24, 13:16] = 1.0
    return image


def check_network() -> Sequential:
    return Sequential.from_config(
        {"input_shape": [784], "layers": [{"type": "dense", "units": 11}]}, seed=3)


def test_the_default_views_parse_back_from_their_json_form():
    assert parse_views([list(v) for v in TURNED_ZOOMED_SLANTED]) == TURNED_ZOOMED_SLANTED
    assert TURNED_ZOOMED_SLANTED[0] == IDENTITY and len(set(TURNED_ZOOMED_SLANTED)) == 7


@pytest.mark.parametrize("value", [
    [], "0,1,0", [[0, 1]], [[0, 1, 0, 0]], [[True, 1, 0]], [[0, "1", 0]],
    [[math.nan, 1, 0]], [[0, math.inf, 0]], [[45, 1, 0]], [[0, 2.0, 0]], [[0, 0.5, 0]],
    [[0, 1, 0.9]], [[0, 1, 0]] * (MAX_VIEWS + 1), None, {"views": 1}])
def test_unusable_views_are_refused_in_one_line(value):
    with pytest.raises(ValueError) as caught:
        parse_views(value)
    assert "\n" not in str(caught.value)


def test_the_identity_view_is_the_image_itself_and_views_come_view_after_view():
    images = np.random.default_rng(0).random((3, 28, 28), dtype=np.float32)
    out = viewed(images, TURNED_ZOOMED_SLANTED)
    assert out.shape == (21, 28, 28) and out.dtype == np.float32
    np.testing.assert_array_equal(out[:3], images)  # not resampled
    for v in range(1, 7):  # every other view changes every image
        assert all(np.abs(out[v * 3 + i] - images[i]).max() > 0.05 for i in range(3))
    assert viewed(images[:0], TURNED_ZOOMED_SLANTED).shape == (0, 28, 28)


def test_each_view_turns_zooms_or_slants_the_ink_as_it_says():
    views = ((10.0, 1.0, 0.0), (-10.0, 1.0, 0.0), (0.0, 1.0, 0.2), (0.0, 1.2, 0.0),
             (0.0, 0.8, 0.0))
    out = viewed(bar(), views)
    _, lean = ink_axes(out)
    # Counter-clockwise on screen tips an upright bar's top to the left: a '\', lean < 0.
    assert lean[0] == pytest.approx(-10, abs=1.5) and lean[1] == pytest.approx(10, abs=1.5)
    assert lean[2] == pytest.approx(-math.degrees(math.atan(0.2)), abs=1.5)  # x' = x + 0.2 y
    height = [(image.max(axis=1) > 0.5).sum() for image in out[3:]]
    assert height[0] == pytest.approx(24, abs=1) and height[1] == pytest.approx(16, abs=1)


def network_with_bias(not_a_digit_bias: float) -> Sequential:
    """A dense check whose "not a digit" output is pushed up or down by its bias."""
    network = check_network()
    network.named_parameters()["layers.0.b"][10] = not_a_digit_bias
    return network


@pytest.mark.parametrize("bias", [4.0, 6.0])
def test_an_unsure_image_scores_the_mean_log_odds_over_the_views(bias):
    network = network_with_bias(bias)
    images = np.random.default_rng(1).random((4, 28, 28), dtype=np.float32) * 0.3
    one = NotADigitCheck((network,), 0.5)
    seven = NotADigitCheck((network,), 0.5, TURNED_ZOOMED_SLANTED)
    p = network.predict_proba(viewed(images, TURNED_ZOOMED_SLANTED).reshape(-1, 784))[:, 10]
    log_odds = (np.log(p) - np.log1p(-p)).reshape(7, 4).astype(np.float64)
    # every image needs all the views
    assert ((log_odds[0] >= ALL_VIEWS_FROM) & (log_odds[0] < ALL_VIEWS_BELOW)).all()
    expected = 1 / (1 + np.exp(-log_odds.mean(axis=0)))
    np.testing.assert_allclose(seven.scores(images), expected, rtol=1e-4)
    np.testing.assert_allclose(one.scores(images), p[:4], rtol=1e-4)
    assert not np.allclose(seven.scores(images), one.scores(images), rtol=1e-3)
    assert seven.scores(images[:0]).shape == (0,)


def test_a_clear_digit_is_scored_by_its_own_view_alone():
    images = np.random.default_rng(2).random((6, 28, 28), dtype=np.float32) * 0.3
    network = network_with_bias(-8.0)
    p = network.predict_proba(images.reshape(-1, 784))[:, 10]
    assert (np.log(p) - np.log1p(-p) < ALL_VIEWS_FROM).all()
    seven = NotADigitCheck((network,), 0.5, TURNED_ZOOMED_SLANTED)
    np.testing.assert_allclose(seven.scores(images), p, rtol=1e-4)
    # Mixed: a network that reads ink in the top rows as "not a digit", and images with
    # and without such ink; the unsure ones get every view.
    weights = network.named_parameters()["layers.0.W"]
    weights[:] = 0.0
    weights[: 3 * 28, 10] = 1.0
    mixed = images.copy()
    mixed[:, :3] = 0.0
    mixed[::2, :3, 8:20] = 0.5
    scores = seven.scores(mixed)
    q = network.predict_proba(viewed(mixed, TURNED_ZOOMED_SLANTED).reshape(-1, 784))[:, 10]
    q = (np.log(q) - np.log1p(-q)).reshape(7, 6).astype(np.float64)
    unsure = q[0] >= ALL_VIEWS_FROM
    assert unsure.any() and not unsure.all()
    expected = np.where(unsure, q.mean(axis=0), q[0])
    np.testing.assert_allclose(scores, 1 / (1 + np.exp(-expected)), rtol=1e-4)


def test_a_check_folder_records_its_views_and_older_ones_read_the_image_alone(tmp_path):
    network = check_network()
    save_model(network, tmp_path / "old", {"threshold": 0.9})
    assert open_check(tmp_path / "old").views == (IDENTITY,)
    stored = [list(v) for v in TURNED_ZOOMED_SLANTED]
    save_model(network, tmp_path / "new", {"threshold": 0.9, "views": stored})
    assert open_check(tmp_path / "new").views == TURNED_ZOOMED_SLANTED
    for bad in ([[0, 5, 0]], "turned", []):
        save_model(network, tmp_path / "bad", {"threshold": 0.9, "views": bad})
        with pytest.raises(ModelError, match="views are unusable"):
            open_check(tmp_path / "bad")


def test_members_must_read_the_same_views(tmp_path):
    network = check_network()
    save_model(network, tmp_path / "check" / "1", {"threshold": 0.9, "members": 2})
    save_model(network, tmp_path / "check" / "2",
               {"threshold": 0.9, "members": 2, "views": [[0, 1, 0], [10, 1, 0]]})
    with pytest.raises(ModelError, match="disagree"):
        open_check(tmp_path / "check")


class CornerNetwork:
    """A stand-in check network whose log-odds of "not a digit" are 20 * (top-left pixel) - 6:
    every turned, zoomed or slanted view moves that corner pixel off the image (reads 0)."""

    input_shape = (784,)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        log_odds = 20.0 * x.reshape(len(x), -1)[:, 0] - 6.0
        out = np.zeros((len(x), 11))
        out[:, 10] = 1 / (1 + np.exp(-log_odds))
        out[:, 0] = 1 - out[:, 10]
        return out


def test_only_an_unsure_own_view_brings_in_the_other_views():
    corner = np.array([0.0, 0.3, 0.5, 1.0])  # own view's log-odds: -6, 0, 4, 14
    images = np.zeros((4, 28, 28), np.float32)
    images[:, 0, 0] = corner
    others = viewed(images, TURNED_ZOOMED_SLANTED)[4:].reshape(6, 4, -1)[:, :, 0]
    assert (others == 0).all()  # every other view reads the corner as 0: log-odds -6
    own = 20 * corner - 6
    unsure = (own >= ALL_VIEWS_FROM) & (own < ALL_VIEWS_BELOW)
    assert unsure.tolist() == [False, True, True, False]
    expected = np.where(unsure, (own + 6 * -6.0) / 7, own)
    scores = NotADigitCheck((CornerNetwork(),), 0.5, TURNED_ZOOMED_SLANTED)._network_scores(
        images)
    np.testing.assert_allclose(scores, 1 / (1 + np.exp(-expected)), rtol=1e-5)
    # A clear non-digit stays declined, though the mean over its views would not be.
    assert scores[3] > 0.99 and 1 / (1 + np.exp(-(14 - 36) / 7)) < 0.05


def test_an_image_without_ink_is_declined_without_the_views():
    """`evaluate` reads 28x28 files as they are: a blank one is no digit (v8's network alone
    gave a blank 0.96, under its threshold, and read all seven views of it)."""
    blank = np.zeros((3, 28, 28), np.float32)
    blank[1, 10:18, 13:15] = 1.0  # an upright bar: ink, so the network decides
    check = NotADigitCheck((CornerNetwork(),), 0.5, TURNED_ZOOMED_SLANTED)
    scores = check.scores(blank)
    assert scores[0] == 1.0 and scores[2] == 1.0
    assert scores[1] == pytest.approx(1 / (1 + math.exp(6)), rel=1e-4)  # corner 0: -6
    assert check.declines(blank).tolist() == [True, False, True]
