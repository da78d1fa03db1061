"""The Runs table: every recorded run, newest first; show, compare, use, rename or delete
runs. A run is named by the user (Rename…) or by what it is: "CNN, 2 epochs, 98.9%"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digitapp.app.model_titles import run_title
from digitapp.app.progress import format_duration
from digitapp.app.run_history import delete_run
from digitapp.store.run_rows import MAX_NAME
from digitapp.store.runs import DamagedRun, RunRecord, RunStore, StoreBusy, StoreError

# While another program holds the database locked, the table is read again this often (ms),
# this many times; each try waits at most the store's read_timeout on the GUI thread.
RETRY_MS = 5000
RETRIES = 12

COLUMNS = ("#", "Name", "Started", "Status", "Network", "Epochs", "Val acc", "Test acc",
           "Time")
NAME_COLUMN = 1
NUMBER_COLUMNS = (0, 5, 6, 7, 8)  # right-aligned


def _percent(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.2f}%"


def _local_time(iso: str) -> str:
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except (ValueError, OverflowError, OSError):  # not a time, or one the OS cannot convert
        return iso


def run_cells(run: RunRecord) -> list[str]:
    """Return the table's texts for one run."""
    epochs = run.job.get("config", {}).get("epochs", "?")
    name = run_title(run.name, run.architecture, run.epochs_run, run.test_accuracy)
    return [str(run.id), name, _local_time(run.started), run.status, run.architecture,
            f"{run.epochs_run}/{epochs}", _percent(run.best_val_accuracy),
            _percent(run.test_accuracy), format_duration(run.seconds)]


