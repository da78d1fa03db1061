"""What the Trust tab's plots share: read-only pyqtgraph plots coloured from the palette.

A plot here is read, not explored: no mouse panning or zooming (a lost plot has no way
back), no context menu. Axes that show shares print them as percentages. Colours follow the
widget's palette (light or dark), as probability_chart.py does, and every plot redraws
itself when the palette changes.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QWidget

COMPARE_COLOUR = "#e07b39"  # the model compared with: an orange readable on light and dark


class PercentAxis(pg.AxisItem):
    """An axis whose values are shares (0..1), labelled as percentages: 0.995 -> "99.5%"."""

    def tickStrings(self, values, scale, spacing):  # pyqtgraph override
        step = abs(spacing * scale) * 100  # percentage points between two ticks
        decimals = 0 if step >= 1 else 1 if step >= 0.1 else 2
        return [f"{v * scale * 100:.{decimals}f}%" for v in values]


class TrustPlot(pg.PlotWidget):
    """A small plot with labelled axes; subclasses draw their items in `redraw`."""

    def __init__(self, name: str, description: str, percent_x: bool = False,
                 parent: QWidget | None = None) -> None:
        axes = {"left": PercentAxis("left")}
        if percent_x:
            axes["bottom"] = PercentAxis("bottom")
        super().__init__(parent, axisItems=axes)
        self.setObjectName(name)
        self.setAccessibleName(description)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing to do with keys here
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 1.0, 7.0))
        for side in ("left", "bottom"):
            plot.getAxis(side).setTickFont(font)
        for side in ("left", "bottom"):
            plot.getAxis(side).enableAutoSIPrefix(False)  # no "(x0.001)" beside a unit
        self._title = ""
        self._labels = ("", "")
        self._apply_palette()

    # -- colours -------------------------------------------------------------------------
    def text_colour(self, alpha: float = 1.0) -> QColor:
        colour = QColor(self.palette().color(QPalette.ColorRole.Text))
        colour.setAlphaF(alpha)
        return colour

    def highlight(self, alpha: float = 1.0) -> QColor:
        colour = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        colour.setAlphaF(alpha)
        return colour

    # -- texts ---------------------------------------------------------------------------
    def set_title(self, text: str) -> None:
        self._title = text
        self.getPlotItem().setTitle(text, color=self.text_colour(), size="9pt")

    def set_axis_labels(self, bottom: str, left: str) -> None:
        self._labels = (bottom, left)
        colour = self.text_colour().name()
        plot = self.getPlotItem()
        plot.setLabel("bottom", bottom, color=colour, size="8pt")
        plot.setLabel("left", left, color=colour, size="8pt")

    # -- drawing -------------------------------------------------------------------------
    def redraw(self) -> None:
        """Draw the plot's data again (after new data or a palette change)."""

    def _apply_palette(self) -> None:
        self.setBackground(self.palette().color(QPalette.ColorRole.Base))
        pen = pg.mkPen(self.text_colour())
        for side in ("left", "bottom"):
            axis = self.getPlotItem().getAxis(side)
            axis.setPen(pen)
            axis.setTextPen(pen)
        if self._title:
            self.set_title(self._title)
        if any(self._labels):
            self.set_axis_labels(*self._labels)
        self.redraw()

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        # Also called while pyqtgraph builds the view, before our attributes exist.
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_labels"):
            self._apply_palette()
        super().changeEvent(event)
