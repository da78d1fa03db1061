"""The Inside window (issue 16) in the real main window, offscreen: one entry per layer with
activations after a digit is drawn (shipped MLP, shipped CNN, a CNN trained here), the
saliency of the winner and the runner-up, a unit's weights and top test images (background,
cached), the diagram exported, and its background job stopped when the main window closes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from digitapp.app.inside import architecture_rows
from digitapp.app.models import as_model_inputs
from digitapp.data.mnist import load_mnist, subset
from digitapp.engine import Sequential, TrainConfig, save_model, train
from digitapp.gui.inside.window import InsideWindow
from digitapp.paths import weights_path
from testkit.mouse_drawing import draw, on_sheet
from testkit.stroke_digits import random_drawing

TINY_CNN = {"input_shape": [28, 28, 1], "layers": [
    {"type": "conv2d", "filters": 4, "kernel": 3, "padding": "valid"},
    {"type": "batchnorm"}, {"type": "relu"}, {"type": "maxpool2d", "size": 2},
    {"type": "flatten"}, {"type": "dense", "units": 16}, {"type": "relu"},
    {"type": "dense", "units": 10},
]}


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory):
    """TINY_CNN trained one epoch on 300 MNIST images, saved as a model folder."""
    data = subset(load_mnist("train"), 300, seed=0)
    model = Sequential.from_config(TINY_CNN, seed=0)
    x, y = as_model_inputs(model, data.inputs()), data.labels.astype(np.int64)
    list(train(model, x[:250], y[:250], x[250:], y[250:], TrainConfig(epochs=1, batch_size=50)))
    return save_model(model, tmp_path_factory.mktemp("models") / "tiny-cnn")


@pytest.fixture
def window(fresh_main_window):
    w = fresh_main_window(960, 640)
    yield w
    w.shutdown_inside()
    w.draw_tab.shutdown()


def draw_digit(tab, digit: int = 4, seed: int = 1) -> None:
    tab.ui.canvas.clear()
    drawing = random_drawing(digit, np.random.default_rng(seed), 0.6)
    draw(tab.ui.canvas, on_sheet(tab.ui.canvas, drawing, 0.62, (0.5, 0.52)))
    tab.predict_now()


def open_inside(qtbot, window) -> InsideWindow:
    QTest.keySequence(window, "Ctrl+I")  # View > See inside the network
    inside = window.inside_window
    assert inside is not None and inside.objectName() == "insideWindow"
    qtbot.waitExposed(inside)
    return inside


@pytest.mark.parametrize("model", ["mlp-512", "cnn", "tiny"])
def test_one_entry_per_layer_with_activations_after_drawing(qtbot, window, model,
                                                            tiny_folder):
    folder = tiny_folder if model == "tiny" else weights_path(model)
    window.draw_tab.use_model(folder)
    inside = open_inside(qtbot, window)
    rows = architecture_rows(window.active_model.snapshot.model)
    assert [e.row for e in inside.strip.entries] == rows
    assert inside.views is None and inside.status.isVisible()  # nothing drawn yet
    before = inside.updates
    draw_digit(window.draw_tab)
    qtbot.waitUntil(lambda: inside.views is not None and inside.updates > before)
    assert not inside.status.isVisible()
    for entry, view in zip(inside.strip.entries[:-1], inside.views, strict=False):
        assert entry.picture.picture() is not None
        assert entry.picture.values.shape == (view.row.shape[-1] if len(view.row.shape) == 3
                                              else int(np.prod(view.row.shape)),)
    probabilities = inside.strip.entries[-1].picture.probabilities
    np.testing.assert_allclose(probabilities,
                               window.draw_tab.last_prediction.probabilities, atol=1e-5)
    # Its own copy of the model: never the object other threads predict with.
    assert inside.model is not window.active_model.snapshot.model


def test_a_model_trained_in_the_train_tab_is_shown_inside(qtbot, window):
    """Train a tiny MLP in the window's own Train tab, use it, and see inside it."""
    train_tab = window.train_tab
    window.tabs.setCurrentWidget(train_tab)
    for key, text in {"hidden": "24", "train_size": "600", "val_size": "200",
                      "batch_size": "20", "epochs": "1"}.items():
        train_tab.form.fields[key].setText(text)
    QTest.mouseClick(train_tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not train_tab.is_running(), timeout=120_000)
    assert train_tab.last_record is not None and train_tab.last_record.status == "completed"
    QTest.mouseClick(train_tab.use_button, Qt.MouseButton.LeftButton)
    snapshot = window.active_model.snapshot
    assert snapshot.path == Path(train_tab.last_record.model_path)
    window.tabs.setCurrentWidget(window.draw_tab)
    inside = open_inside(qtbot, window)
    rows = architecture_rows(snapshot.model)
    assert [e.row for e in inside.strip.entries] == rows
    assert rows[0].shape == (24,)  # the hidden layer typed in the form
    before = inside.updates
    draw_digit(window.draw_tab)
    qtbot.waitUntil(lambda: inside.views is not None and inside.updates > before)
    np.testing.assert_allclose(inside.strip.entries[-1].picture.probabilities,
                               window.draw_tab.last_prediction.probabilities, atol=1e-5)


