"""A QImage shown enlarged by a whole factor, square pixels (no smoothing)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


class ImageView(QWidget):
    """Shows one picture at `zoom` screen pixels per picture pixel; a blank box when none."""

    def __init__(self, width: int, height: int, zoom: int = 1,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zoom = zoom
        self.image: QImage | None = None
        self._size = QSize(width * zoom, height * zoom)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # repaints alone

    def sizeHint(self) -> QSize:  # Qt override
        return self._size

    def minimumSizeHint(self) -> QSize:  # Qt override
        return self._size

    def set_image(self, image: QImage | None) -> None:
        """Show `image` (None: a blank box); a picture of another size resizes the view."""
        self.image = image
        if image is not None:
            size = QSize(image.width() * self.zoom, image.height() * self.zoom)
            if size != self._size:
                self._size = size
                self.updateGeometry()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Window))
        target = QRect(0, 0, self._size.width(), self._size.height())
        if self.image is None:
            painter.fillRect(target, self.palette().color(QPalette.ColorRole.Mid))
        else:
            painter.drawImage(target, self.image)
