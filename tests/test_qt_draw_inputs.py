"""Pictures and models coming into the Draw tab: drops, paste, files, model folders, settings.

A bad file or a bad model folder must give a clear message and leave the app working.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from digitapp.app.architectures import build
from digitapp.app.model_refs import model_ref
from digitapp.app.models import DEFAULT_MODEL, default_model_path
from digitapp.data.mnist import load_mnist
from digitapp.engine import save_model
from digitapp.gui.app import build_main_window
from digitapp.gui.draw.canvas import DEFAULT_BRUSH
from digitapp.gui.draw.tab import BRUSH_KEY
from digitapp.gui.main_window import GEOMETRY_KEY
from digitapp.gui.model_choice import MODEL_KEY
from testkit.mouse_drawing import draw, on_sheet
from testkit.shown_predictions import answer_after
from testkit.stroke_digits import TEMPLATES


@pytest.fixture
def fresh_settings():
    # Each test starts from no remembered choices and leaves none for later tests.
    settings = QSettings()
    for key in (GEOMETRY_KEY, MODEL_KEY, BRUSH_KEY):
        settings.remove(key)
    yield
    for key in (MODEL_KEY, BRUSH_KEY):
        settings.remove(key)


@pytest.fixture
def window(qtbot, fresh_settings):
    w = build_main_window()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def tab(window):
    return window.draw_tab


@pytest.fixture(scope="module")
def mnist_png(tmp_path_factory):
    """Return (path, label): an MNIST test digit as a white-on-black PNG file."""
    test = load_mnist("test")
    path = tmp_path_factory.mktemp("pictures") / "mnist-0.png"
    Image.fromarray(test.images[0]).save(path)
    return path, int(test.labels[0])


@pytest.fixture(scope="module")
def paper_png(tmp_path_factory):
    """Return (path, label): MNIST test digit 1, enlarged, as dark ink on grey noisy paper."""
    test = load_mnist("test")
    ink = np.asarray(Image.fromarray(test.images[1]).resize((140, 140), Image.BILINEAR)) / 255
    rng = np.random.default_rng(0)
    paper = 0.85 - 0.75 * ink + rng.normal(0, 0.02, ink.shape)
    padded = np.pad(paper, ((30, 30), (60, 60)), constant_values=0.85)  # wide photo
    path = tmp_path_factory.mktemp("pictures") / "photo.png"
    Image.fromarray((np.clip(padded, 0, 1) * 255).astype(np.uint8)).save(path)
    return path, int(test.labels[1])


def drop(widget, mime: QMimeData) -> None:
    """Drag `mime` over `widget` and drop it, as Qt delivers a drop from a file manager."""
    action, button = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    modifier = Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(widget, QDragEnterEvent(QPoint(20, 20), action, mime, button, modifier))
    QApplication.sendEvent(widget, QDropEvent(QPoint(20, 20), action, mime, button, modifier))


def file_mime(*paths) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def answer(qtbot, tab):
    qtbot.waitUntil(lambda: not tab.prediction_pending(), timeout=2000)
    return tab.last_prediction


def test_a_dropped_image_file_is_shown_and_classified(qtbot, tab, mnist_png):
    path, label = mnist_png
    drop(tab.ui.canvas, file_mime(path))
    assert not tab.ui.canvas.is_blank()
    assert answer(qtbot, tab).digit == label
    assert path.name in tab.ui.message.text()


def test_a_dropped_photo_of_ink_on_paper_is_classified(qtbot, tab, paper_png):
    path, label = paper_png
    drop(tab.ui.canvas, file_mime(path))
    assert answer(qtbot, tab).digit == label


def test_a_corrupt_dropped_file_gives_a_message_and_the_app_keeps_working(
    qtbot, tab, tmp_path
):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a picture" * 10)
    drop(tab.ui.canvas, file_mime(bad))
    assert "Could not use that" in tab.ui.message.text()
    assert "broken.png" in tab.ui.message.text()
    assert tab.ui.canvas.is_blank()
    assert not tab.findChildren(QMessageBox)  # said in the tab, no dialog in the way
    drawing = on_sheet(tab.ui.canvas, TEMPLATES[2][0], 0.6)
    assert answer_after(qtbot, tab, lambda: draw(tab.ui.canvas, drawing)).digit == 2


def test_dropping_a_web_address_or_text_is_refused_politely(tab):
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.com/digit.png")])
    tab.import_mime(mime)
    assert "only files on this computer" in tab.ui.message.text()
    text = QMimeData()
    text.setText("seven")
    tab.import_mime(text)
    assert "no image" in tab.ui.message.text()


def test_open_image_file_uses_the_same_path(qtbot, tab, mnist_png, tmp_path):
    path, label = mnist_png
    tab.load_image_file(path)
    assert answer(qtbot, tab).digit == label
    tab.load_image_file(tmp_path / "missing.png")
    assert "file not found" in tab.ui.message.text()


def test_paste_an_image_from_the_clipboard(qtbot, window, tab, mnist_png):
    path, label = mnist_png
    QGuiApplication.clipboard().setImage(QImage(str(path)))
    window.draw_tab.paste_action.trigger()
    assert answer(qtbot, tab).digit == label
    assert "pasted" in tab.ui.message.text()


def test_save_drawing_writes_a_picture_that_classifies_the_same(qtbot, tab, tmp_path):
    draw(tab.ui.canvas, on_sheet(tab.ui.canvas, TEMPLATES[5][0], 0.6))
    drawn = answer(qtbot, tab).digit
    target = tmp_path / "five.png"
    assert tab.save_drawing_to(target)
    assert target.is_file() and "Saved" in tab.ui.message.text()
    tab.ui.canvas.clear()
    tab.load_image_file(target)
    assert answer(qtbot, tab).digit == drawn == 5
    assert not tab.save_drawing_to(tmp_path / "no-such-folder" / "x.png")
    assert "Could not save" in tab.ui.message.text()


def constant_model(folder, digit: int):
    """Save a model that answers `digit` whatever it is shown; return its folder."""
    model = build("mlp", [], 0.0, seed=0)  # 784 -> 10, no hidden layer
    params = model.named_parameters()
    for name, array in params.items():
        array[...] = 0
        if name.endswith(".b"):
            array[digit] = 10.0
    return save_model(model, folder, {"metrics": {"test_accuracy": 0.1}})


def test_switching_models_updates_the_answer_at_once(qtbot, tab, tmp_path):
    draw(tab.ui.canvas, on_sheet(tab.ui.canvas, TEMPLATES[7][0], 0.6))
    assert answer(qtbot, tab).digit == 7
    always_3 = constant_model(tmp_path / "always-3", 3)
    tab.use_model(always_3)
    assert tab.active_model.snapshot.path == always_3
    assert tab.last_prediction.digit == 3  # no redraw needed
    assert "always-3" in tab.ui.picker.currentText()
    assert "10.00%" in tab.ui.model_info.text()
    tab.use_model(default_model_path())
    assert tab.last_prediction.digit == 7


def test_choosing_a_model_in_the_picker(qtbot, tab, tmp_path):
    always_5 = constant_model(tmp_path / "always-5", 5)
    tab.use_model(always_5)
    shipped = tab.ui.picker.findData(str(default_model_path()))
    assert shipped >= 0
    tab.ui.picker.activated.emit(shipped)  # what a click on the item does
    assert tab.active_model.snapshot.name == DEFAULT_MODEL
    assert tab.ui.picker.findText("always-5", Qt.MatchFlag.MatchStartsWith) >= 0  # still listed


def test_a_bad_model_folder_gives_a_message_and_the_previous_model_stays(qtbot, tab, tmp_path):
    before = tab.active_model.snapshot
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "model.json").write_text("{ not json")
    tab.use_model(broken)
    boxes = tab.findChildren(QMessageBox, "drawWarning")
    assert len(boxes) == 1 and boxes[0].isVisible()
    assert "model.json" in boxes[0].text() and f"Still using {DEFAULT_MODEL}" in boxes[0].text()
    boxes[0].close()
    assert tab.active_model.snapshot is before
    assert tab.ui.picker.currentText().startswith(DEFAULT_MODEL)


def test_user_models_are_listed(tab, tmp_path):
    from digitapp.paths import user_models_dir

    mine = constant_model(user_models_dir() / "my-first-model", 1)
    try:
        tab.ui.picker.refresh()
        # A folder a person named keeps its name; then the network and the test accuracy.
        starts = Qt.MatchFlag.MatchStartsWith
        assert tab.ui.picker.findText("my-first-model: MLP 784-10", starts) >= 0
        assert tab.ui.picker.findText("mlp-512: MLP 784-512-10, 99.1% (shipped)") >= 0
        assert tab.ui.picker.findText("cnn: CNN, 99.7% (shipped)") >= 0
    finally:
        import shutil

        shutil.rmtree(mine)


def test_model_and_brush_are_remembered(qtbot, fresh_settings, tmp_path):
    always_4 = constant_model(tmp_path / "always-4", 4)
    first = build_main_window()
    qtbot.addWidget(first)
    first.draw_tab.use_model(always_4)
    first.draw_tab.ui.canvas.set_brush_width(0.1)
    first.close()
    assert QSettings().value(MODEL_KEY) == model_ref(always_4)

    second = build_main_window()
    qtbot.addWidget(second)
    assert second.draw_tab.active_model.snapshot.path.resolve() == always_4.resolve()
    assert second.draw_tab.ui.canvas.brush_width == pytest.approx(0.1)
    assert second.draw_tab.ui.brush_slider.value() == 10


def test_a_remembered_model_that_vanished_falls_back_to_the_shipped_one(qtbot, fresh_settings,
                                                                        tmp_path):
    QSettings().setValue(MODEL_KEY, str(tmp_path / "gone"))
    QSettings().setValue(BRUSH_KEY, "not a number")
    w = build_main_window()
    qtbot.addWidget(w)
    assert w.draw_tab.active_model.snapshot.name == DEFAULT_MODEL
    assert "could not be loaded" in w.draw_tab.ui.message.text()
    assert w.draw_tab.ui.canvas.brush_width == pytest.approx(DEFAULT_BRUSH)


def test_shipped_models_are_remembered_by_name():
    assert model_ref(default_model_path()) == f"shipped:{DEFAULT_MODEL}"
