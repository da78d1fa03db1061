"""The drawing canvas: a sheet of paper (square, or wide for a number) backed by its own
grayscale image.

The picture is a history of steps (pen strokes, and images put on the canvas by a drop or
a paste), so that undo is "forget the last step and render the rest again". Strokes are
kept in paper units (shares of the sheet's height: 0..1 across the square sheet, 0..3
across the number sheet), so the picture survives any resize.

Every step is rendered twice, into two grayscale images. The screen's is allocated at the
sheet's size times devicePixelRatio, so strokes stay smooth on high-DPI screens. The
network's has a fixed size whatever the screen: 256 x 256 for a digit, the size to_mnist28
works at (WORK_SIDE; it averages anything bigger down to that first), and 384 x 128 for a
number (digitapp.app.number.LIVE_ROWS: its digits are still ~75 px tall, far more than
the 20 px they are reduced to, and reading it live takes half the time), so a prediction
costs the same on any screen, and is not slowed by averaging a million screen pixels down
on every pen move.
The canvas never classifies: whoever listens to `changed` reads `gray()` and does that.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from digitapp.app.number import LIVE_ROWS as NUMBER_ROWS
from digitapp.data.preprocess import WORK_SIDE
from digitapp.gui.draw.ink import (
    PAPER,
    PaperPainter,
    PlacedImage,
    Stroke,
    array_to_image,
    border_level,
    dot,
    mid,
    newest_piece,
    render_steps,
)

# Brush width as a share of the canvas side. MNIST's strokes are 2.6 px wide (median of
# 2 * area / perimeter over the test set) in a 20 px digit: 13% of its height. A digit drawn
# 60% as tall as the sheet comes out as wide as MNIST's (2.8 px) with 8% of the side.
DEFAULT_BRUSH = 0.08
MIN_BRUSH, MAX_BRUSH = 0.02, 0.15
EMPTY_HINT = "Draw a digit here\n\nor drop or paste a picture of one"
EMPTY_NUMBER_HINT = "Write a number here, digit after digit\n\nor drop or paste a picture of one"


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
        self._buffer: QImage | None = None  # the screen's: (side * dpr)^2 Grayscale8
        self._aspect = 1.0  # the sheet's width / height: 1 for a digit, more for a number
        self._network_image = QImage(WORK_SIDE, WORK_SIDE, QImage.Format.Format_Grayscale8)
        self._network_image.fill(PAPER)
        self._boxes: list[tuple[QRectF, str]] = []  # (paper units, tooltip), see set_boxes

    # -- state ---------------------------------------------------------------------------
    @property
    def brush_width(self) -> float:
        return self._brush

    @property
    def aspect(self) -> float:
        return self._aspect

    def set_aspect(self, aspect: float) -> None:
        """Make the sheet `aspect` times as wide as tall (1: a digit; 3: a number).

        The drawing is kept (its strokes are in shares of the height); the network's image
        becomes network_rows tall and aspect times as wide.
        """
        aspect = float(aspect)
        if aspect == self._aspect:
            return
        self._aspect = aspect
        rows = self.network_rows
        self._network_image = QImage(round(rows * aspect), rows,
                                     QImage.Format.Format_Grayscale8)
        self._buffer = None
        self._boxes = []
        self._render()

    @property
    def network_rows(self) -> int:
        """Rows of the network's image: WORK_SIDE for a digit, NUMBER_ROWS for a number."""
        return WORK_SIDE if self._aspect == 1.0 else NUMBER_ROWS

    def set_boxes(self, boxes: list[tuple[tuple[float, float, float, float], str]]) -> None:
        """Outline pieces of the drawing: each (x0, y0, x1, y1) in the network image's
        pixels (gray()), with the tooltip shown when the pointer rests on it."""
        scale = 1.0 / self.network_rows  # network pixels -> paper units
        self._boxes = [(QRectF(x0 * scale, y0 * scale, (x1 - x0) * scale, (y1 - y0) * scale),
                        tip) for (x0, y0, x1, y1), tip in boxes]
        self.update()

    def box_tooltip(self, pos: QPointF) -> str | None:
        """The tooltip of the outlined piece under `pos` (widget coordinates), if any."""
        x, y = self.to_paper(pos)
        for rect, tip in self._boxes:
            if rect.contains(QPointF(x, y)):
                return tip
        return None

    def set_brush_width(self, width: float) -> None:
        """Set the width of the next strokes, as a share of the sheet's height."""
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
        self.steps.append(PlacedImage(array_to_image(gray), border_level(gray)))
        self._render()

    def gray(self) -> np.ndarray:
        """Return the picture for the network: float32 (network_rows, network_rows * aspect)
        in [0, 1], ink 0, paper 1."""
        image = self._network_image
        h, stride = image.height(), image.bytesPerLine()
        rows = np.frombuffer(image.constBits(), np.uint8, stride * h).reshape(h, stride)
        return rows[:, : image.width()].astype(np.float32) * np.float32(1 / 255)

    def screen_image(self) -> QImage:
        """Return a copy of the picture as shown: Grayscale8, the sheet's device pixels."""
        return self._ensure_buffer().copy()

    def save(self, path: str) -> bool:
        """Write the picture, at screen resolution, to an image file; return success."""
        return self._ensure_buffer().save(path)

    # -- geometry ------------------------------------------------------------------------
    def paper_rect(self) -> QRectF:
        """Return the sheet, in widget coordinates: the largest centred rectangle of the
        sheet's aspect (a square for a digit), inside a 1 px frame."""
        height = max(1, min(self.height() - 2, int((self.width() - 2) / self._aspect)))
        width = max(1, round(height * self._aspect))
        # Whole logical pixels, so the buffer lands on the screen's pixel grid.
        return QRectF((self.width() - width) // 2, (self.height() - height) // 2, width,
                      height)

    def to_paper(self, pos: QPointF) -> tuple[float, float]:
        """Return widget coordinates in paper units (shares of the sheet's height)."""
        rect = self.paper_rect()
        return ((pos.x() - rect.x()) / rect.height(), (pos.y() - rect.y()) / rect.height())

    def _to_widget(self, x: float, y: float) -> QPointF:
        rect = self.paper_rect()
        return QPointF(rect.x() + x * rect.height(), rect.y() + y * rect.height())

    # -- pen input (mouse, tablet and touch all end here) --------------------------------
    def begin_stroke(self, pos: QPointF) -> None:
        self._drawing = Stroke(self._brush, [self.to_paper(pos)])
        self.steps.append(self._drawing)
        for painter in self._ink(self._drawing.width):
            dot(painter, self._drawing.points[0], self._drawing.width)  # a tap leaves a dot
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
        path, piece = newest_piece(stroke.points)
        for painter in self._ink(stroke.width):
            painter.drawPath(path)
        self._update_around(piece, stroke.width)
        self.changed.emit()

    def end_stroke(self) -> None:
        """Lift the pen: draw the last half-segment up to the final sample."""
        stroke, self._drawing = self._drawing, None
        if stroke is None or len(stroke.points) < 2:
            return
        last = stroke.points[-2:]
        for painter in self._ink(stroke.width):
            painter.drawLine(QPointF(*mid(*last)), QPointF(*last[1]))
        self._update_around(last, stroke.width)
        self.changed.emit()

    # -- rendering -------------------------------------------------------------------------
    def _ink(self, width: float) -> Iterator[QPainter]:
        """Yield a painter in paper units on each image the picture lives in, in turn."""
        for image in (self._ensure_buffer(), self._network_image):
            with PaperPainter(image, width) as painter:
                yield painter

    def _ensure_buffer(self) -> QImage:
        """Return the screen's image, re-rendered if the sheet's size in device pixels changed."""
        rect = self.paper_rect()
        width = max(1, round(rect.width() * self.devicePixelRatioF()))
        height = max(1, round(rect.height() * self.devicePixelRatioF()))
        if self._buffer is None or (self._buffer.width(), self._buffer.height()) != (width,
                                                                                    height):
            self._buffer = QImage(width, height, QImage.Format.Format_Grayscale8)
            render_steps(self._buffer, self.steps)
        return self._buffer

    def _render(self) -> None:
        """Draw the picture again from its steps; repaint; tell the listeners."""
        render_steps(self._ensure_buffer(), self.steps)
        render_steps(self._network_image, self.steps)
        self.update()
        self.changed.emit()

    def _update_around(self, points: list[tuple[float, float]], width: float) -> None:
        """Schedule a repaint of the part of the widget that `points` (+ the pen) touch."""
        pad = width * self.paper_rect().height() / 2 + 2
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        top_left = self._to_widget(min(xs), min(ys))
        bottom_right = self._to_widget(max(xs), max(ys))
        self.update(QRectF(top_left, bottom_right).adjusted(-pad, -pad, pad, pad).toAlignedRect())

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        buffer = self._ensure_buffer()
        rect = self.paper_rect()
        painter = QPainter(self)
        # The buffer has as many pixels as the sheet has device pixels: drawn into the sheet's
        # rectangle it lands 1:1. (Giving the buffer a devicePixelRatio instead would also
        # change the coordinates that painting *into* it uses.)
        painter.drawImage(rect, buffer)
        if self.palette().base().color().lightness() < 128:
            # Dark palette: show the sheet as a negative (light ink on black, like MNIST)
            # rather than a glaring white square. Only the display changes, not gray().
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Difference)
            painter.fillRect(rect, QColor(255, 255, 255))
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        if self.is_blank():
            # The empty state says what to do; it is painted over, never into, the picture.
            painter.setPen(QColor(150, 150, 150))
            font = painter.font()
            font.setPointSizeF(font.pointSizeF() * 1.4)
            painter.setFont(font)
            hint = EMPTY_HINT if self._aspect == 1.0 else EMPTY_NUMBER_HINT
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, hint)
        if self._boxes:
            # The pieces of a number: thin blue outlines, drawn over the picture.
            painter.setPen(QPen(QColor(40, 110, 220), 1.5))
            for box, _ in self._boxes:
                top_left = self._to_widget(box.left(), box.top())
                bottom_right = self._to_widget(box.right(), box.bottom())
                painter.drawRect(QRectF(top_left, bottom_right).adjusted(-3, -3, 3, 3))
        palette = self.palette()
        frame = palette.highlight().color() if self.hasFocus() else palette.mid().color()
        painter.setPen(QPen(frame, 1))
        painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        if self._hover is not None and self._drawing is None:
            # The brush's outline under the pointer, grey on the white sheet.
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor(128, 128, 128), 1))
            radius = self._brush * rect.height() / 2
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
        self._move_hover(event.position())  # hidden while drawing, but kept where the pen is

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
        if kind == QEvent.Type.ToolTip and self._boxes:
            # Resting on a piece of a number: that digit's probabilities.
            tip = self.box_tooltip(event.position() if hasattr(event, "position")
                                   else QPointF(event.pos()))
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
                return True
            QToolTip.hideText()
        return super().event(event)

    def _move_hover(self, pos: QPointF | None) -> None:
        radius = self._brush * self.paper_rect().height() / 2 + 2
        for point in (self._hover, pos):
            if point is not None:
                self.update(QRectF(point.x() - radius, point.y() - radius, 2 * radius,
                                   2 * radius).toAlignedRect())
        self._hover = pos
