"""Teach: fine-tune a personal copy of the active model on the collection, in the background.

app/personalize.py does the teaching (teach_steps, a generator of TeachSteps that returns
a TeachResult; the shipped models are never changed, part of the drawings is held back to
measure it, re-teaching starts from the base). This panel runs it in a GeneratorWorker with
progress and Cancel, shows the result, makes the personal model the active one (as the Draw
tab's picker does: ActiveModel.use_path) and offers one click back to the base.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from digitapp.app.personalize import (
    TeachResult,
    TeachSettings,
    TeachStep,
    new_personal_folder,
    personal_base,
    teach_steps,
)
from digitapp.engine import ModelError
from digitapp.gui.active_model import ActiveModel, ModelSnapshot
from digitapp.gui.audit.task_status import TaskStatus
from digitapp.gui.handwriting.wording import drawings_text
from digitapp.gui.handwriting_collection import HandwritingCollection
from digitapp.gui.job_slot import JobSlot
from digitapp.gui.worker import Outcome, WorkerControl

THROTTLE = 0.1  # seconds between progress updates on screen
TEACH_TIP = (
    "Fine-tunes a personal copy of the active model on your drawings (with MNIST replayed, "
    "so it does not forget), then uses it in the Draw tab. The shipped models are never "
    "changed. Part of your drawings of each digit is set aside to measure it: the result "
    "says how it reads those before and after. Teaching again later starts from the "
    "shipped model, with every drawing collected by then.")


def base_of(path: Path) -> Path | None:
    """Return the model a personal model at `path` was taught from, or None if it is not
    a personal model (or its record cannot be read)."""
    try:
        base = personal_base(path)
    except (ValueError, OSError):
        return None
    if base is None or Path(base).resolve() == Path(path).resolve():
        return None
    return Path(base)


class TeachPanel(QWidget):
    """The Teach button, a progress line with Cancel, the last result and "Back to ...".

    `taught(TeachResult)` after a teaching that ended well; `message(text)` for a line
    the tab shows (a failure, a model that would not load).
    """

    taught = Signal(object)
    message = Signal(str)

    def __init__(self, collection: HandwritingCollection, active_model: ActiveModel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teachPanel")
        self.collection = collection
        self.active_model = active_model
        self.drawings = 0  # in the collection, as the tab last counted them
        self.result: TeachResult | None = None
        self.settings: TeachSettings | None = None  # None: personalize's defaults (tests: less)
        self.out: Path | None = None  # where the running teaching writes
        self._job = JobSlot(self)
        self._base: Path | None = None  # what "Back to" returns to

        self.teach_button = QPushButton("Teach digitapp my handwriting")
        self.teach_button.setObjectName("teachButton")
        self.teach_button.setToolTip(TEACH_TIP)
        self.teach_button.clicked.connect(self.start_teaching)
        self.about_label = QLabel()
        self.about_label.setObjectName("teachAbout")
        self.about_label.setWordWrap(True)
        self.back_button = QPushButton()
        self.back_button.setObjectName("backToBaseButton")
        self.back_button.clicked.connect(self.back_to_base)
        self.back_button.hide()
        self.status = TaskStatus("teachStatus")
        self.status.button.setToolTip("Stop teaching; nothing is kept")
        self.status.cancel_requested.connect(self.cancel)
        self.status.hide()  # shown while teaching and after it ended otherwise than well
        self.status.retry_requested.connect(self.start_teaching)
        self.result_label = QLabel()
        self.result_label.setObjectName("teachResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setToolTip("Your drawings: those set aside before teaching, read by "
                                     "the model before and after. MNIST test: the 10,000 test "
                                     "digits, so you can see it did not forget.")
        self.result_label.hide()

        buttons = QHBoxLayout()
        buttons.addWidget(self.teach_button)
        buttons.addWidget(self.about_label, 1)
        buttons.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.result_label)

        active_model.changed.connect(self._on_model_changed)
        if active_model.snapshot is not None:
            self._on_model_changed(active_model.snapshot)
        self._enable()

    # -- state ---------------------------------------------------------------------------
    def running(self) -> bool:
        return self._job.running()

    def set_drawings(self, count: int) -> None:
        self.drawings = count
        self._enable()
        self._describe()

    def _enable(self) -> None:
        ready = self.drawings > 0 and self.active_model.snapshot is not None
        self.teach_button.setEnabled(ready and not self.running())
        self.back_button.setEnabled(not self.running())

    def _describe(self) -> None:
        snapshot = self.active_model.snapshot
        if self.running():
            return
        if snapshot is None:
            self.about_label.setText("No model is active: choose one in the Draw tab.")
        elif self.drawings == 0:
            self.about_label.setText("Keep a few drawings of each digit first.")
        else:
            base = self._base or snapshot.path
            self.about_label.setText(f"Teaches a personal copy of <b>{base.name}</b> with your "
                                     f"{drawings_text(self.drawings)} (about a minute).")

    @Slot(object)
    def _on_model_changed(self, snapshot: ModelSnapshot) -> None:
        self._base = base_of(snapshot.path)
        if self._base is not None:
            self.back_button.setText(f"Back to {self._base.name}")
            self.back_button.setToolTip(f"Use {self._base.name} again in the Draw tab (your "
                                        f"personal model {snapshot.name} stays in the "
                                        "model picker)")
            self.back_button.show()
        else:
            self.back_button.hide()
        self._enable()
        self._describe()

    # -- teaching ------------------------------------------------------------------------
    @Slot()
    def start_teaching(self) -> bool:
        """Start teaching from the active model (its base if it is a personal model);
        return whether it started."""
        snapshot = self.active_model.snapshot
        if self.running() or snapshot is None or self.drawings == 0:
            return False
        base, out = snapshot.path, new_personal_folder()
        store, settings = self.collection.store, self.settings
        self.out = out

        def teach(control: WorkerControl):  # in the worker's thread
            _, images, labels = store.training_arrays()  # (N,), (N, 28, 28), (N,)
            return (yield from teach_steps(base, out, images, labels, control=control,
                                           settings=settings))

        self._job.start(teach, "teachThread", throttle=THROTTLE, on_yield=self._on_step,
                        on_finished=self._finished)
        self.result_label.hide()
        self.status.show()
        self.status.running(0.0, f"Teaching from {(self._base or base).name}\u2026")
        self.about_label.setText("")
        self._enable()
        return True

    @Slot()
    def cancel(self) -> None:
        self._job.cancel()

    def shutdown(self) -> None:
        """Cancel and block until the teaching thread has ended."""
        self._job.shutdown()

    @Slot(object)
    def _on_step(self, step: TeachStep) -> None:  # never after Cancel (JobSlot)
        fraction = step.done / step.total if step.total > 0 else 0.0
        text = step.text[:1].upper() + step.text[1:]  # "teaching: pass 3 of 6"
        self.status.running(min(max(fraction, 0.0), 1.0), text)

    @Slot(object)
    def _finished(self, outcome: Outcome) -> None:
        if outcome.status == "done" and isinstance(outcome.result, TeachResult):
            self._taught(outcome.result)
        elif outcome.status == "cancelled":
            self.status.idle("Teaching cancelled: no personal model was made.")
        else:
            self.status.stopped(f"Teaching failed: {outcome.message}")
        self.out = None
        self._enable()
        self._describe()

    def _taught(self, result: TeachResult) -> None:
        self.result = result
        try:  # as the Draw tab's picker does; every tab follows the active model
            self.active_model.use_path(result.folder)
            where = "is now the Draw tab's model"
        except ModelError as exc:
            where = "was saved"
            self.message.emit(f"The personal model was made but cannot be used: {exc}")
        lines = [f"<b>{html.escape(result.folder.name)}</b>, taught on {result.drawings:,} "
                 f"drawings in {result.seconds:.0f} s, {where}. "
                 f"<b>{html.escape(result.summary())}</b>"]
        lines += [f"Note: {html.escape(note)}" for note in result.notes]
        self.result_label.setText("<br>".join(lines))
        self.result_label.show()
        self.status.idle("")
        self.status.hide()
        self.taught.emit(result)

    @Slot()
    def back_to_base(self) -> None:
        """Use the model the active personal model was taught from."""
        if self._base is None:
            return
        try:
            self.active_model.use_path(self._base)
        except ModelError as exc:
            self.message.emit(f"{self._base.name} cannot be used: {exc}")

