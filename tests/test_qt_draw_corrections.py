"""Corrections in the Draw tab land in the handwriting collection (issue 14, part 1).

Digits are drawn with real mouse events in the main window (build_main_window, so the
tab uses the collection the composition root made, in the session's throw-away user
folder), then kept with a digit key, a click on a bar, the That's a… menu or ✓ Right.
What is read back from the database is compared with what the tab showed.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from digitapp.gui.active_model import ActiveModel
from digitapp.gui.draw.tab import DrawTab
from digitapp.gui.handwriting_collection import HandwritingCollection
from digitapp.store.handwriting import HandwritingStore
from testkit.mouse_drawing import draw, on_sheet
from testkit.nondigit_drawings import normalised, templates
from testkit.shown_predictions import answer_after
from testkit.stroke_digits import TEMPLATES


@pytest.fixture
def window(fresh_main_window):
    w = fresh_main_window(960, 640)  # the default window size
    w.draw_tab.corrections.collection.clear()  # the session's collection, shared by tests
    return w


@pytest.fixture
def tab(window):
    return window.draw_tab


def draw_and_answer(qtbot, tab, drawing):
    tab.ui.canvas.clear()
    tab.ui.canvas.set_brush_width(0.06)
    return answer_after(qtbot, tab, lambda: draw(
        tab.ui.canvas, on_sheet(tab.ui.canvas, drawing, 0.6, (0.5, 0.5))))


def kept(tab):
    """Return every drawing in the tab's collection, in full, oldest first."""
    drawings, unreadable = tab.corrections.collection.store.full_drawings()
    assert unreadable == 0
    return drawings


def as_stored(image28) -> np.ndarray:
    """The 28x28 as the store keeps it: steps of 1/255, as MNIST."""
    steps = np.rint(np.asarray(image28, np.float64) * 255).astype(np.uint8)
    return steps.astype(np.float32) / 255


def test_the_key_7_keeps_the_drawing_with_what_the_network_saw(qtbot, tab):
    prediction = draw_and_answer(qtbot, tab, TEMPLATES[1][0])  # the model reads a 1
    assert prediction is not None and prediction.digit == 1
    assert tab.ui.canvas.hasFocus()  # drawing put the focus there
    QTest.keyClick(tab.ui.canvas, Qt.Key.Key_7)

    (drawing,) = kept(tab)
    assert drawing.label == 7 and drawing.source == "canvas"
    np.testing.assert_array_equal(drawing.image28, as_stored(prediction.image28))
    assert drawing.predicted == 1
    assert drawing.confidence == pytest.approx(prediction.confidence, abs=1e-6)
    assert drawing.model == tab.active_model.snapshot.name
    assert drawing.added  # a time
    # The picture is the canvas as shown, pixel for pixel.
    assert drawing.picture.startswith(b"\x89PNG")
    shown = tab.ui.canvas.screen_image()
    picture = QImage.fromData(drawing.picture).convertToFormat(QImage.Format.Format_Grayscale8)
    assert picture.size() == shown.size()
    assert picture == shown
    # The strokes are the canvas's, in shares of the sheet.
    steps = tab.ui.canvas.steps
    assert len(drawing.strokes) == len(steps) == len(TEMPLATES[1][0])
    for (brush, points), step in zip(drawing.strokes, steps, strict=True):
        assert brush == pytest.approx(0.06)
        assert points.dtype == np.float32 and points.shape == (len(step.points), 2)
        np.testing.assert_allclose(points, np.asarray(step.points), atol=1e-5)
    assert "Kept as a 7" in tab.ui.kept_label.text()
    assert "1 drawing" in tab.ui.kept_label.text()
    assert tab.ui.undo_keep_button.isVisible()


def test_a_click_on_a_bar_keeps_that_digit_and_undo_removes_it(qtbot, tab):
    draw_and_answer(qtbot, tab, TEMPLATES[4][0])
    chart = tab.ui.chart
    assert chart.clickable and "Click a bar" in chart.toolTip()
    QTest.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, chart.bar_position(9))
    assert [d.label for d in kept(tab)] == [9]
    assert "Kept as a 9" in tab.ui.kept_label.text()

    QTest.mouseClick(tab.ui.undo_keep_button, Qt.MouseButton.LeftButton)
    assert kept(tab) == []
    assert "not kept" in tab.ui.kept_label.text()
    assert not tab.ui.undo_keep_button.isVisible()
    # The same drawing can be kept again after the undo: it is added anew.
    QTest.keyClick(tab.ui.canvas, Qt.Key.Key_4)
    assert [d.label for d in kept(tab)] == [4]


def test_a_second_digit_relabels_the_same_drawing_and_a_new_drawing_adds(qtbot, tab):
    draw_and_answer(qtbot, tab, TEMPLATES[7][0])
    QTest.keyClick(tab.ui.canvas, Qt.Key.Key_1)
    QTest.keyClick(tab.ui.canvas, Qt.Key.Key_7)
    ((first),) = kept(tab)
    assert first.label == 7
    assert "Now kept as a 7, not a 1" in tab.ui.kept_label.text()
    QTest.keyClick(tab.ui.canvas, Qt.Key.Key_7)  # again: still one drawing
    assert len(kept(tab)) == 1 and "Already kept" in tab.ui.kept_label.text()

    draw_and_answer(qtbot, tab, TEMPLATES[7][1])
    QTest.keyClick(tab.ui.canvas, Qt.Key.Key_7)
    assert [d.label for d in kept(tab)] == [7, 7]
    assert "2 drawings, 2 of them 7s" in tab.ui.kept_label.text()


