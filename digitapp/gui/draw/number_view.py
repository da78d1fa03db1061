"""How the Draw tab shows a number it read: the text, one line of verdict, each digit's
box tip, and which digit the bars show (no Qt: plain strings and indices, tested as such).

    shown = number_shown(reading)
    shown.text        "2026", or "20?6" when the third piece is not a digit
    shown.verdict     "4 digits · least sure: 6 (88%)", "4 digits, each >99% sure"
    shown.detail      every digit with its confidence, for the verdict's tooltip
    shown.focus       the piece whose bars and 28x28 are shown: the least sure one
    shown.tips        one tooltip per piece, for the canvas's boxes
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from digitapp.app.number import NumberReading
from digitapp.app.verdict import SURE, percent


@dataclass(frozen=True)
class NumberShown:
    text: str
    verdict: str
    detail: str
    focus: int
    sure: bool  # every digit named, each at least SURE
    tips: tuple[str, ...]


def _name(reading_digit) -> str:
    digit = reading_digit.prediction.digit
    return "?" if digit is None else str(digit)


def piece_tip(index: int, count: int, reading_digit) -> str:
    """'Digit 2 of 4: 0, >99% · then 6: <1%, 8: <1%' or the reason it is not a digit."""
    p = reading_digit.prediction
    order = np.argsort(p.probabilities)[::-1]
    others = ", ".join(f"{int(k)}: {percent(float(p.probabilities[k]))}" for k in order[1:3])
    head = f"Digit {index + 1} of {count}"
    if p.digit is None:
        return (f"{head}: {p.reason} (the model alone would say {p.best}, "
                f"{percent(p.confidence)})")
    return f"{head}: {p.digit}, {percent(p.confidence)} · then {others}"


def number_shown(reading: NumberReading) -> NumberShown:
    digits = reading.digits
    text = "".join(_name(d) for d in digits)
    scores = [(-1.0 if d.prediction.digit is None else d.prediction.confidence)
              for d in digits]
    focus = int(np.argmin(scores))
    count = len(digits)
    declined = [i for i, d in enumerate(digits) if d.prediction.digit is None]
    if declined:
        which = ", ".join(str(i + 1) for i in declined)
        verdict = (f"piece {which} of {count} doesn't look like a digit" if len(declined) == 1
                   else f"pieces {which} of {count} don't look like digits")
    elif count == 1:
        p = digits[0].prediction
        verdict = f"{percent(p.confidence)} sure" if p.confidence >= SURE else "not sure"
    else:
        least = digits[focus].prediction
        least_text = percent(least.confidence)
        each = least_text if least_text.startswith(">") else f"at least {least_text}"
        verdict = (f"{count} digits, each {each} sure" if least.confidence >= SURE else
                   f"{count} digits · least sure: {least.digit} ({percent(least.confidence)})")
    detail = "  ".join(f"{_name(d)} {percent(d.prediction.confidence)}" for d in digits)
    sure = not declined and all(d.prediction.confidence >= SURE for d in digits)
    tips = tuple(piece_tip(i, count, d) for i, d in enumerate(digits))
    return NumberShown(text, verdict, detail, focus, sure, tips)