class RunsPanel(QWidget):
    """The table and its buttons. Emits what to show or use; deletes runs itself."""

    show_runs = Signal(list)  # [RunRecord] with curves: one to reopen, two to compare
    use_model = Signal(str)  # a model folder to make active in the Draw tab
    message = Signal(str)  # something to tell the user (a failure, a note)
    models_deleted = Signal(list)  # [str] model folders removed with their runs
    renamed = Signal()  # a run's name changed (the model picker shows it)

    def __init__(self, store: RunStore | None, models_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsPanel")
        self.store = store
        self.models_dir = models_dir
        self._runs: list[RunRecord] = []
        self._retries_left = RETRIES
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self._retry_refresh)
        # Runs missing from the table and why (unreadable rows, a locked database): it stays
        # until the next refresh, unlike the tab's banner which each run's result replaces.
        self.notice = QLabel()
        self.notice.setObjectName("runsNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)  # paths and SQLite's words, as is
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("runsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        # Room for the header and three runs, whatever the window's height.
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(header.sizeHint().height() + 3 * rows + 4)
        self.show_button = QPushButton("Show curves")
        self.compare_button = QPushButton("Compare")
        self.compare_button.setToolTip("Show the curves of the two selected runs together "
                                       "(Ctrl+click selects a second run)")
        self.use_button = QPushButton("Use in Draw tab")
        self.rename_button = QPushButton("Rename…")
        self.rename_button.setToolTip("Give the selected run a name of your own (also shown "
                                      "in the Draw tab's model list); F2 does the same")
        self.rename_button.setShortcut("F2")
        self.delete_button = QPushButton("Delete…")
        for name, button in (("showRun", self.show_button), ("compareRuns", self.compare_button),
                             ("useRun", self.use_button), ("renameRun", self.rename_button),
                             ("deleteRun", self.delete_button)):
            button.setObjectName(name)
        self.show_button.clicked.connect(self._show)
        self.compare_button.clicked.connect(self._show)
        self.use_button.clicked.connect(self._use)
        self.delete_button.clicked.connect(self._delete)
        self.rename_button.clicked.connect(self._rename)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self._show())

        # The title on its own line and the buttons closer: beside the five buttons it made
        # the window's narrowest width 854 px, wider than an 800-px screen (now 791).
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for button in (self.show_button, self.compare_button, self.use_button,
                       self.rename_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Runs</b>"))
        layout.addLayout(buttons)
        layout.addWidget(self.notice)
        layout.addWidget(self.table)
        self.refresh()

    def refresh(self) -> None:
        """Reload the table from the database."""
        self._runs = []
        note = None
        if self.store is not None:
            try:
                listing = self.store.listing()
            except StoreBusy as exc:
                note = (f"The runs history is in use by another program ({exc}); it is read "
                        "again in a few seconds.")
                if self._retries_left > 0 and not self._retry.isActive():
                    self._retries_left -= 1
                    self._retry.start()
            except StoreError as exc:
                note = f"The runs history cannot be read: {exc}"
            else:
                self._runs, note = listing.runs, listing.note()
                self._retries_left = RETRIES
        self.notice.setText(note or "")
        self.notice.setVisible(bool(note))
        self.table.setRowCount(len(self._runs))
        for row, run in enumerate(self._runs):
            for col, text in enumerate(run_cells(run)):
                item = QTableWidgetItem(text)
                if col in NUMBER_COLUMNS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if col == NAME_COLUMN:
                    item.setToolTip(f"{text}\n{run.model_path or 'no model saved'}")
                self.table.setItem(row, col, item)
        self._selection_changed()

    def _retry_refresh(self) -> None:
        """Read the table again after a lock; keeps the user's selection of runs."""
        chosen = [run.id for run in self.selected()]
        self.refresh()
        self.select_ids(chosen)

    def runs(self) -> list[RunRecord]:
        return list(self._runs)

    def select_ids(self, ids: list[int]) -> None:
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row, run in enumerate(self._runs):
            if run.id in ids:
                self.table.selectRow(row)
        self.table.setSelectionMode(mode)

    def selected(self) -> list[RunRecord]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self._runs[r] for r in rows if r < len(self._runs)]

    def _selection_changed(self) -> None:
        chosen = self.selected()
        self.show_button.setEnabled(len(chosen) == 1)
        self.compare_button.setEnabled(len(chosen) == 2)
        self.use_button.setEnabled(len(chosen) == 1 and bool(chosen[0].model_path))
        self.rename_button.setEnabled(len(chosen) == 1)
        self.delete_button.setEnabled(len(chosen) >= 1)

    def _show(self) -> None:
        chosen = self.selected()[:2]
        if not chosen or self.store is None:
            return
        try:
            full = [self.store.get(run.id) for run in chosen]
        except DamagedRun as exc:  # the plots keep what they showed
            self.message.emit(f"{exc} The other runs are not affected.")
            return
        except StoreError as exc:
            self.message.emit(f"The runs' curves cannot be read now: {exc}")
            return
        self.show_runs.emit([run for run in full if run is not None])

    def _use(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1 and chosen[0].model_path:
            self.use_model.emit(chosen[0].model_path)

    def ask_name(self, run: RunRecord) -> str | None:
        """Ask for the run's new name; None if cancelled (a method of its own so that tests
        can answer it). An empty name goes back to the made-up one."""
        made_up = run_title(None, run.architecture, run.epochs_run, None)
        text, ok = QInputDialog.getText(
            self, "Rename run",
            f"Name of run #{run.id} (at most {MAX_NAME} characters; empty: \"{made_up}\"):",
            text=run.name or "")
        return text if ok else None

    def _rename(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or self.store is None:
            return
        run = chosen[0]
        name = self.ask_name(run)
        if name is None:
            return
        try:
            self.store.rename(run.id, name)
        except ValueError as exc:
            self.message.emit(f"Run #{run.id} was not renamed: {exc}.")
            return
        except StoreError as exc:
            self.message.emit(f"Run #{run.id} was not renamed: {exc}")
            return
        self.refresh()
        self.select_ids([run.id])
        self.renamed.emit()

    def confirm_delete(self, runs: list[RunRecord]) -> bool:
        """Ask before deleting (a method of its own so that tests can answer it)."""
        names = ", ".join(f"#{run.id}" for run in runs)
        answer = QMessageBox.question(
            self, "Delete runs",
            f"Delete run {names} from the history, and its saved model? This cannot be undone.")
        return answer == QMessageBox.StandardButton.Yes

    def _delete(self) -> None:
        chosen = self.selected()
        if not chosen or self.store is None or not self.confirm_delete(chosen):
            return
        notes, removed = [], []
        for run in chosen:
            try:
                note = delete_run(self.store, run, self.models_dir)
            except (OSError, StoreError) as exc:
                notes.append(f"Run #{run.id} was not deleted: {exc}")
            else:
                if note:
                    notes.append(note)
                elif run.model_path:
                    removed.append(run.model_path)
        self.refresh()
        if removed:
            self.models_deleted.emit(removed)
        if notes:
            self.message.emit(" ".join(notes))
