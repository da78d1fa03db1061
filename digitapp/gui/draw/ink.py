"""Ink on paper: the steps of a drawing and how they are rendered into a grayscale image.

Coordinates are paper units, shares of the sheet's height, y down: 0..1 across a square
sheet, 0..width/height across a wide one. Rendering scales them to whatever size the
backing image has, so the same steps draw at any size and DPI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

PAPER, INK = 255, 0  # grey levels of the backing image


@dataclass
class Stroke:
    width: float  # paper units
    points: list[tuple[float, float]] = field(default_factory=list)  # paper units, pen order


@dataclass
class PlacedImage:
    image: QImage  # Grayscale8, the picture as given
    paper_level: int  # grey level (0..255) of its border: fills the margins around it


def smooth_path(points: list[tuple[float, float]]) -> QPainterPath:
    """Return a smooth path through pen samples: quadratic curves between their midpoints.

    Each sample is the control point of a curve from the midpoint before it to the
    midpoint after it; the path starts at the first sample and ends at the last.
    """
    path = QPainterPath(QPointF(*points[0]))
    mids = [mid(a, b) for a, b in zip(points[:-1], points[1:], strict=True)]
    if mids:
        path.lineTo(QPointF(*mids[0]))
    for control, end in zip(points[1:-1], mids[1:], strict=True):
        path.quadTo(QPointF(*control), QPointF(*end))
    path.lineTo(QPointF(*points[-1]))
    return path


def array_to_image(gray: np.ndarray) -> QImage:
    """Return a Grayscale8 QImage (owning its pixels) of float (H, W) in [0, 1].

    Values outside [0, 1] are clipped; NaN becomes paper (white), like the blank sheet.
    """
    finite = np.nan_to_num(gray, nan=1.0, posinf=1.0, neginf=0.0)
    pixels = np.ascontiguousarray(np.clip(finite, 0.0, 1.0) * 255 + 0.5, dtype=np.uint8)
    h, w = pixels.shape
    return QImage(pixels.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def border_level(gray: np.ndarray) -> int:
    """Return the median grey level (0..255) of an image's outermost rows and columns.

    NaN and infinite pixels are left out (clipped to [0, 1] first); a border with no
    finite pixel at all is taken for paper, PAPER.
    """
    ring = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]]).astype(np.float64)
    ring = ring[np.isfinite(ring)]
    if ring.size == 0:
        return PAPER
    return int(round(float(np.median(np.clip(ring, 0.0, 1.0))) * 255))


def dot(painter: QPainter, centre: tuple[float, float], width: float) -> None:
    # A filled disc: drawPoint with a wide pen lands off-centre under a scaled painter.
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(INK, INK, INK))
    painter.drawEllipse(QPointF(*centre), width / 2, width / 2)
    painter.restore()


def mid(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def draw_fitted(image: QImage, placed: PlacedImage) -> None:
    """Draw a placed picture onto the backing image, fitted and centred, margins filled."""
    image.fill(placed.paper_level)
    sheet_w, sheet_h = image.width(), image.height()
    w, h = placed.image.width(), placed.image.height()
    scale = min(sheet_w / w, sheet_h / h)
    target = QRectF((sheet_w - w * scale) / 2, (sheet_h - h * scale) / 2, w * scale, h * scale)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(target, placed.image)
    painter.end()


class PaperPainter:
    """`with PaperPainter(image, width) as p:` a QPainter in paper units, inking round strokes."""

    def __init__(self, image: QImage, width: float) -> None:
        self._image, self._width = image, width

    def __enter__(self) -> QPainter:
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Paper units are shares of the sheet's height on both axes: a square sheet spans
        # 0..1 across, a wide one (a number) 0..width/height, and round pens stay round.
        painter.scale(self._image.height(), self._image.height())
        pen = QPen(QColor(INK, INK, INK), self._width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        self._painter = painter
        return painter

    def __exit__(self, *exc) -> None:
        self._painter.end()


def newest_piece(points: list[tuple[float, float]]) -> tuple[QPainterPath, list]:
    """Return (path, samples it spans): what the newest sample adds to `smooth_path(points)`.

    That is the curve between the last two midpoints, or from the first sample to the
    first midpoint when there are only two samples; `smooth_path` is these pieces joined.
    """
    if len(points) == 2:
        path = QPainterPath(QPointF(*points[0]))
        path.lineTo(QPointF(*mid(points[0], points[1])))
        return path, points[-2:]
    a, b, c = points[-3:]
    path = QPainterPath(QPointF(*mid(a, b)))
    path.quadTo(QPointF(*b), QPointF(*mid(b, c)))
    return path, [a, b, c]


def render_steps(image: QImage, steps: list[Stroke | PlacedImage]) -> None:
    """Draw the steps onto blank paper; a placed image hides every step before it."""
    image.fill(PAPER)
    last_image = max((i for i, s in enumerate(steps) if isinstance(s, PlacedImage)), default=-1)
    for step in steps[max(last_image, 0):]:
        if isinstance(step, PlacedImage):
            draw_fitted(image, step)
            continue
        with PaperPainter(image, step.width) as painter:
            if len(step.points) == 1:
                dot(painter, step.points[0], step.width)
            else:
                painter.drawPath(smooth_path(step.points))
