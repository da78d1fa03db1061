"""The Train tab, offscreen: a real run in its thread, pause/resume/stop, divergence, closing
the window mid-run, the form refusing bad values, and the Runs table across a restart.

Runs are tiny (a few hundred images, a 32-unit layer) so that the file takes seconds.
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from threadpoolctl import threadpool_info

from digitapp.app.models import as_model_inputs, open_model
from digitapp.app.training import TrainingJob
from digitapp.data.augment import AugmentConfig
from digitapp.data.mnist import load_mnist
from digitapp.engine import read_manifest
from digitapp.engine.parallel import DataParallelStep
from digitapp.gui.active_model import ActiveModel
from digitapp.gui.app import build_main_window
from digitapp.gui.train.runs_panel import COLUMNS
from digitapp.gui.train.tab import TrainTab
from digitapp.gui.train.worker import TrainingRun, training_updates
from digitapp.gui.worker import WorkerControl
from digitapp.paths import weights_path
from digitapp.store.runs import RunStore

RUN_TIMEOUT = 60_000  # ms: generous, the machine may be busy


def blas_threads() -> int:
    """Return the BLAS thread count in force now."""
    return max(lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas")


def make_tab(qtbot, tmp_path, active_model=None) -> TrainTab:
    tab = TrainTab(active_model, RunStore(tmp_path / "runs.sqlite3"), tmp_path / "models")
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    tab.show()
    return tab


def fill(tab: TrainTab, **values: str) -> None:
    """Type values into the form's fields (keys as in digitapp.gui.train.form.FIELDS)."""
    for key, text in values.items():
        tab.form.fields[key].setText(text)


TINY = {"hidden": "32", "train_size": "600", "val_size": "200", "batch_size": "10"}


def run_to_end(qtbot, tab: TrainTab, **values: str):
    fill(tab, **{**TINY, **values})
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert tab.is_running()
    qtbot.waitUntil(lambda: not tab.is_running(), timeout=RUN_TIMEOUT)
    return tab.last_record


def test_a_run_streams_pauses_resumes_stops_and_its_model_predicts(qtbot, tmp_path,
                                                                  monkeypatch):
    active = ActiveModel()
    tab = make_tab(qtbot, tmp_path, active)
    # Every update reaches the widgets in the GUI thread, never the training thread.
    threads = set()
    add_batches = tab.plots.add_batches
    monkeypatch.setattr(tab.plots, "add_batches", lambda *args: (
        threads.add(threading.current_thread().name), add_batches(*args)))
    fill(tab, **TINY, epochs="500")  # far more than the test lets it run
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.plots.batch_count() >= 30, timeout=RUN_TIMEOUT)
    assert re.match(r"Epoch \d+/500 · batch \d+/60 · [\d,]+ samples/s", tab.progress.format())

    qtbot.mouseClick(tab.pause_button, Qt.MouseButton.LeftButton)
    assert tab.pause_button.text() == "Resume"
    qtbot.wait(400)  # the batch in flight finishes and is flushed to the plot
    paused_at = tab.plots.batch_count()
    qtbot.wait(700)
    assert tab.plots.batch_count() == paused_at  # no batch while paused

    qtbot.mouseClick(tab.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.plots.batch_count() >= paused_at + 30, timeout=RUN_TIMEOUT)
    # Looking at stored runs meanwhile does not lose live points.
    tab.show_runs([])
    assert tab.live_button.isVisible()
    seen = tab.plots.batch_count()
    qtbot.waitUntil(lambda: tab.plots.batch_count() > seen, timeout=RUN_TIMEOUT)
    qtbot.mouseClick(tab.live_button, Qt.MouseButton.LeftButton)
    assert tab.plots.live and not tab.live_button.isVisible()
    assert len(tab.plots.curves[0].raw.yData) >= seen
    qtbot.mouseClick(tab.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.is_running(), timeout=RUN_TIMEOUT)

    run = tab.last_record
    assert run.status == "stopped" and run.epochs_run >= 1
    assert "best epoch so far was kept" in tab.banner.text()
    assert Path(run.model_path).parent == tmp_path / "models"
    model, manifest = open_model(run.model_path)
    assert manifest["training"]["status"] == "stopped"
    test = load_mnist("test")
    predicted = model.predict(test.inputs()[:500].reshape(500, 784))
    assert (predicted == test.labels[:500]).mean() > 0.5  # it learned something
    assert len(run.batch_loss) == tab.plots.batch_count()  # every batch reached the plot
    assert threads == {threading.main_thread().name}

    qtbot.mouseClick(tab.use_button, Qt.MouseButton.LeftButton)
    assert active.snapshot is not None and active.snapshot.path == Path(run.model_path)


