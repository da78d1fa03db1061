"""The later held-out splits of non-digit drawings, held_out_third, held_out_fourth,
held_out_fifth, held_out_sixth, held_out_seventh and held_out_eighth (one module of
templates each): every family draws each, each covers exactly the symbols of the split
before it with drawings of its own, its seeds are its own [k SPAN, (k + 1) SPAN), and no
train template or seed is one of its. Nothing here classifies a drawing (a split must stay
unseen by every model and check until the report it is written for)."""

from __future__ import annotations

import numpy as np
import pytest

from testkit import nondigit_eighth_templates as eighth_module
from testkit import nondigit_fifth_templates as fifth_module
from testkit import nondigit_fourth_templates as fourth_module
from testkit import nondigit_seventh_templates as seventh_module
from testkit import nondigit_sixth_templates as sixth_module
from testkit import nondigit_third_templates as third_module
from testkit.nondigit_drawings import (
    FAMILIES,
    SEED_SPAN,
    SPLITS,
    all_templates,
    generate,
    normalised,
    seed_for,
    templates,
)
from testkit.stroke_digits import bounds

SIDE = 24  # raster side for comparing shapes: fine enough for a stroke's course, not its wobble


def rendered(drawing) -> np.ndarray:
    """The drawing as ink on a (SIDE + 2)^2 bool raster: longer side SIDE - 1, centred, every
    segment sampled 20 times, ink grown by one pixel (so a shift of one pixel still overlaps)."""
    points = normalised([np.asarray(p, float) for p in drawing])
    centre_shift = (1 - np.concatenate(points).max(axis=0)) / 2
    sheet = np.zeros((SIDE + 2, SIDE + 2), bool)
    for p in points:
        p = p + centre_shift
        steps = np.linspace(0, 1, 20)[:, None]
        pieces = [a + steps * (b - a) for a, b in zip(p[:-1], p[1:], strict=True)]
        dense = np.concatenate([p[:1], *pieces])
        xy = np.round(dense * (SIDE - 1)).astype(int) + 1
        sheet[xy[:, 1], xy[:, 0]] = True
    grown = sheet.copy()
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            grown |= np.roll(np.roll(sheet, dy, axis=0), dx, axis=1)
    return grown


def overlap(a, b) -> float:
    """Intersection over union of two templates' rendered ink (1: the same shape)."""
    ra, rb = rendered(a.make(np.random.default_rng(0))), rendered(b.make(np.random.default_rng(0)))
    return float((ra & rb).sum() / (ra | rb).sum())


def by_symbol(split: str) -> dict:
    out = {}
    for t in templates(split):
        assert (t.family, t.symbol) not in out, f"two {split} variants of {t.symbol}"
        out[(t.family, t.symbol)] = t
    return out


# (split, the split before it, its module, its index in SPLITS)
LATER = [("held_out_third", "held_out_fresh", third_module, 3),
         ("held_out_fourth", "held_out_third", fourth_module, 4),
         ("held_out_fifth", "held_out_fourth", fifth_module, 5),
         ("held_out_sixth", "held_out_fifth", sixth_module, 6),
         ("held_out_seventh", "held_out_sixth", seventh_module, 7),
         ("held_out_eighth", "held_out_seventh", eighth_module, 8)]


@pytest.mark.parametrize("split, before, module, k", LATER)
def test_the_split_is_registered_with_its_own_seed_range(split, before, module, k):
    assert SPLITS.index(split) == k  # appended in turn: every older split keeps its seeds
    assert seed_for(split, 0) == k * SEED_SPAN
    assert seed_for(split, SEED_SPAN - 1) == (k + 1) * SEED_SPAN - 1
    seeds = [s.seed for family in FAMILIES for s in generate(family, 30, split)]
    seeds += [s.seed for s in generate("letters", 5, split, start=SEED_SPAN - 5)]
    assert all(k * SEED_SPAN <= seed < (k + 1) * SEED_SPAN for seed in seeds)
    assert max(seeds) == (k + 1) * SEED_SPAN - 1
    for other in SPLITS:
        if other != split:
            other_seeds = {s.seed for family in FAMILIES for s in generate(family, 30, other)}
            assert not other_seeds & set(seeds), other


