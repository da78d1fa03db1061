"""The drawing canvas: a square sheet of paper backed by its own grayscale image.

The picture is a history of steps (pen strokes, and images put on the canvas by a drop or
a paste), so that undo is "forget the last step and render the rest again". Strokes are
kept in paper units (0..1 across the square), so the picture survives any resize, and the
backing image is allocated at the sheet's size times devicePixelRatio, so strokes stay
smooth on high-DPI screens. The canvas never classifies: whoever listens to `changed`
reads `gray()` and does that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

# Brush width as a share of the canvas side. MNIST strokes are about a tenth of the digit's
# height, and people fill roughly two thirds of the canvas with a digit.
DEFAULT_BRUSH = 0.06
MIN_BRUSH, MAX_BRUSH = 0.02, 0.15
PAPER, INK = 255, 0  # grey levels of the backing image
EMPTY_HINT = "Draw a digit here\n\nor drop or paste a picture of one"


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
    mids = [_mid(a, b) for a, b in zip(points[:-1], points[1:], strict=True)]
    if mids:
        path.lineTo(QPointF(*mids[0]))
    for control, end in zip(points[1:-1], mids[1:], strict=True):
        path.quadTo(QPointF(*control), QPointF(*end))
    path.lineTo(QPointF(*points[-1]))
    return path


def _array_to_image(gray: np.ndarray) -> QImage:
    """Return a Grayscale8 QImage (owning its pixels) of float (H, W) in [0, 1]."""
    pixels = np.ascontiguousarray(np.clip(gray, 0.0, 1.0) * 255 + 0.5, dtype=np.uint8)
    h, w = pixels.shape
    return QImage(pixels.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def _border_level(gray: np.ndarray) -> int:
    """Return the median grey level (0..255) of an image's outermost rows and columns."""
    ring = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    return int(round(float(np.median(ring)) * 255))


