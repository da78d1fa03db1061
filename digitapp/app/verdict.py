"""What the network thinks, said plainly: the digit and how sure, or the two it hesitates over."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Below this probability for the winner, the answer is given as a doubt between the top two.
SURE = 0.8


@dataclass(frozen=True)
class Verdict:
    digit: int
    sure: bool
    text: str  # one short line: "98% sure" or "not sure: 4 or 9?"
    detail: str  # the top two with their probabilities, for tooltips and screen readers


def percent(p: float) -> str:
    """Return a probability as a whole percentage that never claims certainty it lacks.

    0.996 -> ">99%", 0.004 -> "<1%", 0.5 -> "50%".
    """
    if p >= 0.995 and p < 1.0:
        return ">99%"
    if 0.0 < p < 0.005:
        return "<1%"
    return f"{round(p * 100)}%"


def verdict(probabilities: np.ndarray) -> Verdict:
    """Return the verdict for class probabilities (10,) that sum to 1."""
    probs = np.asarray(probabilities, dtype=np.float64)
    first, second = (int(i) for i in np.argsort(probs)[::-1][:2])
    detail = f"{first}: {percent(probs[first])}, {second}: {percent(probs[second])}"
    if probs[first] >= SURE:
        return Verdict(first, True, f"{percent(probs[first])} sure", detail)
    return Verdict(first, False, f"not sure: {first} or {second}?", detail)
