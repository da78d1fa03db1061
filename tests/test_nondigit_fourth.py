"""The held_out_fourth split of non-digit drawings: every family draws it, it covers exactly
held_out_third's symbols with drawings of its own, its seeds are [4 SPAN, 5 SPAN), and no
train template or seed is one of its. Nothing here classifies a drawing (the split must stay
unseen by every model and check until the next change's report)."""

from __future__ import annotations

import numpy as np
import pytest
from test_nondigit_third import by_symbol, overlap  # shapes rendered and compared at 24 px

from testkit import nondigit_fourth_templates as fourth_module
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


def test_the_split_is_registered_with_its_own_seed_range():
    assert SPLITS[-1] == "held_out_fourth"  # appended: every older split keeps its seeds
    assert seed_for("held_out_fourth", 0) == 4 * SEED_SPAN
    assert seed_for("held_out_fourth", SEED_SPAN - 1) == 5 * SEED_SPAN - 1
    seeds = [s.seed for family in FAMILIES for s in generate(family, 30, "held_out_fourth")]
    seeds += [s.seed for s in generate("letters", 5, "held_out_fourth", start=SEED_SPAN - 5)]
    assert all(4 * SEED_SPAN <= seed < 5 * SEED_SPAN for seed in seeds)
    assert max(seeds) == 5 * SEED_SPAN - 1
    for other in ("train", "held_out", "held_out_fresh", "held_out_third"):
        other_seeds = {s.seed for family in FAMILIES for s in generate(family, 30, other)}
        assert not other_seeds & set(seeds), other


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_generates_held_out_fourth_samples(family):
    pool = templates("held_out_fourth", family)
    assert pool
    samples = generate(family, 2 * len(pool), "held_out_fourth")
    assert {(s.template.symbol, s.template.variant) for s in samples} == {
        (t.symbol, t.variant) for t in pool}  # every template used
    for s in samples:
        assert s.template.split == "held_out_fourth" and s.template.family == family
        assert s.drawing and all(np.isfinite(p).all() and p.shape[1] == 2 for p in s.drawing)
        low, high = bounds(s.drawing)
        assert np.allclose(low, 0, atol=1e-5) and (high <= 1 + 1e-5).all()
        assert 0 < s.size <= 1
        assert (s.brush is not None) == (family == "dots_lines")


def test_its_symbols_are_exactly_held_out_thirds_with_the_same_per_family_structure():
    fourth, third = by_symbol("held_out_fourth"), by_symbol("held_out_third")
    assert set(fourth) == set(third) and len(fourth) == 84
    assert not any(t.digit_like for t in fourth.values())
    for key, t in fourth.items():
        assert t.sizes == third[key].sizes and t.brushes == third[key].brushes, key
        assert t.variant == third[key].variant + 1, key  # numbered after the third's variant
    tables = ("LETTERS", "SYMBOLS", "DOODLES", "SCRIBBLES", "DOTS_LINES")
    assert all(len(getattr(fourth_module, name)) for name in tables)


def test_its_drawings_differ_from_held_out_thirds_and_from_every_other_variant():
    """Rendered at 24 px, a fourth variant overlaps its third one by less than 0.85 (the most
    alike were 0.80 when written: a horizontal line) and any other variant of its symbol by
    less than 0.95 (0.89 was the most: an X with a loop at the crossing)."""
    third = by_symbol("held_out_third")
    others = [t for t in all_templates() if t.split != "held_out_fourth"]
    for key, t in by_symbol("held_out_fourth").items():
        assert overlap(t, third[key]) < 0.85, key
        for o in others:
            if (o.family, o.symbol) == key:
                assert overlap(t, o) < 0.95, (key, o.split, o.variant)


def test_the_train_split_does_not_contain_it():
    train = templates("train")
    fourth = templates("held_out_fourth")
    assert not any(t.split == "held_out_fourth" for t in train)
    assert not {id(t.make) for t in train} & {id(t.make) for t in fourth}
    assert not {(t.family, t.symbol, t.variant) for t in train} & {
        (t.family, t.symbol, t.variant) for t in fourth}
    train_seeds = {s.seed for family in FAMILIES for s in generate(family, 50, "train")}
    assert max(train_seeds) < SEED_SPAN
    assert not any(t.make in fourth_module.SCRIBBLES.values() for t in train)
    rng = np.random.default_rng(0)
    drawn = {(t.family, t.symbol): t.make(rng) for t in fourth if t.family != "scribbles"}
    for t in train:  # no train template draws one of these drawings
        mine = drawn.get((t.family, t.symbol))
        theirs = t.make(rng)
        assert mine is None or len(mine) != len(theirs) or not all(
            np.array_equal(p, q) for p, q in zip(mine, theirs, strict=True)), t.symbol
