"""The audit of the active model, shared by the Mistakes and Insights tabs.

AuditSession follows the ActiveModel. When a tab on screen asks (`want_audit`), it
evaluates the model on the MNIST test set in a GeneratorWorker; maps are computed the same way on
request. Results are cached per model (AuditCache), so switching back to a model shows
its results at once; a model change cancels whatever was running for the old one.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QObject, Signal, Slot

from digitapp.app.audit import Audit, audit_steps, model_key
from digitapp.app.audit_cache import AuditCache
from digitapp.app.maps import MapRequest, check_request, map_steps
from digitapp.data.mnist import load_mnist
from digitapp.gui.active_model import ActiveModel, ModelSnapshot
from digitapp.gui.job_slot import JobSlot
from digitapp.gui.worker import GeneratorWorker, Outcome

THROTTLE = 0.1  # seconds between progress updates on screen


class AuditSession(QObject):
    model_changed = Signal(object)  # ModelSnapshot: views drop what they show (and, if on
    # screen, call want_audit again)
    audit_progress = Signal(float, str)
    audit_ready = Signal(object)  # Audit of the current model
    audit_failed = Signal(str)  # why, in a sentence ("" when cancelled)
    map_started = Signal(object)  # MapRequest
    map_progress = Signal(float, str)
    map_ready = Signal(object)  # LayerMap of the current model
    map_failed = Signal(str)  # why, in a sentence ("" when cancelled)

    def __init__(self, active_model: ActiveModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.active_model = active_model
        self.cache = AuditCache()
        self.snapshot: ModelSnapshot | None = active_model.snapshot
        self.key = model_key(self.snapshot.path) if self.snapshot else None
        self.audit: Audit | None = None  # of the current model, once computed
        self._test = None  # the MNIST test Dataset, loaded once by the first audit task
        self._wanted = False  # a tab has asked for the audit
        self._audit_job = JobSlot(self)
        self._map_job = JobSlot(self)
        self._pending_map: MapRequest | None = None  # asked before the audit was ready
        self._task_keys: dict[GeneratorWorker, tuple] = {}  # the model each task works for
        active_model.changed.connect(self._on_model_changed)

    # -- the audit ---------------------------------------------------------------------------
    def want_audit(self) -> None:
        """Make sure the current model's audit is (being) computed; audit_ready follows."""
        self._wanted = True
        if self.snapshot is None or self._audit_job.running():
            return
        if self.audit is not None:
            self.audit_ready.emit(self.audit)
            return
        cached = self.cache.audit(self.key)
        if cached is not None:
            self._set_audit(cached)
            return
        model, test = copy.deepcopy(self.snapshot.model), self._test

        def evaluate(control):  # in the worker's thread
            dataset = test if test is not None else load_mnist("test")
            audit = yield from audit_steps(model, dataset.images, dataset.labels, control)
            return dataset, audit

        task = self._audit_job.start(evaluate, "auditThread", throttle=THROTTLE,
                                     on_yield=self._audit_progressed,
                                     on_finished=self._audit_finished)
        self._task_keys[task] = self.key
        self.audit_progress.emit(0.0, f"Evaluating {self.snapshot.name} on the test set")

    def cancel_audit(self) -> None:
        """Stop evaluating (audit_failed("") follows); want_audit() starts again."""
        self._wanted = False
        self._pending_map = None
        self._audit_job.cancel()

    def is_busy(self) -> bool:
        return self._audit_job.running() or self._map_job.running()

    @Slot(object)
    def _audit_progressed(self, step: tuple[float, str]) -> None:
        self.audit_progress.emit(*step)  # never after Cancel (JobSlot): "Cancelling..." stays

    @Slot(object)
    def _audit_finished(self, outcome: Outcome) -> None:
        key = self._task_keys.pop(self.sender())
        if outcome.status == "done":
            self._test, audit = outcome.result
            self.cache.put_audit(key, audit)
            if key == self.key:
                self._set_audit(audit)
        elif key == self.key:
            self.audit_failed.emit(outcome.message and
                                   f"The test set could not be evaluated: {outcome.message}")
        if key != self.key and self._wanted:
            self.want_audit()  # the model changed meanwhile: now the new one

    def _set_audit(self, audit: Audit) -> None:
        self.audit = audit
        self.audit_ready.emit(audit)
        if self._pending_map is not None:
            request, self._pending_map = self._pending_map, None
            self.request_map(request)

    # -- maps --------------------------------------------------------------------------------
    def request_map(self, request: MapRequest) -> None:
        """Show the map asked for: from the cache, or computed (cancelling another map)."""
        self.cancel_map()
        if self.snapshot is None:
            return
        if self.audit is None:
            self._pending_map = request
            self.want_audit()
            return
        cached = self.cache.map(self.key, request)
        if cached is not None:
            self.map_ready.emit(cached)
            return
        problem = check_request(self.snapshot.model, request, len(self.audit))
        if problem:
            self.map_failed.emit(problem)
            return
        model, audit = copy.deepcopy(self.snapshot.model), self.audit

        def compute(control):  # in the worker's thread
            return (yield from map_steps(model, audit, request, control))

        task = self._map_job.start(compute, "mapThread", throttle=THROTTLE,
                                   on_yield=self._map_progressed,
                                   on_finished=self._map_finished)
        self._task_keys[task] = self.key
        self.map_started.emit(request)

    def cancel_map(self) -> None:
        """Stop the map being computed, if any (map_failed("") follows when it has stopped)."""
        self._pending_map = None
        self._map_job.cancel()

    def map_running(self) -> bool:
        return self._map_job.running()

    @Slot(object)
    def _map_progressed(self, step: tuple[float, str]) -> None:
        self.map_progress.emit(*step)  # of the current map only (JobSlot)

    @Slot(object)
    def _map_finished(self, outcome: Outcome) -> None:
        key = self._task_keys.pop(self.sender())
        if outcome.status == "done":
            self.cache.put_map(key, outcome.result)
        if key != self.key or self._map_job.running():
            return  # superseded: a newer model or a newer request is under way
        if outcome.status == "done":
            self.map_ready.emit(outcome.result)
        else:
            self.map_failed.emit(outcome.message and
                                 f"The map could not be computed: {outcome.message}")

    # -- model changes and the end -----------------------------------------------------------
    @Slot(object)
    def _on_model_changed(self, snapshot: ModelSnapshot) -> None:
        self.snapshot = snapshot
        self.key = model_key(snapshot.path)
        self.audit = None
        self._pending_map = None
        self._audit_job.cancel()
        self._map_job.cancel()
        # Evaluate only when a tab that shows it asks again (if it is on screen): a model
        # chosen in the Draw tab must not start a long evaluation nobody looks at.
        self._wanted = False
        self.model_changed.emit(snapshot)

    @Slot()
    def shutdown(self) -> None:
        """Cancel what runs and block until its threads have ended (a fraction of a second:
        every task checks its stop flag between small steps). The app's root calls it
        when the application quits."""
        self._audit_job.shutdown()
        self._map_job.shutdown()
