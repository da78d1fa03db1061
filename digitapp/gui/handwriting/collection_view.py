"""The collection by digit: ten DigitRows in a scrolling grid, or a word on how to start.

It shows a DrawingListing and keeps the selection across refreshes (by drawing id); the tab
decides when to read the listing and what to do with the selection.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from digitapp.gui.handwriting.digit_row import DigitRow
from digitapp.store.handwriting import DrawingListing

EMPTY_TEXT = (
    "<h3>No drawings yet</h3>"
    "<p>Draw a digit in the <b>Draw</b> tab and press its key (0-9), or click its bar, to "
    "keep it here with that label, whether the network read it right or wrong. Digits it "
    "gets wrong teach it the most.</p>"
    "<p>With a few drawings of each digit, <b>Teach digitapp my handwriting</b> below makes "
    "a personal copy of the model that reads your hand better.</p>"
    "<p>A collection exported on another computer comes in with <b>Import\u2026</b>.</p>")


class CollectionView(QStackedWidget):
    """Page 0: how to start (no drawings); page 1: the ten rows, in two columns."""

    selection_changed = Signal()
    relabel_requested = Signal(int)  # the selected drawings belong to this digit
    remove_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handwritingCollection")
        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setObjectName("handwritingEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setMargin(24)
        self.empty_label.setMaximumWidth(560)
        empty_page = QWidget()
        empty_layout = QVBoxLayout(empty_page)
        empty_layout.addWidget(self.empty_label, 0, Qt.AlignmentFlag.AlignCenter)
        self.addWidget(empty_page)

        # Two columns, 0-4 and 5-9: all ten digits fit the window's default size.
        self.rows = [DigitRow(digit) for digit in range(10)]
        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        grid.setContentsMargins(0, 0, 4, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        for row in self.rows:
            row.selection_changed.connect(self._on_row_selection)
            row.relabel_requested.connect(self.relabel_requested)
            row.remove_requested.connect(self.remove_requested)
            grid.addWidget(row, row.digit % 5, row.digit // 5)
        grid.setRowStretch(5, 1)
        self.scroll = QScrollArea()
        self.scroll.setWidget(grid_box)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.addWidget(self.scroll)
        self.listing = DrawingListing()

    def show_listing(self, listing: DrawingListing) -> None:
        """Show `listing`'s drawings in their digits' rows, keeping the selected ones selected."""
        keep = set(self.selected_ids())
        self.listing = listing
        by_digit: list[list] = [[] for _ in range(10)]
        for drawing in listing.drawings:
            by_digit[drawing.label].append(drawing)
        for row, drawings in zip(self.rows, by_digit, strict=True):
            row.set_drawings(drawings, keep)
        self.setCurrentIndex(1 if listing.drawings else 0)

    def counts(self) -> list[int]:
        return [row.model.rowCount() for row in self.rows]

    def selected_ids(self) -> list[int]:
        return [ident for row in self.rows for ident in row.selected_ids()]

    def select_ids(self, ids: set[int]) -> None:
        """Select exactly the drawings `ids` (those shown)."""
        for row in self.rows:
            row.select_ids(ids)
        self.selection_changed.emit()

    @Slot()
    def _on_row_selection(self) -> None:
        # A plain click in one strip starts a new selection, as in a single list; Ctrl or
        # Shift adds to what other strips hold.
        modifiers = QApplication.keyboardModifiers()
        adding = modifiers & (Qt.KeyboardModifier.ControlModifier
                              | Qt.KeyboardModifier.ShiftModifier)
        sender = self.sender()
        if not adding and sender in self.rows and sender.selected_ids():
            for row in self.rows:
                if row is not sender:
                    row.clear_selection()
        self.selection_changed.emit()
