"""The Trust tab's background work, beside the AuditSession it builds on.

Two jobs, each in a GeneratorWorker, each cached per model (app.audit.model_key):
- figures: from the active model's Audit, the reliability table, ECE/MCE, the coverage
  curve and its operating points; the not-a-digit check reads the 10,000 test images
  (~1.5 s), so this too runs off the GUI thread;
- robustness: the curves of `digitapp evaluate --robustness` (app.trust), for the active
  model and, optionally, one model to compare with (opened in the worker). 10-30 s.

The not-a-digit check is shared by the whole app and the Draw tab's worker reads it while
we do: each job works on its own deep copy (layers keep state between forward calls).
A model change stops both jobs; a stopped job leaves nothing behind (no half curves).
"""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from digitapp.app.audit import Audit, model_key
from digitapp.app.models import open_model
from digitapp.app.not_a_digit import shipped_check
from digitapp.app.trust import ROBUSTNESS_IMAGES, trust_figures_steps, trust_robustness_steps
from digitapp.data.mnist import load_mnist
from digitapp.gui.audit.session import THROTTLE, AuditSession
from digitapp.gui.job_slot import JobSlot
from digitapp.gui.worker import GeneratorWorker, Outcome

Key = tuple[str, int]  # model_key: (folder, model.json's mtime)


def _own_check():
    """Return (a private copy of the shipped not-a-digit check or None, why it is missing)."""
    check, note = shipped_check()
    return (copy.deepcopy(check) if check is not None else None), note


def _scaled(steps, first: float, share: float, prefix: str):
    """Re-yield (fraction, text) steps into [first, first + share]; return what they return."""
    while True:
        try:
            fraction, text = next(steps)
        except StopIteration as end:
            return end.value
        yield first + share * fraction, prefix + text


