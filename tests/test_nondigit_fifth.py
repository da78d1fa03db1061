"""The held_out_fifth split of non-digit drawings: it covers exactly held_out_fourth's
symbols with drawings of its own, its seeds are [5 SPAN, 6 SPAN), and no other split's
template or seed is one of its (every family draws it, and train holds none of it:
test_nondigit_third.py's tests of the later held-out splits). Nothing here classifies a
drawing (the split must stay unseen by every model and check until the next change's
report)."""

from __future__ import annotations

from test_nondigit_third import by_symbol, overlap  # shapes rendered and compared at 24 px

from testkit import nondigit_fifth_templates as fifth_module
from testkit.nondigit_drawings import (
    FAMILIES,
    SEED_SPAN,
    SPLITS,
    all_templates,
    generate,
    seed_for,
)


def test_the_split_is_registered_with_its_own_seed_range():
    assert SPLITS[-1] == "held_out_fifth"  # appended: every older split keeps its seeds
    assert seed_for("held_out_fifth", 0) == 5 * SEED_SPAN
    assert seed_for("held_out_fifth", SEED_SPAN - 1) == 6 * SEED_SPAN - 1
    seeds = [s.seed for family in FAMILIES for s in generate(family, 30, "held_out_fifth")]
    seeds += [s.seed for s in generate("letters", 5, "held_out_fifth", start=SEED_SPAN - 5)]
    assert all(5 * SEED_SPAN <= seed < 6 * SEED_SPAN for seed in seeds)
    assert max(seeds) == 6 * SEED_SPAN - 1
    for other in SPLITS[:-1]:
        other_seeds = {s.seed for family in FAMILIES for s in generate(family, 30, other)}
        assert not other_seeds & set(seeds), other


def test_its_symbols_are_exactly_held_out_fourths_with_the_same_per_family_structure():
    fifth, fourth = by_symbol("held_out_fifth"), by_symbol("held_out_fourth")
    assert set(fifth) == set(fourth) and len(fifth) == 84
    assert not any(t.digit_like for t in fifth.values())
    for key, t in fifth.items():
        assert t.sizes == fourth[key].sizes and t.brushes == fourth[key].brushes, key
        assert t.variant == fourth[key].variant + 1, key  # numbered after the fourth's variant
    tables = ("LETTERS", "SYMBOLS", "DOODLES", "SCRIBBLES", "DOTS_LINES")
    assert all(len(getattr(fifth_module, name)) for name in tables)


def test_its_drawings_differ_from_held_out_fourths_and_from_every_other_variant():
    """Rendered at 24 px, a fifth variant overlaps its fourth one by less than 0.85 (the most
    alike were 0.73 when written: a horizontal line) and any other variant of its symbol by
    less than 0.95 (0.93 was the most: a trembling horizontal line against one drawn in two
    strokes)."""
    fourth = by_symbol("held_out_fourth")
    others = [t for t in all_templates() if t.split != "held_out_fifth"]
    for key, t in by_symbol("held_out_fifth").items():
        assert overlap(t, fourth[key]) < 0.85, key
        for o in others:
            if (o.family, o.symbol) == key:
                assert overlap(t, o) < 0.95, (key, o.split, o.variant)
