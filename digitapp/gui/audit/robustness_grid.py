"""Robustness curves, one small plot per perturbation family (2 columns x 3 rows).

In each: the accuracy of the active model as the perturbation grows (solid), the model
compared with, if any, in orange, and the share of the perturbed test digits the
not-a-digit check declines (grey, dashed). The check reads the image alone, whatever the
model, so the declined share is the same for both: drawn once, from the active model's run.
A faint vertical line marks the level that changes nothing (0 for most families; stroke
step 0 and scale 1 sit in the middle).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QWidget

from digitapp.app.perturbations import FAMILIES
from digitapp.app.robustness import Curve, Robustness
from digitapp.gui.audit.trust_plot import COMPARE_COLOUR, TrustPlot

COLUMNS = 2
# Short x-axis labels for small plots; the family's full unit is the plot's tooltip.
SHORT_UNITS = {
    "noise": "noise, std. dev. (pixel 0-1)",
    "blur": "blur, sigma (px)",
    "rotation": "rotation (degrees)",
    "shift": "shift (px)",
    "thickness": "stroke, 3x3 steps (- thinner)",
    "scale": "scale (x, 1 = unchanged)",
}


class RobustnessPlot(TrustPlot):
    """One family's curves: accuracy and share declined (0-100%) against its level."""

    def __init__(self, family, parent: QWidget | None = None) -> None:
        super().__init__(f"robustness_{family.name}", f"Accuracy as {family.name} grows",
                         parent=parent)
        self.family = family
        self.curves: tuple[Curve | None, Curve | None] = (None, None)  # (active, compared)
        self.set_axis_labels(SHORT_UNITS.get(family.name, family.name), "")
        self.set_title(family.name)
        self.setToolTip(f"{family.name}: {family.unit}")
        self.setMinimumSize(180, 120)
        plot = self.getPlotItem()
        plot.getAxis("left").setWidth(40)
        plot.setXRange(min(family.levels), max(family.levels), padding=0.04)
        plot.setYRange(0, 1, padding=0.03)
        plot.getAxis("left").setTicks([[(v, f"{v:.0%}") for v in (0, 0.5, 1)],
                                       [(v, "") for v in (0.25, 0.75)]])
        self.redraw()

    def set_curves(self, active: Curve | None, compared: Curve | None = None) -> None:
        self.curves = (active, compared)
        self.redraw()

    def redraw(self) -> None:
        if not hasattr(self, "curves"):
            return  # the palette applied while the base class was being built
        plot = self.getPlotItem()
        plot.clear()
        plot.addItem(pg.InfiniteLine(self.family.none, angle=90,
                                     pen=pg.mkPen(self.text_colour(0.25), width=1)))
        for curve, colour in zip(self.curves, (self.highlight(), pg.mkColor(COMPARE_COLOUR)),
                                 strict=True):
            if curve is None:
                continue
            plot.addItem(pg.PlotDataItem(curve.levels, curve.accuracy, symbol="o",
                                         symbolSize=4, symbolBrush=colour, symbolPen=None,
                                         pen=pg.mkPen(colour, width=2)))
        active = self.curves[0]
        if active is not None and active.declined is not None:
            plot.addItem(pg.PlotDataItem(active.levels, active.declined, pen=pg.mkPen(
                self.text_colour(0.6), width=1.5, style=Qt.PenStyle.DashLine)))


class RobustnessGrid(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("robustnessGrid")
        self.plots = {family.name: RobustnessPlot(family) for family in FAMILIES}
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for i, plot in enumerate(self.plots.values()):
            layout.addWidget(plot, i // COLUMNS, i % COLUMNS)

    def set_robustness(self, active: Robustness | None,
                       compared: Robustness | None = None) -> None:
        """Show the curves of the active model and, if given, of the one compared with."""
        for name, plot in self.plots.items():
            plot.set_curves(active.curves.get(name) if active else None,
                            compared.curves.get(name) if compared else None)
