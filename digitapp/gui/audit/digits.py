"""Test images as QImages, and the colours that tell a mistake from a right answer."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage

SIDE = 28
WRONG = QColor("#d64541")  # readable on light and dark backgrounds
RIGHT = QColor("#2e9d4a")
# One colour per digit 0..9 (the "tab10" palette: distinct, and known from many plots).
CLASS_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def digit_image(pixels: np.ndarray) -> QImage:
    """Return a 28x28 Grayscale8 QImage (owning its pixels) of uint8 pixels (28, 28)."""
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    return QImage(pixels.data, SIDE, SIDE, SIDE, QImage.Format.Format_Grayscale8).copy()


class DigitImages:
    """QImages of the images (N, 28, 28) uint8, made when first asked for and kept."""

    def __init__(self, images: np.ndarray) -> None:
        self.images = images
        self._made: dict[int, QImage] = {}

    def __getitem__(self, index: int) -> QImage:
        image = self._made.get(index)
        if image is None:
            image = self._made[index] = digit_image(self.images[index])
        return image
