"""Non-digit drawings: the splits share nothing, the held_out split is what it was before the
more templates came, every family draws ink, reproducibly."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from testkit import nondigit_drawings as own
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


def key(t):
    return (t.family, t.symbol, t.variant)


def test_the_splits_share_no_template_variant_and_cover_every_symbol():
    by_split = {split: templates(split) for split in SPLITS}
    for a, b in itertools.combinations(SPLITS, 2):
        assert not {key(t) for t in by_split[a]} & {key(t) for t in by_split[b]}, (a, b)
        assert not {id(t.make) for t in by_split[a]} & {id(t.make) for t in by_split[b]}, (a, b)
    assert sum(map(len, by_split.values())) == len(all_templates())
    symbols = {split: {(t.family, t.symbol) for t in ts} for split, ts in by_split.items()}
    assert symbols["held_out"] <= symbols["train"]
    assert any(t.digit_like for t in by_split["held_out"])
    assert not all(t.digit_like for t in by_split["held_out"])


def test_the_held_out_split_is_unchanged_by_the_more_templates():
    """78 templates: the LAST variant of every symbol written in nondigit_drawings itself, in
    its order (generate() shuffles by the pool's size, so size and order fix the samples)."""
    held = templates("held_out")
    expected = [(f, s, len(v) - 1) for f, d in (("letters", own.LETTERS), ("symbols", own.SYMBOLS),
                                                ("doodles", own.DOODLES),
                                                ("scribbles", own.SCRIBBLES),
                                                ("dots_lines", own.DOTS_LINES))
                for s, v in d.items()]
    assert [key(t) for t in held] == expected and len(held) == 78
    for t in held:
        if t.family == "scribbles":
            assert t.make is own.SCRIBBLES[t.symbol][-1]
            continue
        last = {"letters": own.LETTERS, "symbols": own.SYMBOLS, "doodles": own.DOODLES}.get(
            t.family)
        drawing = last[t.symbol][-1] if last else own.DOTS_LINES[t.symbol][-1][0]
        made = t.make(np.random.default_rng(0))
        assert all(np.array_equal(p, q) for p, q in zip(made, drawing, strict=True))


def test_more_templates_are_train_only_and_fresh_covers_every_non_digit_symbol():
    train = templates("train")
    assert len(train) >= 3 * len(templates("held_out"))  # 2-3 more ways of every symbol
    for letter in "JLQcdfjpsuvxyz":
        assert ("letters", letter) in {(t.family, t.symbol) for t in train}
    fresh = templates("held_out_fresh")
    assert not any(t.digit_like for t in fresh)
    non_digit = {(t.family, t.symbol) for t in train if not t.digit_like}
    assert {(t.family, t.symbol) for t in fresh} == non_digit
    assert len({(t.family, t.symbol) for t in fresh}) == len(fresh)  # one variant each
    assert {t.symbol for t in all_templates() if t.digit_like} >= {"i", "s", "z"}


def test_the_splits_share_no_seed():
    assert seed_for("train", SEED_SPAN - 1) < seed_for("held_out", 0)
    assert seed_for("held_out", SEED_SPAN - 1) < seed_for("held_out_fresh", 0)
    seeds = {split: {s.seed for f in FAMILIES for s in generate(f, 40, split)}
             for split in SPLITS}
    for a, b in itertools.combinations(SPLITS, 2):
        assert not seeds[a] & seeds[b], (a, b)
    assert min(seeds["held_out_fresh"]) == 2 * SEED_SPAN
    with pytest.raises(ValueError):
        seed_for("train", SEED_SPAN)
    with pytest.raises(ValueError):
        seed_for("tested", 0)


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
