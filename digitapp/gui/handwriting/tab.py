"""The My handwriting tab: the drawings the user kept, by digit, and Teach.

    [summary]                 [Remove] [Undo] [Export...] [Import...] [Clear all...]
    Removed 3 drawings · Undo          (or an export's progress, or a message)
    0  |  ten strips of thumbnails (CollectionView)
    ...
    [Teach digitapp my handwriting]  ...                             [Back to cnn]

The collection is read (one small SQLite read, no pictures) when the tab is shown and
when HandwritingCollection.changed says it changed while the tab is visible; a change
while hidden only marks the view stale. Store errors are one-line messages.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digitapp.gui.active_model import ActiveModel
from digitapp.gui.audit.task_status import TaskStatus
from digitapp.gui.handwriting.collection_view import CollectionView
from digitapp.gui.handwriting.folder_transfer import FolderTransfer
from digitapp.gui.handwriting.teach_panel import TeachPanel
from digitapp.gui.handwriting.wording import drawings_text
from digitapp.gui.handwriting_collection import HandwritingCollection
from digitapp.gui.save_places import pictures_path
from digitapp.store.database import StoreError
from digitapp.store.handwriting import Drawing


def summary_text(counts: list[int]) -> str:
    """Return "42 drawings; none yet of 3, 8" for drawings per digit `counts` (10,)."""
    total = sum(counts)
    if total == 0:
        return "No drawings yet"
    missing = [str(d) for d, n in enumerate(counts) if n == 0]
    return drawings_text(total) + (f"; none yet of {', '.join(missing)}" if missing else "")


class HandwritingTab(QWidget):
    def __init__(self, collection: HandwritingCollection, active_model: ActiveModel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handwritingTab")
        self.collection = collection
        self.undo_stack: list[list[Drawing]] = []  # removals, the last one last
        self._stale = True  # the view does not show the collection as it is
        self._notice_shown = False
        self.transfer = FolderTransfer(collection, self)
        self.transfer.progressed.connect(self._on_transfer_progress)
        self.transfer.ended.connect(self._on_transfer_ended)
        self._build(active_model)
        collection.changed.connect(self._on_collection_changed)

    # -- building ------------------------------------------------------------------------
    def _build(self, active_model: ActiveModel) -> None:
        def button(text: str, name: str, tip: str, slot) -> QPushButton:
            b = QPushButton(text)
            b.setObjectName(name)
            b.setToolTip(tip)
            b.clicked.connect(slot)
            return b

        self.summary_label = QLabel()
        self.summary_label.setObjectName("handwritingSummary")
        self.remove_button = button("Remove", "removeDrawingsButton",
                                    "Remove the selected drawings from the collection (Del); "
                                    "Undo puts them back", self.remove_selected)
        self.undo_button = button("Undo", "undoRemoveButton",
                                  "Put back the drawings removed last (Ctrl+Z)", self.undo)
        self.export_button = button("Export\u2026", "exportHandwritingButton",
                                    "Save every drawing to a new or empty folder: a PNG file "
                                    "each and drawings.csv (to keep a copy or move the "
                                    "collection to another computer)", self.export_collection)
        self.import_button = button("Import\u2026", "importHandwritingButton",
                                    "Add the drawings of a folder made by Export (drawings "
                                    "already here are not added twice)", self.import_collection)
        self.clear_button = button("Clear all\u2026", "clearHandwritingButton",
                                   "Remove every drawing from the collection (asks first)",
                                   self.clear_all)
        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        for b in (self.remove_button, self.undo_button, self.export_button,
                  self.import_button, self.clear_button):
            top.addWidget(b)

        self.message = QLabel()
        self.message.setObjectName("handwritingMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.linkActivated.connect(self._on_link)
        self.message.hide()
        self.transfer_status = TaskStatus("handwritingTransferStatus")
        self.transfer_status.button.setToolTip("Stop; nothing is written or added")
        self.transfer_status.cancel_requested.connect(self.transfer.cancel)
        self.transfer_status.hide()

        self.view = CollectionView()
        self.view.selection_changed.connect(self._update_controls)
        self.view.remove_requested.connect(self.remove_selected)
        self.view.relabel_requested.connect(self.relabel_selected)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        self.teach = TeachPanel(self.collection, active_model)
        self.teach.message.connect(self.show_message)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.transfer_status)
        layout.addWidget(self.view, 1)
        layout.addWidget(line)
        layout.addWidget(self.teach)

        self.delete_action = QAction("Remove drawings", self)
        self.delete_action.setObjectName("actionRemoveDrawings")
        self.delete_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Delete),
                                         QKeySequence("Backspace")])
        self.delete_action.triggered.connect(self.remove_selected)
        self.undo_action = QAction("Undo remove", self)
        self.undo_action.setObjectName("actionUndoRemove")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo_action.triggered.connect(self.undo)
        for action in (self.delete_action, self.undo_action):
            # Anywhere in the window (the tab bar too) while this tab is shown: Qt skips a
            # hidden tab's actions, and the Draw tab's Ctrl+Z is disabled while it is hidden.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        self._update_controls()

    # -- reading the collection ------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()

    @Slot()
    def _on_collection_changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read the collection's listing (no pictures) and show it."""
        try:
            listing = self.collection.listing()
        except StoreError as exc:
            self.show_message(f"The collection cannot be read now: {exc}")
            return
        self._stale = False
        self.view.show_listing(listing)
        counts = self.view.counts()
        self.summary_label.setText(summary_text(counts))
        self.teach.set_drawings(sum(counts))
        note = listing.note()
        notice = self.collection.store.notice
        if notice and not self._notice_shown:
            self._notice_shown = True
            self.show_message(notice)
        elif note:
            self.show_message(note)
        self._update_controls()

    # -- removing and undoing ------------------------------------------------------------
    @Slot()
    def remove_selected(self) -> int:
        """Remove the selected drawings (undoable); return how many were removed."""
        ids = self.view.selected_ids()
        if not ids:
            return 0
        try:
            removed = self.collection.remove(ids)
        except (StoreError, ValueError) as exc:
            self.show_message(f"Could not remove: {exc}")
            return 0
        if removed:
            self.undo_stack.append(removed)
            self.show_message(f"Removed {drawings_text(len(removed))} \u00b7 "
                              "<a href='undo'>Undo</a> (Ctrl+Z)")
        self._update_controls()
        return len(removed)

    @Slot()
    def undo(self) -> int:
        """Put back the drawings removed last; return how many."""
        if not self.undo_stack:
            return 0
        drawings = self.undo_stack[-1]
        try:
            self.collection.restore(drawings)
        except (StoreError, ValueError) as exc:
            self.show_message(f"Could not put them back: {exc}")
            return 0
        self.undo_stack.pop()
        self.view.select_ids({d.id for d in drawings})
        more = (" \u00b7 <a href='undo'>Undo</a> the removal before"
                if self.undo_stack else "")
        self.show_message(f"Put back {drawings_text(len(drawings))}.{more}")
        self._update_controls()
        return len(drawings)

    @Slot(int)
    def relabel_selected(self, digit: int) -> int:
        """Move the selected drawings to `digit`'s row; return how many moved."""
        ids = self.view.selected_ids()
        moved = 0
        try:
            for ident in ids:
                moved += self.collection.store.relabel(ident, digit)
        except (StoreError, ValueError) as exc:
            self.show_message(f"Could not relabel: {exc}")
        finally:
            if moved:
                self.collection.announce_change()  # one refresh for all of them
        if moved:
            self.view.select_ids(set(ids))
            self.show_message(f"Moved {drawings_text(moved)} to {digit}.")
        return moved

    @Slot()
    def clear_all(self) -> int:
        """Ask, then remove every drawing; return how many were removed."""
        total = sum(self.view.counts())
        if total == 0:
            return 0
        answer = QMessageBox.question(
            self, "Clear the collection",
            f"Remove all {drawings_text(total)} from your handwriting collection?\n\n"
            "This cannot be undone. Export\u2026 first to keep a copy.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return 0
        try:
            count = self.collection.clear()
        except StoreError as exc:
            self.show_message(f"Could not clear the collection: {exc}")
            return 0
        self.show_message(f"Removed all {drawings_text(count)}.")
        return count

    # -- export and import -------------------------------------------------------------
    def choose_folder(self, title: str) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self, title, pictures_path())
        return Path(folder) if folder else None

    @Slot()
    def export_collection(self, folder: str | Path | None = None) -> bool:
        """Export every drawing to `folder` (asks when None) in the background; return
        whether it started."""
        if self.transfer.running() or sum(self.view.counts()) == 0:
            return False
        folder = Path(folder) if folder else self.choose_folder(
            "Export the collection to a new or empty folder")
        if folder is None:
            return False
        self.transfer.export_to(folder)
        self._update_controls()
        return True

    @Slot()
    def import_collection(self, folder: str | Path | None = None) -> bool:
        """Add the drawings of a folder made by Export (asks when None), in the background;
        return whether it started."""
        if self.transfer.running():
            return False
        folder = Path(folder) if folder else self.choose_folder(
            "Import drawings from a folder made by Export")
        if folder is None:
            return False
        self.transfer.import_from(folder)
        self._update_controls()
        return True

    @Slot(float, str)
    def _on_transfer_progress(self, fraction: float, text: str) -> None:
        self.message.hide()
        self.transfer_status.show()
        self.transfer_status.running(fraction, text)

    @Slot(str, bool)
    def _on_transfer_ended(self, text: str, ok: bool) -> None:
        self.transfer_status.hide()
        self.show_message(text)
        self._update_controls()

    # -- the rest ------------------------------------------------------------------------
    @Slot(str)
    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    @Slot(str)
    def _on_link(self, link: str) -> None:
        if link == "undo":
            self.undo()

    @Slot()
    def _update_controls(self) -> None:
        any_drawing = sum(self.view.counts()) > 0
        selected = len(self.view.selected_ids())
        busy = self.transfer.running()
        self.remove_button.setEnabled(selected > 0)
        self.remove_button.setText(f"Remove {selected:,}" if selected > 1 else "Remove")
        self.delete_action.setEnabled(selected > 0)
        self.undo_button.setEnabled(bool(self.undo_stack))
        self.undo_action.setEnabled(bool(self.undo_stack))
        self.export_button.setEnabled(any_drawing and not busy)
        self.import_button.setEnabled(not busy)
        self.clear_button.setEnabled(any_drawing and not busy)

    def shutdown(self) -> None:
        """Stop an export, import or teaching, blocking until its thread has ended."""
        self.transfer.shutdown()
        self.teach.shutdown()
