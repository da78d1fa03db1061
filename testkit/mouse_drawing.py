"""Draw on the canvas with real input events, as a person would (tests, benchmarks, screenshots).

Strokes from testkit.stroke_digits are mapped onto the canvas's sheet and replayed as
QTest mouse presses, moves and releases at whole-pixel positions a few pixels apart, the
way a mouse reports them, so that everything between the event and the prediction (event
handling, interpolation, anti-aliasing, the backing image, throttling) is the real thing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from digitapp.gui.draw.canvas import DrawingCanvas
from testkit.stroke_digits import Drawing, place

STEP_PX = 6.0  # distance between two mouse reports while drawing (logical pixels)


def on_sheet(canvas: DrawingCanvas, drawing: Drawing, height: float, centre=(0.5, 0.5)
             ) -> Drawing:
    """Return `drawing` in widget coordinates: `height` and `centre` in shares of the sheet's
    height (paper units: a square sheet spans 0..1 across, the number sheet 0..3)."""
    rect = canvas.paper_rect()
    side = rect.height()
    low = np.concatenate(drawing).min(axis=0)
    high = np.concatenate(drawing).max(axis=0)
    width = (high[0] - low[0]) / max(high[1] - low[1], 1e-6) * height
    corner = (rect.x() + (centre[0] - width / 2) * side, rect.y() + (centre[1] - height / 2) * side)
    return place(drawing, height * side, corner)


def from_shares(canvas: DrawingCanvas, drawing: Drawing) -> Drawing:
    """Return a drawing given in paper units (shares of the sheet's height, (0, 0) top left;
    (1, 1) is the bottom right of a square sheet) in widget coordinates."""
    rect = canvas.paper_rect()
    corner = np.array([rect.x(), rect.y()], dtype=np.float32)
    return [(p * np.float32(rect.height()) + corner).astype(np.float32) for p in drawing]


def mouse_samples(points: np.ndarray, step: float = STEP_PX) -> list[QPoint]:
    """Return whole-pixel positions every `step` pixels along a polyline (N, 2)."""
    segment = np.linalg.norm(np.diff(points, axis=0), axis=1)
    along = np.concatenate([[0.0], np.cumsum(segment)])
    stops = np.append(np.arange(0.0, along[-1], step), along[-1])
    xs = np.interp(stops, along, points[:, 0])
    ys = np.interp(stops, along, points[:, 1])
    samples = [QPoint(round(x), round(y)) for x, y in zip(xs, ys, strict=True)]
    return [p for i, p in enumerate(samples) if i == 0 or p != samples[i - 1]]


def draw(canvas: DrawingCanvas, drawing: Drawing, step: float = STEP_PX) -> int:
    """Replay a drawing in widget coordinates as mouse events; return the number of moves."""
    moves = 0
    no_modifier = Qt.KeyboardModifier.NoModifier
    for points in drawing:
        samples = mouse_samples(points, step)
        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, no_modifier, samples[0])
        for sample in samples[1:]:
            QTest.mouseMove(canvas, sample)
            moves += 1
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, no_modifier, samples[-1])
    return moves


def draw_and_read(tab, drawing: Drawing, brush: float):
    """Clear the Draw tab's canvas, draw `drawing` (widget coordinates) with a brush of
    width `brush` (share of the canvas) and return (prediction, reason) as the tab shows
    them: its last_prediction (None when it found no digit) and its verdict's text."""
    tab.ui.canvas.clear()
    tab.ui.canvas.set_brush_width(brush)
    draw(tab.ui.canvas, drawing)
    tab.predict_now()  # what the throttle timer would call a few milliseconds later
    return tab.last_prediction, tab.ui.verdict_label.text()
