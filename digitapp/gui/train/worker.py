"""One training run in a GeneratorWorker, its progress sorted into the Train tab's signals.

    run = TrainingRun(job, folder, store, parent)  # blas_rule=: another BLAS rule
    run.batches.connect(...)      # BatchChunk, at most every THROTTLE seconds
    run.epoch_done.connect(...)   # engine EpochDone
    run.stage.connect(...)        # what is happening, in words
    run.finished.connect(...)     # RunRecord, once the thread has ended
    run.start(); run.pause(); run.resume(); run.stop()

The run itself is app.run_history.record_training, the generator `digitapp train` iterates
too (events, the history row, the saved model); `training_updates` turns its events into
what the tab draws. All signals here are sent in the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from digitapp.app.other_work import OtherWork, blas_threads_beside
from digitapp.app.progress import Progress, ProgressMeter
from digitapp.app.run_history import Crashed, record_training
from digitapp.app.training import TrainingJob
from digitapp.engine import BatchDone, EpochDone, Failed, Finished
from digitapp.engine.blas import BLAS, all_cores_but
from digitapp.gui.worker import GeneratorWorker, Outcome, WorkerControl
from digitapp.store.runs import RunRecord, RunStore

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


def join_chunks(held, new):
    """Return two consecutive BatchChunks as one (the worker's merge), None for others."""
    if not (isinstance(held, BatchChunk) and isinstance(new, BatchChunk)):
        return None
    return BatchChunk(held.first, np.concatenate([held.losses, new.losses]),
                      np.concatenate([held.lrs, new.lrs]), new.batches_per_epoch,
                      new.progress)


def blas_threads_for_training(others_busy: float | None) -> int:
    """The BLAS threads a run takes beside `others_busy` cores of other work (None: not
    known, then a core is left to the GUI thread)."""
    return blas_threads_beside(others_busy, default=all_cores_but(1))


BlasRule = Callable[[float | None], int]  # cores other work keeps busy -> BLAS threads


def training_updates(job: TrainingJob, folder: Path, store: RunStore | None,
                     control: WorkerControl, blas_rule: BlasRule = blas_threads_for_training):
    """Train and record the run; yield stage texts (str), BatchChunks of one batch each
    (the worker joins them) and EpochDone events; return the RunRecord. `blas_rule` gives
    the BLAS threads to ask for beside the other work measured (a benchmark's fixed count)."""
    meter = ProgressMeter(job.config.epochs, job.config.batch_size)
    batches = 0
    yield "Loading MNIST" if job.data_dir is None else "Loading the data"
    run = record_training(job, folder, control, store.add if store is not None else None)
    # BLAS threads: the cores other processes left free, measured again at every epoch (app/
    # other_work.py). Data-parallel replicas (the CNNs) hold one thread each whatever this is.
    other_work = OtherWork()
    blas = BLAS.request(blas_rule(None))
    try:
        while True:
            try:
                event = next(run)
            except StopIteration as end:
                return end.value
            if isinstance(event, EpochDone) or batches == 0:  # after loading, each epoch
                old, blas = blas, BLAS.request(blas_rule(other_work.cores_busy()))
                BLAS.release(old)
            yield from _updates_of(event, batches, meter, control)
            batches += isinstance(event, BatchDone)
    finally:
        BLAS.release(blas)


def _updates_of(event, batches: int, meter: ProgressMeter, control: WorkerControl):
    """Yield what the GUI shows of one training event."""
    if isinstance(event, BatchDone):
        if batches == 0:
            yield "Training"
        meter.paused_seconds = control.paused_seconds
        progress = meter.update(event)
        yield BatchChunk(batches, np.array([event.loss], np.float32),
                         np.array([event.lr], np.float32), event.batches_per_epoch,
                         progress)
    elif isinstance(event, EpochDone):
        yield event
    elif isinstance(event, (Finished, Failed)):
        keeps = event.epochs_run > 0 and (
            isinstance(event, Finished) or event.reason == "diverged")
        if keeps:
            yield "Evaluating on the test set and saving"
    elif isinstance(event, Crashed):  # recorded as the run's message; the trace for us
        log.error("training run failed", exc_info=event.error)


class TrainingRun(QObject):
    """A training run in a GeneratorWorker; `finished(RunRecord)` when its thread ends."""

    batches = Signal(object)  # BatchChunk
    epoch_done = Signal(object)  # engine EpochDone
    stage = Signal(str)  # what is happening, in words
    finished = Signal(object)  # RunRecord, as stored (id None if it could not be); None
    # if the run failed before it had one (then `failure` says why)

    def __init__(self, job: TrainingJob, folder: Path, store: RunStore | None,
                 parent: QObject | None = None, *,
                 blas_rule: BlasRule = blas_threads_for_training) -> None:
        super().__init__(parent)
        self.record: RunRecord | None = None
        self.failure = ""  # why the run ended without a record, in one line

        def train(control: WorkerControl):  # in the worker's thread
            return (yield from training_updates(job, folder, store, control, blas_rule))

        # No BLAS hold of the worker's own: training_updates holds one that follows the load.
        self.worker = GeneratorWorker(train, self, "trainingThread", throttle=THROTTLE,
                                      merge=join_chunks, blas_threads=None)
        self.worker.yielded.connect(self._update)
        self.worker.finished.connect(self._finished)

    def start(self) -> None:
        self.worker.start()

    def pause(self) -> None:
        self.worker.pause()

    def resume(self) -> None:
        self.worker.resume()

    def stop(self) -> None:
        """Stop after the current batch; the best epoch so far is saved (also wakes a
        paused run)."""
        self.worker.stop()

    @property
    def paused(self) -> bool:
        return self.worker.paused

    @property
    def stopping(self) -> bool:
        return self.worker.stopping

    def is_running(self) -> bool:
        return self.worker.is_running()

    def wait(self, milliseconds: int) -> bool:
        """Block until the thread ends (True) or `milliseconds` pass (-1: no limit)."""
        return self.worker.wait(milliseconds)

    @Slot(object)
    def _update(self, update) -> None:
        if isinstance(update, BatchChunk):
            self.batches.emit(update)
        elif isinstance(update, EpochDone):
            self.epoch_done.emit(update)
        else:
            self.stage.emit(update)

    @Slot(object)
    def _finished(self, outcome: Outcome) -> None:
        self.record = outcome.result
        if self.record is None:  # the updates themselves failed: a bug, said as one line
            self.failure = outcome.message or "the run ended without a record"
            log.error("training run ended without a record: %s", self.failure)
        self.finished.emit(self.record)
