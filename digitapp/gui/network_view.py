"""The 28x28 image the network actually sees, enlarged with square pixels (no smoothing)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

SIDE = 28
ZOOM = 4  # 112 x 112 logical pixels: every input pixel is visible


class NetworkInputView(QWidget):
    """White ink on black, as MNIST and the network have it; black when there is no input."""

    def __init__(self, parent: QWidget | None = None, zoom: int = ZOOM) -> None:
        super().__init__(parent)
        self.zoom = zoom  # screen pixels per input pixel
        self.setObjectName("networkInputView")
        self.setAccessibleName("What the network sees")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.image28: np.ndarray | None = None
        self._image = QImage(SIDE, SIDE, QImage.Format.Format_Grayscale8)
        self._image.fill(0)

    def sizeHint(self) -> QSize:  # Qt override
        return QSize(SIDE * self.zoom + 2, SIDE * self.zoom + 2)

    def show_image(self, image28: np.ndarray | None) -> None:
        """Show float (28, 28) in [0, 1] (1 = ink), or nothing (black) for None."""
        self.image28 = None if image28 is None else np.asarray(image28, dtype=np.float32)
        if self.image28 is None:
            self._image.fill(0)
        else:
            pixels = np.ascontiguousarray(np.clip(self.image28, 0, 1) * 255 + 0.5, np.uint8)
            self._image = QImage(pixels.data, SIDE, SIDE, SIDE,
                                 QImage.Format.Format_Grayscale8).copy()  # owns its pixels
        self.setAccessibleDescription(
            "28 by 28 pixels, white ink on black" if image28 is not None else "empty"
        )
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        painter = QPainter(self)
        # Nearest-neighbour scaling keeps the pixels square, as the network sees them.
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        target = QRectF(1, 1, SIDE * self.zoom, SIDE * self.zoom)
        painter.drawImage(target, self._image)
        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(0.5, 0.5, SIDE * self.zoom + 1, SIDE * self.zoom + 1))
        painter.end()
