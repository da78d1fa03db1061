"""Benchmark: latency from a mouse move on the canvas to the updated bars on screen.

Draws stroke digits on the Draw tab (offscreen, default window size) with QTest mouse
moves sent at a steady rate, like a mouse reporting at 60 or 125 Hz. For every move it
times: the event -> the canvas inks the segment -> the throttled prediction (canvas ->
to_mnist28 -> model) -> bars, verdict and 28x28 view updated -> the chart repainted (the
clock stops when the chart's viewport has received its Paint event and it has been
handled). The pen is lifted for PEN_UP seconds between strokes, as a hand is; moves faster
than the throttle's 60 per second wait for it, as they do for a person. Also prints
where the time of one prediction goes.

    .venv/bin/python benchmarks/bench_draw_latency.py [--rate 60] [--digits 20] [--repeats 200]
        [--number] [--inside]

Target (issue 3): p95 <= 16 ms with the shipped model.

--number writes numbers of 2 to 6 digits (testkit/number_drawings.py) in the Draw tab's
number mode instead: each move is then read by the number reader's thread (segmenting and
every digit in one batch) and the clock stops when the answer (number, verdict, bars,
boxes) has been updated in the GUI thread, before its repaint. Target (issue 15): p95 <= 16
ms for up to 6 digits.

--inside opens the Inside window (View > See inside the network) beside the main window
for the measurement, and reports its own live updates: how many a second while drawing,
and how long one takes (every layer's activations, the saliency map, the pictures, not
their repaint). Target (issue 16): the bars' p95 still <= 16 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from draw_window import open_draw_tab
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest

from digitapp.app.models import as_model_inputs
from digitapp.data.preprocess import to_mnist28
from digitapp.engine.blas import BLAS

# The repository root: testkit/ (the drawing helpers, not installed) lives there.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from testkit.mouse_drawing import from_shares, mouse_samples, on_sheet  # noqa: E402
from testkit.number_drawings import across_sheet, make_number  # noqa: E402
from testkit.stroke_digits import random_drawing  # noqa: E402

PEN_UP = 0.15  # seconds between two strokes (a hand moving to the next stroke)


class Timeline:
    """What happened when: predictions (start, shown) and chart repaints, as the loop runs.

    A prediction starts when the tab reads the canvas (`canvas.gray()`, wrapped here until
    `close`): it includes every move that arrived before. It is shown when the tab emits
    `prediction_shown` (bars, verdict and 28x28 view updated, not yet painted). In number
    mode requests are tickets (the reader may skip stale ones): an answer is paired with
    the time its own ticket's canvas was read.
    """

    def __init__(self, app, tab) -> None:
        self.app, self.tab = app, tab
        self.watch = PaintWatch()
        tab.ui.chart.viewport().installEventFilter(self.watch)
        self.predictions: list[tuple[float, float]] = []  # (started, shown)
        self.paints: list[float] = []  # when a chart Paint event had been handled
        self._painted = 0
        self._started = float("-inf")
        self._read_canvas = tab.ui.canvas.gray
        tab.ui.canvas.gray = self._gray  # an instance attribute: predict_now calls it
        tab.prediction_shown.connect(self._on_shown)
        tab.number_shown.connect(self._on_number_shown)
        self.number_mode = tab.number_mode()
        self._ticket_started: dict[int, float] = {}

    def _gray(self):
        self._started = time.perf_counter()
        self._ticket_started[self.tab._ticket] = self._started  # (number mode's ticket)
        return self._read_canvas()

    def _on_number_shown(self, result) -> None:
        started = self._ticket_started.get(result.ticket)
        if started is not None:
            self.predictions.append((started, time.perf_counter()))

    def _on_shown(self, _prediction) -> None:
        self.predictions.append((self._started, time.perf_counter()))

    def close(self) -> None:
        self.tab.prediction_shown.disconnect(self._on_shown)
        self.tab.number_shown.disconnect(self._on_number_shown)
        del self.tab.ui.canvas.gray  # the method again
        self.tab.ui.chart.viewport().removeEventFilter(self.watch)

    def run(self, seconds: float) -> None:
        """Run the event loop for `seconds` (at least once), noting what it did."""
        end = time.perf_counter() + seconds
        while True:
            self.app.processEvents()
            self.note()
            if time.perf_counter() >= end:
                return

    def note(self) -> None:
        if self.watch.count != self._painted:
            self.paints.append(time.perf_counter())
            self._painted = self.watch.count

    def latency(self, arrival: float) -> float | None:
        """Return seconds from a move at `arrival` to the first repaint of bars that include it."""
        shown = next((s for started, s in self.predictions if started >= arrival), None)
        if shown is None:
            return None
        if self.number_mode:  # the answer updated (the chart may not repaint: same bars)
            return shown - arrival
        return next((p - arrival for p in self.paints if p >= shown), None)


class PaintWatch(QObject):
    """Counts Paint events delivered to a widget (an event filter sees them first)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def percentile_line(name: str, values_ms: np.ndarray) -> str:
    p50, p95, p99 = np.percentile(values_ms, [50, 95, 99])
    return (f"{name}: n={len(values_ms)}  median {p50:.2f} ms  p95 {p95:.2f} ms  "
            f"p99 {p99:.2f} ms  max {values_ms.max():.2f} ms")


