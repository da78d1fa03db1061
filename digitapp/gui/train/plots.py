"""Live training plots: batch loss (raw and smoothed), loss and accuracy per epoch, the
learning rate. The same four plots replay a stored run or overlay two for comparison.

The x axis is in epochs everywhere (batch b of epoch e at e + (b + 1) / batches per epoch),
so runs on different training-set sizes line up. Points are kept in NumPy arrays and handed
to `setData` whole; the worker already throttles how often that happens.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

from digitapp.app.curves import bounds_125, ema, epoch_axis, grown_span, smoothing_weight
from digitapp.store.runs import RunRecord

# One colour per run on screen (live or the first compared run, then the second).
RUN_COLOURS = ("#1f77b4", "#e8710a")
RAW_ALPHA = 70  # the raw batch loss is drawn faint under its smoothed curve


class _Growing:
    """A float array that grows by chunks with amortised O(1) appends."""

    def __init__(self) -> None:
        self._data = np.zeros(1024, np.float64)
        self.size = 0

    def extend(self, values: np.ndarray) -> None:
        need = self.size + len(values)
        if need > len(self._data):
            grown = np.zeros(max(need, 2 * len(self._data)), np.float64)
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size : need] = values
        self.size = need

    def view(self) -> np.ndarray:
        return self._data[: self.size]


class _LogAxis(pg.AxisItem):
    """A log-scale axis ticked at 1, 2 and 5 times powers of ten (only at powers of ten
    beyond three decades): pyqtgraph's own labels every 0.1 below 1, an unreadable stack."""

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802, N803 (pyqtgraph)
        # minVal, maxVal are log10 of the range's ends.
        steps = (1, 2, 5) if maxVal - minVal <= 3 else (1,)
        values = [np.log10(step) + power
                  for power in range(int(np.floor(minVal)), int(np.ceil(maxVal)) + 1)
                  for step in steps]
        return [(None, [v for v in values if minVal <= v <= maxVal])]


class _RunCurves:
    """The curves of one run across the four plots, in one colour."""

    def __init__(self, plots: TrainingPlots, colour: str, name: str, raw: bool) -> None:
        def label(what: str) -> str:  # legend text: "#3 train", or just "train" live
            return f"{name} {what}".strip()

        solid = pg.mkPen(colour, width=2)
        dashed = pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine)
        faint = pg.mkColor(colour)
        faint.setAlpha(RAW_ALPHA)
        self.raw = plots.batch_loss.plot(pen=pg.mkPen(faint, width=1),
                                         name=label("batch") if raw else None)
        self.smooth = plots.batch_loss.plot(pen=solid, name=label("smoothed"))
        for item in (self.raw, self.smooth):
            item.setDownsampling(auto=True, method="peak")
            item.setClipToView(True)
        symbol = {"symbol": "o", "symbolSize": 5, "symbolBrush": colour, "symbolPen": None}
        self.train_loss = plots.epoch_loss.plot(pen=dashed, name=label("train"), **symbol)
        self.val_loss = plots.epoch_loss.plot(pen=solid, name=label("validation"), **symbol)
        self.train_acc = plots.accuracy.plot(pen=dashed, name=label("train"), **symbol)
        self.val_acc = plots.accuracy.plot(pen=solid, name=label("validation"), **symbol)
        self.lr = plots.lr.plot(pen=solid, name=name or None)
        self.lr.setDownsampling(auto=True, method="peak")

    def set_batches(self, x: np.ndarray, losses: np.ndarray, smooth: np.ndarray,
                    lrs: np.ndarray) -> None:
        self.raw.setData(x, losses, connect="finite")
        self.smooth.setData(x, smooth, connect="finite")
        self.lr.setData(x, lrs, connect="finite")

    def set_epochs(self, history: list[dict]) -> None:
        x = np.array([h["epoch"] + 1 for h in history], np.float64)
        get = lambda key: np.array([h[key] for h in history], np.float64)  # noqa: E731
        self.train_loss.setData(x, get("train_loss"), connect="finite")
        self.val_loss.setData(x, get("val_loss"), connect="finite")
        self.train_acc.setData(x, 100 * get("train_accuracy"), connect="finite")
        self.val_acc.setData(x, 100 * get("val_accuracy"), connect="finite")


