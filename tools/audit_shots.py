"""The Mistakes and Insights tabs set up for screenshots (used by tools/screenshots.py).

Each function brings a shown MainWindow to a state worth a picture, waiting for the
background work (the test-set evaluation, the map) as a person would.
"""

from __future__ import annotations

import time

import numpy as np

TIMEOUT = 180.0  # seconds: a t-SNE of 2,000 points takes 10-25 s on two busy cores


def wait_for(app, condition, timeout: float = TIMEOUT) -> None:
    """Process events until condition() is true; raise TimeoutError after `timeout` s."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the app did not get there in time")
        app.processEvents()
        time.sleep(0.02)


def show_mistakes(window, app) -> str:
    """Open Mistakes with the most confident mistake selected; return what it shows."""
    tab = window.audit_tabs.mistakes
    window.tabs.setCurrentWidget(tab)
    wait_for(app, lambda: tab.audit is not None)
    tab.view.setCurrentIndex(tab.model.index(0))  # as a click on the first: its detail
    return f"{tab.model.rowCount()} mistakes, detail of test image #{tab.detail.image_index}"


def show_insights(window, app, method: str = "tsne", points: int = 2000) -> str:
    """Open Insights on a map of the hidden layer, the mouse over one of the mistakes."""
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    tab = window.audit_tabs.insights
    tab.method_combo.setCurrentIndex(tab.method_combo.findData(method))
    tab.points_spin.setValue(points)
    window.tabs.setCurrentWidget(tab)
    wait_for(app, lambda: tab.layer_map is not None and tab.layer_map.request.method == method)
    for _ in range(5):
        app.processEvents()
    layer_map, view = tab.layer_map, tab.map_view
    # Hover a mistake away from the crowd, so the card has something to tell.
    wrong = np.flatnonzero(layer_map.labels != layer_map.predictions)
    centre = layer_map.xy.mean(axis=0)
    pick = wrong[np.argmax(np.linalg.norm(layer_map.xy[wrong] - centre, axis=1))] if len(
        wrong) else 0
    index = int(layer_map.indices[pick])
    where = view.plot.mapFromScene(view.scene_pos_of(index))
    QTest.mouseMove(view.plot.viewport(), QPoint(where.x(), where.y()))
    for _ in range(5):
        app.processEvents()
    return f"{layer_map.title}, computed in {layer_map.seconds:.1f} s, hovering #{index}"
