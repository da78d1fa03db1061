"""Where long work runs: a generator in a QThread of its own, its yields sent as signals.

    worker = GeneratorWorker(work, parent, "auditThread")   # work(control) -> a generator
    worker.yielded.connect(slot)    # each value the generator yields (see `throttle`)
    worker.failed.connect(slot)     # one line, if the generator raised
    worker.finished.connect(slot)   # Outcome, once the thread has ended
    worker.start(); worker.pause(); worker.resume(); worker.stop()

The shape of superqt's GeneratorWorker, made for this app: the generator is
`work(control)` with the engine Control that `stop`, `pause` and `resume` set; the generator
checks `control.stopped` between its steps and answers by ending (raising
digitapp.analysis.control.Cancelled, or returning what it has, as a stopped training run
does after saving its best epoch). Between two yields, a paused worker blocks. What the
generator returns is the Outcome's result; an exception ends it as one `failed` signal.

Throttling, for fast streams (a training run yields a few hundred batches a second): with
`throttle` seconds, a yield that comes sooner than that after the last one sent is held,
and a later one joins it through `merge(held, new)` (by default the newer replaces it; a
merge that returns None means "cannot join": the held one is sent first). Held values are
sent before the thread blocks on a pause and at the end, so nothing is lost or late.

The worker owns no widget: connect its signals only to @Slot methods of GUI-thread objects
(PySide 6.11 runs a lambda receiver in the emitting thread). This file is the only place
in the GUI that sets up a thread (the engine's data-parallel replicas and its BLAS owner,
engine/parallel.py and engine/blas.py, have their own).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from digitapp.analysis.control import Cancelled
from digitapp.engine import Control
from digitapp.engine.blas import BLAS

log = logging.getLogger(__name__)

Work = Callable[["WorkerControl"], Iterator]
Merge = Callable[[Any, Any], Any]
_NOTHING = object()  # no value held


@dataclass(frozen=True)
class Outcome:
    status: str  # "done", "cancelled" (stopped, whatever the generator returned) or "failed"
    result: Any = None  # what the generator returned (kept when a stopped one returns)
    message: str = ""  # why it failed, in one line
    seconds: float = 0.0


class WorkerControl(Control):
    """The engine's stop/pause token, which also sends held yields just before anything
    blocks on a pause and counts the time spent paused."""

    def __init__(self) -> None:
        super().__init__()
        self.before_pause: Callable[[], None] = lambda: None
        self.paused_seconds = 0.0  # written by the worker's thread only

    def wait_if_paused(self) -> None:
        if not self.paused:
            return
        self.before_pause()
        start = time.perf_counter()
        super().wait_if_paused()
        self.paused_seconds += time.perf_counter() - start


class _Runner(QObject):
    """Lives in the worker's thread: iterates the generator, emits what it yields."""

    yielded = Signal(object)
    ended = Signal(object)  # Outcome

    def __init__(self, work: Work, control: WorkerControl, throttle: float,
                 merge: Merge | None, blas_threads: int | None) -> None:
        super().__init__()
        self.work, self.control = work, control
        self.throttle, self.merge, self.blas_threads = throttle, merge, blas_threads
        self._held: Any = _NOTHING
        self._last_sent = -float("inf")
        control.before_pause = self._send_held

    @Slot()
    def run(self) -> None:
        start = time.perf_counter()
        try:
            with (BLAS.limited(self.blas_threads) if self.blas_threads is not None
                  else contextlib.nullcontext()):
                result = self._iterate(self.work(self.control))
            outcome = Outcome("cancelled" if self.control.stopped else "done", result)
        except Cancelled:
            outcome = Outcome("cancelled")
        except Exception as exc:  # a failure must end the work with a message, not hang it
            log.exception("work in %s failed", self.thread().objectName())
            outcome = Outcome("failed", message=" ".join(str(exc).split())
                              or type(exc).__name__)
        self._send_held()
        self.ended.emit(Outcome(outcome.status, outcome.result, outcome.message,
                                time.perf_counter() - start))
        # Quit from this thread: the GUI thread may be blocked in wait() (shutdown).
        self.thread().quit()

    def _iterate(self, generator: Iterator) -> Any:
        """Run the generator to its end, sending its yields; return what it returns."""
        while True:
            try:
                value = next(generator)
            except StopIteration as end:
                return end.value
            self._offer(value)
            self.control.wait_if_paused()  # between two yields: sends held values first

    def _offer(self, value: Any) -> None:
        if self.throttle <= 0:
            self.yielded.emit(value)
            return
        if self._held is not _NOTHING:
            joined = self.merge(self._held, value) if self.merge else value
            if joined is None:  # cannot join: keep the order, the held one goes first
                self._send_held()
                self._hold_or_send(value, force=True)
                return
            value = joined
        self._hold_or_send(value)

    def _hold_or_send(self, value: Any, force: bool = False) -> None:
        self._held = value
        if force or time.perf_counter() - self._last_sent >= self.throttle:
            self._send_held()

    def _send_held(self) -> None:
        if self._held is _NOTHING:
            return
        value, self._held = self._held, _NOTHING
        self._last_sent = time.perf_counter()
        self.yielded.emit(value)


