"""The coverage-accuracy curve: answer fewer test digits, be right more often.

x: the share of test digits answered when the model answers only above a confidence; y:
how many of those it gets right. The curve ends at coverage 100% with the plain accuracy.
Two points are marked: the app's own rule (it answers what the not-a-digit check lets
through) and "sure" (confidence >= verdict.SURE, the Draw tab's "98% sure" rather than
"not sure: 4 or 9?"). A good model is flat until late, so the x axis starts a little
left of the points marked (at 90% for the shipped models), where the curve bends.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from digitapp.app.trust import OperatingPoint, TrustFigures
from digitapp.app.verdict import SURE
from digitapp.gui.audit.trust_plot import COMPARE_COLOUR, TrustPlot

SYMBOLS = {"app": "o", "sure": "d"}  # pyqtgraph symbols: circle, diamond
NAMES = {"app": "the app (not declined)", "sure": f"sure (\u2265 {SURE:.0%})"}


def x_start(figures: TrustFigures) -> float:
    """Return where the x axis starts: 5 points left of the leftmost marked point (at most
    95%), rounded down to 5%."""
    points = [p.coverage for p in (figures.app, figures.sure) if p is not None]
    return max(0.0, math.floor((min(points + [0.95]) - 0.05) * 20) / 20)


class CoveragePlot(TrustPlot):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("coveragePlot", "Coverage-accuracy curve", percent_x=True,
                         parent=parent)
        self.set_axis_labels("share of test digits answered", "accuracy when answering")
        self.set_title("Coverage and accuracy")
        self.figures: TrustFigures | None = None
        self.setToolTip("Answering only when the model is surer makes it right more often: "
                        "each point is a confidence threshold")

    def set_figures(self, figures: TrustFigures | None) -> None:
        self.figures = figures
        self.redraw()

    def point_text(self, point: OperatingPoint) -> str:
        """Return "sure (>= 80%): answers 99.52%, 99.84% right"."""
        return (f"{NAMES[point.name]}: answers {point.coverage:.2%}, "
                f"{point.accuracy:.2%} right")

    def redraw(self) -> None:
        if not hasattr(self, "figures"):
            return  # the palette applied while the base class was being built
        plot = self.getPlotItem()
        plot.clear()
        if self.figures is None:
            return
        curve = self.figures.coverage
        plot.addItem(pg.PlotDataItem(curve.coverage, curve.accuracy,
                                     pen=pg.mkPen(self.highlight(), width=2)))
        points = [p for p in (self.figures.app, self.figures.sure) if p is not None]
        for point, anchor in zip(points, ((1.05, 1.2), (1.05, -0.2)), strict=False):
            colour = self.text_colour() if point.name == "app" else pg.mkColor(COMPARE_COLOUR)
            plot.addItem(pg.ScatterPlotItem([point.coverage], [point.accuracy], size=10,
                                            symbol=SYMBOLS[point.name], brush=colour,
                                            pen=pg.mkPen(self.palette().base().color())))
            label = pg.TextItem(NAMES[point.name].split(" (")[0], color=colour,
                                anchor=anchor)
            label.setPos(point.coverage, point.accuracy)
            plot.addItem(label)
        # The view: from x_start to 100%; y from a little under the lowest accuracy shown.
        left = x_start(self.figures)
        shown = curve.accuracy[curve.coverage >= left]
        low = min([float(shown.min())] + [p.accuracy for p in points if p.accuracy == p.accuracy])
        span = max(1.0 - low, 0.002)
        plot.setXRange(left, 1.0, padding=0.02)
        plot.setYRange(max(0.0, low - 0.15 * span), 1.0 + 0.08 * span, padding=0)
        self.points = np.array([[p.coverage, p.accuracy] for p in points])  # for tests
