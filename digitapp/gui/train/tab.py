"""The Train tab: configure a run, start / pause / stop it, watch it learn, keep the result.

Layout: the form and the run buttons on the left; on the right the progress line, a
message banner (result, divergence, errors), the four plots and the Runs table.
Training happens in a TrainingRun's worker thread; this widget only reacts to its signals.
"""

from __future__ import annotations

import contextlib
import html
import os
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from digitapp.app.model_titles import folder_title
from digitapp.app.progress import Progress, format_duration
from digitapp.app.training import new_model_folder
from digitapp.engine import ModelError
from digitapp.engine.model_target import check_model_target
from digitapp.gui.active_model import ActiveModel
from digitapp.gui.model_choice import names_by_folder
from digitapp.gui.train.form import TrainForm
from digitapp.gui.train.plots import TrainingPlots
from digitapp.gui.train.runs_panel import RunsPanel
from digitapp.gui.train.worker import BatchChunk, TrainingRun, blas_threads_for_training
from digitapp.paths import folder_problem, user_models_dir
from digitapp.store.runs import RunRecord, RunStore

# Banner colours: text on a tinted background, readable in light and dark palettes.
TONES = {"good": ("#1e5e2a", "#dff3e2"), "bad": ("#7a1b14", "#fbe3e1"),
         "note": ("#5c4a00", "#fff4cc")}


def ended_text(status: str, progress: Progress | None) -> str:
    """Return the progress bar's text once a run has ended with `status` (no time left):
    'Stopped after 234 of 300 batches of epoch 4', 'Finished 2 epochs', ..."""
    if progress is None:
        return {"completed": "Finished", "stopped": "Stopped before the first batch"}.get(
            status, status.capitalize())
    where = f"epoch {progress.epoch}"
    if progress.batch < progress.batches_per_epoch:
        where = f"{progress.batch} of {progress.batches_per_epoch} batches of {where}"
    if status == "completed":
        return f"Finished {progress.epochs} epoch{'' if progress.epochs == 1 else 's'}"
    if status == "stopped":
        return f"Stopped after {where}"
    if status == "diverged":
        return f"Diverged after {where}"
    return f"Failed after {where}"


def save_problem(folder: Path) -> str | None:
    """Return why a model cannot be saved as the new folder `folder`, or None if it can.

    Creates the models folder (folder's parent) if missing, then has a folder made and
    removed there: a permission check alone says yes to root and to read-only disks.
    """
    problem = folder_problem(folder.parent)
    if problem is not None:
        return f"{folder.parent}: {problem}"
    try:
        check_model_target(folder)
    except ModelError as exc:
        return str(exc)
    return None


