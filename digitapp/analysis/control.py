"""How a long analysis is watched and stopped: a progress callback and a stop token."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Protocol, TypeVar

T = TypeVar("T")
Report = Callable[[float, str], None]  # (fraction done 0..1, what is happening, in words)


class StopToken(Protocol):
    """Anything with a `stopped` flag, such as digitapp.engine.Control."""

    @property
    def stopped(self) -> bool: ...


class Cancelled(Exception):
    """Raised by a long computation when its stop token says stop."""


def raise_if_stopped(control: StopToken | None) -> None:
    """Raise Cancelled if `control` (may be None: never stopped) says stop."""
    if control is not None and control.stopped:
        raise Cancelled


def no_report(fraction: float, text: str) -> None:
    """A Report that ignores everything."""


Steps = Generator[tuple[float, str], None, T]  # yields (fraction, text); returns the result


def drain(steps: Steps[T], report: Report | None = None) -> T:
    """Run a generator of progress steps to its end, passing each to `report`; return its
    result. The callback form of a computation written as steps (which the GUI's worker
    iterates itself)."""
    report = report or no_report
    while True:
        try:
            fraction, text = next(steps)
        except StopIteration as end:
            return end.value
        report(fraction, text)


def scaled(steps: Steps[T], low: float, high: float) -> Steps[T]:
    """Yield the steps with their fractions mapped from 0..1 to low..high; return theirs.
    One part of a longer computation: `x = yield from scaled(part_steps, 0.0, 0.5)`."""
    while True:
        try:
            fraction, text = next(steps)
        except StopIteration as end:
            return end.value
        yield low + (high - low) * fraction, text
