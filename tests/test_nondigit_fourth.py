"""The held_out_fourth split of non-digit drawings: every family draws it, it covers exactly
held_out_third's symbols with drawings of its own, its seeds are [4 SPAN, 5 SPAN), and no
train template or seed is one of its. Nothing here classifies a drawing (the split must stay
unseen by every model and check until the next change's report)."""

from __future__ import annotations

from test_nondigit_third import by_symbol, overlap  # shapes rendered and compared at 24 px

from testkit import nondigit_fourth_templates as fourth_module
from testkit.nondigit_drawings import (
    FAMILIES,
    SEED_SPAN,
    SPLITS,
    all_templates,
    generate,
    seed_for,
)


def test_the_split_is_registered_with_its_own_seed_range():
    assert SPLITS.index("held_out_fourth") == 4  # after the third: older splits keep their seeds
    assert seed_for("held_out_fourth", 0) == 4 * SEED_SPAN
    assert seed_for("held_out_fourth", SEED_SPAN - 1) == 5 * SEED_SPAN - 1
    seeds = [s.seed for family in FAMILIES for s in generate(family, 30, "held_out_fourth")]
    seeds += [s.seed for s in generate("letters", 5, "held_out_fourth", start=SEED_SPAN - 5)]
    assert all(4 * SEED_SPAN <= seed < 5 * SEED_SPAN for seed in seeds)
    assert max(seeds) == 5 * SEED_SPAN - 1
    for other in ("train", "held_out", "held_out_fresh", "held_out_third"):
        other_seeds = {s.seed for family in FAMILIES for s in generate(family, 30, other)}
        assert not other_seeds & set(seeds), other


# Every family draws it: test_nondigit_third.py's test of the later held-out splits.


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


# Not in the train split: test_nondigit_third.py's test of the later held-out splits.