@pytest.mark.parametrize("split", [split for split, *_ in LATER])
@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_generates_samples_of_the_later_held_out_splits(family, split):
    pool = templates(split, family)
    assert pool
    samples = generate(family, 2 * len(pool), split)
    assert {(s.template.symbol, s.template.variant) for s in samples} == {
        (t.symbol, t.variant) for t in pool}  # every template used
    for s in samples:
        assert s.template.split == split and s.template.family == family
        assert s.drawing and all(np.isfinite(p).all() and p.shape[1] == 2 for p in s.drawing)
        low, high = bounds(s.drawing)
        assert np.allclose(low, 0, atol=1e-5) and (high <= 1 + 1e-5).all()
        assert 0 < s.size <= 1
        assert (s.brush is not None) == (family == "dots_lines")


@pytest.mark.parametrize("split, before, module, k", LATER)
def test_its_symbols_are_exactly_those_of_the_split_before(split, before, module, k):
    mine, theirs = by_symbol(split), by_symbol(before)
    assert set(mine) == set(theirs) and len(mine) == 84
    assert not any(t.digit_like for t in mine.values())
    non_digit_train = {(t.family, t.symbol) for t in templates("train") if not t.digit_like}
    assert set(mine) == non_digit_train
    for key, t in mine.items():
        assert t.sizes == theirs[key].sizes and t.brushes == theirs[key].brushes, key
        assert t.variant == theirs[key].variant + 1, key  # numbered after the one before
    tables = ("LETTERS", "SYMBOLS", "DOODLES", "SCRIBBLES", "DOTS_LINES")
    assert all(len(getattr(module, name)) for name in tables)


@pytest.mark.parametrize("split, before, module, k", LATER)
def test_its_drawings_differ_from_the_split_befores_and_from_every_other_variant(
        split, before, module, k):
    """Rendered at 24 px, a variant overlaps the one of the split before by less than 0.85
    and any other variant of its symbol by less than 0.95. The most alike when written:
    third 0.79 / 0.90 (a backslash is a line however it is drawn), fourth 0.80 (a
    horizontal line) / 0.89 (an X with a loop at the crossing), fifth 0.73 (a horizontal
    line) / 0.93 (a trembling horizontal line against one drawn in two strokes), sixth 0.77
    (a child's N against one with a tiny loop) / 0.92 (a dash broken in two against a gently
    waving one), seventh 0.83 (a brush's double-passed X against the sixth's, each arm in
    two pieces) / 0.92 (a sun of a ring and hurried rays against a ring and plain rays),
    eighth 0.84 (a marker's blunt, polygonal @ against the seventh's brush-drawn one) / 0.94
    (a marker's polygonal heart against the round one it simplifies)."""
    theirs = by_symbol(before)
    others = [t for t in all_templates() if t.split != split]
    for key, t in by_symbol(split).items():
        assert overlap(t, theirs[key]) < 0.85, key
        for o in others:
            if (o.family, o.symbol) == key:
                assert overlap(t, o) < 0.95, (key, o.split, o.variant)


def test_rendering_tells_a_copy_from_another_drawing():
    """The comparison above can fail: a copy overlaps fully, another letter does not."""
    letters = by_symbol("held_out_third")
    a, n = letters[("letters", "A")], letters[("letters", "N")]
    assert overlap(a, a) == 1.0
    assert overlap(a, n) < 0.85


@pytest.mark.parametrize("split, before, module, k", LATER)
def test_the_train_split_does_not_contain_the_later_held_out_splits(split, before, module, k):
    train = templates("train")
    held = templates(split)
    assert not any(t.split == split for t in train)
    assert not {id(t.make) for t in train} & {id(t.make) for t in held}
    assert not {(t.family, t.symbol, t.variant) for t in train} & {
        (t.family, t.symbol, t.variant) for t in held}
    train_seeds = {s.seed for family in FAMILIES for s in generate(family, 50, "train")}
    assert max(train_seeds) < SEED_SPAN
    assert not any(t.make in module.SCRIBBLES.values() for t in train)
    rng = np.random.default_rng(0)
    drawn = {(t.family, t.symbol): t.make(rng) for t in held if t.family != "scribbles"}
    for t in train:  # no train template draws one of these drawings
        mine = drawn.get((t.family, t.symbol))
        theirs = t.make(rng)
        assert mine is None or len(mine) != len(theirs) or not all(
            np.array_equal(p, q) for p, q in zip(mine, theirs, strict=True)), t.symbol