def test_an_absurd_learning_rate_ends_as_diverged_with_the_explanation(qtbot, tmp_path):
    tab = make_tab(qtbot, tmp_path)
    run = run_to_end(qtbot, tab, lr="1000", epochs="2")
    assert run.status == "diverged"
    text = tab.banner.text()
    assert "diverged" in text and "learning rate" in text and "Try a lower one" in text
    assert "no model to save" in text and run.model_path is None
    assert tab.status.text() == "Diverged" and tab.start_button.isEnabled()
    assert tab.runs_panel.runs()[0].status == "diverged"


def test_closing_the_window_while_training_asks_then_stops_cleanly(qtbot, monkeypatch):
    window = build_main_window()
    qtbot.addWidget(window)
    window.show()
    tab = window.train_tab
    fill(tab, **TINY, epochs="500")
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.plots.batch_count() >= 10, timeout=RUN_TIMEOUT)
    run = tab.run

    monkeypatch.setattr(tab, "confirm_stop", lambda: False)  # "No": keep training
    assert window.close() is False
    assert window.isVisible() and tab.is_running()

    asked = []
    monkeypatch.setattr(tab, "confirm_stop", lambda: asked.append(1) or True)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=RUN_TIMEOUT)
    assert asked == [1]
    assert run.worker.qthread.isFinished() and not run.worker.qthread.isRunning()
    models = tab.models_dir
    folders = [p for p in models.iterdir()]
    assert all(not p.name.startswith(".") for p in folders)  # no half-written temporary
    saved = Path(tab.last_record.model_path)
    assert saved in folders
    open_model(saved)  # whole: every file present, every checksum right


def test_a_tab_closed_on_its_own_mid_run_stops_and_waits_for_its_thread(qtbot, tmp_path):
    # Not through the main window (no question asked): the widget's own last moments.
    tab = make_tab(qtbot, tmp_path)
    fill(tab, **TINY, epochs="500")
    tab.start()
    qtbot.waitUntil(lambda: tab.plots.batch_count() >= 10, timeout=RUN_TIMEOUT)
    run = tab.run
    tab.close()
    assert run.worker.qthread.isFinished() and not tab.is_running()
    assert [p.name.startswith(".") for p in tab.models_dir.iterdir()] == [False]


def test_a_model_that_cannot_be_saved_is_a_message_and_a_recorded_run(qtbot, tmp_path,
                                                                      monkeypatch):
    # The folder breaks during the run: Start's own check (tests/test_train_options.py)
    # is told all is well, as it was when the run started.
    monkeypatch.setattr("digitapp.gui.train.tab.save_problem", lambda folder: None)
    tab = make_tab(qtbot, tmp_path)
    tab.models_dir = tmp_path / "not-a-folder"
    tab.models_dir.write_text("a file where the models folder should be")
    run = run_to_end(qtbot, tab, epochs="1")
    assert run.status == "error" and run.epochs_run == 1
    assert "the run completed, but its model could not be saved" in tab.banner.text()
    assert "Traceback" not in tab.banner.text()
    assert tab.runs_panel.runs()[0].status == "error"


@pytest.mark.parametrize(("key", "text", "reason"), [
    ("lr", "-1", "a number > 0"),
    ("lr", "fast", "a number > 0"),
    ("hidden", "512, many", "separated by commas"),
    ("epochs", "0", "a whole number from 1"),
    ("dropout", "1.5", "a number in [0, 0.9]"),
    ("train_size", "59000", "at most 58,000"),  # the default preset holds out 2,000
])
def test_invalid_values_are_refused_at_the_field_with_a_reason(qtbot, tmp_path, key, text,
                                                                reason):
    tab = make_tab(qtbot, tmp_path)
    assert tab.start_button.isEnabled()
    field = tab.form.fields[key]
    field.setText(text)
    assert field.problem is not None and reason in field.problem
    assert reason in field.toolTip()
    assert reason in tab.form.problems.text() and tab.form.problems.isVisible()
    assert not tab.start_button.isEnabled()
    tab.start()  # even called directly, nothing starts
    assert not tab.is_running()
    field.setText({"lr": "0.001", "hidden": "64", "epochs": "3", "dropout": "0.1",
                   "train_size": ""}[key])
    assert field.problem is None and tab.start_button.isEnabled()


def shipped_augment(training: dict) -> dict:
    """A shipped model.json's augmentation as asdict(AugmentConfig) gives it (settings
    added after the model was trained are at their defaults, i.e. off)."""
    return {**asdict(AugmentConfig()), **training["augment"],
            "scale_range": tuple(training["augment"]["scale_range"])}


