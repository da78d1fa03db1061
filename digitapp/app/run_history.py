"""A run's record for the history: built from the event stream, deleted with its model.

    run = yield from record_training(job, folder, control, store.add)   # the GUI's worker
    for event in record_training(job, folder, control, store.add): ...  # `digitapp train`

`record_training` is how both train: it yields run_training's events, feeds a RunRecorder,
and ends by adding the run to the history; the RunRecord is what it returns.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import time
from array import array
from collections.abc import Callable, Generator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..data.augment import AugmentConfig
from ..engine import (
    BatchDone,
    Control,
    EpochDone,
    Failed,
    Finished,
    TrainConfig,
    describe_architecture,
)
from ..engine.model_target import not_own_model_folder
from ..store.runs import RunRecord, RunStore, StoreError
from .architectures import architecture_config
from .training import ModelSaved, TrainingJob, run_training


def architecture(job: TrainingJob) -> str:
    """Return the network in short: '784-512-10' for an MLP, 'CNN c32-c64-256-10'."""
    return describe_architecture(architecture_config(job.arch, job.hidden, job.dropout))


def job_as_dict(job: TrainingJob) -> dict:
    """Return the job as plain JSON-able values (what the runs database keeps)."""
    out = asdict(job)
    if job.augment is not None:
        out["augment"]["scale_range"] = list(job.augment.scale_range)
    return out


def _number(value: float | None) -> float | None:
    """Return value as a float, or None for a missing or not-a-number value."""
    return None if value is None or not math.isfinite(value) else float(value)


class RunRecorder:
    """Collect the events of one run into a RunRecord (status 'running' until it ends)."""

    def __init__(self, job: TrainingJob, started: dt.datetime | None = None) -> None:
        started = started or dt.datetime.now(dt.timezone.utc)
        self.run = RunRecord(started=started.isoformat(timespec="seconds"), status="running",
                             job=job_as_dict(job), architecture=architecture(job))
        self._losses = array("f")  # grows by one float per batch, cheaply
        self._lrs = array("f")

    def feed(self, event) -> None:
        run = self.run
        if isinstance(event, BatchDone):
            self._losses.append(event.loss)
            self._lrs.append(event.lr)
            run.batches_per_epoch = event.batches_per_epoch
        elif isinstance(event, EpochDone):
            entry = {k: v for k, v in asdict(event).items() if k != "epochs"}
            run.history.append(entry)
            run.epochs_run = len(run.history)
        elif isinstance(event, Finished):
            run.status = event.status
            run.seconds = event.seconds
            run.best_val_accuracy = _number(event.best_val_accuracy)
        elif isinstance(event, Failed):
            run.status = event.reason  # "diverged" or "error"
            run.message = event.message
            run.seconds = event.seconds
            accuracies = [e.val_accuracy for e in event.history]
            if accuracies and not all(math.isnan(a) for a in accuracies):
                run.best_val_accuracy = _number(np.nanmax(accuracies))
        elif isinstance(event, ModelSaved):
            run.model_path = str(event.path)
            run.test_accuracy = _number(event.test.get("accuracy"))
            run.test_loss = _number(event.test.get("loss"))

    def fail(self, message: str, seconds: float) -> None:
        """Record an error that ended the run outside the event stream."""
        self.run.status = "error"
        self.run.message = message
        self.run.seconds = seconds

    def record(self) -> RunRecord:
        """Return the run so far, curves as float32 arrays."""
        self.run.batch_loss = np.frombuffer(self._losses, np.float32).copy()
        self.run.batch_lr = np.frombuffer(self._lrs, np.float32).copy()
        if self.run.status == "running":  # the stream ended without a verdict
            self.run.status = "error"
            self.run.message = self.run.message or "the run ended without a result"
        return self.run


@dataclass(frozen=True)
class Crashed:
    """The run ended on an exception (recorded as status "error"); `digitapp train` raises
    it again to report it as any command does, the GUI shows the recorded message."""

    error: Exception


@dataclass(frozen=True)
class HistoryNote:
    """The run could not be added to the runs history (the model is saved all the same)."""

    error: Exception

    def reason(self) -> str:
        """Return why, in one line: the store's own words, or the exception's type and text."""
        if isinstance(self.error, StoreError):
            return str(self.error)
        return f"{type(self.error).__name__}: {self.error}"


def record_training(job: TrainingJob, output: str | Path, control: Control | None = None,
                    add_to_history: Callable[[RunRecord], object] | None = None, data=None
                    ) -> Generator[object, None, RunRecord]:
    """Train as run_training does, yielding its events, and return the run's RunRecord.

    Never raises from training: an exception is yielded as Crashed and recorded as an
    error with a message. Then `add_to_history(run)` records the run (a RunStore's `add`;
    None: not recorded); if it raises, that is a HistoryNote, never an exception: the
    model is saved already. KeyboardInterrupt passes through (`digitapp train` turns
    Ctrl+C into `control.stop()`, so that the run ends here as "stopped").
    """
    recorder = RunRecorder(job)
    start = time.perf_counter()
    try:
        for event in run_training(job, output, control, data):
            recorder.feed(event)
            yield event
    except Exception as exc:  # any failure must end the run with a message
        verdict = recorder.run.status  # "running" until the trainer's last event
        what = ("training failed" if verdict == "running"
                else f"the run {verdict}, but its model could not be saved")
        recorder.fail(f"{what}: {plain_error(exc)}", time.perf_counter() - start)
        yield Crashed(exc)
    run = recorder.record()
    if run.status == "stopped" and run.model_path is None:
        run.message = "Stopped before the first epoch ended: there was nothing to save."
    if add_to_history is not None:
        try:
            add_to_history(run)
        except Exception as exc:  # noqa: BLE001 - the model is saved: the history is secondary
            note = HistoryNote(exc)
            run.message = (run.message + " " if run.message else "") + (
                f"The run could not be added to the history: {note.reason()}")
            yield note
    return run


def plain_error(exc: Exception) -> str:
    """Return an exception as one line for people (an OSError without its errno)."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


