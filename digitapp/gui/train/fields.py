"""Text fields that refuse bad values on the spot, saying why.

A field is a QLineEdit plus a parser: `parse(text)` returns the value or raises ValueError
with a reason a person can act on ("a whole number from 1 to 1000"). The field marks
itself (red frame, tooltip) while its text does not parse.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

Parser = Callable[[str], Any]


def whole(low: int, high: int, blank: Any = ...) -> Parser:
    """Return a parser of whole numbers in [low, high]; `blank` (if given) for empty text."""

    def parse(text: str) -> int:
        text = text.strip().replace(",", "").replace("_", "")
        if not text and blank is not ...:
            return blank
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise ValueError(f"a whole number from {low:,} to {high:,}"
                             + (", or empty" if blank is not ... else ""))
        return value

    return parse


def real(low: float, high: float, low_open: bool = False, high_open: bool = False,
         example: str = "") -> Parser:
    """Return a parser of numbers in the interval low..high (each end open or closed)."""
    left, right = "(" if low_open else "[", ")" if high_open else "]"
    if math.isinf(high):
        reason = f"a number {'>' if low_open else '>='} {low:g}"
    else:
        reason = f"a number in {left}{low:g}, {high:g}{right}"
    if example:
        reason += f", e.g. {example}"

    def parse(text: str) -> float:
        try:
            value = float(text.strip())
        except ValueError:
            raise ValueError(reason) from None
        inside = (value > low if low_open else value >= low) and (
            value < high if high_open else value <= high)
        if not math.isfinite(value) or not inside:
            raise ValueError(reason)
        return value

    return parse


def layer_sizes(max_layers: int = 6, max_units: int = 8192) -> Parser:
    """Return a parser of hidden layer sizes: '512', '256, 128' or '256-128'."""
    reason = (f"1 to {max_layers} sizes from 1 to {max_units}, separated by commas, "
              "e.g. 512 or 256, 128")

    def parse(text: str) -> list[int]:
        parts = [p for p in text.replace("-", ",").replace(" ", ",").split(",") if p]
        try:
            sizes = [int(p) for p in parts]
        except ValueError:
            raise ValueError(reason) from None
        if not 1 <= len(sizes) <= max_layers or not all(1 <= s <= max_units for s in sizes):
            raise ValueError(reason)
        return sizes

    return parse


class CheckedField(QLineEdit):
    """A line edit with a parser; `problem` is None or why the text is refused."""

    validity_changed = Signal()

    def __init__(self, name: str, parse: Parser, placeholder: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name  # shown before the reason, e.g. "Learning rate"
        self.parse = parse
        self.problem: str | None = None
        self.help = ""  # what the field is for (its tooltip, after the reason if refused)
        self.setPlaceholderText(placeholder)
        self.textChanged.connect(self.check)
        self.check()

    def value(self) -> Any:
        """Return the parsed value (call only when `problem` is None)."""
        return self.parse(self.text())

    def set_problem(self, problem: str | None) -> None:
        """Mark the field as refused with a reason (or clear the mark)."""
        if problem == self.problem:
            return
        self.problem = problem
        self.setProperty("invalid", problem is not None)
        self._show_tooltip()
        self.style().unpolish(self)
        self.style().polish(self)
        self.validity_changed.emit()

    def set_help(self, text: str) -> None:
        """Say what the field is for, its range and its effect (the tooltip)."""
        self.help = text
        self._show_tooltip()

    def _show_tooltip(self) -> None:
        refused = f"{self.name}: {self.problem}" if self.problem else ""
        self.setToolTip("\n\n".join(t for t in (refused, self.help) if t))

    def check(self) -> None:
        """Parse the text again and mark the field accordingly."""
        try:
            self.parse(self.text())
        except ValueError as exc:
            self.set_problem(str(exc))
        else:
            self.set_problem(None)
