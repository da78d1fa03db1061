"""Non-digit drawings: the two splits share nothing, every family draws ink, reproducibly."""

from __future__ import annotations

import numpy as np
import pytest

from testkit.nondigit_drawings import (
    FAMILIES,
    SEED_SPAN,
    SPLITS,
    all_templates,
    generate,
    seed_for,
    templates,
)
from testkit.stroke_digits import bounds


def test_the_splits_share_no_template_variant_and_cover_every_symbol():
    train, held = templates("train"), templates("held_out")
    key = lambda t: (t.family, t.symbol, t.variant)  # noqa: E731
    assert not {key(t) for t in train} & {key(t) for t in held}
    assert not {id(t.make) for t in train} & {id(t.make) for t in held}
    assert len(train) + len(held) == len(all_templates())
    assert {(t.family, t.symbol) for t in train} == {(t.family, t.symbol) for t in held}
    assert any(t.digit_like for t in held) and not all(t.digit_like for t in held)


def test_the_splits_share_no_seed():
    assert seed_for("train", SEED_SPAN - 1) < seed_for("held_out", 0)
    seeds = {split: {s.seed for f in FAMILIES for s in generate(f, 40, split)}
             for split in SPLITS}
    assert not seeds["train"] & seeds["held_out"]
    with pytest.raises(ValueError):
        seed_for("train", SEED_SPAN)


def test_letters_include_the_asked_ones_and_mark_digit_like_letters():
    symbols = {t.symbol for t in templates("held_out", "letters")}
    assert set("ABCDEFGHKMNPRSTUVWXYZabehkmnrtw") <= symbols
    digit_like = {t.symbol for t in all_templates() if t.digit_like}
    assert set("OoIlSZBgq") <= digit_like and "A" not in digit_like


def ink_on_sheet(sample, side: int = 256) -> np.ndarray:
    """Rasterise a sample's points on a canvas-sized sheet (points only, brush 1 px)."""
    sheet = np.zeros((side, side), bool)
    for p in sample.drawing:
        xy = np.clip(np.round(p * sample.size * (side - 1)).astype(int), 0, side - 1)
        sheet[xy[:, 1], xy[:, 0]] = True
    return sheet


@pytest.mark.parametrize("split", SPLITS)
@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_draws_something_finite_and_normalised(family, split):
    samples = generate(family, 25, split)
    assert len(samples) == 25
    for s in samples:
        assert s.template.family == family and s.template.split == split
        assert s.drawing and all(p.ndim == 2 and p.shape[1] == 2 and len(p) >= 1
                                 for p in s.drawing)
        assert all(np.isfinite(p).all() for p in s.drawing)
        low, high = bounds(s.drawing)
        assert np.allclose(low, 0, atol=1e-5) and (high <= 1 + 1e-5).all()
        assert 0 <= s.size <= 1 and (s.brush is None or 0 < s.brush < 0.2)
        assert ink_on_sheet(s).any()
    if family != "dots_lines":  # a dot is a point: longer side 0
        assert all(bounds(s.drawing)[1].max() == pytest.approx(1, abs=1e-5) for s in samples)


def test_deterministic_for_a_seed_and_different_between_seeds():
    a, b = generate("letters", 5), generate("letters", 5)
    for x, y in zip(a, b, strict=True):
        assert x.seed == y.seed and x.size == y.size
        assert all(np.array_equal(p, q) for p, q in zip(x.drawing, y.drawing, strict=True))
    c = generate("letters", 5, start=5)
    assert not np.allclose(a[0].drawing[0][:2], c[0].drawing[0][:2]) or a[0].size != c[0].size
    s1, s2 = generate("scribbles", 2, start=0), generate("scribbles", 2, start=2)
    assert not np.array_equal(s1[0].drawing[0][:5], s2[0].drawing[0][:5])


def test_as_many_samples_as_templates_use_every_template_once():
    for family in FAMILIES:
        pool = templates("held_out", family)
        used = [(s.template.symbol, s.template.variant) for s in generate(family, len(pool))]
        assert sorted(used) == sorted((t.symbol, t.variant) for t in pool)