def test_presets_fill_the_form(qtbot, tmp_path):
    tab = make_tab(qtbot, tmp_path)
    tab.form.preset.setCurrentText("Best MLP")
    job = tab.form.job()
    # "Best MLP" is the shipped model's recipe.
    shipped = read_manifest(weights_path("mlp-512"))["training"]
    assert job.hidden == shipped["hidden"] and job.dropout == shipped["dropout"]
    assert asdict(job.augment) == shipped_augment(shipped)
    assert {k: v for k, v in asdict(job.config).items() if k in shipped["config"]} == {
        k: v for k, v in shipped["config"].items() if k in asdict(job.config)}
    tab.form.fields["epochs"].setText("31")
    assert tab.form.preset.currentText() == "Custom"
    tab.form.preset.setCurrentText("Seed recipe (40 epochs)")
    job = tab.form.job()
    assert job.config.epochs == 40 and job.config.schedule == "step" and job.augment is None


def test_the_best_cnn_preset_is_the_shipped_cnns_recipe(qtbot, tmp_path):
    tab = make_tab(qtbot, tmp_path)
    tab.form.preset.setCurrentText("Best CNN (30 epochs)")
    job = tab.form.job()
    shipped = read_manifest(weights_path("cnn"))["training"]
    assert job.arch == shipped["arch"] == "cnn3" and job.dropout == shipped["dropout"]
    assert not tab.form.fields["hidden"].isEnabled()  # a CNN's layers are fixed
    assert asdict(job.augment) == shipped_augment(shipped)
    assert {k: v for k, v in asdict(job.config).items() if k in shipped["config"]} == {
        k: v for k, v in shipped["config"].items() if k in asdict(job.config)}
    assert job.config.workers == 2  # half a batch per core, as the shipped run
    tab.form.preset.setCurrentText("Quick CNN (under a minute)")
    assert tab.form.job().arch == "cnn" and tab.form.job().config.workers == 2
    tab.form.preset.setCurrentText("Best MLP")
    assert tab.form.job().config.workers == 1


def test_the_runs_table_survives_a_restart_shows_compares_and_deletes(qtbot, tmp_path,
                                                                     monkeypatch):
    tab = make_tab(qtbot, tmp_path)
    first = run_to_end(qtbot, tab, epochs="1")
    second = run_to_end(qtbot, tab, epochs="2", lr="0.003")
    assert first.status == second.status == "completed"
    tab.close()

    # A restart: a new tab and a new store object on the same file.
    again = make_tab(qtbot, tmp_path)
    panel = again.runs_panel
    assert [r.id for r in panel.runs()] == [second.id, first.id]
    assert panel.table.item(0, COLUMNS.index("Status")).text() == "completed"

    panel.select_ids([first.id])
    qtbot.mouseClick(panel.show_button, Qt.MouseButton.LeftButton)
    curves = again.plots.curves
    assert len(curves) == 1 and len(curves[0].raw.yData) == len(first.batch_loss)
    panel.select_ids([first.id, second.id])
    assert panel.compare_button.isEnabled()
    qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    assert len(again.plots.curves) == 2
    # One curve per run: the 1-epoch run has one validation point, the 2-epoch run two.
    assert sorted(len(c.val_acc.yData) for c in again.plots.curves) == [1, 2]
    assert np.isfinite(again.plots.curves[0].smooth.yData).all()

    monkeypatch.setattr(panel, "confirm_delete", lambda runs: True)
    panel.select_ids([first.id])
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert [r.id for r in panel.runs()] == [second.id]
    assert not Path(first.model_path).exists() and Path(second.model_path).exists()


