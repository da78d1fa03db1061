"""The Mistakes tab: every test image the active model gets wrong (or all), in a grid.

Filters (true class, predicted class: both make a pair), an order, a switch for the right
answers too, a detail of the clicked image, and a PNG contact sheet of what is shown.
The grid is a QListView over MistakesModel painted by DigitDelegate: only the cells on
screen cost anything, so ten thousand images scroll as smoothly as ten.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from digitapp.analysis.mistakes import ORDERS, select
from digitapp.app.audit import Audit, describe_selection
from digitapp.gui.audit.digit_delegate import CELL, DigitDelegate
from digitapp.gui.audit.digit_detail import DigitDetail
from digitapp.gui.audit.mistakes_model import MistakesModel
from digitapp.gui.audit.session import AuditSession
from digitapp.gui.audit.sheet_export import SheetExporter, png_path
from digitapp.gui.audit.task_status import TaskStatus
from digitapp.gui.save_places import pictures_path

TRANSIENT_MS = 6000  # how long an export's message stays before the accuracy line is back


def _class_combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItem("any", None)
    for digit in range(10):
        combo.addItem(str(digit), digit)
    return combo


class MistakesTab(QWidget):
    exported = Signal(object)  # the contact sheet's Path, or None if it was not written

    def __init__(self, session: AuditSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mistakesTab")
        self.session = session
        self.audit: Audit | None = None
        self.exporter = SheetExporter(self)
        self.exporter.progressed.connect(self._on_audit_progress)
        self.exporter.message.connect(self.show_transient)
        # An export's message stays a few seconds, then the accuracy line comes back.
        self._summary = ""  # the accuracy line, or "" before the evaluation
        self._transient = QTimer(self)
        self._transient.setSingleShot(True)
        self._transient.setInterval(TRANSIENT_MS)
        self._transient.timeout.connect(self._restore_summary)
        self.exporter.done.connect(self._on_exported)
        self._build()
        session.model_changed.connect(self._on_model_changed)
        session.audit_progress.connect(self._on_audit_progress)
        session.audit_ready.connect(self._on_audit)
        session.audit_failed.connect(self._on_audit_failed)
        if session.audit is not None:
            self._on_audit(session.audit)

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.true_combo = _class_combo("trueFilter")
        self.predicted_combo = _class_combo("predictedFilter")
        self.order_combo = QComboBox()
        self.order_combo.setObjectName("orderCombo")
        for key, text in ORDERS.items():
            self.order_combo.addItem(text, key)
        self.correct_check = QCheckBox("Show right answers too")
        self.correct_check.setObjectName("showCorrect")
        self.correct_check.setToolTip("Show every test image, not only the mistakes")
        self.export_button = QPushButton("Export PNG\u2026")
        self.export_button.setObjectName("exportButton")
        self.export_button.setToolTip("Save the selected images (or all those shown) as a "
                                      "contact sheet")
        for combo in (self.true_combo, self.predicted_combo, self.order_combo):
            combo.currentIndexChanged.connect(self.refresh)
        self.correct_check.toggled.connect(self.refresh)
        self.export_button.clicked.connect(lambda: self.export_contact_sheet())

        filters = QHBoxLayout()
        for text, widget in (("True class", self.true_combo),
                             ("Predicted", self.predicted_combo), ("Order", self.order_combo)):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
            filters.addSpacing(6)
        filters.addWidget(self.correct_check)
        filters.addStretch(1)
        filters.addWidget(self.export_button)

        self.count_label = QLabel()
        self.count_label.setObjectName("mistakesCount")
        self.status = TaskStatus("mistakesStatus")
        self.status.cancel_requested.connect(self._cancel)
        self.status.retry_requested.connect(self.session.want_audit)

        self.model = MistakesModel(self)
        self.view = QListView()
        self.view.setObjectName("mistakesGrid")
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setUniformItemSizes(True)  # layout without asking every row its size
        self.view.setGridSize(CELL + QSize(4, 4))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setMouseTracking(True)
        self.view.setItemDelegate(DigitDelegate(self.view))
        self.view.setModel(self.model)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.view.clicked.connect(self._on_current)

        self.detail = DigitDetail()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.detail.setMinimumWidth(240)
        self.detail.setMaximumWidth(380)  # the grid gets the rest

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addWidget(self.count_label)
        layout.addWidget(splitter, 1)
        self._enable(False)

    def _enable(self, ready: bool) -> None:
        for widget in (self.true_combo, self.predicted_combo, self.order_combo,
                       self.correct_check):
            widget.setEnabled(ready)
        self.export_button.setEnabled(ready and not self.exporter.running())

    # -- the session's signals -------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        self.session.want_audit()  # the first look starts the evaluation

    @Slot(object)
    def _on_model_changed(self, snapshot) -> None:
        self.audit = None
        self._summary = ""
        self.model.set_audit(None)
        self.detail.clear()
        self.count_label.setText("")
        self._enable(False)
        self.status_message(f"Model {snapshot.name}: its mistakes appear once it has been "
                            "evaluated on the test set.")
        if self.isVisible():
            self.session.want_audit()

    @Slot(float, str)
    def _on_audit_progress(self, fraction: float, text: str) -> None:
        self.status.running(fraction, text)

    @Slot(str)
    def status_message(self, text: str) -> None:
        self._transient.stop()
        self.status.idle(text)

    @Slot(str)
    def show_transient(self, text: str) -> None:
        """Show `text` on the status line for TRANSIENT_MS, then the accuracy line again."""
        self.status.idle(text)
        self._transient.start()

    @Slot()
    def _restore_summary(self) -> None:
        if self.status.button.isHidden():  # an evaluation started meanwhile keeps its line
            self.status.idle(self._summary)

    @Slot(str)
    def _on_audit_failed(self, message: str) -> None:
        self.status.stopped(message or "Evaluation cancelled.")

    @Slot(object)
    def _on_audit(self, audit: Audit) -> None:
        if audit is self.audit:
            return
        self.audit = audit
        self.model.set_audit(audit)
        self.detail.clear()
        name = self.session.snapshot.name if self.session.snapshot else "the model"
        self._summary = (f"<b>{name}</b>: {audit.accuracy:.2%} of {len(audit):,} test images "
                         f"right, <b>{audit.mistakes:,}</b> mistakes "
                         f"(evaluated in {audit.seconds:.2f} s).")
        self.status_message(self._summary)
        self._enable(True)
        self.refresh()

    # -- filters -----------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        """Show the images the filters and order select (keeping the current one if shown)."""
        if self.audit is None:
            return
        keep = self.detail.image_index
        true, predicted = self.true_combo.currentData(), self.predicted_combo.currentData()
        include_correct = self.correct_check.isChecked()
        rows = select(self.audit.labels, self.audit.predictions, self.audit.probabilities,
                      true=true, predicted=predicted, include_correct=include_correct,
                      order=self.order_combo.currentData())
        self.model.set_rows(rows)
        total = len(self.audit) if include_correct else self.audit.mistakes
        self.count_label.setText(describe_selection(len(rows), total, true, predicted,
                                                    include_correct))
        if keep is not None:
            self._select(keep)

    def show_pair(self, true: int, predicted: int) -> None:
        """Filter to the images of class `true` predicted as `predicted` (right answers when
        they are equal: the diagonal of the confusion matrix)."""
        self._set_filters(true, predicted, include_correct=true == predicted)

    def show_image(self, index: int) -> None:
        """Show test image `index` among the others of its (true, predicted) pair, selected,
        with its detail."""
        if self.audit is None:
            return
        true, predicted = int(self.audit.labels[index]), int(self.audit.predictions[index])
        self._set_filters(true, predicted, include_correct=true == predicted)
        self._select(index)
        self.detail.show_image(self.audit, index)

    def _set_filters(self, true, predicted, include_correct: bool) -> None:
        widgets = (self.true_combo, self.predicted_combo, self.correct_check)
        for widget in widgets:
            widget.blockSignals(True)  # one refresh, not three
        self.true_combo.setCurrentIndex(self.true_combo.findData(true))
        self.predicted_combo.setCurrentIndex(self.predicted_combo.findData(predicted))
        self.correct_check.setChecked(include_correct)
        for widget in widgets:
            widget.blockSignals(False)
        self.refresh()

    def _select(self, index: int) -> None:
        row = self.model.row_of(index)
        if row is None:
            return
        model_index = self.model.index(row)
        self.view.selectionModel().setCurrentIndex(
            model_index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(model_index, QAbstractItemView.ScrollHint.PositionAtCenter)

    @Slot(QModelIndex)
    def _on_current(self, index: QModelIndex, previous: QModelIndex | None = None) -> None:
        if self.audit is not None and index.isValid():
            self.detail.show_image(self.audit, self.model.image_index(index.row()))

    # -- export ------------------------------------------------------------------------------
    def chosen_rows(self) -> np.ndarray:
        """Return the images to export: those selected if several are, else all shown."""
        selected = sorted(i.row() for i in self.view.selectionModel().selectedIndexes())
        rows = self.model.rows
        return rows[selected] if len(selected) > 1 else rows

    def export_contact_sheet(self, path: str | Path | None = None) -> bool:
        """Save the chosen images as a PNG contact sheet, in the background (asks where when
        `path` is None); return whether it started. `exported(path or None)` follows."""
        if self.audit is None or self.exporter.running():
            return False
        indices = self.chosen_rows()
        if len(indices) == 0:
            self.show_transient("Nothing to export: no image is shown.")
            return False
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export contact sheet",
                                                  pictures_path("mistakes.png"),
                                                  "PNG images (*.png)")
            if not path:
                return False
        name = self.session.snapshot.name if self.session.snapshot else "model"
        title = f"{name}: {self.count_label.text()}"
        what = f"all {len(indices):,} images shown"
        if len(indices) < len(self.model.rows):
            title = f"{name}: {len(indices):,} selected images"
            what = f"the {len(indices):,} selected images"
        self.export_button.setEnabled(False)
        self._transient.stop()
        self.status.running(0.0, f"Exporting {what}")
        self.exporter.start(self.audit, indices, title, png_path(path), what)
        return True

    @Slot(object)
    def _on_exported(self, path: Path | None) -> None:
        self.export_button.setEnabled(self.audit is not None)
        self.exported.emit(path)

    @Slot()
    def _cancel(self) -> None:
        """The status line's Cancel: the export if one runs, else the evaluation."""
        if self.exporter.running():
            self.exporter.cancel()
        else:
            self.session.cancel_audit()

    @Slot()
    def shutdown(self) -> None:
        """Stop the export and the audit's work, blocking until their threads have ended."""
        self.exporter.shutdown()
        self.session.shutdown()
