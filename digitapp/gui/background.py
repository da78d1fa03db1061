"""One function run in a QThread of its own, with progress, Cancel and one outcome.

    task = BackgroundTask(fn, parent)   # fn(control, report) -> result, in the thread
    task.progressed.connect(slot)       # (fraction 0..1, text), at most every THROTTLE s
    task.finished.connect(slot)         # Outcome, once the thread has ended
    task.start(); task.cancel()

`control` is an engine Control: `cancel()` sets its stop flag, which the function checks
between steps and answers by raising digitapp.analysis.control.Cancelled. The worker owns
no widget: its results leave through queued signals to slots of GUI-thread objects
(PySide 6.11 would run a lambda receiver in the emitting thread).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from digitapp.analysis.control import Cancelled, Report
from digitapp.engine import Control
from digitapp.engine.blas import BLAS

log = logging.getLogger(__name__)

THROTTLE = 0.1  # seconds between progress signals

Job = Callable[[Control, Report], Any]


@dataclass(frozen=True)
class Outcome:
    status: str  # "done", "cancelled" or "failed"
    result: Any = None  # the function's return value when done
    message: str = ""  # why it failed, in one line
    seconds: float = 0.0


class _Worker(QObject):
    progressed = Signal(float, str)
    ended = Signal(object)  # Outcome

    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.control = Control()
        self._last = 0.0

    @Slot()
    def run(self) -> None:
        start = time.perf_counter()
        try:
            # One BLAS thread: on two cores a second one competes with the GUI thread,
            # and under load it made an eigen-decomposition ten times slower, not faster.
            with BLAS.limited(1):
                result = self.job(self.control, self._report)
            outcome = Outcome("done", result)
        except Cancelled:
            outcome = Outcome("cancelled")
        except Exception as exc:  # a failure must end the task with a message, not hang it
            log.exception("background task failed")
            outcome = Outcome("failed", message=str(exc) or type(exc).__name__)
        if outcome.status == "done" and self.control.stopped:
            outcome = Outcome("cancelled")  # finished as Cancel was pressed: it was cancelled
        outcome = Outcome(outcome.status, outcome.result, outcome.message,
                          time.perf_counter() - start)
        self.ended.emit(outcome)
        # Quit from this thread: the GUI thread may be blocked in wait() (shutdown).
        self.thread().quit()

    def _report(self, fraction: float, text: str) -> None:
        now = time.perf_counter()
        if now - self._last >= THROTTLE or fraction >= 1.0:
            self._last = now
            self.progressed.emit(float(fraction), text)


class BackgroundTask(QObject):
    """A _Worker in a QThread; `finished(Outcome)` once the thread has ended."""

    progressed = Signal(float, str)
    finished = Signal(object)  # Outcome

    def __init__(self, job: Job, parent: QObject | None = None, name: str = "task") -> None:
        super().__init__(parent)
        self.outcome: Outcome | None = None
        self.thread = QThread()
        self.thread.setObjectName(name)
        self.worker = _Worker(job)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        queued = Qt.ConnectionType.QueuedConnection
        self.worker.progressed.connect(self._progressed, queued)
        self.worker.ended.connect(self._ended, queued)
        self.thread.finished.connect(self._thread_finished, queued)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self.worker.control.stop()

    @property
    def cancelled(self) -> bool:
        return self.worker.control.stopped

    def is_running(self) -> bool:
        return self.thread.isRunning()

    def wait(self, milliseconds: int = -1) -> bool:
        """Block until the thread ends (True) or `milliseconds` pass (-1: no limit)."""
        return self.thread.wait() if milliseconds < 0 else self.thread.wait(milliseconds)

    @Slot(float, str)
    def _progressed(self, fraction: float, text: str) -> None:
        if not self.cancelled:  # a Cancel already answered: no late progress on screen
            self.progressed.emit(fraction, text)

    @Slot(object)
    def _ended(self, outcome: Outcome) -> None:
        self.outcome = outcome

    @Slot()
    def _thread_finished(self) -> None:
        self.thread.wait()  # `finished` comes just before the thread's very end
        self.finished.emit(self.outcome or Outcome("failed", message="no result"))
