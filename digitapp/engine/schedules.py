"""Learning-rate schedules: the learning rate as a function of the (fractional) epoch."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Constant:
    """The same learning rate throughout."""

    lr: float

    def __call__(self, epoch: float) -> float:
        return self.lr


@dataclass(frozen=True)
class StepDecay:
    """Multiply by `factor` every `every` epochs (the seed's recipe: x0.8 every 5)."""

    lr: float
    every: int = 5
    factor: float = 0.8

    def __call__(self, epoch: float) -> float:
        return self.lr * self.factor ** (int(epoch) // self.every)


@dataclass(frozen=True)
class Cosine:
    """Half a cosine from lr at epoch 0 down to lr*floor at `total_epochs`."""

    lr: float
    total_epochs: int
    floor: float = 0.0

    def __call__(self, epoch: float) -> float:
        progress = min(max(epoch / self.total_epochs, 0.0), 1.0)
        low = self.lr * self.floor
        return low + 0.5 * (self.lr - low) * (1.0 + math.cos(math.pi * progress))


SCHEDULES = ("constant", "step", "cosine")


def make_schedule(
    name: str, lr: float, epochs: int, every: int = 5, factor: float = 0.8, floor: float = 0.0
):
    """Return the schedule called `name` (one of SCHEDULES)."""
    if lr <= 0 or not math.isfinite(lr):
        raise ValueError(f"learning rate must be a positive number, not {lr!r}")
    if name == "constant":
        return Constant(lr)
    if name == "step":
        if every < 1 or not 0 < factor <= 1:
            raise ValueError("step decay needs every >= 1 and 0 < factor <= 1")
        return StepDecay(lr, every, factor)
    if name == "cosine":
        return Cosine(lr, max(int(epochs), 1), floor)
    raise ValueError(f"unknown schedule {name!r} (known: {', '.join(SCHEDULES)})")
