"""One training run in its own QThread, streaming its progress as signals.

    run = TrainingRun(job, folder, store)   # a TrainingWorker moved to a fresh QThread
    run.worker.batches.connect(...)         # BatchChunk, at most every THROTTLE seconds
    run.finished.connect(...)               # RunRecord, once the thread has ended
    run.start(); run.pause(); run.resume(); run.stop()

The worker owns no widget and calls none: plain data leaves it through queued signals.
Pause, resume and stop go straight to its engine Control, which is thread-safe and read
by the training loop between batches (the worker's own event loop is busy training).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from digitapp.app.progress import Progress, ProgressMeter
from digitapp.app.run_history import RunRecorder
from digitapp.app.training import TrainingJob, run_training
from digitapp.engine import BatchDone, Control, EpochDone, Failed, Finished
from digitapp.engine.blas import BLAS, all_cores_but
from digitapp.store.runs import RunRecord, RunStore, StoreError

log = logging.getLogger(__name__)

THROTTLE = 0.1  # seconds between batch updates to the GUI (10 per second)


@dataclass(frozen=True)
class BatchChunk:
    """The batches finished since the previous chunk."""

    first: int  # index of the first of these batches in the whole run
    losses: np.ndarray  # (n,) float32
    lrs: np.ndarray  # (n,) float32
    batches_per_epoch: int
    progress: Progress


class _FlushingControl(Control):
    """A Control that calls `before_pause` just before the loop blocks on a pause, so the
    last batches reach the screen, and counts the time spent paused."""

    def __init__(self, before_pause) -> None:
        super().__init__()
        self._before_pause = before_pause
        self.paused_seconds = 0.0  # written by the training thread only

    def wait_if_paused(self) -> None:
        if not self.paused:
            return
        self._before_pause()
        start = time.perf_counter()
        super().wait_if_paused()
        self.paused_seconds += time.perf_counter() - start


class TrainingWorker(QObject):
    """Runs `run_training` for one job when its thread starts; records the run."""

    batches = Signal(object)  # BatchChunk
    epoch_done = Signal(object)  # engine EpochDone
    stage = Signal(str)  # what is happening, in words
    ended = Signal(object)  # RunRecord, as stored (id None if it could not be)

    def __init__(self, job: TrainingJob, folder: Path, store: RunStore | None) -> None:
        super().__init__()
        self.job, self.folder, self.store = job, folder, store
        self.control = _FlushingControl(self._flush)
        self._meter = ProgressMeter(job.config.epochs, job.config.batch_size)
        self._losses: list[float] = []
        self._lrs: list[float] = []
        self._sent = 0  # batches already sent
        self._last_sent = 0.0
        self._last_progress: Progress | None = None
        self._batches_per_epoch = 0

    @Slot()
    def run(self) -> None:
        recorder = RunRecorder(self.job)
        start = time.perf_counter()
        self.stage.emit("Loading MNIST")
        try:
            # BLAS leaves a core to the GUI thread: one thread on 2 cores, where a second
            # was at best ~10% faster and 2-8x slower whenever anything else held a core
            # (engine/blas.py). Data-parallel replicas (the CNNs) hold one thread each.
            with BLAS.limited(all_cores_but(1)):
                for event in run_training(self.job, self.folder, self.control):
                    recorder.feed(event)
                    self._handle(event)
        except Exception as exc:  # any failure must end the run with a message, not hang it
            log.exception("training run failed")
            verdict = recorder.run.status  # "running" until the trainer's last event
            what = ("training failed" if verdict == "running"
                    else f"the run {verdict}, but its model could not be saved")
            recorder.fail(f"{what}: {_plain(exc)}", time.perf_counter() - start)
        self._flush()
        self.ended.emit(self._store(recorder.record()))
        # End the thread's event loop from here, not from a slot in the GUI thread: the
        # GUI thread may be blocked waiting for this thread (TrainTab.shutdown).
        self.thread().quit()

    def _handle(self, event) -> None:
        if isinstance(event, BatchDone):
            if not self._losses and self._sent == 0:
                self.stage.emit("Training")
            self._losses.append(event.loss)
            self._lrs.append(event.lr)
            self._batches_per_epoch = event.batches_per_epoch
            self._meter.paused_seconds = self.control.paused_seconds
            self._last_progress = self._meter.update(event)
            if time.perf_counter() - self._last_sent >= THROTTLE:
                self._flush()
        elif isinstance(event, EpochDone):
            self._flush()
            self.epoch_done.emit(event)
        elif isinstance(event, (Finished, Failed)):
            self._flush()
            keeps = event.epochs_run > 0 and (
                isinstance(event, Finished) or event.reason == "diverged")
            if keeps:
                self.stage.emit("Evaluating on the test set and saving")

    def _flush(self) -> None:
        """Send the batches not yet sent (called in the training thread)."""
        if not self._losses or self._last_progress is None:
            return
        chunk = BatchChunk(self._sent, np.array(self._losses, np.float32),
                           np.array(self._lrs, np.float32), self._batches_per_epoch,
                           self._last_progress)
        self._sent += len(self._losses)
        self._losses, self._lrs = [], []
        self._last_sent = time.perf_counter()
        self.batches.emit(chunk)

    def _store(self, run: RunRecord) -> RunRecord:
        if run.status == "stopped" and run.model_path is None:
            run.message = "Stopped before the first epoch ended: there was nothing to save."
        if self.store is None:
            return run
        try:
            self.store.add(run)
        except StoreError as exc:
            run.message = (run.message + " " if run.message else "") + (
                f"The run could not be added to the history: {exc}")
        return run


def _plain(exc: Exception) -> str:
    """Return an exception as one line for people (an OSError without its errno)."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


class TrainingRun(QObject):
    """A TrainingWorker in a QThread of its own; `finished(RunRecord)` when the thread ends."""

    finished = Signal(object)  # RunRecord

    def __init__(self, job: TrainingJob, folder: Path, store: RunStore | None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.record: RunRecord | None = None
        self.thread = QThread()
        self.thread.setObjectName("trainingThread")
        self.worker = TrainingWorker(job, folder, store)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        # Slots of this object (GUI thread), queued. Never connect a worker signal to a
        # lambda: PySide 6.11 would run it in the training thread.
        queued = Qt.ConnectionType.QueuedConnection
        self.worker.ended.connect(self._ended, queued)
        self.thread.finished.connect(self._thread_finished, queued)

    def start(self) -> None:
        self.thread.start()

    def pause(self) -> None:
        self.worker.control.pause()

    def resume(self) -> None:
        self.worker.control.resume()

    def stop(self) -> None:
        self.worker.control.stop()

    @property
    def paused(self) -> bool:
        return self.worker.control.paused

    @property
    def stopping(self) -> bool:
        return self.worker.control.stopped

    def is_running(self) -> bool:
        return self.thread.isRunning()

    def wait(self, milliseconds: int) -> bool:
        """Block until the thread ends (True) or `milliseconds` pass (-1: no limit)."""
        if milliseconds < 0:
            return self.thread.wait()
        return self.thread.wait(milliseconds)

    @Slot(object)
    def _ended(self, record: RunRecord) -> None:
        self.record = record

    @Slot()
    def _thread_finished(self) -> None:
        # `finished` is sent by the thread just before it ends: wait for the end, so that
        # whoever drops this object next never destroys a QThread that still runs.
        self.thread.wait()
        self.finished.emit(self.record)