def measure_moves(app, tab, rng, digits: int, rate: float) -> np.ndarray:
    """Return the latency (ms) of every mouse move while drawing `digits` random digits.

    Moves are sent on a fixed schedule whatever the app is doing, like a real mouse; the
    event loop runs in between. A move that arrives while a prediction is pending is
    answered by that prediction, or the next one, whichever starts after it arrived.
    """
    timeline = Timeline(app, tab)
    period = 1.0 / rate
    arrivals = []
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for i in range(digits):
        tab.ui.canvas.clear()
        timeline.run(PEN_UP)
        drawing = (number_on_sheet(tab.ui.canvas, i, rng) if tab.number_mode() else
                   on_sheet(tab.ui.canvas, random_drawing(i % 10, rng), rng.uniform(0.4, 0.8)))
        for points in drawing:
            samples = mouse_samples(points)
            QTest.mousePress(tab.ui.canvas, left, none, samples[0])
            next_move = time.perf_counter()
            for sample in samples[1:]:
                next_move += period
                timeline.run(next_move - time.perf_counter())
                arrivals.append(time.perf_counter())
                QTest.mouseMove(tab.ui.canvas, sample)
                timeline.note()
            QTest.mouseRelease(tab.ui.canvas, left, none, samples[-1])
            timeline.run(PEN_UP)
    timeline.close()
    latencies = [timeline.latency(a) for a in arrivals]
    return np.array([x for x in latencies if x is not None]) * 1000


def number_on_sheet(canvas, i: int, rng):
    """A number of 2..6 digits (by turns), written across the number sheet."""
    sample = make_number(rng, length=2 + i % 5, gap="normal")
    return from_shares(canvas, across_sheet(sample.strokes(), canvas.aspect,
                                            rng.uniform(0.4, 0.6)))


def breakdown(tab, repeats: int) -> None:
    """Print the median time of each stage of one prediction on the current drawing."""
    model = tab.active_model.snapshot.model
    stages = {"canvas.gray()": [], "to_mnist28": [], "model": [], "predict_now (all)": []}
    for _ in range(repeats):
        t0 = time.perf_counter()
        gray = tab.ui.canvas.gray()
        t1 = time.perf_counter()
        image28 = to_mnist28(gray)
        t2 = time.perf_counter()
        with BLAS.limited(1):  # one BLAS thread, as the tab
            model.predict_proba(as_model_inputs(model, image28[None]))
        t3 = time.perf_counter()
        tab.predict_now()
        t4 = time.perf_counter()
        for name, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            stages[name].append(seconds * 1000)
    side, screen = tab.ui.canvas.gray().shape[0], tab.ui.canvas.screen_image().width()
    print(f"one prediction ({side}x{side} network image of a {screen}x{screen} px sheet; "
          f"median of {repeats}): "
          + ", ".join(f"{name} {np.median(ms):.2f} ms" for name, ms in stages.items()))


class InsideTimes:
    """Times each live update of the Inside window (wraps its update_now until `close`)."""

    def __init__(self, inside) -> None:
        self.inside = inside
        self.seconds: list[float] = []  # how long each update took
        self._update = inside.update_now
        inside._timer.timeout.disconnect()
        inside._timer.timeout.connect(self._timed)

    def _timed(self) -> None:
        start = time.perf_counter()
        self._update()
        self.seconds.append(time.perf_counter() - start)

    def report(self, wall: float) -> str:
        ms = np.array(self.seconds) * 1000
        if not len(ms):
            return "inside window: no live update"
        return (f"inside window: {len(ms)} live updates in {wall:.1f} s of drawing = "
                f"{len(ms) / wall:.1f} per second; one update median {np.median(ms):.2f} ms, "
                f"p95 {np.percentile(ms, 95):.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=60.0, help="mouse moves per second")
    parser.add_argument("--digits", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=200,
                        help="predictions timed stage by stage for the breakdown")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", help="a model folder (default: the shipped default)")
    parser.add_argument("--number", action="store_true", help="write numbers of 2-6 digits "
                        "in number mode (the number reader's latency)")
    parser.add_argument("--inside", action="store_true", help="with the Inside window open "
                        "beside the main window; report its update rate")
    args = parser.parse_args()

    app, window, tab = open_draw_tab(args.model)
    tab.set_number_mode(args.number)
    print(f"model {tab.active_model.snapshot.name}; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    inside_times = None
    if args.inside:
        inside = window.show_inside()
        inside.move(window.x() + window.width(), window.y())  # beside, as a person puts it
        app.processEvents()
        inside_times = InsideTimes(inside)
    start = time.perf_counter()
    latencies = measure_moves(app, tab, np.random.default_rng(args.seed), args.digits, args.rate)
    wall = time.perf_counter() - start
    what = "number answer updated" if args.number else "bars painted"
    print(percentile_line(f"mouse move -> {what} at {args.rate:g} moves/s"
                          + (" (Inside window open)" if args.inside else ""), latencies))
    if inside_times is not None:
        print(inside_times.report(wall))
        window.shutdown_inside()
    if not args.number:
        breakdown(tab, args.repeats)
    tab.shutdown()
    window.close()


if __name__ == "__main__":
    main()
