"""Per-class precision, recall and F1 in a table, with their macro averages."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

COLUMNS = ("Precision", "Recall", "F1", "Support")
TIPS = ("Of the images predicted as this digit, the share that were this digit",
        "Of the images of this digit, the share recognised",
        "The harmonic mean of precision and recall",
        "Test images of this digit")


class ScoresTable(QTableWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(11, len(COLUMNS), parent)
        self.setObjectName("scoresTable")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setVerticalHeaderLabels([str(d) for d in range(10)] + ["mean"])
        for column, tip in enumerate(TIPS):
            self.horizontalHeaderItem(column).setToolTip(tip)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fit_height()

    def _fit_height(self) -> None:
        """Be exactly as tall as the eleven rows: a table of scores is read whole."""
        self.resizeRowsToContents()
        self.setFixedHeight(self.verticalHeader().length()
                            + self.horizontalHeader().sizeHint().height()
                            + 2 * self.frameWidth())

    def set_scores(self, per_class: dict | None) -> None:
        """Show precision, recall, f1 (10,) and support (10,), or empty cells for None."""
        self.clearContents()
        if per_class is None:
            return
        columns = [per_class["precision"], per_class["recall"], per_class["f1"]]
        worst = int(np.argmin(per_class["f1"]))
        for digit in range(10):
            values = [f"{100 * c[digit]:.2f}%" for c in columns]
            values.append(f"{int(per_class['support'][digit]):,}")
            self._row(digit, values, bold=digit == worst)
        means = [f"{100 * float(np.mean(c)):.2f}%" for c in columns]
        self._row(10, means + [f"{int(np.sum(per_class['support'])):,}"], bold=False)
        self._fit_height()

    def _row(self, row: int, values: list[str], bold: bool) -> None:
        for column, text in enumerate(values):
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
                item.setToolTip("The digit with the lowest F1")
            self.setItem(row, column, item)
