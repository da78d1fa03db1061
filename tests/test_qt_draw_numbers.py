"""Number mode in the real Draw tab: a wide sheet, the number read off the GUI thread, each
digit boxed with its probabilities, and one digit as before when the mode is off."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from digitapp.gui.app import build_main_window
from testkit.mouse_drawing import draw, from_shares
from testkit.number_drawings import across_sheet, written
from testkit.stroke_digits import bounds


@pytest.fixture
def window(qtbot):
    w = build_main_window()
    qtbot.addWidget(w)
    w.resize(960, 640)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.draw_tab.shutdown()


def write(tab, text: str, height: float = 0.55, gap: float = 0.3) -> None:
    """Write `text` across the number sheet with real mouse events."""
    shares = across_sheet(written(text, gap).strokes(), tab.ui.canvas.aspect, height)
    draw(tab.ui.canvas, from_shares(tab.ui.canvas, shares))


def read(qtbot, tab) -> None:
    """Ask for a reading of the canvas as it is and wait for that answer (answers to the
    requests sent while drawing may still be arriving)."""
    tab.predict_now()
    wanted = tab._ticket
    qtbot.waitUntil(lambda: tab.last_number is not None and tab.last_number.ticket >= wanted,
                    timeout=20_000)


def test_2026_written_on_the_canvas_is_read_as_2026(qtbot, window):
    tab = window.draw_tab
    QTest.mouseClick(tab.ui.number_button, Qt.MouseButton.LeftButton)
    assert tab.number_mode() and tab.ui.canvas.aspect == 3.0
    rect = tab.ui.canvas.paper_rect()
    assert rect.width() == pytest.approx(3 * rect.height(), abs=2)
    assert tab.ui.canvas.gray().shape == (128, 384)
    write(tab, "2026")
    read(qtbot, tab)
    assert tab.ui.digit_label.text() == "2026"
    assert tab.last_number.reading.number == "2026"
    assert not tab.ui.keep_button.isVisible()  # keeping is for single digits
    # Every digit is boxed; resting on a box tells its probabilities.
    boxes = tab.ui.canvas._boxes
    assert len(boxes) == 4
    centre = boxes[1][0].center()
    widget_point = tab.ui.canvas._to_widget(centre.x(), centre.y())
    tip = tab.ui.canvas.box_tooltip(widget_point)
    assert tip.startswith("Digit 2 of 4: 0")
    assert tab.ui.canvas.box_tooltip(QPointF(1, 1)) is None


def test_digits_of_several_strokes_stay_one_digit_each_on_the_canvas(qtbot, window):
    tab = window.draw_tab
    tab.set_number_mode(True)
    write(tab, "457", height=0.5, gap=0.35)
    read(qtbot, tab)
    assert tab.last_number.reading.number == "457"


def test_leaving_number_mode_reads_one_digit_as_before(qtbot, window):
    tab = window.draw_tab
    tab.set_number_mode(True)
    write(tab, "20")
    read(qtbot, tab)
    tab.ui.canvas.clear()
    QTest.keySequence(window, "Ctrl+N")  # the menu's shortcut toggles it off
    assert not tab.number_mode() and tab.ui.canvas.aspect == 1.0
    assert tab.ui.canvas.gray().shape == (256, 256)
    assert tab.ui.canvas._boxes == [] and tab.ui.keep_button.isVisible()
    sample = written("4")
    low, high = bounds(sample.strokes())
    shares = [((s - low) * (0.6 / float(high[1] - low[1])) + [0.35, 0.2]).astype("float32")
              for s in sample.strokes()]
    draw(tab.ui.canvas, from_shares(tab.ui.canvas, shares))
    tab.predict_now()
    assert tab.last_prediction is not None and tab.last_prediction.digit == 4
    assert tab.ui.digit_label.text() == "4"


def test_a_stale_answer_is_not_shown(qtbot, window):
    tab = window.draw_tab
    tab.set_number_mode(True)
    write(tab, "20")
    read(qtbot, tab)
    tab.ui.canvas.clear()
    tab.predict_now()
    assert tab.ui.digit_label.text() == "–"
    # An answer to a request made before the clear arrives late: it is dropped.
    from digitapp.gui.draw.number_reader import NumberRead

    tab._on_number_read(NumberRead(tab._valid_from - 1, tab.last_number.reading))
    assert tab.ui.digit_label.text() == "–" and tab.ui.canvas._boxes == []
