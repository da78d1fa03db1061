"""The main window, offscreen: title, tabs, menus, About text, geometry, and real pixels."""

from __future__ import annotations

import contextlib
import platform
import shutil

import numpy as np
import PySide6
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QApplication, QLabel, QTabWidget

import digitapp
from digitapp.app.models import shipped_models
from digitapp.gui.about import MNIST_ATTRIBUTION, about_text
from digitapp.gui.app import build_main_window
from digitapp.gui.command_line_help import command_line_html
from digitapp.gui.main_window import GEOMETRY_KEY

SCREENSHOT = "/tmp/digitapp_main.png"


@pytest.fixture
def window(qtbot):
    QSettings().remove(GEOMETRY_KEY)  # each test starts from the default geometry
    w = build_main_window()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _image_to_array(image: QImage) -> np.ndarray:
    """Return a copy of the image's pixels as a (H, W, 4) uint8 array."""
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    h, w, stride = image.height(), image.width(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), np.uint8, stride * h).reshape(h, stride)
    # Copy: the buffer belongs to `image`, which is freed when this function returns.
    return rows[:, : 4 * w].reshape(h, w, 4).copy()


def test_title_and_tabs(window):
    assert window.windowTitle() == "digitapp"
    tabs = window.centralWidget()
    assert isinstance(tabs, QTabWidget)
    assert tabs.objectName() == "tabs"
    assert tabs.tabText(0) == "Draw"  # the first thing a person does


def test_application_is_configured(qapp, window):
    assert qapp.applicationName() == "digitapp"
    assert qapp.organizationName() == "digitapp"
    assert not qapp.windowIcon().isNull()
    assert 256 in {size.width() for size in qapp.windowIcon().availableSizes()}


def test_menus(window):
    actions = {a.objectName(): a for a in window.findChildren(QAction)}
    assert actions["actionQuit"].shortcut().toString() == "Ctrl+Q"
    assert "actionAbout" in actions
    assert "actionCommandLine" in actions
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Help"]


def test_quit_closes_the_window(window, qtbot):
    window.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_about_text_names_versions_and_mnist_authors():
    text = about_text()
    assert MNIST_ATTRIBUTION in text
    assert "Yann LeCun, Corinna Cortes and Christopher J. C. Burges, CC BY-SA 3.0" in text
    for version in (digitapp.__version__, platform.python_version(), np.__version__):
        assert version in text
    assert PySide6.__version__ in text
    assert PySide6.QtCore.qVersion() in text


def test_help_names_the_shipped_model_and_the_cli(window):
    box = window.show_command_line()
    text = box.text()
    box.close()
    for command in ("train", "evaluate", "predict", "data"):
        assert f"digitapp {command}" in text
    models = [p.name for p in shipped_models()]
    if models:
        assert all(name in text for name in models)
    else:
        assert "No trained model ships with this build yet" in text


def test_command_line_help_names_models_the_default_and_every_command():
    text = command_line_html(["mlp-512", "mlp-64"], "mlp-512")
    assert "Shipped models: <b>mlp-512</b>, <b>mlp-64</b>." in text
    assert "uses <b>mlp-512</b>" in text
    assert "No trained model" in command_line_html([], "mlp-512")
    assert "Welcome" not in text and "on the command line" in text
    for command in ("train", "evaluate", "predict", "handwriting", "personalize",
                    "calibrate", "data"):
        assert f"digitapp {command}" in text


def test_geometry_is_remembered(qtbot):
    QSettings().remove(GEOMETRY_KEY)
    first = build_main_window()
    qtbot.addWidget(first)
    first.show()
    first.resize(900, 620)  # above the window's minimum (about 800x579), within the screen
    QApplication.processEvents()
    first.close()

    second = build_main_window()
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (900, 620)


def test_window_renders_text(window, tmp_path):
    QApplication.processEvents()
    path = tmp_path / "main.png"
    assert window.grab().save(str(path))
    # Keep a copy for a person to look at; best effort (another user's copy may be there).
    with contextlib.suppress(OSError):
        shutil.copyfile(path, SCREENSHOT)

    pixels = _image_to_array(QImage(str(path)))
    assert pixels.shape[:2] == (window.height(), window.width())
    # Not blank: many distinct colours (anti-aliased text, tab bar, menu bar).
    colours = np.unique(pixels.reshape(-1, 4), axis=0)
    assert len(colours) > 20
    # Text is drawn: a label's area holds ink that differs from its background
    # (the most common colour there), in a share typical of a paragraph of text.
    label = window.draw_tab.findChild(QLabel, "networkInputCaption")
    top_left = label.mapTo(window, label.rect().topLeft())
    area = pixels[top_left.y() : top_left.y() + label.height(), top_left.x() :, :3]
    area = area.reshape(-1, 3).astype(int)
    values, counts = np.unique(area, axis=0, return_counts=True)
    background = values[counts.argmax()]
    ink = (np.abs(area - background).sum(axis=1) > 120).mean()
    assert 0.005 < ink < 0.5
