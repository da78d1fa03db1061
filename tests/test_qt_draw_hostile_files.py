"""Hostile pictures opened in or dropped on the Draw tab: a message, never an exception.

pytest-qt turns an exception raised inside a Qt event handler (dropEvent) into a test
failure, so "no exception" is checked by the drop itself.
"""

from __future__ import annotations

import os
import time

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from digitapp.gui.app import build_main_window
from digitapp.gui.draw.ink import PAPER, array_to_image, border_level


@pytest.fixture
def tab(qtbot):
    window = build_main_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window.draw_tab


def drop_file(widget, path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    action, button = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    modifier = Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(widget, QDragEnterEvent(QPoint(20, 20), action, mime, button, modifier))
    QApplication.sendEvent(widget, QDropEvent(QPoint(20, 20), action, mime, button, modifier))


@pytest.fixture
def nan_tiff(tmp_path):
    """A float TIFF of a bar on white paper whose top row is NaN ("no data")."""
    page = np.ones((64, 64), np.float32)
    page[10:54, 30:34] = 0.0
    page[0, :] = np.nan
    path = tmp_path / "nan-border.tif"
    Image.fromarray(page, mode="F").save(path)
    return path


@pytest.mark.parametrize("how", ["open", "drop"])
def test_a_float_tiff_with_nan_gives_a_message(tab, nan_tiff, how):
    if how == "open":
        tab.load_image_file(nan_tiff)
    else:
        drop_file(tab.ui.canvas, nan_tiff)
    assert "nan-border.tif" in tab.ui.message.text()
    assert "NaN or infinite" in tab.ui.message.text()
    assert tab.ui.canvas.is_blank()


@pytest.mark.parametrize("how", ["open", "drop"])
def test_a_fifo_is_refused_at_once_and_the_window_stays_responsive(tab, tmp_path, how):
    fifo = tmp_path / "digit.png"
    os.mkfifo(fifo)  # nobody writes to it: a plain read would freeze the window
    started = time.monotonic()
    if how == "open":
        tab.load_image_file(fifo)
    else:
        drop_file(tab.ui.canvas, fifo)
    assert time.monotonic() - started < 5
    assert "not a regular file" in tab.ui.message.text()
    assert tab.ui.canvas.is_blank()


def test_border_level_and_image_conversion_ignore_non_finite_pixels():
    gray = np.full((8, 8), 0.2, np.float32)
    gray[0, :] = np.nan
    gray[:, 0] = np.inf
    assert border_level(gray) == round(0.2 * 255)  # the finite part of the border
    assert border_level(np.full((3, 3), np.nan, np.float32)) == PAPER
    image = array_to_image(gray)
    assert image.pixelColor(3, 0).value() == 255  # NaN shown as paper
    assert image.pixelColor(4, 4).value() == round(0.2 * 255)
