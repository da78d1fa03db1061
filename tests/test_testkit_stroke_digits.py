"""Stroke digits: every template is a sane drawing; variations are random but reproducible."""

from __future__ import annotations

import numpy as np
import pytest

from testkit.stroke_digits import TEMPLATES, bounds, place, random_drawing, vary


def test_every_digit_has_templates_of_finite_strokes():
    assert sorted(TEMPLATES) == list(range(10))
    for digit, drawings in TEMPLATES.items():
        assert drawings, digit
        for drawing in drawings:
            for stroke in drawing:
                assert stroke.ndim == 2 and stroke.shape[1] == 2 and len(stroke) >= 2
                assert np.isfinite(stroke).all()
            low, high = bounds(drawing)
            # Glyph units: about 1 tall, narrower than tall (a "1" is nearly a line).
            assert 0.9 <= high[1] - low[1] <= 1.1, digit
            assert high[0] - low[0] <= 0.7, digit


@pytest.mark.parametrize("digit", range(10))
def test_variations_are_one_tall_with_the_top_at_zero(digit):
    rng = np.random.default_rng(digit)
    for _ in range(20):
        low, high = bounds(random_drawing(digit, rng))
        assert low[1] == pytest.approx(0, abs=1e-6)
        assert high[1] == pytest.approx(1, abs=1e-5)
        assert high[0] - low[0] < 1.2  # bent, not flattened


def test_strength_zero_keeps_the_shape():
    template = TEMPLATES[3][0]
    same = vary(template, np.random.default_rng(0), strength=0.0)
    low, high = bounds(template)
    for a, b in zip(template, same, strict=True):
        np.testing.assert_allclose((a - low) / (high[1] - low[1]), b, atol=1e-5)


def test_variations_are_reproducible_and_differ_between_draws():
    a = random_drawing(5, np.random.default_rng(7))
    b = random_drawing(5, np.random.default_rng(7))
    c = random_drawing(5, np.random.default_rng(8))
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not all(x.shape == y.shape and np.allclose(x, y) for x, y in zip(a, c, strict=False))


def test_place_scales_and_moves_the_bounding_box():
    drawing = place(TEMPLATES[8][0], height=50.0, top_left=(10.0, 20.0))
    low, high = bounds(drawing)
    np.testing.assert_allclose(low, (10, 20), atol=1e-4)
    assert high[1] == pytest.approx(70, abs=1e-4)
