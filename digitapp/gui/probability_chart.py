"""A bar chart of the ten class probabilities, the winner in the palette's highlight colour."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from digitapp.app.verdict import percent

CLASSES = 10


class ProbabilityChart(pg.PlotWidget):
    """Bars 0..9 on a fixed 0..1 scale; not interactive (it is read, not explored)."""

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
