"""Progress of a run for people: epoch, batch, samples per second and time left."""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..engine import BatchDone


@dataclass(frozen=True)
class Progress:
    epoch: int  # 1-based, as shown
    epochs: int
    batch: int  # 1-based within the epoch
    batches_per_epoch: int
    samples_per_second: float
    eta_seconds: float | None  # None until there is a rate to go by
    fraction: float  # 0..1 of all batches of the run

    def text(self) -> str:
        """Return e.g. 'Epoch 3/40 · batch 120/430 · 24,100 samples/s · 1:05 left'."""
        parts = [f"Epoch {self.epoch}/{self.epochs}",
                 f"batch {self.batch}/{self.batches_per_epoch}"]
        if self.samples_per_second > 0:
            parts.append(f"{self.samples_per_second:,.0f} samples/s")
        if self.eta_seconds is not None:
            parts.append(f"{format_duration(self.eta_seconds)} left")
        return " · ".join(parts)


class ProgressMeter:
    """Turn BatchDone events into Progress, timing only the time spent running.

    The rate is the run's average so far (per-epoch validation included, so the time left
    allows for it), over wall time minus `paused_seconds`, which the caller keeps current.
    """

    def __init__(self, epochs: int, batch_size: int, clock=time.perf_counter) -> None:
        self.epochs = epochs
        self.batch_size = batch_size
        self.clock = clock
        self.start: float | None = None  # set by the first batch (data loading excluded)
        self.paused_seconds = 0.0
        self.done = 0

    def update(self, event: BatchDone) -> Progress:
        bpe = event.batches_per_epoch
        if self.start is None:  # the first batch began 1 / its own rate ago
            self.start = self.clock() - self.batch_size / max(event.samples_per_second, 1e-9)
        self.done = event.epoch * bpe + event.batch + 1
        total = self.epochs * bpe
        active = max(self.clock() - self.start - self.paused_seconds, 1e-9)
        per_batch = active / self.done
        # Samples per second over the run so far (the last batch of an epoch may be short).
        rate = self.batch_size / per_batch
        eta = (total - self.done) * per_batch if self.done >= 3 else None
        return Progress(event.epoch + 1, self.epochs, event.batch + 1, bpe, rate, eta,
                        self.done / total)


def format_duration(seconds: float) -> str:
    """Return '0:42', '12:05' or '1:02:03' for a number of seconds."""
    seconds = max(int(round(seconds)), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
