"""Live training plots: batch loss (raw and smoothed), loss and accuracy per epoch, the
learning rate. The same four plots replay a stored run or overlay two for comparison.

The x axis is in epochs everywhere (batch b of epoch e at e + (b + 1) / batches per epoch),
so runs on different training-set sizes line up; it is ticked at whole epochs only, never
scaled ("x0.001"). Per-epoch curves show whole epochs only: a run stopped inside an epoch
evaluates that part too, but it is not an epoch's point. Points are kept in NumPy arrays
and handed to `setData` whole; the worker already throttles how often that happens.

The plots do not pan or zoom: a drag could lose the curves with no way back, and the
ranges follow the data by themselves (see PLOTS_TIP). The legend is one line above the
four plots, never over the curves.
"""

from __future__ import annotations

import html

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
EPOCH_TICK_PIXELS = 40  # at least this far apart: 0 1 2 ... or 0 5 10 ... on a long run
PLOTS_TIP = ("The plots follow the run by themselves (they do not pan or zoom). "
             "Per-epoch points are whole epochs only.")


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


class _EpochAxis(pg.AxisItem):
    """An x axis in whole epochs: ticks at integers only (1, 2 or 5 times a power of ten
    apart, at least EPOCH_TICK_PIXELS apart), never an SI scale such as "x0.001". A part of
    an epoch is a position between ticks, never a label."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self.enableAutoSIPrefix(False)

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 (pyqtgraph)
        return [(None, whole_epoch_ticks(minVal, maxVal, size))]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph)
        return [str(round(v)) for v in values]


def whole_epoch_ticks(low: float, high: float, pixels: float) -> list[float]:
    """Return the integer epochs to tick between `low` and `high` on an axis `pixels` long."""
    if not (np.isfinite(low) and np.isfinite(high)) or high <= low:
        return []
    most = max(1, int(pixels // EPOCH_TICK_PIXELS))
    step = 1
    while (high - low) / step > most:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2  # 1, 2, 5, 10, 20, 50...
    first = int(np.ceil(low / step)) * step
    return [float(v) for v in range(first, int(np.floor(high)) + 1, step)]


def whole_epochs(history: list[dict], batches: int, batches_per_epoch: int) -> list[dict]:
    """Return the entries of `history` whose epoch had all its batches among the first
    `batches` (a stopped run's last entry may cover only part of an epoch)."""
    return [h for h in history if (h["epoch"] + 1) * max(batches_per_epoch, 1) <= batches]


class _RunCurves:
    """The curves of one run across the four plots, in one colour."""

    def __init__(self, plots: TrainingPlots, colour: str, raw: bool) -> None:
        solid = pg.mkPen(colour, width=2)
        dashed = pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine)
        faint = pg.mkColor(colour)
        faint.setAlpha(RAW_ALPHA)
        self.raw = plots.batch_loss.plot(pen=pg.mkPen(faint, width=1) if raw else None)
        self.smooth = plots.batch_loss.plot(pen=solid)
        for item in (self.raw, self.smooth):
            item.setDownsampling(auto=True, method="peak")
            item.setClipToView(True)
        symbol = {"symbol": "o", "symbolSize": 5, "symbolBrush": colour, "symbolPen": None}
        self.train_loss = plots.epoch_loss.plot(pen=dashed, **symbol)
        self.val_loss = plots.epoch_loss.plot(pen=solid, **symbol)
        self.train_acc = plots.accuracy.plot(pen=dashed, **symbol)
        self.val_acc = plots.accuracy.plot(pen=solid, **symbol)
        self.lr = plots.lr.plot(pen=solid)
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


def _sample(colour: str, glyph: str) -> str:
    """Return a legend's line sample: `glyph` in `colour`, as rich text."""
    return f'<span style="color: {colour}">{glyph}</span>'