class GeneratorWorker(QObject):
    """A generator run in a QThread of its own; `finished(Outcome)` once the thread ends.

    `throttle` (seconds, 0: every yield at once) and `merge` decide how often `yielded`
    comes (see the module's notes); `blas_threads` is the BLAS limit the work holds:
    one by default, so that the GUI thread keeps a core (engine/blas.py); None for work
    that holds its own (training follows the machine's load).
    """

    yielded = Signal(object)
    failed = Signal(str)
    finished = Signal(object)  # Outcome

    def __init__(self, work: Work, parent: QObject | None = None, name: str = "worker", *,
                 throttle: float = 0.0, merge: Merge | None = None,
                 blas_threads: int | None = 1) -> None:
        super().__init__(parent)
        self.outcome: Outcome | None = None
        self.control = WorkerControl()
        self.qthread = QThread()
        self.qthread.setObjectName(name)
        self._runner = _Runner(work, self.control, throttle, merge, blas_threads)
        self._runner.moveToThread(self.qthread)
        self.qthread.started.connect(self._runner.run)
        # Slots of this object, which lives in the GUI thread: queued, never a lambda.
        queued = Qt.ConnectionType.QueuedConnection
        self._runner.yielded.connect(self._yielded, queued)
        self._runner.ended.connect(self._ended, queued)
        self.qthread.finished.connect(self._thread_finished, queued)

    def start(self) -> None:
        self.qthread.start()

    def stop(self) -> None:
        """Ask the generator to end (also wakes a paused one); `finished` follows."""
        self.control.stop()

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    @property
    def stopping(self) -> bool:
        return self.control.stopped

    @property
    def paused(self) -> bool:
        return self.control.paused

    def is_running(self) -> bool:
        return self.qthread.isRunning()

    def wait(self, milliseconds: int = -1) -> bool:
        """Block until the thread ends (True) or `milliseconds` pass (-1: no limit)."""
        return self.qthread.wait() if milliseconds < 0 else self.qthread.wait(milliseconds)

    @Slot(object)
    def _yielded(self, value: Any) -> None:
        self.yielded.emit(value)

    @Slot(object)
    def _ended(self, outcome: Outcome) -> None:
        self.outcome = outcome

    @Slot()
    def _thread_finished(self) -> None:
        # `finished` comes just before the thread's very end: wait for it, so whoever drops
        # this object next never destroys a QThread that still runs.
        self.qthread.wait()
        outcome = self.outcome or Outcome("failed", message="the work ended without a result")
        if outcome.status == "failed":
            self.failed.emit(outcome.message)
        self.finished.emit(outcome)
