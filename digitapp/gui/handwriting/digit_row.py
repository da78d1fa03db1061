"""One digit's row in the My handwriting tab: the digit, its count, its drawings in a strip."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSize, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from digitapp.gui.handwriting.drawings_model import DrawingsModel, misread_as
from digitapp.gui.handwriting.thumbnail_delegate import CELL, ThumbnailDelegate
from digitapp.store.handwriting import Drawing


def count_text(count: int) -> str:
    return "none yet" if count == 0 else f"{count:,} drawing{'' if count == 1 else 's'}"


def heading_text(drawings: list[Drawing]) -> str:
    """Return "6 drawings" and, on a second line, how many the model misread then."""
    misread = sum(misread_as(d) is not None for d in drawings)
    return count_text(len(drawings)) + (f"\n{misread} misread" if misread else "")


class DigitRow(QWidget):
    """The drawings labelled `digit`, oldest on the left, in one scrolling strip.

    The strip's selection is the row's part of the tab's selection; its context menu asks
    the tab to relabel or remove what is selected (the tab owns the collection).
    """

    selection_changed = Signal()
    relabel_requested = Signal(int)  # move the selected drawings to this digit
    remove_requested = Signal()

    def __init__(self, digit: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.digit = digit
        self.setObjectName(f"digitRow{digit}")
        self.digit_label = QLabel(str(digit))
        font = self.digit_label.font()
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.digit_label.setFont(font)
        self.digit_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count_label = QLabel(count_text(0))
        self.count_label.setObjectName(f"digitCount{digit}")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading = QVBoxLayout()
        heading.setSpacing(0)
        heading.addStretch(1)
        heading.addWidget(self.digit_label)
        heading.addWidget(self.count_label)
        heading.addStretch(1)
        heading_box = QWidget()
        heading_box.setLayout(heading)
        heading_box.setFixedWidth(
            self.count_label.fontMetrics().horizontalAdvance("999 drawings") + 8)

        self.model = DrawingsModel(self)
        self.view = QListView()
        self.view.setObjectName(f"digitStrip{digit}")
        self.view.setAccessibleName(f"Drawings of {digit}")
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setFlow(QListView.Flow.LeftToRight)
        self.view.setWrapping(False)  # one strip; it scrolls sideways
        self.view.setMovement(QListView.Movement.Static)
        self.view.setUniformItemSizes(True)
        self.view.setGridSize(CELL + QSize(2, 0))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setMouseTracking(True)
        self.view.setItemDelegate(ThumbnailDelegate(self.view))
        self.view.setModel(self.model)
        scrollbar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.view.setFixedHeight(CELL.height() + scrollbar + 2 * self.view.frameWidth() + 4)
        self.view.setToolTip("")  # each drawing has its own tooltip
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_menu)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading_box)
        layout.addWidget(self.view, 1)

    def set_drawings(self, drawings: list[Drawing], keep: set[int]) -> None:
        """Show `drawings` (this digit's, oldest first), selecting those whose id is in
        `keep` (the selection before a refresh). A strip whose drawings did not change is
        left as it is; a reset one keeps its scroll position (Qt's list views do)."""
        if [d.id for d in drawings] != [d.id for d in self.model.drawings]:
            self.view.selectionModel().blockSignals(True)
            self.model.set_drawings(drawings)
            self.view.selectionModel().blockSignals(False)
        self.select_ids(keep)
        self.count_label.setText(heading_text(drawings))
        self.setToolTip(f"Your {self.digit}s: {count_text(len(drawings))}, oldest first; a "
                        "red corner: the digit the model took it for when you kept it. "
                        "Click to select, Ctrl+click or Shift+click for several, "
                        "right-click to move them to another digit.")

    def select_ids(self, ids: set[int]) -> None:
        """Select exactly the drawings of this strip whose id is in `ids` (no signal)."""
        selection = self.view.selectionModel()
        selection.blockSignals(True)
        selection.clearSelection()
        for row, drawing in enumerate(self.model.drawings):
            if drawing.id in ids:
                selection.select(self.model.index(row), selection.SelectionFlag.Select)
        selection.blockSignals(False)
        self.view.viewport().update()

    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedIndexes())
        return [self.model.drawing_id(row) for row in rows]

    def clear_selection(self) -> None:
        self.view.clearSelection()

    @Slot()
    def _on_selection(self) -> None:
        self.selection_changed.emit()

    @Slot(QPoint)
    def _show_menu(self, where: QPoint) -> None:
        index = self.view.indexAt(where)
        if index.isValid() and not self.view.selectionModel().isSelected(index):
            self.view.selectionModel().select(index, self.view.selectionModel()
                                              .SelectionFlag.ClearAndSelect)
        count = len(self.selected_ids())
        if count == 0:
            return
        menu = QMenu(self)
        move = menu.addMenu(f"Move {count_text(count)} to")
        for digit in range(10):
            if digit != self.digit:
                move.addAction(str(digit)).setData(digit)
        remove = menu.addAction("Remove\tDel")
        chosen = menu.exec(self.view.viewport().mapToGlobal(where))
        if chosen is remove:
            self.remove_requested.emit()
        elif chosen is not None and chosen.data() is not None:
            self.relabel_requested.emit(int(chosen.data()))

