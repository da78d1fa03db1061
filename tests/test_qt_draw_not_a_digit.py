"""The Draw tab declines drawings that are not digits, through the real canvas and mouse.

A letter and a smiley from the held-out split of testkit.nondigit_drawings (template
variants the not-a-digit check never trained on), drawn unbent, must be declined: "?" in
place of the digit, the reason in words, the bars greyed. A drawn 4 must still be read.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from digitapp.app.not_a_digit import NOT_A_DIGIT
from digitapp.gui.app import build_main_window
from digitapp.gui.model_choice import MODEL_KEY
from testkit.mouse_drawing import draw, on_sheet
from testkit.nondigit_drawings import normalised, templates
from testkit.shown_predictions import answer_after
from testkit.stroke_digits import TEMPLATES


@pytest.fixture
def tab(qtbot):
    QSettings().remove(MODEL_KEY)
    window = build_main_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window.draw_tab
    QSettings().remove(MODEL_KEY)


def held_out(symbol: str):
    """The held-out template of `symbol`, as drawn strokes (longer side 1)."""
    (template,) = [t for t in templates("held_out") if t.symbol == symbol]
    return normalised(template.make(np.random.default_rng(0)))


def draw_and_answer(qtbot, tab, drawing, height=0.6):
    tab.ui.canvas.clear()
    tab.ui.canvas.set_brush_width(0.06)
    return answer_after(qtbot, tab, lambda: draw(
        tab.ui.canvas, on_sheet(tab.ui.canvas, drawing, height, (0.5, 0.5))))


@pytest.mark.parametrize("symbol", ["A", "smiley"])
def test_a_drawn_non_digit_is_declined(qtbot, tab, symbol):
    prediction = draw_and_answer(qtbot, tab, held_out(symbol))
    assert prediction is not None and prediction.digit is None
    assert prediction.reason == NOT_A_DIGIT
    assert tab.ui.digit_label.text() == "?"
    assert not tab.ui.digit_label.isEnabled()
    assert tab.ui.verdict_label.text() == NOT_A_DIGIT
    # The model's probabilities are still shown, greyed: no bar is the winner.
    assert tab.ui.chart.winner is None
    assert tab.ui.chart.probabilities.sum() == pytest.approx(1, abs=1e-4)
    assert "not a digit" in tab.ui.chart.accessibleDescription()


def test_a_drawn_four_is_read(qtbot, tab):
    for drawing in TEMPLATES[4]:
        prediction = draw_and_answer(qtbot, tab, drawing)
        assert prediction is not None and prediction.digit == 4
        assert tab.ui.digit_label.text() == "4"
        assert prediction.reason == ""


def test_an_opened_picture_of_a_non_digit_is_declined(qtbot, tab, tmp_path):
    from PIL import Image, ImageDraw

    # A five-pointed star drawn with PIL, black on white: a picture, not strokes.
    angles = np.pi / 2 + np.arange(10) * np.pi / 5
    radius = np.where(np.arange(10) % 2, 30, 80)
    points = [(100 + r * np.cos(a), 100 - r * np.sin(a))
              for r, a in zip(radius, angles, strict=True)]
    image = Image.new("L", (200, 200), 255)
    ImageDraw.Draw(image).line(points + points[:1], fill=0, width=9, joint="curve")
    path = tmp_path / "star.png"
    image.save(path)
    prediction = answer_after(qtbot, tab, lambda: tab.load_image_file(path))
    assert prediction is not None and prediction.digit is None
    assert tab.ui.digit_label.text() == "?" and tab.ui.verdict_label.text() == NOT_A_DIGIT


def test_an_older_model_folder_loads_with_a_note_and_still_declines(qtbot, tab, tmp_path):
    import json
    import shutil

    from digitapp.paths import weights_path

    old = tmp_path / "old-mlp"
    shutil.copytree(weights_path("mlp-512"), old)
    manifest = json.loads((old / "model.json").read_text())
    del manifest["calibration"]  # as an older digitapp saved it
    (old / "model.json").write_text(json.dumps(manifest))
    tab.use_model(old)
    assert tab.active_model.snapshot.path == old
    assert "not calibrated" in tab.ui.model_info.text()
    assert "calibrate" in tab.ui.model_info.toolTip()
    prediction = draw_and_answer(qtbot, tab, held_out("smiley"))
    assert prediction is not None and prediction.digit is None  # the check is shared
    prediction = draw_and_answer(qtbot, tab, TEMPLATES[4][0])
    assert prediction is not None and prediction.digit == 4


def straight(x0, y0, x1, y1):
    """A drawing of one straight stroke from (x0, y0) to (x1, y1), y down."""
    t = np.linspace(0, 1, 12, dtype=np.float32)[:, None]
    return [np.hstack([x0 + (x1 - x0) * t, y0 + (y1 - y0) * t]).astype(np.float32)]


@pytest.mark.parametrize("drawing", [straight(0, 0, 0.8, 1), straight(0, 1, 1.3, 0)],
                         ids=["backslash", "flat slash"])
def test_a_drawn_line_leaning_further_than_a_one_is_declined(qtbot, tab, drawing):
    prediction = draw_and_answer(qtbot, tab, drawing)
    assert prediction is not None and prediction.digit is None
    assert prediction.reason == NOT_A_DIGIT
    assert tab.ui.digit_label.text() == "?"


def test_a_drawn_slanted_one_is_read(qtbot, tab):
    prediction = draw_and_answer(qtbot, tab, straight(0.3, 1, 0.55, 0))  # 14 degrees forwards
    assert prediction is not None and prediction.digit == 1
