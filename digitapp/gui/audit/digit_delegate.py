"""Paints one cell of the Mistakes grid: the digit enlarged, "true -> predicted" and how sure."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from digitapp.app.verdict import percent
from digitapp.gui.audit.digits import RIGHT, SIDE, WRONG
from digitapp.gui.audit.mistakes_model import IMAGE_INDEX_ROLE

ZOOM = 2  # 56 x 56: every pixel visible
CELL = QSize(76, 94)


class DigitDelegate(QStyledItemDelegate):
    """Draws straight from the model's Audit: no widget, no pixmap per cell."""

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:  # Qt override
        return CELL

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:  # Qt override
        model = index.model()
        audit = model.audit
        i = index.data(IMAGE_INDEX_ROLE)
        if audit is None or i is None:
            return
        rect = option.rect
        palette = option.palette
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        inner = rect.adjusted(1, 1, -1, -1)
        if selected:
            painter.fillRect(inner, palette.color(QPalette.ColorRole.Highlight))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(inner, palette.color(QPalette.ColorRole.AlternateBase))
        true, predicted = int(audit.labels[i]), int(audit.predictions[i])
        tone = RIGHT if true == predicted else WRONG
        side = SIDE * ZOOM
        image_rect = QRect(rect.x() + (rect.width() - side) // 2, rect.y() + 5, side, side)
        # Nearest neighbour, square pixels as the network sees them (views turn smoothing on).
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(image_rect, model.images[i])
        painter.setPen(QPen(tone, 2))
        painter.drawRect(image_rect.adjusted(-1, -1, 0, 0))

        text_color = palette.color(QPalette.ColorRole.HighlightedText if selected
                                   else QPalette.ColorRole.Text)
        line = QRect(rect.x(), image_rect.bottom() + 4, rect.width(), 16)
        painter.setPen(text_color if selected else tone)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(line, Qt.AlignmentFlag.AlignHCenter, f"{true} \u2192 {predicted}")
        font.setBold(False)
        painter.setFont(font)
        painter.setPen(text_color)
        painter.drawText(line.translated(0, 15), Qt.AlignmentFlag.AlignHCenter,
                         percent(audit.confidence(i)))
        painter.restore()