def test_changes_made_elsewhere_are_followed(qtbot, tab):
    collection = tab.corrections.collection
    draw_and_answer(qtbot, tab, TEMPLATES[2][0])
    QTest.keyClick(tab.ui.canvas, Qt.Key.Key_2)
    (first,) = kept(tab)
    collection.remove([first.id])  # as the My handwriting tab does
    QTest.keyClick(tab.ui.canvas, Qt.Key.Key_3)  # the same drawing: kept again, not lost
    assert [d.label for d in kept(tab)] == [3]
    assert "1 drawing" in tab.ui.kept_label.text()

    collection.add(kept(tab)[0])  # another view adds one (a copy)
    draw_and_answer(qtbot, tab, TEMPLATES[3][1])
    QTest.keyClick(tab.ui.canvas, Qt.Key.Key_3)
    assert "3 drawings, 3 of them 3s" in tab.ui.kept_label.text()


def test_the_menu_and_the_confirm_button_keep_with_their_tooltips(qtbot, tab):
    prediction = draw_and_answer(qtbot, tab, TEMPLATES[3][0])
    assert prediction.digit == 3
    confirm = tab.ui.confirm_button
    assert confirm.isEnabled()
    assert confirm.toolTip() == ("Teach digitapp your handwriting: keep this drawing as a 3 "
                                 "(key 3)")
    QTest.mouseClick(confirm, Qt.MouseButton.LeftButton)
    assert [(d.label, d.predicted) for d in kept(tab)] == [(3, 3)]
    assert "the answer was right" in tab.ui.kept_label.text()

    menu = tab.ui.keep_button.menu()
    eight = menu.actions()[8]
    assert eight.shortcut().toString() == "8" and "as an 8 (key 8)" in eight.toolTip()
    eight.trigger()  # as a click on the menu's item does
    assert [d.label for d in kept(tab)] == [8]  # relabelled: the same drawing


def test_a_declined_drawing_is_kept_with_the_digit_the_user_names(qtbot, tab):
    (letter,) = [t for t in templates("held_out") if t.symbol == "A"]
    prediction = draw_and_answer(qtbot, tab, normalised(letter.make(np.random.default_rng(0))))
    assert prediction is not None and prediction.digit is None  # "not a digit"
    assert not tab.ui.confirm_button.isEnabled()  # no answer to confirm
    QTest.keyClick(tab.ui.canvas, Qt.Key.Key_4)
    (drawing,) = kept(tab)
    assert (drawing.label, drawing.predicted, drawing.confidence) == (4, None, None)


def test_an_opened_picture_is_kept_as_a_file_without_strokes(qtbot, window, tab, tmp_path):
    from PIL import Image, ImageDraw

    image = Image.new("L", (120, 160), 255)
    ImageDraw.Draw(image).line([(30, 20), (90, 20), (50, 140)], fill=0, width=10)  # a 7
    path = tmp_path / "seven.png"
    image.save(path)
    prediction = answer_after(qtbot, tab, lambda: tab.load_image_file(path))
    assert prediction is not None
    window.tabs.tabBar().setFocus()  # the keys work wherever the focus is in the window
    QTest.keyClick(window.tabs.tabBar(), Qt.Key.Key_7)
    (drawing,) = kept(tab)
    assert (drawing.label, drawing.source, drawing.strokes) == (7, "file", None)
    np.testing.assert_array_equal(drawing.image28, as_stored(prediction.image28))


def test_nothing_is_kept_without_a_drawing_or_outside_the_draw_tab(qtbot, window, tab):
    tab.ui.canvas.clear()
    tab.predict_now()
    assert not tab.ui.keep_button.isEnabled() and not tab.ui.chart.clickable
    QTest.keyClick(tab.ui.canvas, Qt.Key.Key_5)
    assert kept(tab) == []

    draw_and_answer(qtbot, tab, TEMPLATES[5][0])
    window.tabs.setCurrentWidget(window.train_tab)
    window.train_tab.setFocus()
    QTest.keyClick(window.train_tab, Qt.Key.Key_5)  # the key is the Train tab's, not ours
    assert kept(tab) == []


@pytest.mark.parametrize("failure", ["unwritable", "locked"])
def test_a_store_failure_is_a_message_and_the_tab_goes_on(qtbot, tab, tmp_path, failure):
    if failure == "unwritable":
        (tmp_path / "a-file").write_text("not a folder")
        store = HandwritingStore(tmp_path / "a-file" / "handwriting.sqlite3")
    else:
        store = HandwritingStore(tmp_path / "handwriting.sqlite3", 0.05, 0.05)
        blocker = sqlite3.connect(tmp_path / "handwriting.sqlite3")
        blocker.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    tab.corrections.collection = HandwritingCollection(store, tab)
    draw_and_answer(qtbot, tab, TEMPLATES[2][0])
    QTest.keyClick(tab.ui.canvas, Qt.Key.Key_2)  # pytest-qt fails the test on an exception
    text = tab.ui.kept_label.text()
    assert text.startswith("Could not keep the drawing: ") and "\n" not in text
    assert not tab.ui.undo_keep_button.isVisible()
    if failure == "locked":
        blocker.rollback()
        blocker.close()
    # The tab still answers.
    assert draw_and_answer(qtbot, tab, TEMPLATES[6][0]).digit == 6


def test_a_draw_tab_made_without_a_collection_hides_the_controls(qtbot):
    tab = DrawTab(ActiveModel())
    qtbot.addWidget(tab)
    tab.show()
    assert not tab.ui.keep_button.isVisible() and not tab.ui.kept_label.isVisible()
    tab.corrections.keep(7)  # e.g. a click on a bar: says so, raises nothing
    assert "not available" in tab.ui.kept_label.text()
