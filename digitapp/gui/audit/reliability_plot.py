"""The reliability diagram: how often the model is right at each confidence it gives.

One bar per confidence bin (15 over 0-100%): its height is the accuracy of the test digits
whose top-class probability fell in that bin. A calibrated model's bars reach the dashed
diagonal. The bins' counts are very uneven (nearly all MNIST test digits are in the top
bin), so a bar's count is in its tooltip and the faint bars at the foot of each bin show
how full it is, hanging below the axis on a log scale (1 image .. all of them).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QToolTip, QWidget

from digitapp.app.trust import TrustFigures
from digitapp.gui.audit.trust_plot import TrustPlot

FOOT = 0.15  # height of the count bars' band below the axis (a full bin)


class ReliabilityPlot(TrustPlot):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("reliabilityPlot", "Reliability diagram: accuracy per confidence bin",
                         percent_x=True, parent=parent)
        self.set_axis_labels("confidence in the top class", "accuracy")
        self.set_title("Reliability")
        plot = self.getPlotItem()
        plot.setXRange(0, 1, padding=0.01)
        plot.setYRange(-FOOT, 1, padding=0.02)
        plot.getAxis("left").setTicks([[(v / 5, f"{v * 20}%") for v in range(6)]])
        self.figures: TrustFigures | None = None
        self.tooltips: list[str] = []  # one per bin
        self.setToolTip("Hover a bar: its bin's confidences, image count and accuracy")

    @property
    def counts(self) -> np.ndarray:
        """(bins,) int64: how many test images each bar stands for (empty without figures)."""
        return self.figures.reliability["count"] if self.figures else np.zeros(0, np.int64)

    def set_figures(self, figures: TrustFigures | None) -> None:
        self.figures = figures
        self.tooltips = [] if figures is None else _tooltips(figures.reliability)
        self.set_title("Reliability" if figures is None else
                       f"Reliability: ECE {figures.ece:.2%}, MCE {figures.mce:.1%}")
        self.redraw()

    def redraw(self) -> None:
        if not hasattr(self, "figures"):
            return  # the palette applied while the base class was being built
        plot = self.getPlotItem()
        plot.clear()
        perfect = pg.PlotDataItem([0, 1], [0, 1], pen=pg.mkPen(self.text_colour(0.6), width=1,
                                                                style=Qt.PenStyle.DashLine))
        plot.addItem(perfect)
        if self.figures is None:
            return
        table = self.figures.reliability
        centres = (table["lower"] + table["upper"]) / 2  # (bins,)
        width = float(table["upper"][0] - table["lower"][0])
        accuracy = np.nan_to_num(table["accuracy"], nan=0.0)  # an empty bin: no bar
        # log10(count + 1) over log10(N + 1): one image is visible, a full bin is FOOT high.
        fill = np.log10(table["count"] + 1.0) / math.log10(self.figures.count + 1.0) * FOOT
        plot.addItem(pg.BarGraphItem(x=centres, height=accuracy, width=width * 0.85,
                                     brush=self.highlight(0.75), pen=pg.mkPen(None)))
        plot.addItem(pg.BarGraphItem(x=centres, y0=-FOOT, height=fill, width=width * 0.6,
                                     brush=self.text_colour(0.4), pen=pg.mkPen(None)))

    def bin_at(self, x: float) -> int | None:
        """Return the bin under the data coordinate x, or None outside [0, 1]."""
        if not self.tooltips or not 0.0 <= x <= 1.0:
            return None
        return min(int(x * len(self.tooltips)), len(self.tooltips) - 1)

    def viewportEvent(self, event: QEvent) -> bool:  # Qt override: a tooltip per bar
        if event.type() == QEvent.Type.ToolTip and self.tooltips:
            point = self.getPlotItem().vb.mapSceneToView(self.mapToScene(event.pos()))
            index = self.bin_at(point.x())
            if index is not None:
                QToolTip.showText(event.globalPos(), self.tooltips[index], self)
                return True
        return super().viewportEvent(event)


def _tooltips(table: dict) -> list[str]:
    """Return one line per bin: "90-97%: 48 images, 87.5% right (mean confidence 93.6%)"."""
    lines = []
    for lower, upper, count, accuracy, confidence in zip(
            table["lower"], table["upper"], table["count"], table["accuracy"],
            table["mean_confidence"], strict=True):
        where = f"confidence {lower:.0%}-{upper:.0%}"
        lines.append(f"{where}: no test image" if count == 0 else
                     f"{where}: {count:,} test image{'s' if count > 1 else ''}, "
                     f"{accuracy:.1%} right (mean confidence {confidence:.1%})")
    return lines