class TrainTab(QWidget):
    """Train a network from the GUI; results go to the user's models folder and the Runs."""

    model_used = Signal()  # a model was handed to the Draw tab: the window shows that tab

    def __init__(self, active_model: ActiveModel | None, store: RunStore,
                 models_dir: Path | None = None, parent: QWidget | None = None) -> None:
        """active_model None: no "Use this model" (a tab without a Draw tab to hand it to).
        store: the runs history, built by the app's root (gui/app.py) or a test."""
        super().__init__(parent)
        self.setObjectName("trainTab")
        self.active_model = active_model
        self.models_dir = Path(models_dir) if models_dir is not None else user_models_dir()
        self.run: TrainingRun | None = None
        # BLAS threads of a run beside the other work measured; a benchmark or a test may
        # set another rule (a fixed count) before Start.
        self.blas_rule = blas_threads_for_training
        self.last_record: RunRecord | None = None
        self._last_progress: Progress | None = None  # the running run's latest
        self._close_when_done = False
        self.store = store
        self._build()
        notice = self._history_notice()
        if notice:
            self.show_message(html.escape(notice), "note")

    def _history_notice(self) -> str | None:
        """Return what cannot be saved or was replaced at start, in words, or None."""
        notes = []
        reason = folder_problem(self.models_dir)
        if reason:
            notes.append(f"Trained models cannot be saved: {self.models_dir} cannot be "
                         f"written ({reason}).")
        if self.store.notice:
            notes.append(self.store.notice)
        folder = self.store.path.parent
        reason = folder_problem(folder)  # SQLite writes its journal beside the file
        if reason:
            notes.append(f"Runs cannot be recorded: {folder} cannot be written ({reason}).")
        elif self.store.problem:
            notes.append(f"The runs history cannot be opened now ({self.store.problem}): "
                         "runs are recorded as soon as it can be.")
        return " ".join(notes) or None

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.form = TrainForm()
        self.start_button = QPushButton("Start")
        self.pause_button = QPushButton("Pause")
        self.stop_button = QPushButton("Stop")
        for name, button in (("startButton", self.start_button),
                             ("pauseButton", self.pause_button),
                             ("stopButton", self.stop_button)):
            button.setObjectName(name)
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)
        self.form.changed.connect(self._update_buttons)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.form)
        run_buttons = QHBoxLayout()
        for button in (self.start_button, self.pause_button, self.stop_button):
            run_buttons.addWidget(button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(scroll, 1)
        left_layout.addLayout(run_buttons)
        left_layout.addWidget(self.form.problems)  # "Start is off: ..." under the buttons
        # Wide enough for every label and menu unclipped (no sideways scrolling); wider
        # windows give the form a third of the room, up to 1.4x that.
        left.setMinimumWidth(self.form.column_width())
        left.setMaximumWidth(round(1.4 * self.form.column_width()))

        self.status = QLabel("Choose a preset or set the values, then press Start.")
        self.status.setObjectName("trainStatus")
        self.progress = QProgressBar()
        self.progress.setObjectName("trainProgress")
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        self.banner = QLabel()
        self.banner.setObjectName("trainBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()
        self.use_button = QPushButton("Use in Draw tab")
        self.use_button.setObjectName("useInDrawButton")
        self.use_button.clicked.connect(self.use_last_model)
        self.use_button.hide()
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignTop)

        self.plots = TrainingPlots()
        self.live_button = QPushButton("Back to the live run")
        self.live_button.setObjectName("liveButton")
        self.live_button.clicked.connect(self.show_live)
        self.live_button.hide()
        self.runs_panel = RunsPanel(self.store, self.models_dir)
        self.runs_panel.show_runs.connect(self.show_runs)
        self.runs_panel.use_model.connect(self.use_model)
        self.runs_panel.message.connect(lambda text: self.show_message(html.escape(text), "note"))
        self.runs_panel.models_deleted.connect(self._models_deleted)
        if self.active_model is None:  # nothing to hand a model to
            self.runs_panel.use_button.hide()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("plotsRunsSplitter")
        splitter.addWidget(self.plots)
        splitter.addWidget(self.runs_panel)
        # Plots 2 : runs 1 (three runs in view at 960x640, more when taller); drag to change.
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.handle(1).setToolTip("Drag to share the height between plots and runs")
        splitter.setChildrenCollapsible(False)

        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.live_button)
        right = QVBoxLayout()
        right.addLayout(status_row)
        right.addWidget(self.progress)
        right.addLayout(banner_row)
        right.addWidget(splitter, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(left, 1)
        layout.addLayout(right, 2)
        self._update_buttons()

    # -- run control -----------------------------------------------------------------------
    def start(self) -> None:
        """Start a run with the form's job (does nothing while one runs or the form is bad)."""
        job = self.form.job()
        if job is None or self.is_running():
            return
        folder = new_model_folder(self.models_dir, job)
        problem = save_problem(folder)
        if problem is not None:  # a run whose model cannot be saved is not started
            self.show_message(f"<b>Training was not started</b>: the model could not be "
                              f"saved. {html.escape(problem)}", "bad")
            return
        self.banner.hide()
        self.use_button.hide()
        self.plots.start_live()
        self.live_button.hide()
        self.progress.setValue(0)
        self.progress.setFormat("")
        self._last_progress = None
        self.run = TrainingRun(job, folder, self.store, self, blas_rule=self.blas_rule)
        # The run's signals come in the GUI thread (its worker's go to its own slots).
        self.run.batches.connect(self._on_batches)
        self.run.epoch_done.connect(self._on_epoch)
        self.run.stage.connect(self.status.setText)
        self.run.finished.connect(self._on_finished)
        self.run.start()
        self._update_buttons()

    def toggle_pause(self) -> None:
        if self.run is None or self.run.stopping:
            return
        if self.run.paused:
            self.run.resume()
            self.status.setText("Training")
        else:
            self.run.pause()
            self.status.setText("Paused: press Resume to go on, or Stop to keep the best "
                                "epoch so far")
        self._update_buttons()

    def stop(self) -> None:
        if self.run is None or self.run.stopping:
            return
        self.run.stop()
        self.status.setText("Stopping after the current batch; the best epoch so far is kept")
        self._update_buttons()

    def is_running(self) -> bool:
        return self.run is not None

    def _update_buttons(self) -> None:
        running = self.run is not None
        stopping = running and self.run.stopping
        self.start_button.setEnabled(not running and self.form.job() is not None)
        self.form.setEnabled(not running)
        self.pause_button.setEnabled(running and not stopping)
        self.pause_button.setText("Resume" if running and self.run.paused else "Pause")
        self.stop_button.setEnabled(running and not stopping)

    # -- the worker's signals ----------------------------------------------------------------
    @Slot(object)
    def _on_batches(self, chunk: BatchChunk) -> None:
        self.plots.add_batches(chunk.first, chunk.losses, chunk.lrs, chunk.batches_per_epoch)
        self._last_progress = chunk.progress
        self.progress.setValue(round(1000 * chunk.progress.fraction))
        self.progress.setFormat(chunk.progress.text())

    @Slot(object)
    def _on_epoch(self, event) -> None:
        self.plots.add_epoch({"epoch": event.epoch, "train_loss": event.train_loss,
                              "val_loss": event.val_loss,
                              "train_accuracy": event.train_accuracy,
                              "val_accuracy": event.val_accuracy})

    @Slot(object)
    def _on_finished(self, record: RunRecord | None) -> None:
        run = self.sender()
        if isinstance(run, TrainingRun):
            run.deleteLater()  # its thread has ended: it and its worker go
        self.run = None
        self.last_record = record
        self.runs_panel.refresh()
        self._update_buttons()
        self._update_live_button()
        self.progress.setFormat(ended_text(record.status if record else "failed",
                                           self._last_progress))
        if record is not None and record.status == "completed":
            self.progress.setValue(self.progress.maximum())
        if record is not None:
            self._report(record)
        else:  # the worker itself failed: no run to report, but never silence
            why = run.failure if isinstance(run, TrainingRun) else ""
            self.status.setText("Failed")
            self.show_message(f"<b>Training failed</b>: "
                              f"{html.escape(why or 'the run ended without a record')}", "bad")
        if self._close_when_done:
            self.window().close()

    def _report(self, run: RunRecord) -> None:
        saved = ""
        if run.model_path:
            saved = (f" Test accuracy <b>{100 * run.test_accuracy:.2f}%</b>. "
                     f"Saved to <tt>{html.escape(run.model_path)}</tt>.")
        took = format_duration(run.seconds)
        epochs = f"{run.epochs_run} epoch{'' if run.epochs_run == 1 else 's'}"
        whole = self.plots.whole_epoch_count()
        if run.status == "stopped" and whole < run.epochs_run:  # stopped inside an epoch
            epochs = (f"{whole} whole epoch{'' if whole == 1 else 's'} and part of epoch "
                      f"{whole + 1} (not plotted as an epoch)")
        if run.status == "completed":
            self.status.setText("Finished")
            text, tone = f"Finished {epochs} in {took}.{saved}", "good"
        elif run.status == "stopped":
            self.status.setText("Stopped")
            kept = (" The best epoch so far was kept." if run.model_path
                    else f" {html.escape(run.message)}")
            text, tone = f"Stopped after {epochs}.{kept}{saved}", "note"
        elif run.status == "diverged":
            self.status.setText("Diverged")
            text = f"<b>Training diverged</b>: {html.escape(run.message)}"
            text += saved or " No epoch had finished, so there was no model to save."
            tone = "bad"
        else:
            self.status.setText("Failed")
            text, tone = f"<b>Training failed</b>: {html.escape(run.message)}", "bad"
        self.show_message(text, tone)
        self.use_button.setVisible(bool(run.model_path) and self.active_model is not None)

    # -- what the plots show ---------------------------------------------------------------
    def show_runs(self, runs: list) -> None:
        """Show stored runs' curves; the live run keeps being recorded meanwhile."""
        self.plots.show_runs(runs)
        self._update_live_button()

    def show_live(self) -> None:
        self.plots.show_live()
        self._update_live_button()

    def _update_live_button(self) -> None:
        has_live = self.plots.batch_count() > 0 or self.run is not None
        self.live_button.setText("Back to the live run" if self.run is not None
                                 else "Show the last run")
        self.live_button.setVisible(has_live and not self.plots.live)

    # -- results -----------------------------------------------------------------------------
    def show_message(self, text: str, tone: str = "note") -> None:
        fg, bg = TONES[tone]
        self.banner.setStyleSheet(f"QLabel {{ color: {fg}; background: {bg}; "
                                  "border-radius: 4px; padding: 6px; }")
        self.banner.setText(text)
        self.banner.show()

    def use_last_model(self) -> None:
        if self.last_record is not None and self.last_record.model_path:
            self.use_model(self.last_record.model_path)

    def use_model(self, path: str) -> None:
        """Make the model folder `path` the one the Draw tab classifies with."""
        if self.active_model is None:
            return
        try:
            snapshot = self.active_model.use_path(path)
        except ModelError as exc:
            self.show_message(f"That model cannot be used: {html.escape(str(exc))}", "bad")
            return
        names = names_by_folder(self.store)
        title = folder_title(snapshot.path, names.get(os.path.normpath(snapshot.path)))
        self.show_message(f"<b>{html.escape(title.text)}</b> is now the model of the Draw tab "
                          "(shown there now).", "good")
        self.model_used.emit()

    def _models_deleted(self, paths: list[str]) -> None:
        snapshot = self.active_model.snapshot if self.active_model is not None else None
        if snapshot is not None and str(snapshot.path) in paths:
            with contextlib.suppress(ModelError):
                self.active_model.use_path(None)  # back to the shipped model

    # -- closing ---------------------------------------------------------------------------
    def can_close(self) -> bool:
        """Return True if the window may close now; while training, ask, then stop the run
        and close the window once it has ended (so the best epoch is saved, whole)."""
        if self.run is None:
            return True
        if self._close_when_done:
            return False  # already stopping; the window closes when the run has ended
        if not self.confirm_stop():
            return False
        self._close_when_done = True
        self.stop()  # also wakes a paused run
        self.status.setText("Stopping, saving the best epoch, then closing")
        return False

    @Slot()
    def shutdown(self) -> None:
        """Stop a run and block until its thread has ended (its best epoch saved).

        For the last moments of the application or of this widget; the main window's
        close goes through `can_close` instead, which keeps the window responsive.
        """
        if self.run is None:
            return
        run, self.run = self.run, None
        run.stop()
        run.wait(-1)
        run.deleteLater()  # its thread has ended: it and its worker go

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        self.shutdown()  # only reached with a run if this tab is a window of its own
        super().closeEvent(event)

    def confirm_stop(self) -> bool:
        """Ask whether to stop the run and close (a method of its own so tests can answer)."""
        answer = QMessageBox.question(
            self, "Training is running",
            "Stop training and close digitapp? The best epoch so far is saved first.")
        return answer == QMessageBox.StandardButton.Yes
