"""The not-a-digit check's stroke digits (tools/not_a_digit_data.stroke_digit_images): a
sample is fixed by its index in the seed range, so asking for more of them (from MESSY_START,
all in the messy hand) never changes the ones the shipped check was trained on."""

from __future__ import annotations

import numpy as np

from tools.not_a_digit_data import MESSY_START, stroke_digit_images


def test_a_sample_depends_on_its_index_alone(qapp):
    first, labels = stroke_digit_images(7)
    assert first.shape == (7, 28, 28) and labels.tolist() == list(range(7))
    later, later_labels = stroke_digit_images(4, start=3)
    assert np.array_equal(later, first[3:]) and later_labels.tolist() == [3, 4, 5, 6]


def test_messy_only_draws_every_sample_in_the_messy_hand(qapp):
    default, _ = stroke_digit_images(7)
    messy, labels = stroke_digit_images(7, messy_only=True)
    assert labels.tolist() == list(range(7))
    # Samples 0, 3 and 6 are messy anyway (two neat for one messy); the others change.
    for i in range(7):
        assert np.array_equal(messy[i], default[i]) == (i % 3 == 0), i
    extra, extra_labels = stroke_digit_images(5, MESSY_START, messy_only=True)
    assert extra_labels.tolist() == [(MESSY_START + i) % 10 for i in range(5)]
    assert not any(np.array_equal(e, d) for e in extra for d in default)