class TrainingPlots(pg.GraphicsLayoutWidget):
    """Four plots in a 2 x 2 grid; `start_live` then `add_batches` / `add_epoch` as a run
    trains, or `show_runs` for stored runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingPlots")
        self.setMinimumSize(360, 260)
        self.setBackground(self.palette().color(QPalette.ColorRole.Base))
        # Legends go where the curves are not: top right of falling losses, bottom right
        # of rising accuracy.
        self.batch_loss = self._add_plot(0, 0, "Batch loss (log scale)", (-8, 8),
                                         _LogAxis("left"))
        self.batch_loss.setLogMode(y=True)
        self.epoch_loss = self._add_plot(0, 1, "Loss per epoch", (-8, 8))
        self.accuracy = self._add_plot(1, 0, "Accuracy per epoch (%)", (-8, -8))
        self.lr = self._add_plot(1, 1, "Learning rate", (-8, 8))
        self._lr_top = 0.0
        self.curves: list[_RunCurves] = []  # what is on screen: one run, or two compared
        self.live = True  # the live run is on screen (not stored runs)
        self.start_live()

    def _add_plot(self, row: int, col: int, title: str, legend_at: tuple,
                  left_axis: pg.AxisItem | None = None) -> pg.PlotItem:
        text = self.palette().color(QPalette.ColorRole.Text)
        axes = {"left": left_axis} if left_axis is not None else None
        plot = self.addPlot(row=row, col=col, axisItems=axes)
        plot.setTitle(title, color=text, size="10pt")
        plot.setLabel("bottom", "epoch", color=text)
        # No grid: pyqtgraph redraws every grid line whenever a range grows (every update
        # while training), which doubled the GUI thread's painting time (measured).
        plot.setMenuEnabled(False)
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(text)
            axis.setTextPen(text)
        plot.addLegend(offset=legend_at, labelTextColor=text, labelTextSize="8pt")
        return plot

    # -- live ------------------------------------------------------------------------------
    def start_live(self) -> None:
        """Forget the live run and get ready for a new run's stream (shown at once)."""
        self._losses, self._smooth, self._lrs = _Growing(), _Growing(), _Growing()
        self._history: list[dict] = []
        self._batches_per_epoch = 1
        self.show_live()

    def show_live(self) -> None:
        """Show the live run (again, after stored runs were shown)."""
        self._clear()
        self.curves = [_RunCurves(self, RUN_COLOURS[0], "", raw=True)]
        self.live = True
        self._draw_live_batches()
        self.curves[0].set_epochs(self._history)

    def add_batches(self, first: int, losses: np.ndarray, lrs: np.ndarray,
                    batches_per_epoch: int) -> None:
        """Append the losses (n,) and learning rates (n,) of batches first .. first+n-1;
        they are drawn if the live run is on screen, kept for later if not."""
        if first != self._losses.size:  # a gap would misplace every later point
            return
        start = self._smooth.view()[-1] if self._smooth.size else None
        weight = smoothing_weight(batches_per_epoch)
        self._smooth.extend(ema(losses, weight, start=start, count=self._losses.size))
        self._losses.extend(losses)
        self._lrs.extend(lrs)
        self._batches_per_epoch = batches_per_epoch
        if self.live:
            self._draw_live_batches()

    def add_epoch(self, entry: dict) -> None:
        """Add one epoch's point (a dict with epoch, train/val loss and accuracy)."""
        self._history.append(entry)
        if self.live:
            self.curves[0].set_epochs(self._history)

    def _draw_live_batches(self) -> None:
        if not self._losses.size:
            return
        x = epoch_axis(self._losses.size, self._batches_per_epoch)
        self.curves[0].set_batches(x, self._losses.view(), self._smooth.view(),
                                   self._lrs.view())
        self._fit_live_ranges(float(x[-1]))

    def _fit_live_ranges(self, x_end: float) -> None:
        """Set the batch plots' ranges by steps (x doubles, the loss moves in 1-2-5 steps),
        not at every update: an axis is redrawn only when its range changes, and those
        redraws were most of the GUI thread's work while training (measured)."""
        span = grown_span(self._x_span, x_end)
        if span != self._x_span:
            self._x_span = span
            for plot in (self.batch_loss, self.lr):
                plot.setXRange(0.0, span, padding=0.02)
        losses = self._losses.view()
        usable = losses[np.isfinite(losses) & (losses > 0)]
        if len(usable):
            bounds = bounds_125(float(usable.min()), float(usable.max()))
            if bounds != self._loss_bounds:
                self._loss_bounds = bounds
                self.batch_loss.setYRange(np.log10(bounds[0]), np.log10(bounds[1]),
                                          padding=0.02)
        self._fit_lr(self._lrs.view())

    def batch_count(self) -> int:
        """Return how many batch-loss points the live run has."""
        return self._losses.size

    # -- stored runs -----------------------------------------------------------------------
    def show_runs(self, runs: list[RunRecord]) -> None:
        """Show the curves of one stored run, or overlay two (smoothed loss only)."""
        self._clear()
        self.live = False
        self.curves = []
        for colour, run in zip(RUN_COLOURS, runs, strict=False):
            name = f"#{run.id}" if len(runs) > 1 else ""
            curves = _RunCurves(self, colour, name, raw=len(runs) == 1)
            losses = run.batch_loss.astype(np.float64)
            x = epoch_axis(len(losses), run.batches_per_epoch)
            raw = losses if len(runs) == 1 else np.full_like(losses, np.nan)
            smooth = ema(losses, smoothing_weight(run.batches_per_epoch))
            curves.set_batches(x, raw, smooth, run.batch_lr)
            curves.set_epochs(run.history)
            self._fit_lr(run.batch_lr)
            self.curves.append(curves)

    def _fit_lr(self, lrs: np.ndarray) -> None:
        """Show learning rates from 0 to just above the highest so far (autoscaling would
        centre a constant rate in a range around it and label the axis 0)."""
        finite = lrs[np.isfinite(lrs)]
        if len(finite) and float(finite.max()) > self._lr_top:
            self._lr_top = float(finite.max())
            self.lr.setYRange(0.0, 1.1 * self._lr_top, padding=0)

    def _clear(self) -> None:
        self._lr_top = 0.0
        self._x_span = 0.25  # epochs: the live x range's first width
        self._loss_bounds: tuple[float, float] | None = None
        for plot in (self.batch_loss, self.epoch_loss, self.accuracy, self.lr):
            plot.clear()  # also empties its legend
            plot.enableAutoRange()  # live batch plots set theirs by steps instead