def test_a_corrupted_database_gives_a_clear_message_and_a_fresh_one(qtbot, tmp_path):
    path = tmp_path / "runs.sqlite3"
    path.write_bytes(b"\x00\x01 not SQLite at all " * 100)
    tab = make_tab(qtbot, tmp_path)
    text = tab.banner.text()
    assert tab.banner.isVisible() and "could not be read" in text and "new, empty" in text
    kept = list(tmp_path.glob("runs.damaged-*.sqlite3"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"\x00\x01 not SQLite")
    assert tab.runs_panel.runs() == []
    run_to_end(qtbot, tab, epochs="1")
    assert len(RunStore(path).runs()) == 1  # the fresh database records runs


def test_a_cnn_trains_from_the_tab_on_two_threads_and_its_model_predicts(
        qtbot, tmp_path, monkeypatch):
    # Were the worker to allow two BLAS threads, the replica runner would still hold one.
    before = blas_threads()
    counts = []  # BLAS threads in force at each data-parallel step, in the training thread
    step = DataParallelStep.__call__

    def counting_step(self, x, y):
        counts.append(blas_threads())
        return step(self, x, y)

    monkeypatch.setattr(DataParallelStep, "__call__", counting_step)
    tab = make_tab(qtbot, tmp_path)
    asked = []
    tab.blas_rule = lambda others_busy: asked.append(others_busy) or 2
    tab.form.network.setCurrentText("CNN, 2 blocks")
    fill(tab, **{**TINY, "epochs": "1", "batch_size": "32", "lr": "0.002"})
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.is_running(), timeout=RUN_TIMEOUT)
    # Two data-parallel threads, each with one BLAS thread (never 2 x 2 on two cores).
    assert asked and asked[0] is None  # the tab's rule was the one asked, first unmeasured
    assert counts and set(counts) == {1}
    assert blas_threads() == before  # the run's requests are all released
    record = tab.last_record
    assert record.status == "completed"
    model, manifest = open_model(record.model_path)
    assert manifest["training"]["arch"] == "cnn"
    assert manifest["training"]["config"]["workers"] == 2
    test = load_mnist("test")
    x = as_model_inputs(model, test.inputs()[:500])
    assert (model.predict(x) == test.labels[:500]).mean() > 0.5  # 600 images, one epoch


def test_step_schedule_and_augmentation_strengths_are_in_the_form(qtbot, tmp_path):
    tab = make_tab(qtbot, tmp_path)
    form = tab.form
    form.preset.setCurrentText("Seed recipe (40 epochs)")
    assert form.fields["step_every"].text() == "5" and form.fields["step_factor"].text() == "0.8"
    assert form.fields["step_every"].isEnabled() and not form.fields["aug_shift"].isEnabled()
    fill(tab, step_every="3", step_factor="0.5")
    job = form.job()
    assert (job.config.schedule, job.config.step_every, job.config.step_factor) == ("step", 3, 0.5)
    assert form.preset.currentText() == "Custom"
    fill(tab, step_factor="1.5")  # a factor must shrink the rate
    assert form.job() is None and "times factor" in form.problems.text()

    form.preset.setCurrentText("Best MLP")  # cosine and augmentation
    assert not form.fields["step_every"].isEnabled() and form.fields["aug_rotation"].isEnabled()
    assert form.preset.currentText() == "Best MLP"  # the fields reproduce the preset exactly
    fill(tab, aug_shift="3", aug_rotation="20", aug_scale="0.2", aug_thickness="0")
    augment = form.job().augment
    assert (augment.max_shift, augment.max_rotation, augment.thickness_prob) == (3, 20, 0)
    assert augment.scale_range == pytest.approx((0.8, 1.2))
    assert form.preset.currentText() == "Custom"
    form.augment.setChecked(False)
    assert form.job().augment is None and not form.fields["aug_shift"].isEnabled()


def test_finished_and_shut_down_runs_are_deleted_with_their_workers(qtbot, tmp_path):
    tab = make_tab(qtbot, tmp_path)
    for _ in range(2):
        assert run_to_end(qtbot, tab, epochs="1").status == "completed"
    fill(tab, epochs="500")
    tab.start()
    qtbot.waitUntil(lambda: tab.plots.batch_count() >= 1, timeout=RUN_TIMEOUT)
    assert len(tab.findChildren(TrainingRun)) == 1  # the live one
    tab.shutdown()  # the application's quit: stops and waits
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert tab.findChildren(TrainingRun) == []


def test_a_worker_that_fails_says_so_and_frees_the_buttons(qtbot, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the data could not be read")

    monkeypatch.setattr("digitapp.gui.train.worker.record_training", broken)
    tab = make_tab(qtbot, tmp_path)
    assert run_to_end(qtbot, tab, epochs="1") is None
    assert tab.status.text() == "Failed"
    assert tab.banner.isVisible()
    assert "Training failed" in tab.banner.text()
    assert "the data could not be read" in tab.banner.text()
    assert tab.start_button.isEnabled() and not tab.stop_button.isEnabled()
    assert not tab.pause_button.isEnabled() and tab.form.isEnabled()


@pytest.mark.parametrize("data_dir, said", [(None, "Loading MNIST"),
                                            ("/my/digits", "Loading the data")])
def test_the_loading_stage_names_the_data_it_loads(tmp_path, data_dir, said):
    job = TrainingJob(hidden=[8], train_size=200, val_size=50, data_dir=data_dir)
    updates = training_updates(job, tmp_path / "model", None, WorkerControl())
    assert next(updates) == said  # the first stage, before anything is loaded
    updates.close()