class DrawingCanvas(QWidget):
    """Draw with the mouse, a pen or a finger; undo strokes; show a dropped image."""

    changed = Signal()  # the picture changed: a stroke segment, undo, clear or image
    brush_width_changed = Signal(float)  # share of the canvas side

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drawingCanvas")
        self.setAccessibleName("Drawing canvas")
        self.setAccessibleDescription(
            "Draw one digit. Ctrl+Z undoes the last stroke, Escape clears. "
            "An image file can be dropped here or pasted with Ctrl+V."
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMouseTracking(True)  # to show the brush outline under the pointer
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 200)

        self.steps: list[Stroke | PlacedImage] = []
        self._brush = DEFAULT_BRUSH
        self._drawing: Stroke | None = None  # the stroke under the pen, if any
        self._hover: QPointF | None = None
        self._buffer: QImage | None = None  # (side * dpr)^2 Grayscale8

    # -- state ---------------------------------------------------------------------------
    @property
    def brush_width(self) -> float:
        return self._brush

    def set_brush_width(self, width: float) -> None:
        """Set the width of the next strokes, as a share of the canvas side."""
        width = float(min(max(width, MIN_BRUSH), MAX_BRUSH))
        if width != self._brush:
            self._brush = width
            self.update()
            self.brush_width_changed.emit(width)

    def is_blank(self) -> bool:
        return not self.steps

    def clear(self) -> None:
        self._drawing = None
        self.steps.clear()
        self._render()

    def undo(self) -> None:
        """Forget the last stroke (or placed image)."""
        if self.steps:
            self._drawing = None
            self.steps.pop()
            self._render()

    def place_image(self, gray: np.ndarray) -> None:
        """Show a picture, float (H, W) in [0, 1], fitted to the sheet; strokes go on top.

        The margins left by a picture that is not square take the tone of its border, so
        they look like more of its paper to whoever reads `gray()`.
        """
        gray = np.asarray(gray, dtype=np.float32)
        if gray.ndim != 2 or gray.size == 0:
            raise ValueError(f"place_image expects a grayscale image (H, W), got {gray.shape}")
        self._drawing = None
        self.steps.append(PlacedImage(_array_to_image(gray), _border_level(gray)))
        self._render()

    def gray(self) -> np.ndarray:
        """Return a copy of the picture: float32 (S, S) in [0, 1], ink 0 (dark), paper 1.

        S is the sheet's side in device pixels.
        """
        image = self._ensure_buffer()
        h, stride = image.height(), image.bytesPerLine()
        rows = np.frombuffer(image.constBits(), np.uint8, stride * h).reshape(h, stride)
        return rows[:, : image.width()].astype(np.float32) * np.float32(1 / 255)

    def save(self, path: str) -> bool:
        """Write the picture to an image file (format from the suffix); return success."""
        return self._ensure_buffer().save(path)

    # -- geometry ------------------------------------------------------------------------
    def paper_rect(self) -> QRectF:
        """Return the sheet, in widget coordinates: the largest centred square (1px frame)."""
        side = max(1, min(self.width(), self.height()) - 2)
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def to_paper(self, pos: QPointF) -> tuple[float, float]:
        """Return widget coordinates in paper units (0..1 across the sheet)."""
        rect = self.paper_rect()
        return ((pos.x() - rect.x()) / rect.width(), (pos.y() - rect.y()) / rect.height())

    def _to_widget(self, x: float, y: float) -> QPointF:
        rect = self.paper_rect()
        return QPointF(rect.x() + x * rect.width(), rect.y() + y * rect.height())

    # -- pen input (mouse, tablet and touch all end here) --------------------------------
    def begin_stroke(self, pos: QPointF) -> None:
        self._drawing = Stroke(self._brush, [self.to_paper(pos)])
        self.steps.append(self._drawing)
        with self._painter(self._drawing.width) as painter:
            _dot(painter, self._drawing.points[0], self._drawing.width)  # a tap leaves a dot
        self._update_around(self._drawing.points[-1:], self._drawing.width)
        self.changed.emit()

    def extend_stroke(self, pos: QPointF) -> None:
        """Add a pen sample; draw the new piece of the smoothed stroke."""
        stroke = self._drawing
        if stroke is None:
            return
        point = self.to_paper(pos)
        if point == stroke.points[-1]:
            return
        stroke.points.append(point)
        # The piece between the last two midpoints (from the first sample at the start).
        piece = stroke.points[-3:] if len(stroke.points) > 2 else stroke.points[-2:]
        start = piece[0] if len(stroke.points) == 2 else _mid(piece[0], piece[1])
        path = QPainterPath(QPointF(*start))
        if len(piece) == 2:
            path.lineTo(QPointF(*_mid(piece[0], piece[1])))
        else:
            path.quadTo(QPointF(*piece[1]), QPointF(*_mid(piece[1], piece[2])))
        with self._painter(stroke.width) as painter:
            painter.drawPath(path)
        self._update_around(piece, stroke.width)
        self.changed.emit()

    def end_stroke(self) -> None:
        """Lift the pen: draw the last half-segment up to the final sample."""
        stroke, self._drawing = self._drawing, None
        if stroke is None or len(stroke.points) < 2:
            return
        last = stroke.points[-2:]
        with self._painter(stroke.width) as painter:
            painter.drawLine(QPointF(*_mid(*last)), QPointF(*last[1]))
        self._update_around(last, stroke.width)
        self.changed.emit()

    # -- rendering -------------------------------------------------------------------------
    def _painter(self, width: float) -> _PaperPainter:
        return _PaperPainter(self._ensure_buffer(), width)

    def _ensure_buffer(self) -> QImage:
        """Return the backing image, re-rendered if the sheet's size in device pixels changed."""
        side = max(1, round(self.paper_rect().width() * self.devicePixelRatioF()))
        if self._buffer is None or self._buffer.width() != side:
            self._buffer = QImage(side, side, QImage.Format.Format_Grayscale8)
            self._draw_steps(self._buffer)
        return self._buffer

    def _render(self) -> None:
        """Draw the picture again from its steps; repaint; tell the listeners."""
        self._draw_steps(self._ensure_buffer())
        self.update()
        self.changed.emit()

    def _draw_steps(self, image: QImage) -> None:
        """Draw every step, from the last placed image onwards, onto blank paper."""
        image.fill(PAPER)
        last_image = max(
            (i for i, s in enumerate(self.steps) if isinstance(s, PlacedImage)), default=-1
        )
        for step in self.steps[max(last_image, 0):]:
            if isinstance(step, PlacedImage):
                _draw_fitted(image, step)
                continue
            with _PaperPainter(image, step.width) as painter:
                if len(step.points) == 1:
                    _dot(painter, step.points[0], step.width)
                else:
                    painter.drawPath(smooth_path(step.points))

    def _update_around(self, points: list[tuple[float, float]], width: float) -> None:
        """Schedule a repaint of the part of the widget that `points` (+ the pen) touch."""
        pad = width * self.paper_rect().width() / 2 + 2
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        top_left = self._to_widget(min(xs), min(ys))
        bottom_right = self._to_widget(max(xs), max(ys))
        self.update(QRectF(top_left, bottom_right).adjusted(-pad, -pad, pad, pad).toAlignedRect())

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        buffer = self._ensure_buffer()
        buffer.setDevicePixelRatio(self.devicePixelRatioF())
        rect = self.paper_rect()
        painter = QPainter(self)
        painter.drawImage(rect.topLeft(), buffer)
        if self.is_blank():
            # The empty state says what to do; it is painted over, never into, the picture.
            painter.setPen(QColor(150, 150, 150))
            font = painter.font()
            font.setPointSizeF(font.pointSizeF() * 1.4)
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, EMPTY_HINT)
        palette = self.palette()
        frame = palette.highlight().color() if self.hasFocus() else palette.mid().color()
        painter.setPen(QPen(frame, 1))
        painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        if self._hover is not None and self._drawing is None:
            # The brush's outline under the pointer, grey on the white sheet.
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(128, 128, 128), 1))
            radius = self._brush * rect.width() / 2
            painter.drawEllipse(self._hover, radius, radius)
        painter.end()

    # -- Qt event handlers ------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self.begin_stroke(event.position())
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # Qt override
        if self._drawing is not None:
            self.extend_stroke(event.position())
        else:
            self._move_hover(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # Qt override
        if event.button() == Qt.MouseButton.LeftButton and self._drawing is not None:
            self.extend_stroke(event.position())
            self.end_stroke()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:  # Qt override
        # Accepted, so Qt does not also synthesise mouse events from the pen.
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self.begin_stroke(event.position())
        elif kind == QEvent.Type.TabletMove and self._drawing is not None:
            self.extend_stroke(event.position())
        elif kind == QEvent.Type.TabletRelease and self._drawing is not None:
            self.extend_stroke(event.position())
            self.end_stroke()
        event.accept()

    def event(self, event: QEvent) -> bool:  # Qt override
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            points = event.points()
            if points:  # the first finger draws; others are ignored
                pos = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self.begin_stroke(pos)
                else:
                    self.extend_stroke(pos)
            if kind == QEvent.Type.TouchEnd:
                self.end_stroke()
            event.accept()
            return True
        if kind == QEvent.Type.TouchCancel:
            self.end_stroke()
            event.accept()
            return True
        if kind == QEvent.Type.Leave:
            self._move_hover(None)
        return super().event(event)

    def _move_hover(self, pos: QPointF | None) -> None:
        radius = self._brush * self.paper_rect().width() / 2 + 2
        for point in (self._hover, pos):
            if point is not None:
                self.update(QRectF(point.x() - radius, point.y() - radius, 2 * radius,
                                   2 * radius).toAlignedRect())
        self._hover = pos


def _dot(painter: QPainter, centre: tuple[float, float], width: float) -> None:
    # A filled disc: drawPoint with a wide pen lands off-centre under a scaled painter.
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(INK, INK, INK))
    painter.drawEllipse(QPointF(*centre), width / 2, width / 2)
    painter.restore()


def _mid(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def _draw_fitted(image: QImage, placed: PlacedImage) -> None:
    """Draw a placed picture onto the backing image, fitted and centred, margins filled."""
    image.fill(placed.paper_level)
    side = image.width()
    w, h = placed.image.width(), placed.image.height()
    scale = side / max(w, h)
    target = QRectF((side - w * scale) / 2, (side - h * scale) / 2, w * scale, h * scale)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(target, placed.image)
    painter.end()


class _PaperPainter:
    """`with _PaperPainter(image, width) as p:` a QPainter in paper units, inking round strokes."""

    def __init__(self, image: QImage, width: float) -> None:
        self._image, self._width = image, width

    def __enter__(self) -> QPainter:
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(self._image.width(), self._image.height())
        pen = QPen(QColor(INK, INK, INK), self._width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        self._painter = painter
        return painter

    def __exit__(self, *exc) -> None:
        self._painter.end()