def test_live_updates_are_coalesced(qtbot, window):
    inside = open_inside(qtbot, window)
    draw_digit(window.draw_tab)
    qtbot.waitUntil(lambda: inside.views is not None)
    start = inside.updates
    for _ in range(20):  # twenty answers at once: one update soon after
        window.draw_tab.predict_now()
    assert inside.updates == start
    qtbot.waitUntil(lambda: inside.updates > start)
    qtbot.wait(150)
    assert inside.updates == start + 1


def test_saliency_of_the_winner_and_the_runner_up(qtbot, window):
    inside = open_inside(qtbot, window)
    draw_digit(window.draw_tab, digit=4)
    qtbot.waitUntil(lambda: inside.views is not None)
    view = inside.saliency_view
    probabilities = window.draw_tab.last_prediction.probabilities
    order = np.argsort(-probabilities)
    assert view.shown_digit == order[0] and view.image.image is not None
    winner_map = view.heat.copy()
    assert np.abs(winner_map).max() > 0
    assert view.winner_button.text().startswith(f"Winner: {order[0]}")
    view.runner_up_button.click()
    assert view.shown_digit == order[1]
    assert not np.allclose(view.heat, winner_map)
    view.winner_button.click()
    np.testing.assert_array_equal(view.heat, winner_map)


def test_a_first_layer_unit_shows_its_weights_and_top_images_cached(qtbot, window):
    window.draw_tab.use_model(weights_path("mlp-512"))
    inside = open_inside(qtbot, window)
    draw_digit(window.draw_tab)
    qtbot.waitUntil(lambda: inside.views is not None)
    picture = inside.strip.entries[0].picture
    QTest.mouseClick(picture, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     inside.strip.unit_point(0, 7))
    explorer = inside.explorer
    assert (explorer.layer, explorer.unit) == (0, 7) and picture.selected == 7
    assert explorer.weights.isVisible() and explorer.weights.image.size().width() == 28
    assert explorer.job.running()  # ranking in the background
    qtbot.waitUntil(lambda: explorer.tiles.image is not None, timeout=30_000)
    assert not explorer.job.running()
    assert "excite it most" in explorer.tiles_caption.text()
    top = next(iter(explorer.cache.values()))
    assert top.values.shape == (512, 9) and np.all(np.diff(top.values[7]) <= 0)
    # Another unit of the same layer, and the same unit again: instant, from the cache.
    inside.explore(1, 7)  # the ReLU after it: the same unit's weights, another layer
    qtbot.waitUntil(lambda: not explorer.job.running(), timeout=30_000)
    inside.explore(0, 8)
    assert not explorer.job.running() and explorer.tiles.image is not None
    assert explorer.weights.isVisible()
    inside.explore(3, 2)  # the output layer: its weights do not see the pixels
    assert not explorer.weights.isVisible()


def test_a_cnn_feature_map_shows_its_kernel(qtbot, window):
    window.draw_tab.use_model(weights_path("cnn"))
    inside = open_inside(qtbot, window)
    inside.explore(0, 3)
    explorer = inside.explorer
    assert explorer.weights.isVisible() and explorer.weights.image.width() == 5
    assert "kernel" in explorer.weights_caption.text()
    explorer.job.cancel()
    qtbot.waitUntil(lambda: not explorer.job.running(), timeout=10_000)
    assert explorer.cache == {}  # a cancelled ranking is not kept


def test_export_writes_an_svg_that_parses_and_a_png_that_loads(qtbot, window, tmp_path):
    inside = open_inside(qtbot, window)
    svg = inside.export_to(str(tmp_path / "diagram.svg"))
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    png = inside.export_to(str(tmp_path / "diagram.png"))
    image = QImage(str(png))
    assert not image.isNull() and image.width() >= 1000


def test_export_failure_is_a_message(qtbot, window, tmp_path, monkeypatch):
    inside = open_inside(qtbot, window)
    said = []
    monkeypatch.setattr("digitapp.gui.inside.window.QMessageBox.warning",
                        lambda *args: said.append(args[2]))
    assert inside.export_to(str(tmp_path / "missing" / "diagram.svg")) is None
    assert said and "missing" in said[0]


def test_number_mode_says_how_to_see_inside(qtbot, window):
    inside = open_inside(qtbot, window)
    window.draw_tab.set_number_mode(True)
    inside.show_number(None)
    qtbot.waitUntil(lambda: "write one digit" in inside.status.text())
    assert inside.views is None and inside.status.isVisible()


def test_closing_the_main_window_stops_the_background_job(qtbot, window):
    window.draw_tab.use_model(weights_path("cnn"))
    inside = open_inside(qtbot, window)
    inside.explore(8, 0)  # deep in the CNN: a ranking of several seconds
    worker = inside.explorer.job.worker
    assert worker is not None and worker.is_running()
    window.close()
    assert not worker.is_running()
    assert not inside.isVisible()
