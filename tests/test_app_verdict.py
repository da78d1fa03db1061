"""The verdict in words: sure, or a plain doubt between the top two; honest percentages."""

from __future__ import annotations

import numpy as np

from digitapp.app.verdict import SURE, percent, verdict


def probabilities(**named: float) -> np.ndarray:
    """Return (10,) probabilities with the given digits (d3=0.6, ...) and the rest shared."""
    p = np.zeros(10)
    for name, value in named.items():
        p[int(name[1:])] = value
    rest = [d for d in range(10) if p[d] == 0]
    p[rest] = (1 - p.sum()) / len(rest)
    return p


def test_a_sure_answer_gives_the_digit_and_its_confidence():
    said = verdict(probabilities(d7=0.98))
    assert (said.digit, said.sure, said.text) == (7, True, "98% sure")


def test_low_confidence_is_said_plainly_with_the_top_two():
    said = verdict(probabilities(d4=0.55, d9=0.40))
    assert (said.digit, said.sure) == (4, False)
    assert said.text == "not sure: 4 or 9?"
    assert said.detail == "4: 55%, 9: 40%"


def test_the_threshold_is_inclusive():
    assert verdict(probabilities(d2=SURE)).sure
    assert not verdict(probabilities(d2=SURE - 0.01)).sure


def test_percent_never_rounds_to_certainty_or_to_nothing():
    assert percent(0.9996) == ">99%"
    assert percent(1.0) == "100%"
    assert percent(0.004) == "<1%"
    assert percent(0.0) == "0%"
    assert percent(0.5) == "50%"