def delete_run(store: RunStore, run: RunRecord, models_root: Path) -> str | None:
    """Delete `run` from `store` and its model folder; return a note if the folder was kept.

    The database is not trusted to name only digitapp's folders. The folder is deleted only
    if it is directly inside the user's models folder, is a digitapp model folder holding
    nothing but its own files (engine.model_target's rule, the one a save obeys before
    replacing a folder) and no other stored run names it; otherwise it is kept and the note
    says why. Raises OSError if the folder cannot be removed (the run then stays listed) and
    StoreError from the database.
    """
    note = None
    if run.model_path:
        folder = Path(run.model_path)
        root = Path(models_root).resolve()
        if not os.path.lexists(folder):
            pass
        elif Path(os.path.abspath(folder)).parent.resolve() != root:
            note = f"{folder} is outside {root}, so it was left in place"
        elif (problem := not_own_model_folder(folder)) is not None:
            note = f"{folder} {problem}, so it was left in place"
        elif _named_by_other_runs(store, run, folder):
            note = f"{folder} is the model of another run in the history, so it was kept"
        else:
            shutil.rmtree(folder)
    if run.id is not None:
        store.delete(run.id)
    return note


def _named_by_other_runs(store: RunStore, run: RunRecord, folder: Path) -> bool:
    """Whether a run other than `run` in `store` names `folder` (however it is spelt)."""
    for other in store.model_paths_named(folder.name, excluding=run.id):
        try:
            if os.path.samefile(other, folder):
                return True
        except (OSError, ValueError):
            continue
    return False


def job_from_dict(data: dict) -> TrainingJob:
    """Return the TrainingJob that `job_as_dict` turned into `data`.

    Raises ValueError (with a plain reason) for anything that does not describe a job.
    """
    try:
        fields = dict(data)
        config = TrainConfig(**fields.pop("config"))
        augment = fields.pop("augment", None)
        if augment is not None:
            augment = AugmentConfig(**{**augment,
                                       "scale_range": tuple(augment["scale_range"])})
        job = TrainingJob(config=config, augment=augment, **fields)
        job.validate()
    except (TypeError, KeyError, ValueError) as exc:
        raise ValueError(f"not a training job: {exc}") from None
    return job
