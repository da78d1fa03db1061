"""A contact sheet: chosen test images in a grid, each captioned "true -> predicted, %".

Drawn on a QImage, which may be done outside the GUI thread: 10,000 images take seconds
to draw and more to compress, so the Mistakes tab does it in a GeneratorWorker.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from digitapp.analysis.control import Steps, StopToken, raise_if_stopped
from digitapp.app.audit import Audit
from digitapp.app.verdict import percent
from digitapp.gui.audit.digits import RIGHT, WRONG, DigitImages

ZOOM = 2  # 56 x 56 pixels per digit: every pixel visible, the sheet stays small
CELL_W, CELL_H = 88, 90  # a digit and two lines of caption ("8 -> 7  >99%", "#1530")
CAPTION_PX = 11
MARGIN = 12
MAX_COLUMNS = 40


def columns_for(count: int) -> int:
    """Return the columns of a sheet of `count` images: about square, at most MAX_COLUMNS."""
    return max(1, min(MAX_COLUMNS, math.ceil(math.sqrt(count * CELL_H / CELL_W))))


def contact_sheet_steps(audit: Audit, indices: np.ndarray, title: str,
                        control: StopToken | None = None) -> Steps[QImage]:
    """Draw the sheet of the images `indices` (in that order) under a one-line title,
    yielding (fraction, text) every 250 images; return it (a QImage).

    Raises digitapp.analysis.control.Cancelled when `control` says stop.
    """
    images = DigitImages(audit.images)  # its own: the grid's cache belongs to the GUI thread
    count = len(indices)
    columns = columns_for(count)
    rows = max(1, math.ceil(count / columns))
    header = 28
    sheet = QImage(2 * MARGIN + columns * CELL_W, 2 * MARGIN + header + rows * CELL_H,
                   QImage.Format.Format_RGB32)
    sheet.fill(QColor("white"))
    painter = QPainter(sheet)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)  # square pixels
    font = QFont(painter.font())
    font.setPixelSize(13)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(QRect(MARGIN, MARGIN, sheet.width() - 2 * MARGIN, header),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, title)
    font.setPixelSize(CAPTION_PX)
    painter.setFont(font)
    side = 28 * ZOOM
    for slot, index in enumerate(indices):
        if slot % 250 == 0:
            if control is not None and control.stopped:
                painter.end()
                raise_if_stopped(control)
            yield slot / count, f"Drawing the contact sheet: {slot:,} of {count:,} images"
        index = int(index)
        x = MARGIN + (slot % columns) * CELL_W
        y = MARGIN + header + (slot // columns) * CELL_H
        painter.drawImage(QRect(x + (CELL_W - side) // 2, y, side, side), images[index])
        true, predicted = int(audit.labels[index]), int(audit.predictions[index])
        painter.setPen(RIGHT if true == predicted else WRONG)
        caption = f"{true} \u2192 {predicted}  {percent(audit.confidence(index))}"
        painter.drawText(QRect(x, y + side + 3, CELL_W, 14), Qt.AlignmentFlag.AlignHCenter,
                         caption)
        painter.setPen(QColor("#666666"))
        painter.drawText(QRect(x, y + side + 17, CELL_W, 14), Qt.AlignmentFlag.AlignHCenter,
                         f"#{index}")
    painter.end()
    return sheet
