"""The Insights tab with the shipped model, offscreen: confusion matrix, scores, maps."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import Qt

from digitapp.app.maps import MapRequest, layer_choices
from digitapp.app.models import as_model_inputs, open_model
from digitapp.data.mnist import load_mnist

WAIT_MS = 60_000


@pytest.fixture(scope="module")
def reference():
    model, _ = open_model()
    test = load_mnist("test")
    return test, model.predict(as_model_inputs(model, test.inputs()))


@pytest.fixture
def window(fresh_main_window):
    return fresh_main_window(1280, 800)


def _choose(tab, method: str, layer: str = "hidden", points: int = 2000) -> None:
    """Set the map's controls without waiting for the settle timer."""
    for combo, key in ((tab.method_combo, method), (tab.layer_combo, layer)):
        combo.blockSignals(True)
        combo.setCurrentIndex(combo.findData(key))
        combo.blockSignals(False)
    tab.points_spin.blockSignals(True)
    tab.points_spin.setMaximum(10_000 if method == "pca" else 5000)
    tab.points_spin.setValue(points)
    tab.points_spin.blockSignals(False)


def _open_insights(qtbot, window, method="pca", points=2000):
    tab = window.audit_tabs.insights
    _choose(tab, method, points=points)  # before the tab shows: its first map is this one
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.audit is not None, timeout=WAIT_MS)
    return tab


def test_confusion_and_scores(qtbot, window, reference):
    test, predictions = reference
    tab = _open_insights(qtbot, window)
    expected = np.zeros((10, 10), int)
    np.add.at(expected, (test.labels, predictions), 1)
    np.testing.assert_array_equal(tab.confusion.confusion, expected)
    recall_4 = expected[4, 4] / expected[4].sum()
    assert tab.scores.item(4, 1).text() == f"{100 * recall_4:.2f}%"
    assert tab.scores.item(10, 3).text() == "10,000"


def test_confusion_cell_click_filters_mistakes(qtbot, window, reference):
    test, predictions = reference
    tab = _open_insights(qtbot, window)
    off = tab.confusion.confusion.copy()
    np.fill_diagonal(off, 0)
    true, predicted = np.unravel_index(np.argmax(off), off.shape)
    centre = tab.confusion.cell_rect(int(true), int(predicted)).center().toPoint()
    qtbot.mouseClick(tab.confusion, Qt.MouseButton.LeftButton, pos=centre)
    mistakes = window.audit_tabs.mistakes
    assert window.tabs.currentWidget() is mistakes
    expected = np.flatnonzero((test.labels == true) & (predictions == predicted))
    assert sorted(mistakes.model.rows.tolist()) == expected.tolist()
    # The diagonal: the right answers of that class.
    window.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.confusion, Qt.MouseButton.LeftButton,
                     pos=tab.confusion.cell_rect(3, 3).center().toPoint())
    assert mistakes.model.rowCount() == int(np.sum((test.labels == 3) & (predictions == 3)))


def test_pca_map_hover_and_click(qtbot, window, reference):
    test, predictions = reference
    tab = _open_insights(qtbot, window, "pca", 10_000)
    qtbot.waitUntil(lambda: tab.layer_map is not None, timeout=WAIT_MS)
    layer_map = tab.layer_map
    assert layer_map.request == MapRequest("hidden", "pca", 10_000)
    assert sum(len(s.data) for s in tab.map_view.scatters) == 10_000
    np.testing.assert_array_equal(layer_map.predictions, predictions[layer_map.indices])
    # Hover an isolated point (of the 50 farthest from the centre, the one farthest from
    # its nearest neighbour): the card shows it.
    view = tab.map_view
    xy = layer_map.xy
    outer = np.argsort(np.linalg.norm(xy - xy.mean(0), axis=1))[-50:]
    gaps = [np.partition(np.linalg.norm(xy - xy[i], axis=1), 1)[1] for i in outer]
    index = int(layer_map.indices[outer[int(np.argmax(gaps))]])
    where = view.plot.mapFromScene(view.scene_pos_of(index))
    qtbot.mouseMove(view.plot.viewport(), where)
    qtbot.waitUntil(lambda: view.card.isVisible(), timeout=2000)
    assert view.hovered == index
    assert f"#{index}" in view.card.label.text()
    assert f"true <b>{test.labels[index]}</b>" in view.card.label.text()
    # Clicking it opens it in Mistakes.
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=where)
    mistakes = window.audit_tabs.mistakes
    assert window.tabs.currentWidget() is mistakes
    assert mistakes.detail.image_index == index


@pytest.mark.slow
def test_tsne_map_of_2000_points_finishes(qtbot, window, reference):
    """The default map: t-SNE of the hidden layer, 2,000 points (10-25 s on 2 cores)."""
    test, predictions = reference
    tab = _open_insights(qtbot, window, "tsne", 2000)
    qtbot.waitUntil(lambda: tab.layer_map is not None, timeout=120_000)
    layer_map = tab.layer_map
    assert layer_map.request == MapRequest("hidden", "tsne", 2000)
    assert layer_map.xy.shape == (2000, 2) and np.isfinite(layer_map.xy).all()
    np.testing.assert_array_equal(layer_map.labels, test.labels[layer_map.indices])
    np.testing.assert_array_equal(layer_map.predictions, predictions[layer_map.indices])
    for digit, scatter in enumerate(tab.map_view.scatters):
        assert len(scatter.data) == int(np.sum(layer_map.labels == digit))
    hidden = layer_choices(window.draw_tab.active_model.snapshot.model)["hidden"].lower()
    assert f"t-SNE of the {hidden}, 2,000 test images" in tab.map_title.text()


def test_cancel_stops_a_running_tsne(qtbot, window):
    tab = _open_insights(qtbot, window, "tsne", 3000)
    session = tab.session
    qtbot.waitUntil(lambda: "iteration" in tab.status.label.text(), timeout=WAIT_MS)
    assert session.map_running()
    start = time.perf_counter()
    qtbot.mouseClick(tab.status.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not session.map_running(), timeout=5000)
    assert time.perf_counter() - start < 1.0  # measured: a few tens of milliseconds
    assert tab.status.label.text() == "Map cancelled."
    assert tab.status.button.text() == "Retry"
    assert tab.layer_map is None


def test_a_model_change_redraws_everything(qtbot, window, tmp_path):
    from digitapp.app.architectures import build
    from digitapp.engine import save_model

    tab = _open_insights(qtbot, window, "pca", 1000)
    qtbot.waitUntil(lambda: tab.layer_map is not None, timeout=WAIT_MS)
    weak = build("mlp", [16], dropout=0.0, seed=1)
    save_model(weak, tmp_path / "weak", {"name": "weak"})
    window.active_model.use_path(tmp_path / "weak")
    assert tab.layer_map is None and tab.confusion.confusion is None
    qtbot.waitUntil(lambda: tab.layer_map is not None, timeout=WAIT_MS)
    test = load_mnist("test")
    predictions = weak.predict(as_model_inputs(weak, test.inputs()))
    np.testing.assert_array_equal(tab.layer_map.predictions, predictions[tab.layer_map.indices])
    assert int(np.trace(tab.confusion.confusion)) == int(np.sum(predictions == test.labels))