class TrustSession(QObject):
    figures_progress = Signal(float, str)
    figures_ready = Signal(object)  # TrustFigures of the current model
    figures_failed = Signal(str)  # why, in a sentence ("" when cancelled)
    robustness_progress = Signal(float, str)
    robustness_ready = Signal()  # new curves in the cache: views ask curves_of(path)
    robustness_failed = Signal(str)  # why, in a sentence ("" when cancelled)

    def __init__(self, audit_session: AuditSession, parent: QObject | None = None,
                 robustness_images: int = ROBUSTNESS_IMAGES) -> None:
        super().__init__(parent)
        self.audit_session = audit_session
        self.robustness_images = robustness_images  # the CLI's default; tests use fewer
        self.check_note = ""  # why non-digits can't be declined ("" when they can)
        self._figures: dict[Key, object] = {}  # TrustFigures by model
        self._curves: dict[Key, object] = {}  # Robustness by model
        self._figures_job = JobSlot(self)
        self._robustness_job = JobSlot(self)
        self._task_keys: dict[GeneratorWorker, Key | None] = {}  # the active model's key
        # Asked while a stopped job of the previous model was still ending: run it after.
        self._pending_audit: Audit | None = None
        self._pending_compare: tuple[Path | None] | None = None
        audit_session.model_changed.connect(self._on_model_changed)

    @property
    def key(self) -> Key | None:
        return self.audit_session.key

    # -- figures -------------------------------------------------------------------------
    def want_figures(self, audit: Audit) -> None:
        """Make sure the figures of the current model's `audit` come (figures_ready)."""
        if self._figures_job.running():
            if self._task_keys[self._figures_job.worker] != self.key:
                self._pending_audit = audit
            return
        cached = self._figures.get(self.key)
        if cached is not None:
            self.figures_ready.emit(cached)
            return

        def compute(control):  # in the worker's thread
            check, note = _own_check()
            decline = check.declines if check is not None else None
            figures = yield from trust_figures_steps(audit, decline, control=control)
            return figures, note

        task = self._figures_job.start(compute, "trustFiguresThread", throttle=THROTTLE,
                                       on_yield=self._figures_progressed,
                                       on_finished=self._figures_finished)
        self._task_keys[task] = self.key
        self.figures_progress.emit(0.0, "Checking which test images look like digits")

    def cancel_figures(self) -> None:
        """Stop the figures' job (figures_failed("") follows)."""
        self._pending_audit = None
        self._figures_job.cancel()

    def figures_running(self) -> bool:
        return self._figures_job.running()

    @Slot(object)
    def _figures_progressed(self, step: tuple[float, str]) -> None:
        self.figures_progress.emit(*step)  # never after Cancel (JobSlot)

    @Slot(object)
    def _figures_finished(self, outcome: Outcome) -> None:
        key = self._task_keys.pop(self.sender())
        if outcome.status == "done":
            figures, self.check_note = outcome.result
            self._figures[key] = figures
            if key == self.key:
                self.figures_ready.emit(figures)
        elif key == self.key:
            self.figures_failed.emit(outcome.message and
                                     f"The trust figures could not be computed: "
                                     f"{outcome.message}")
        pending, self._pending_audit = self._pending_audit, None
        if pending is not None and pending is self.audit_session.audit:
            self.want_figures(pending)

    # -- robustness ----------------------------------------------------------------------
    def curves_of(self, path: Path | None):
        """Return the cached Robustness of the model folder `path`, or None."""
        return self._curves.get(model_key(path)) if path is not None else None

    def measure_robustness(self, compare: Path | None = None) -> None:
        """Measure the curves of the active model, and of `compare` if given, that are not
        cached yet; robustness_ready follows (at once when all are)."""
        snapshot = self.audit_session.snapshot
        if snapshot is None:
            return
        if self._robustness_job.running():
            if self._task_keys[self._robustness_job.worker] != self.key:
                self._pending_compare = (compare,)
            return
        # (key, name, a model of our own or None: open the folder in the worker)
        jobs = [(self.key, snapshot.name, copy.deepcopy(snapshot.model), None)]
        if compare is not None and model_key(compare) != self.key:
            jobs.append((model_key(compare), Path(compare).name, None, Path(compare)))
        jobs = [job for job in jobs if job[0] not in self._curves]
        if not jobs:
            self.robustness_ready.emit()
            return
        audit, count = self.audit_session.audit, self.robustness_images

        def measure(control):  # in the worker's thread
            test = audit if audit is not None else load_mnist("test")
            check, _ = _own_check()
            decline = check.declines if check is not None else None
            found = {}
            for i, (key, name, model, folder) in enumerate(jobs):
                if model is None:
                    model, _ = open_model(folder)
                steps = trust_robustness_steps(model, test.images, test.labels, count,
                                               decline, control)
                found[key] = yield from _scaled(steps, i / len(jobs), 1 / len(jobs),
                                                f"{name}: ")
            return found

        task = self._robustness_job.start(measure, "robustnessThread", throttle=THROTTLE,
                                          on_yield=self._robustness_progressed,
                                          on_finished=self._robustness_finished)
        self._task_keys[task] = self.key
        self.robustness_progress.emit(0.0, f"{snapshot.name}: robustness, starting")

    def cancel_robustness(self) -> None:
        """Stop measuring (robustness_failed("") follows); nothing measured is kept."""
        self._pending_compare = None
        self._robustness_job.cancel()

    def robustness_running(self) -> bool:
        return self._robustness_job.running()

    @Slot(object)
    def _robustness_progressed(self, step: tuple[float, str]) -> None:
        self.robustness_progress.emit(*step)  # never after Cancel (JobSlot)

    @Slot(object)
    def _robustness_finished(self, outcome: Outcome) -> None:
        key = self._task_keys.pop(self.sender())
        if outcome.status == "done":
            self._curves.update(outcome.result)  # whole runs only: a stopped one raised
            if key == self.key:
                self.robustness_ready.emit()
        elif key == self.key:
            self.robustness_failed.emit(outcome.message and
                                        f"Robustness could not be measured: "
                                        f"{outcome.message}")
        pending, self._pending_compare = self._pending_compare, None
        if pending is not None:
            self.measure_robustness(*pending)

    # -- model changes and the end ---------------------------------------------------------
    @Slot(object)
    def _on_model_changed(self, snapshot) -> None:
        self._pending_audit = self._pending_compare = None
        self._figures_job.cancel()  # a result that still comes goes to the cache only
        self._robustness_job.cancel()

    @Slot()
    def shutdown(self) -> None:
        """Cancel what runs and block until its threads have ended."""
        self._figures_job.shutdown()
        self._robustness_job.shutdown()
