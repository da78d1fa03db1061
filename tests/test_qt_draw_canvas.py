"""The canvas alone: ink where the pen went, smooth and anti-aliased, undo, clear, images.

Everything is driven by real events (QTest mouse, touch, tablet) and checked on the
canvas's own backing image (`gray()`: 1 = paper, 0 = ink).
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from digitapp.data.preprocess import WORK_SIDE
from digitapp.gui.draw.canvas import DEFAULT_BRUSH, MAX_BRUSH, MIN_BRUSH, DrawingCanvas
from digitapp.gui.draw.ink import newest_piece, smooth_path

LEFT = Qt.MouseButton.LeftButton
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def canvas(qtbot):
    c = DrawingCanvas()
    qtbot.addWidget(c)
    c.resize(300, 300)
    c.show()
    qtbot.waitExposed(c)
    return c


def stroke(canvas, *points):
    """Press at the first point, move through the rest, release at the last."""
    points = [QPoint(*p) for p in points]
    QTest.mousePress(canvas, LEFT, NO_MODIFIER, points[0])
    for p in points[1:]:
        QTest.mouseMove(canvas, p)
    QTest.mouseRelease(canvas, LEFT, NO_MODIFIER, points[-1])


def ink_at(canvas, x, y) -> float:
    """Return the ink (0 paper .. 1 black) at widget point (x, y)."""
    gray = canvas.gray()
    u, v = canvas.to_paper(QPointF(x, y))
    side = gray.shape[0]
    return 1.0 - float(gray[int(v * side), int(u * side)])


def test_a_new_canvas_is_blank_paper(canvas):
    gray = canvas.gray()
    assert canvas.is_blank()
    assert gray.dtype == np.float32 and gray.shape[0] == gray.shape[1]
    assert gray.min() == 1.0


def test_the_screen_image_has_the_sheets_device_pixels_and_the_network_image_256(canvas):
    side = canvas.paper_rect().width()
    assert canvas.screen_image().width() == round(side * canvas.devicePixelRatioF())
    assert canvas.gray().shape == (WORK_SIDE, WORK_SIDE)


def test_both_images_show_the_same_picture(canvas):
    stroke(canvas, (60, 80), (240, 220))
    screen = canvas.screen_image()
    h, stride = screen.height(), screen.bytesPerLine()
    rows = np.frombuffer(screen.constBits(), np.uint8, stride * h).reshape(h, stride)
    big = rows[:, : screen.width()].astype(np.float32) / 255
    # Sample the screen's image at 256 x 256 (nearest pixel): the two pictures agree.
    index = (np.arange(WORK_SIDE) + 0.5) * big.shape[0] / WORK_SIDE
    sampled = big[np.ix_(index.astype(int), index.astype(int))]
    assert np.mean(np.abs(sampled - canvas.gray()) > 0.5) < 0.01


def test_a_stroke_inks_its_path_and_nothing_far_from_it(canvas, qtbot):
    with qtbot.waitSignal(canvas.changed):
        stroke(canvas, (60, 150), (150, 150), (240, 150))
    assert not canvas.is_blank()
    for x in (60, 100, 150, 200, 240):
        assert ink_at(canvas, x, 150) > 0.9
    assert ink_at(canvas, 150, 60) == 0.0
    assert ink_at(canvas, 150, 240) == 0.0


def test_sparse_events_are_joined_by_a_continuous_line(canvas):
    # Two events 200 pixels apart (a fast flick): the whole segment is inked.
    stroke(canvas, (50, 50), (250, 250))
    for t in np.linspace(0, 1, 21):
        x = y = 50 + 200 * t
        assert ink_at(canvas, x, y) > 0.9, t


def test_strokes_are_anti_aliased_and_as_wide_as_the_brush(canvas):
    stroke(canvas, (150, 40), (150, 150), (150, 260))
    gray = canvas.gray()
    row = gray[gray.shape[0] // 2]
    inked = (row < 0.5).sum()
    assert inked == pytest.approx(DEFAULT_BRUSH * gray.shape[0], abs=2)
    edges = ((row > 0.05) & (row < 0.95)).sum()
    assert edges >= 2  # grey pixels on both sides of the line, not a staircase


def test_a_tap_leaves_a_round_dot(canvas):
    QTest.mouseClick(canvas, LEFT, NO_MODIFIER, QPoint(150, 150))
    gray = canvas.gray()
    ys, xs = np.nonzero(gray < 0.5)
    width = DEFAULT_BRUSH * gray.shape[0]
    assert xs.max() - xs.min() == pytest.approx(width, abs=2)
    assert ys.max() - ys.min() == pytest.approx(width, abs=2)


def test_undo_removes_one_stroke_at_a_time_and_clear_removes_all(canvas):
    stroke(canvas, (60, 100), (240, 100))
    stroke(canvas, (60, 200), (240, 200))
    canvas.undo()
    assert ink_at(canvas, 150, 100) > 0.9
    assert ink_at(canvas, 150, 200) == 0.0
    canvas.undo()
    assert canvas.is_blank() and canvas.gray().min() == 1.0
    canvas.undo()  # nothing left: no error
    stroke(canvas, (60, 100), (240, 100))
    canvas.clear()
    assert canvas.is_blank() and canvas.gray().min() == 1.0


def test_the_picture_survives_a_resize(canvas, qtbot):
    stroke(canvas, (60, 150), (240, 150))
    canvas.resize(500, 500)
    QApplication.processEvents()
    side = canvas.screen_image().width()
    assert side == round(canvas.paper_rect().width() * canvas.devicePixelRatioF())
    assert ink_at(canvas, 250, 250) > 0.9  # still across the middle, scaled with the sheet


def test_brush_width_is_clamped_and_announced(canvas, qtbot):
    with qtbot.waitSignal(canvas.brush_width_changed) as signal:
        canvas.set_brush_width(1.0)
    assert signal.args == [MAX_BRUSH]
    canvas.set_brush_width(0.0)
    assert canvas.brush_width == MIN_BRUSH
    canvas.set_brush_width(0.1)
    stroke(canvas, (150, 40), (150, 260))
    gray = canvas.gray()
    assert (gray[gray.shape[0] // 2] < 0.5).sum() == pytest.approx(0.1 * gray.shape[0], abs=2)


def test_touch_draws_with_the_first_finger(canvas):
    device = QTest.createTouchDevice()
    QTest.touchEvent(canvas, device).press(0, QPoint(150, 50)).commit()
    for y in range(60, 260, 20):
        QTest.touchEvent(canvas, device).move(0, QPoint(150, y)).commit()
    QTest.touchEvent(canvas, device).release(0, QPoint(150, 250)).commit()
    assert len(canvas.steps) == 1
    assert ink_at(canvas, 150, 150) > 0.9


def test_a_tablet_pen_draws(canvas):
    pen = QPointingDevice(
        "test pen", 1, QInputDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure, 1, 3,
    )

    def send(kind, x, y, buttons):
        event = QTabletEvent(kind, pen, QPointF(x, y), QPointF(canvas.mapToGlobal(QPoint(x, y))),
                             0.5, 0.0, 0.0, 0.0, 0.0, 0.0, NO_MODIFIER, LEFT, buttons)
        QApplication.sendEvent(canvas, event)
        assert event.isAccepted()  # so Qt does not draw it twice as a mouse event

    send(QEvent.Type.TabletPress, 50, 150, LEFT)
    for x in range(60, 260, 20):
        send(QEvent.Type.TabletMove, x, 150, LEFT)
    send(QEvent.Type.TabletRelease, 250, 150, Qt.MouseButton.NoButton)
    assert len(canvas.steps) == 1
    assert ink_at(canvas, 150, 150) > 0.9


def test_a_placed_image_fills_the_sheet_and_strokes_go_on_top(canvas):
    picture = np.full((40, 20), 0.8, np.float32)  # tall grey paper with a dark bar
    picture[15:25, 5:15] = 0.0
    canvas.place_image(picture)
    gray = canvas.gray()
    side = gray.shape[0]
    assert gray[side // 2, side // 2] < 0.1  # the bar, in the middle
    assert gray[side // 2, 2] == pytest.approx(0.8, abs=0.01)  # margin: the paper's tone
    stroke(canvas, (60, 60), (100, 60))
    assert ink_at(canvas, 80, 60) > 0.9
    canvas.undo()
    canvas.undo()  # the image was a step too
    assert canvas.is_blank() and canvas.gray().min() == 1.0


def test_place_image_rejects_anything_but_a_2d_array(canvas):
    with pytest.raises(ValueError, match="grayscale"):
        canvas.place_image(np.zeros((4, 4, 3)))


def test_smooth_path_runs_from_the_first_to_the_last_sample():
    path = smooth_path([(0.1, 0.1), (0.5, 0.2), (0.9, 0.8)])
    assert path.pointAtPercent(0.0).toTuple() == pytest.approx((0.1, 0.1))
    assert path.pointAtPercent(1.0).toTuple() == pytest.approx((0.9, 0.8))


def test_the_pieces_drawn_live_join_up_into_the_smooth_path():
    samples = [(0.1, 0.1), (0.3, 0.2), (0.5, 0.5), (0.6, 0.9)]
    ends = []
    for n in range(2, len(samples) + 1):
        path, _ = newest_piece(samples[:n])
        ends.append((path.pointAtPercent(0.0).toTuple(), path.pointAtPercent(1.0).toTuple()))
    for (_, end), (start, _) in zip(ends, ends[1:], strict=False):
        assert start == pytest.approx(end)  # each piece starts where the last one ended
    assert ends[0][0] == pytest.approx(samples[0])


def test_canvas_is_named_for_tests_and_screen_readers(canvas):
    assert canvas.objectName() == "drawingCanvas"
    assert canvas.accessibleName() == "Drawing canvas"
    assert canvas.focusPolicy() == Qt.FocusPolicy.StrongFocus
