"""A straight line leaning further than a written 1 is declined (app/leaning_line.py)."""

from __future__ import annotations

import numpy as np
import pytest

from digitapp.app.leaning_line import (
    BACKWARD_DEGREES,
    FORWARD_DEGREES,
    ink_axes,
    leaning_lines,
)
from digitapp.app.not_a_digit import NotADigitCheck, shipped_check
from digitapp.data.mnist import load_mnist


def line_image(lean_degrees: float, width: float = 1.5, length: float = 20.0) -> np.ndarray:
    """A 28x28 straight line through the centre, leaning `lean_degrees` from vertical
    (positive: '/'), antialiased, ink 1 on 0."""
    rows, columns = np.mgrid[0:28, 0:28].astype(np.float64)
    t = np.radians(lean_degrees)
    direction = np.array([np.sin(t), -np.cos(t)])  # (x, y), y down: '/' goes up-right
    dx, dy = columns - 13.5, rows - 13.5
    along = dx * direction[0] + dy * direction[1]
    across = np.abs(dx * direction[1] - dy * direction[0])
    ink = np.clip(width / 2 + 0.5 - across, 0, 1) * (np.abs(along) <= length / 2)
    return ink.astype(np.float32)


@pytest.mark.parametrize("lean", [-60.0, -30.0, -10.0, 0.0, 20.0, 45.0, 70.0, 90.0])
def test_the_lean_and_the_elongation_of_a_drawn_line(lean):
    elongation, measured = ink_axes(line_image(lean)[None])
    assert elongation[0] < 0.1
    if abs(lean) == 90:
        assert abs(measured[0]) == pytest.approx(90, abs=1)
    else:
        assert measured[0] == pytest.approx(lean, abs=1.5)


@pytest.mark.parametrize("lean, declined", [
    (FORWARD_DEGREES + 5, True), (80.0, True), (-90.0, True), (-(BACKWARD_DEGREES + 5), True),
    (0.0, False), (25.0, False), (FORWARD_DEGREES - 5, False), (-(BACKWARD_DEGREES - 5), False),
])
def test_only_lines_leaning_beyond_the_limits_are_leaning_lines(lean, declined):
    assert leaning_lines(line_image(lean)[None])[0] == declined


def test_shapes_and_blanks_are_not_lines():
    rows, columns = np.mgrid[0:28, 0:28]
    disc = ((rows - 14) ** 2 + (columns - 14) ** 2 < 64).astype(np.float32)
    cross = np.maximum(line_image(60.0), line_image(-60.0))  # an x: two lines, no line
    blank = np.zeros((28, 28), np.float32)
    assert not leaning_lines(np.stack([disc, cross, blank])).any()
    assert ink_axes(blank[None])[0][0] == 1.0  # no ink: a "blob", never a line


def test_hardly_any_mnist_training_digit_is_a_leaning_line():
    train = load_mnist("train")
    flagged = leaning_lines(train.images.astype(np.float32) / 255)
    assert flagged.sum() <= 6  # the limits' table: 4 forwards + 2 backwards of 60,000
    assert set(train.labels[flagged].tolist()) <= {1}


def test_the_not_a_digit_check_declines_a_leaning_line_its_network_lets_through():
    check, _ = shipped_check()
    images = np.stack([line_image(FORWARD_DEGREES + 6), line_image(-(BACKWARD_DEGREES + 6)),
                       line_image(10.0)])
    network_only = NotADigitCheck(check.networks, check.threshold, check.views)._network_scores(
        images)
    assert (network_only <= check.threshold).all()  # the network alone reads all three as 1s
    assert check.declines(images).tolist() == [True, True, False]
