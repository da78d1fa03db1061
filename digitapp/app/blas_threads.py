"""How many BLAS threads to train with: chosen by timing batches, not by guessing.

Measured on this project's 2-core machine (benchmarks/bench_gui_training.py, the Best MLP
recipe, images per second): quiet, one BLAS thread 35,200 and two 39,700; with one core
kept busy by another process, one thread 35,100 and two 16,100 (2.2x slower), and with
other people's jobs loading the machine two threads were 6-8x slower (OpenBLAS's threads
wait on each other for a core that is not free). No fixed count is right for both, and
the load changes while a run trains. So `BlasChooser` times a few batches with each
candidate count, trains with the fastest, watches for a slowdown, and looks again every
couple of thousand batches.

    chooser = BlasChooser(candidate_counts(os.cpu_count()), apply=set_blas_threads)
    for each batch: chooser.batch_done(seconds_per_sample)
"""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import Callable


def candidate_counts(cores: int | None) -> tuple[int, ...]:
    """Return the thread counts worth trying: 1, 2 and all cores but one (for the GUI)."""
    cores = max(int(cores or 1), 1)
    return tuple(sorted({n for n in (1, 2, cores - 1) if 1 <= n <= cores}))


class BlasChooser:
    """Probe each candidate for `probe` batches (after `settle` batches to let the switch
    take effect), keep the fastest; probe again after `every` batches, or sooner if the
    recent batches run `slack` times slower than the probe measured.

    A candidate already `slack` times slower than the best so far after `glance` batches is
    dropped at once: a probe of two threads on a busy machine then costs a few slow batches,
    not thirty. `apply(n)` sets the BLAS thread count (called only when it changes). More
    threads must be faster by `margin` to be chosen: they are the risky choice.
    """

    def __init__(self, candidates: tuple[int, ...], apply: Callable[[int], None],
                 probe: int = 30, settle: int = 3, every: int = 2000, slack: float = 1.5,
                 margin: float = 0.05, glance: int = 4) -> None:
        self.candidates = tuple(candidates)
        self.apply = apply
        self.probe, self.settle, self.every = probe, settle, every
        self.slack, self.margin, self.glance = slack, margin, glance
        self.current: int | None = None
        self.scores: dict[int, float] = {}  # thread count -> median seconds per sample
        self._recent: deque[float] = deque(maxlen=probe)
        self._start_probing()

    def batch_done(self, seconds: float) -> None:
        """Note the duration of the batch just trained (per sample, or per batch of a
        fixed size: only comparisons matter)."""
        if self._probing is not None:
            self._seen += 1
            if self._seen > self.settle:
                self._times.append(seconds)
            hopeless = (len(self._times) >= self.glance and self.scores and
                        statistics.median(self._times) > self.slack * min(self.scores.values()))
            if hopeless or len(self._times) >= self.probe:
                self.scores[self._probing] = statistics.median(self._times)
                if self._queue:
                    self._probe(self._queue.pop(0))
                else:
                    self._choose()
            return
        self._left -= 1
        self._recent.append(seconds)
        slowed = (len(self._recent) == self.probe and statistics.median(self._recent)
                  > self.slack * self.scores[self.current])
        if self._left <= 0 or slowed:
            self._start_probing()

    def _start_probing(self) -> None:
        self.scores = {}
        self._queue = list(self.candidates)
        self._probe(self._queue.pop(0))

    def _probe(self, count: int) -> None:
        self._probing, self._seen, self._times = count, 0, []
        self._use(count)

    def _choose(self) -> None:
        best = self.candidates[0]
        for count in self.candidates[1:]:
            if self.scores[count] < (1 - self.margin) * self.scores[best]:
                best = count
        self._probing = None
        self._left = self.every
        self._recent.clear()
        self._use(best)

    def _use(self, count: int) -> None:
        if count != self.current:
            self.apply(count)
            self.current = count
