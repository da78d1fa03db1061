"""One background job at a time, for a GUI object whose long work runs in a GeneratorWorker.

    self._export = JobSlot(self)
    worker = self._export.start(work, "exportThread", throttle=0.1,
                                on_yield=self._progressed, on_finished=self._finished)
    self._export.running(); self._export.cancel(); self._export.shutdown()  # on quit

The bookkeeping each owner used to keep by hand: the worker or None, its signals connected
to the owner's slots, stop on Cancel, stop and wait on quit, and the worker dropped
(deleteLater) once its thread has ended.

- `on_yield` gets only what the current job yields before it is asked to stop: after
  Cancel nothing overwrites "Cancelling...", and a superseded job says nothing. It is
  called from this object's slot, in the GUI thread.
- `on_finished(Outcome)` is connected to the worker's `finished`, after the slot that
  forgets the worker: there `running()` already says whether a newer job is under way,
  and `sender()` is the worker that ended (to look up what that job worked for).
- Starting while a job runs asks that one to stop; its end still comes to its on_finished.

`on_finished` must be a @Slot method of a GUI-thread object, never a lambda (worker.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Slot

from digitapp.gui.worker import GeneratorWorker, Merge, Work


class JobSlot(QObject):
    """Owns the current GeneratorWorker of one kind of job, or none."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker: GeneratorWorker | None = None  # the current job's
        self._on_yield: Callable[[Any], None] | None = None

    def start(self, work: Work, name: str, *, throttle: float = 0.0,
              merge: Merge | None = None, blas_threads: int | None = 1,
              on_yield: Callable[[Any], None] | None = None,
              on_finished: Callable[[Any], None]) -> GeneratorWorker:
        """Run `work` in a thread named `name` as the current job; return its worker."""
        self.cancel()
        worker = GeneratorWorker(work, self, name, throttle=throttle, merge=merge,
                                 blas_threads=blas_threads)
        worker.yielded.connect(self._yielded)
        worker.finished.connect(self._forget)
        worker.finished.connect(on_finished)
        self.worker, self._on_yield = worker, on_yield
        worker.start()
        return worker

    def running(self) -> bool:
        return self.worker is not None

    @property
    def stopping(self) -> bool:
        """Whether the current job has been asked to stop (False when none runs)."""
        return self.worker is not None and self.worker.stopping

    def cancel(self) -> None:
        """Ask the current job to stop; its on_finished follows."""
        if self.worker is not None:
            self.worker.stop()

    def shutdown(self) -> None:
        """Cancel and block until the current job's thread has ended."""
        if self.worker is not None:
            self.worker.stop()
            self.worker.wait()

    @Slot(object)
    def _yielded(self, value: Any) -> None:
        if self._on_yield is not None and self.sender() is self.worker and not self.stopping:
            self._on_yield(value)

    @Slot(object)
    def _forget(self, _outcome: Any) -> None:
        worker = self.sender()
        worker.deleteLater()  # its thread has ended
        if worker is self.worker:
            self.worker = None
