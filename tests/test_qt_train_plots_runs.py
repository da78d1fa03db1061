"""The Train tab's right side (issue 18): plots in whole epochs with the legend off the
curves and no drag that loses them; Stop ends the progress text and leaves a part-epoch
off the per-epoch curves; "Use in Draw tab" goes there; a run renamed shows in the table,
the Draw tab's picker and a new store object."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from digitapp.gui.train.plots import TrainingPlots, whole_epoch_ticks, whole_epochs
from digitapp.gui.train.runs_panel import COLUMNS
from digitapp.store.runs import RunStore
from tests.test_store_runs import a_run

RUN_TIMEOUT = 60_000  # ms: generous, the machine may be busy


def all_plots(plots: TrainingPlots):
    return (plots.batch_loss, plots.epoch_loss, plots.accuracy, plots.lr)


@pytest.fixture
def plots(qtbot):
    widget = TrainingPlots()
    qtbot.addWidget(widget)
    widget.resize(700, 450)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def feed(plots: TrainingPlots, first: int, count: int, per_epoch: int) -> None:
    losses = np.linspace(2.3, 0.5, count).astype(np.float32)
    plots.add_batches(first, losses, np.full(count, 1e-3, np.float32), per_epoch)


def test_axes_read_whole_epochs_with_no_scale_after_a_few_batches(plots, qapp):
    feed(plots, 0, 4, 1000)  # 0.004 of an epoch: pyqtgraph alone labelled it "(x0.001)"
    qapp.processEvents()
    for plot in all_plots(plots):
        axis = plot.getAxis("bottom")
        assert re.sub("<[^>]*>", "", axis.labelString()).strip() == "epoch"  # no "(x0.001)"
        low, high = plot.viewRange()[0]
        ticks = axis.tickValues(low, high, axis.width())[0][1]
        assert ticks and all(t == int(t) for t in ticks)
        assert axis.tickStrings(ticks, 1.0, 1.0) == [str(int(t)) for t in ticks]
    assert whole_epoch_ticks(0, 40, 200) == [0.0, 10.0, 20.0, 30.0, 40.0]  # 5 fit in 200 px
    assert whole_epoch_ticks(0, 0.3, 200) == [0.0]


def view_rects(plots: TrainingPlots):
    return [plot.getViewBox().sceneBoundingRect() for plot in all_plots(plots)]


def test_the_legend_is_outside_every_plots_data_area_live_and_comparing(plots, qapp):
    feed(plots, 0, 50, 20)
    plots.add_epoch({"epoch": 0, "train_loss": 1.0, "val_loss": 0.9, "train_accuracy": 0.7,
                     "val_accuracy": 0.8})
    one, two = a_run(), a_run(batches=40)
    one.id, two.id = 3, 5
    for show in (lambda: None, lambda: plots.show_runs([one, two])):
        show()
        qapp.processEvents()
        legend = plots.legend.sceneBoundingRect()
        assert legend.height() > 5 and plots.legend.isVisible()
        assert not any(legend.intersects(rect) for rect in view_rects(plots))
        assert all(plot.legend is None for plot in all_plots(plots))  # no legend item on top
    assert "#3" in plots.legend.text and "#5" in plots.legend.text


def test_a_drag_or_wheel_moves_nothing_and_new_data_moves_the_range(plots, qtbot, qapp):
    feed(plots, 0, 30, 20)
    qapp.processEvents()
    before = [plot.viewRange() for plot in all_plots(plots)]
    for plot in all_plots(plots):
        centre = plots.mapFromScene(plot.getViewBox().sceneBoundingRect().center())
        qtbot.mousePress(plots.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        for step in range(1, 6):
            qtbot.mouseMove(plots.viewport(), centre + QPoint(30 * step, 20 * step))
        qtbot.mouseRelease(plots.viewport(), Qt.MouseButton.LeftButton,
                           pos=centre + QPoint(150, 100))
        assert not any(plot.getViewBox().mouseEnabled())
    qapp.processEvents()
    assert [plot.viewRange() for plot in all_plots(plots)] == before
    feed(plots, 30, 60, 20)  # to 4.5 epochs: every x range follows
    qapp.processEvents()
    for plot in all_plots(plots):
        assert plot.viewRange()[0][1] >= 4.5
    assert "do not pan or zoom" in plots.toolTip()


def test_part_of_an_epoch_is_not_an_epochs_point():
    history = [{"epoch": e} for e in range(3)]
    assert [h["epoch"] for h in whole_epochs(history, 2 * 60 + 17, 60)] == [0, 1]
    assert [h["epoch"] for h in whole_epochs(history, 3 * 60, 60)] == [0, 1, 2]


def test_stop_use_and_rename_from_the_window(fresh_main_window, qtbot, monkeypatch):
    window = fresh_main_window(960, 640)
    tab = window.train_tab
    window.tabs.setCurrentWidget(tab)
    values = {"hidden": "32", "train_size": "600", "val_size": "200", "batch_size": "10",
              "epochs": "50"}
    for key, text in values.items():
        tab.form.fields[key].setText(text)
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.plots.batch_count() >= 90, timeout=RUN_TIMEOUT)
    assert " left" in tab.progress.format()
    qtbot.mouseClick(tab.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.is_running(), timeout=RUN_TIMEOUT)

    # Stopped: no time left; per-epoch points for whole epochs only, at whole epochs.
    run = tab.last_record
    text = tab.progress.format()
    assert run.status == "stopped" and text.startswith("Stopped after") and "left" not in text
    batches = tab.plots.batch_count()
    whole = batches // 60
    assert re.search(rf"epoch {whole + 1 if batches % 60 else whole}$", text)
    for curve in (tab.plots.curves[0].val_acc, tab.plots.curves[0].train_loss):
        assert list(curve.xData) == [float(e) for e in range(1, whole + 1)]
    if batches % 60:
        assert run.epochs_run == whole + 1 and "part of epoch" in tab.banner.text()

    # Use in Draw tab: the Draw tab comes to the front with that model.
    qtbot.mouseClick(tab.use_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.draw_tab
    assert window.active_model.snapshot.path == Path(run.model_path)
    picker = window.draw_tab.ui.picker
    assert re.match(r"MLP 784-32-10, \d+ epochs?, \d+\.\d% \(yours\)", picker.currentText())

    # Rename the run: the table and the picker show the name; a new store object keeps it.
    panel = tab.runs_panel
    panel.select_ids([run.id])
    monkeypatch.setattr(panel, "ask_name", lambda _run: "  first  try ")
    qtbot.mouseClick(panel.rename_button, Qt.MouseButton.LeftButton)
    row = [r.id for r in panel.runs()].index(run.id)
    assert panel.table.item(row, COLUMNS.index("Name")).text().startswith("first try, ")
    assert picker.currentText().startswith("first try, ") and picker.currentText().endswith(
        "(yours)")
    assert RunStore(tab.store.path).get(run.id).name == "first try"
    monkeypatch.setattr(panel, "ask_name", lambda _run: "x" * 200)
    qtbot.mouseClick(panel.rename_button, Qt.MouseButton.LeftButton)
    assert "not renamed" in tab.banner.text() and "at most 60" in tab.banner.text()
