"""A bar chart of the ten class probabilities, the winner in the palette's highlight colour.

Clicking a bar's column (anywhere from the axis to the top, so a short bar is as easy to
hit as a tall one) emits `digit_clicked(digit)` while the chart is clickable: the Draw tab
keeps the drawing as that digit.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPalette
from PySide6.QtWidgets import QWidget

from digitapp.app.verdict import percent

CLASSES = 10
CLICK_TIP = ("Click a bar to teach digitapp your handwriting: keep this drawing as that "
             "digit (or press its key, 0-9)")


class ProbabilityChart(pg.PlotWidget):
    """Bars 0..9 on a fixed 0..1 scale; not zoomed or panned (it is read, not explored)."""

    digit_clicked = Signal(int)  # a bar's column was clicked while clickable

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("probabilityChart")
        self.setAccessibleName("Probability of each digit")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(150)

        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        plot.setXRange(-0.6, CLASSES - 0.4, padding=0)
        plot.setYRange(0, 1, padding=0.02)
        plot.getAxis("bottom").setTicks([[(d, str(d)) for d in range(CLASSES)]])
        plot.getAxis("left").setTicks([[(v, f"{v:.0%}") for v in (0, 0.5, 1)]])
        plot.getAxis("left").setWidth(40)

        self.probabilities = np.zeros(CLASSES, dtype=np.float32)
        self.winner: int | None = None
        self.clickable = False
        self._pressed: int | None = None  # the column under the left button's press
        self.bars = pg.BarGraphItem(x=np.arange(CLASSES), height=self.probabilities, width=0.7)
        plot.addItem(self.bars)
        self._apply_palette()

    def show_probabilities(self, probabilities: np.ndarray | None, greyed: bool = False) -> None:
        """Show probabilities (10,), or empty bars for None (no digit, no model).

        greyed: every bar in the same faint colour, no winner (the drawing was declined as
        not a digit: the model's probabilities are shown, but it names no digit).

        Anything but 10 finite values also shows empty bars: bars of NaN height or beyond
        the ten the axis has (a 20-class model) crashed Qt's painting.
        """
        if probabilities is not None:
            probabilities = np.asarray(probabilities, dtype=np.float32)
            if probabilities.shape != (CLASSES,) or not np.isfinite(probabilities).all():
                probabilities = None
        if probabilities is None:
            self.probabilities = np.zeros(CLASSES, dtype=np.float32)
            self.winner = None
        else:
            self.probabilities = probabilities
            self.winner = None if greyed else int(self.probabilities.argmax())
        self.bars.setOpts(height=self.probabilities, brushes=self._brushes())
        described = ", ".join(f"{d}: {percent(float(p))}" for d, p in enumerate(self.probabilities))
        self.setAccessibleDescription(
            "no prediction" if probabilities is None
            else f"not a digit; the model's probabilities: {described}" if greyed
            else described
        )

    def set_clickable(self, clickable: bool) -> None:
        """Let clicks on the bars emit digit_clicked (a pointing hand, a tooltip), or not."""
        self.clickable = clickable
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if clickable
                                  else Qt.CursorShape.ArrowCursor)
        self.setToolTip(CLICK_TIP if clickable else "")

    def digit_at(self, pos: QPoint | QPointF) -> int | None:
        """Return the digit whose column holds `pos` (viewport coordinates), or None."""
        x = self.getPlotItem().vb.mapSceneToView(self.mapToScene(QPointF(pos).toPoint())).x()
        digit = round(x)
        return digit if 0 <= digit < CLASSES and abs(x - digit) <= 0.5 else None

    def bar_position(self, digit: int) -> QPoint:
        """Return where the middle of `digit`'s column is, in viewport coordinates."""
        scene = self.getPlotItem().vb.mapViewToScene(QPointF(digit, 0.5))
        return self.mapFromScene(scene)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # Qt override
        left = event.button() == Qt.MouseButton.LeftButton
        self._pressed = self.digit_at(event.position()) if left and self.clickable else None
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # Qt override
        pressed, self._pressed = self._pressed, None
        super().mouseReleaseEvent(event)
        if (pressed is not None and self.clickable and event.button() == Qt.MouseButton.LeftButton
                and self.digit_at(event.position()) == pressed):
            self.digit_clicked.emit(pressed)

    def _brushes(self) -> list[QColor]:
        palette = self.palette()
        other = QColor(palette.color(QPalette.ColorRole.Text))
        other.setAlphaF(0.35)
        winner = palette.color(QPalette.ColorRole.Highlight)
        return [winner if d == self.winner else other for d in range(CLASSES)]

    def _apply_palette(self) -> None:
        """Colour the background, axes and bars from the widget's palette (light or dark)."""
        palette = self.palette()
        self.setBackground(palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.Text)
        for name in ("left", "bottom"):
            axis = self.getPlotItem().getAxis(name)
            axis.setPen(pg.mkPen(text))
            axis.setTextPen(pg.mkPen(text))
        self.bars.setOpts(pen=pg.mkPen(None), brushes=self._brushes())

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        # Also called while pyqtgraph builds the view, before the bars exist.
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "bars"):
            self._apply_palette()
        super().changeEvent(event)
