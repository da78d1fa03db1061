"""The confusion matrix as a heatmap with counts; a click on a cell asks for those images.

Rows are true classes, columns predicted ones. The diagonal (right answers, ~1,000 each)
and the rest (mistakes, a handful each) live on different scales, so each has its own
colour: green by the share of the class recognised, red by the count relative to the
largest confusion (square-root scale, so that a single mistake still shows).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

CLASSES = 10
MARGIN = 36  # room for the class labels and the axis titles, left and top


class ConfusionView(QWidget):
    cell_clicked = Signal(int, int)  # (true class, predicted class)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confusionView")
        self.setAccessibleName("Confusion matrix")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 200)
        self.confusion: np.ndarray | None = None

    def sizeHint(self) -> QSize:  # Qt override
        return QSize(MARGIN + CLASSES * 34 + 4, MARGIN + CLASSES * 34 + 4)

    def set_confusion(self, confusion: np.ndarray | None) -> None:
        """Show counts (10, 10) [true, predicted], or nothing for None."""
        self.confusion = None if confusion is None else np.asarray(confusion)
        self.update()

    # -- geometry ----------------------------------------------------------------------------
    def _cell_size(self) -> float:
        return max(4.0, min(self.width() - MARGIN, self.height() - MARGIN) / CLASSES - 0.01)

    def cell_rect(self, true: int, predicted: int) -> QRectF:
        side = self._cell_size()
        return QRectF(MARGIN + predicted * side, MARGIN + true * side, side, side)

    def cell_at(self, point: QPoint) -> tuple[int, int] | None:
        """Return (true, predicted) of the cell under `point`, or None."""
        side = self._cell_size()
        column = int((point.x() - MARGIN) // side)
        row = int((point.y() - MARGIN) // side)
        if point.x() < MARGIN or point.y() < MARGIN or not (0 <= row < 10 and 0 <= column < 10):
            return None
        return row, column

    # -- painting ----------------------------------------------------------------------------
    def _colors(self, true: int, predicted: int) -> tuple[QColor, QColor]:
        """Return (fill, text) of a cell."""
        counts = self.confusion
        count = counts[true, predicted]
        if true == predicted:
            share = count / max(counts[true].sum(), 1)
            strength = 0.25 + 0.75 * share
            fill = QColor.fromRgbF(1 - 0.8 * strength, 1 - 0.35 * strength, 1 - 0.75 * strength)
        elif count == 0:
            return self.palette().color(QPalette.ColorRole.Base), QColor("#999999")
        else:
            off = counts.copy()
            np.fill_diagonal(off, 0)
            strength = 0.15 + 0.85 * np.sqrt(count / max(off.max(), 1))
            fill = QColor.fromRgbF(1 - 0.15 * strength, 1 - 0.8 * strength, 1 - 0.8 * strength)
        text = QColor("white") if fill.lightnessF() < 0.55 else QColor("black")
        return fill, text

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        palette = self.palette()
        text_color = palette.color(QPalette.ColorRole.WindowText)
        side = self._cell_size()
        font = painter.font()
        font.setPixelSize(max(8, min(13, int(side * 0.36))))
        painter.setFont(font)
        painter.setPen(text_color)
        painter.drawText(QRectF(MARGIN, 0, side * CLASSES, 16), Qt.AlignmentFlag.AlignCenter,
                         "predicted class \u2192")
        painter.save()
        painter.translate(0, MARGIN + side * CLASSES)
        painter.rotate(-90)
        painter.drawText(QRectF(0, 0, side * CLASSES, 16), Qt.AlignmentFlag.AlignCenter,
                         "\u2190 true class")
        painter.restore()
        for k in range(CLASSES):
            painter.drawText(QRectF(MARGIN + k * side, 16, side, MARGIN - 16),
                             Qt.AlignmentFlag.AlignCenter, str(k))
            painter.drawText(QRectF(16, MARGIN + k * side, MARGIN - 18, side),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(k))
        grid = palette.color(QPalette.ColorRole.Mid)
        for true in range(CLASSES):
            for predicted in range(CLASSES):
                rect = self.cell_rect(true, predicted)
                if self.confusion is None:
                    painter.fillRect(rect, palette.color(QPalette.ColorRole.Base))
                else:
                    fill, ink = self._colors(true, predicted)
                    painter.fillRect(rect, fill)
                    painter.setPen(ink)
                    count = int(self.confusion[true, predicted])
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter,
                                     str(count) if count or true == predicted else "\u00b7")
                painter.setPen(grid)
                painter.drawRect(rect)
        painter.end()

    # -- mouse -------------------------------------------------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # Qt override
        cell = self.cell_at(event.position().toPoint())
        if cell is None or self.confusion is None:
            QToolTip.hideText()
            return
        true, predicted = cell
        count = int(self.confusion[true, predicted])
        share = count / max(int(self.confusion[true].sum()), 1)
        what = (f"{true}s recognised" if true == predicted else f"{true}s taken for {predicted}s")
        QToolTip.showText(event.globalPosition().toPoint(),
                          f"{what}: {count:,} ({share:.1%} of the {true}s); click to see them",
                          self, QRect())

    def mousePressEvent(self, event: QMouseEvent) -> None:  # Qt override
        cell = self.cell_at(event.position().toPoint())
        if (cell is not None and self.confusion is not None
                and event.button() == Qt.MouseButton.LeftButton):
            self.cell_clicked.emit(*cell)