class TrainingPlots(pg.GraphicsLayoutWidget):
    """Four plots in a 2 x 2 grid; `start_live` then `add_batches` / `add_epoch` as a run
    trains, or `show_runs` for stored runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingPlots")
        self.setMinimumSize(360, 260)
        self.setBackground(self.palette().color(QPalette.ColorRole.Base))
        self.setToolTip(PLOTS_TIP)
        # The legend: one line above the plots (row 0), where it covers no curve.
        self.legend = self.addLabel("", row=0, col=0, colspan=2, size="8pt",
                                    color=self.palette().color(QPalette.ColorRole.Text))
        self.batch_loss = self._add_plot(1, 0, "Batch loss (log scale)", _LogAxis("left"))
        self.batch_loss.setLogMode(y=True)
        self.epoch_loss = self._add_plot(1, 1, "Loss per epoch")
        self.accuracy = self._add_plot(2, 0, "Accuracy per epoch (%)")
        self.lr = self._add_plot(2, 1, "Learning rate")
        self._lr_top = 0.0
        self.curves: list[_RunCurves] = []  # what is on screen: one run, or two compared
        self.live = True  # the live run is on screen (not stored runs)
        self.start_live()

    def _add_plot(self, row: int, col: int, title: str,
                  left_axis: pg.AxisItem | None = None) -> pg.PlotItem:
        text = self.palette().color(QPalette.ColorRole.Text)
        axes = {"bottom": _EpochAxis(), "left": left_axis or pg.AxisItem("left")}
        plot = self.addPlot(row=row, col=col, axisItems=axes)
        plot.setTitle(title, color=text, size="10pt")
        plot.setLabel("bottom", "epoch", color=text)
        # No grid: pyqtgraph redraws every grid line whenever a range grows (every update
        # while training), which doubled the GUI thread's painting time (measured).
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)  # no drag or wheel moves the curves away
        plot.hideButtons()  # the "A" (auto-range) button: the ranges are always automatic
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(text)
            axis.setTextPen(text)
            axis.enableAutoSIPrefix(False)  # "(x0.001)" in a label reads as a unit
        return plot

    def _set_legend(self, compared: list[str]) -> None:
        """Say in one line what the line styles mean and, comparing runs, the colours."""
        text = self.palette().color(QPalette.ColorRole.Text).name()
        colour = text if compared else RUN_COLOURS[0]  # comparing: styles in the text colour
        faint = pg.mkColor(RUN_COLOURS[0])
        faint.setAlpha(RAW_ALPHA)
        parts = [_sample(colour, "━━") + " validation, smoothed batch loss",
                 _sample(colour, "╍╍") + " training"]
        if compared:
            parts = [_sample(c, "━━") + " " + html.escape(name)
                     for c, name in zip(RUN_COLOURS, compared, strict=False)] + parts
        else:
            parts.append(_sample(faint.name(faint.NameFormat.HexArgb), "━━") + " each batch")
        self.legend.setText("&nbsp;&nbsp;&nbsp;".join(parts))

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
        self._set_legend([])
        self.curves = [_RunCurves(self, RUN_COLOURS[0], raw=True)]
        self.live = True
        self._draw_live_batches()
        self._draw_live_epochs()

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
            self._draw_live_epochs()

    def _draw_live_epochs(self) -> None:
        self.curves[0].set_epochs(whole_epochs(self._history, self._losses.size,
                                               self._batches_per_epoch))

    def whole_epoch_count(self) -> int:
        """Return how many per-epoch points the live run shows (its whole epochs)."""
        return len(whole_epochs(self._history, self._losses.size, self._batches_per_epoch))

    def batches_per_epoch(self) -> int:
        return self._batches_per_epoch

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
            self._set_x_span(span)
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
        self._set_legend([f"#{run.id}" for run in runs] if len(runs) > 1 else [])
        span = 1.0
        for colour, run in zip(RUN_COLOURS, runs, strict=False):
            curves = _RunCurves(self, colour, raw=len(runs) == 1)
            losses = run.batch_loss.astype(np.float64)
            x = epoch_axis(len(losses), run.batches_per_epoch)
            raw = losses if len(runs) == 1 else np.full_like(losses, np.nan)
            smooth = ema(losses, smoothing_weight(run.batches_per_epoch))
            curves.set_batches(x, raw, smooth, run.batch_lr)
            curves.set_epochs(whole_epochs(run.history, len(losses), run.batches_per_epoch))
            self._fit_lr(run.batch_lr)
            self.curves.append(curves)
            span = max(span, float(x[-1]) if len(x) else 0.0)
        self._set_x_span(span)

    def _fit_lr(self, lrs: np.ndarray) -> None:
        """Show learning rates from 0 to just above the highest so far (autoscaling would
        centre a constant rate in a range around it and label the axis 0)."""
        finite = lrs[np.isfinite(lrs)]
        if len(finite) and float(finite.max()) > self._lr_top:
            self._lr_top = float(finite.max())
            self.lr.setYRange(0.0, 1.1 * self._lr_top, padding=0)

    def _set_x_span(self, span: float) -> None:
        """Show epochs 0 .. span on every plot (the same x range on all four)."""
        self._x_span = span
        for plot in (self.batch_loss, self.epoch_loss, self.accuracy, self.lr):
            plot.setXRange(0.0, span, padding=0.02)

    def _clear(self) -> None:
        self._lr_top = 0.0
        self._loss_bounds: tuple[float, float] | None = None
        for plot in (self.batch_loss, self.epoch_loss, self.accuracy, self.lr):
            plot.clear()
            plot.enableAutoRange()  # y follows the data; live batch plots set theirs by steps
        self._set_x_span(1.0)  # epochs: the first width (whole epochs only), then doubled
