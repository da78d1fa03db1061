"""How many cores other processes keep busy, and so how many BLAS threads a run may take.

Measured on this project's 2-core machine (benchmarks/bench_gui_training.py): on an idle
machine a training run is ~35% faster with two BLAS threads than with one; when another
process holds a core, two threads are 2.6x slower than one (OpenBLAS's threads wait for a
core that is not free). No fixed count is right for both, so a run asks for the cores that
other processes left free over the last stretch of time (an epoch), again at each epoch.

Linux only (/proc/stat): elsewhere `cores_busy()` is None and the caller keeps its default.
"""

from __future__ import annotations

import os
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
# A core others used at most 30% of still counts as free; one they used more of is left to
# them (a chosen margin: the measured cases are an idle core and a fully busy one).
FREE_MARGIN = 0.3


def _machine_busy_seconds() -> float | None:
    """CPU-seconds all processes have spent working since boot (all cores), or None."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = f.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu" or len(fields) < 6:
        return None
    ticks = [int(v) for v in fields[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks[:8]) - idle) / CLOCK_TICKS  # user..steal; guest is inside user


def _own_busy_seconds() -> float:
    times = os.times()
    return times.user + times.system


class OtherWork:
    """Cores that other processes kept busy between one call of `cores_busy` and the next."""

    def __init__(self) -> None:
        self._last = self._sample()

    @staticmethod
    def _sample() -> tuple[float, float | None, float]:
        return time.monotonic(), _machine_busy_seconds(), _own_busy_seconds()

    def cores_busy(self) -> float | None:
        """Return the average number of cores others used since the last call, or None."""
        now = self._sample()
        (t0, machine0, own0), (t1, machine1, own1) = self._last, now
        self._last = now
        if machine0 is None or machine1 is None or t1 - t0 < 0.05:
            return None
        others = (machine1 - machine0) - (own1 - own0)
        return max(others / (t1 - t0), 0.0)


def blas_threads_beside(others_busy: float | None, default: int) -> int:
    """Return the BLAS threads for a run when others keep `others_busy` cores busy.

    All the cores they leave free (at least one); `default` when that is unknown.
    """
    if others_busy is None:
        return default
    cores = os.cpu_count() or 1
    return max(1, min(cores, int(cores - others_busy + FREE_MARGIN)))
