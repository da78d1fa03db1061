"""Paints one drawing of the collection: its 28x28 enlarged, and what the model misread it as.

The image is the one the network saw, white ink on black as the Mistakes grid shows test
images (gui/audit/digit_delegate.py), so the two tabs look alike. A drawing the model read
wrong when it was kept gets a red frame and, in its corner, the digit it was taken for:
the corrections that teach the most.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from digitapp.gui.audit.digits import SIDE, WRONG
from digitapp.gui.handwriting.drawings_model import IMAGE_ROLE, MISREAD_ROLE

ZOOM = 2  # 56 x 56: every pixel visible
CELL = QSize(62, 62)
BADGE = 15  # pixels, the side of the corner mark of a misread drawing


class ThumbnailDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:  # Qt override
        return CELL

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:  # Qt override
        image = index.data(IMAGE_ROLE)
        if image is None:
            return
        rect, palette = option.rect, option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        inner = rect.adjusted(1, 1, -1, -1)
        if selected:
            painter.fillRect(inner, palette.color(QPalette.ColorRole.Highlight))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(inner, palette.color(QPalette.ColorRole.AlternateBase))
        side = SIDE * ZOOM
        image_rect = QRect(rect.x() + (rect.width() - side) // 2,
                           rect.y() + (rect.height() - side) // 2, side, side)
        # Nearest neighbour: square pixels, as the network sees them.
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(image_rect, image)
        misread = index.data(MISREAD_ROLE)
        if misread is not None:
            painter.setPen(QPen(WRONG, 2))
            painter.drawRect(image_rect.adjusted(-1, -1, 0, 0))
            badge = QRect(image_rect.right() - BADGE + 1, image_rect.bottom() - BADGE + 1,
                          BADGE, BADGE)
            painter.fillRect(badge, WRONG)
            painter.setPen(QColor("white"))
            font = painter.font()
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(misread))
        painter.restore()
