"""`digitapp --self-test`: check that this installation works, end to end, in seconds.

How a build and an installation are checked (CI runs it on the frozen app). Four steps,
each printed on one line, `ok` or `FAIL` with the reason:

1. window    the main window opens offscreen, with the shipped model and the bundled font
2. classify  the bundled digit (resources/selftest/digit-<d>.png) goes through the Draw
             tab's real path: image file -> canvas -> throttled prediction; must read <d>
3. train     a few batches on a small MNIST subset in the Train tab's worker thread; the
             run saves a model and is recorded in the runs database
4. models    that model is loaded, saved to another folder, loaded again (same weights,
             same answers) and used by the Draw tab

Everything it writes (settings, runs database, models) goes to a temporary folder that is
removed at the end: the user's own settings and models are never touched. Exit 0 only if
every step worked; otherwise 1, and one line on stderr naming each failed step and why.
"""

from __future__ import annotations

import logging
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import PySide6
from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEventLoop,
    QObject,
    QSettings,
    Slot,
)
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication
from threadpoolctl import threadpool_info

from digitapp import __version__
from digitapp.app.classify import classify_file
from digitapp.app.models import open_model
from digitapp.app.not_a_digit import shipped_check
from digitapp.app.training import TrainingJob, new_model_folder
from digitapp.engine import TrainConfig, save_model
from digitapp.engine.model_save import RESERVED_KEYS
from digitapp.gui.app import build_main_window, configure_application
from digitapp.gui.train.worker import TrainingRun
from digitapp.paths import resource_path

EXIT_OK, EXIT_FAILED = 0, 1
TRAIN_IMAGES, VAL_IMAGES, BATCH = 512, 100, 64  # 8 batches: seconds, not minutes
# 8 seeded batches reach about 37% on the test set: well clear of chance (10%).
MIN_ACCURACY = 0.2
TIMEOUT_S = 120  # per wait on the event loop; a healthy run needs a few seconds


class StepFailed(Exception):
    """A self-test step did not work; the message is its one-line reason."""


@dataclass
class SelfTest:
    """The state the steps share (each step reads what the previous ones left)."""

    folder: Path
    say: Callable[[str], None]
    app: object = None
    window: object = None
    digit_file: Path | None = None
    model_path: Path | None = None
    failures: list[str] = field(default_factory=list)

    def run_step(self, name: str, step: Callable[[SelfTest], str]) -> None:
        start = time.perf_counter()
        try:
            detail = step(self)
        except StepFailed as exc:
            self.fail(name, str(exc))
        except Exception as exc:  # a bug or a broken installation: still one line
            self.fail(name, f"{type(exc).__name__}: {_one_line(exc)}")
        else:
            self.say(f"ok    {name:<9} {detail} ({time.perf_counter() - start:.2f} s)")

    def fail(self, name: str, reason: str) -> None:
        self.failures.append(f"{name}: {reason}")
        self.say(f"FAIL  {name:<9} {reason}")


def run_self_test() -> int:
    """Run every step; print one line each; return 0 if all worked, else 1."""
    # Offscreen whatever the session: the check must work over ssh, in a container, in CI.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # Failures are reported as one line each; the tracebacks the training worker logs
    # would only bury them.
    logging.getLogger("digitapp").addHandler(logging.NullHandler())
    start = time.perf_counter()
    # ignore_cleanup_errors: Windows may still hold a file open; the check has its answer.
    with tempfile.TemporaryDirectory(prefix="digitapp-self-test-",
                                     ignore_cleanup_errors=True) as folder:
        test = SelfTest(Path(folder), lambda line: print(line, flush=True))
        _isolate_user_folders(test.folder)
        test.say(_header())
        test.run_step("window", step_window)
        test.run_step("classify", step_classify)
        test.run_step("train", step_train)
        test.run_step("models", step_models)
        _close(test)
    if test.failures:
        print(f"digitapp: self-test failed: {'; '.join(test.failures)}", file=sys.stderr)
        return EXIT_FAILED
    test.say(f"self-test passed in {time.perf_counter() - start:.1f} s")
    return EXIT_OK


def _isolate_user_folders(folder: Path) -> None:
    """Send settings, runs and models to `folder` (must run before anything reads them)."""
    os.environ["DIGITAPP_DATA_DIR"] = str(folder / "data")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # a file, even on Windows/macOS
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(folder / "settings"))


def _header() -> str:
    how = "frozen" if getattr(sys, "frozen", False) else "from source"
    return (f"digitapp {__version__} self-test ({how}): Python {platform.python_version()}, "
            f"Qt {PySide6.__version__}, NumPy {np.__version__}, BLAS {_blas()}")


def _blas() -> str:
    """Return e.g. "openblas, 1 thread": the BLAS threadpoolctl sees and its thread count."""
    found = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if not found:
        return "not seen by threadpoolctl"
    return ", ".join(f"{i['internal_api']}, {i['num_threads']} "
                     f"thread{'' if i['num_threads'] == 1 else 's'}" for i in found)


# -- the steps ---------------------------------------------------------------------------
def step_window(test: SelfTest) -> str:
    test.app = QApplication.instance() or QApplication([sys.argv[0]])
    configure_application(test.app)
    fonts = _bundled_font_families()
    test.window = build_main_window()
    test.window.show()
    test.app.processEvents()
    if not test.window.isVisible():
        raise StepFailed("the main window did not show")
    snapshot = test.window.active_model.snapshot
    if snapshot is None:
        raise StepFailed(f"no model loaded: {test.window.draw_tab.ui.message.text()}")
    tabs = [test.window.tabs.tabText(i) for i in range(test.window.tabs.count())]
    return (f"main window shown offscreen: tabs {', '.join(tabs)}; model {snapshot.name}; "
            f"font {', '.join(fonts)}")


def _bundled_font_families() -> list[str]:
    """Return the families of the bundled fonts, checking that Qt can load each file.

    (Asking Qt's font list would not do: a system font of the same name would answer.)
    """
    families = []
    files = sorted(resource_path("fonts").glob("*.ttf"))
    if not files:
        raise StepFailed(f"no bundled font in {resource_path('fonts')}")
    for path in files:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id == -1:
            raise StepFailed(f"Qt cannot load the bundled font {path.name}")
        families += QFontDatabase.applicationFontFamilies(font_id)
        QFontDatabase.removeApplicationFont(font_id)  # configure_application's copy stays
    return families


def step_classify(test: SelfTest) -> str:
    tab = _draw_tab(test)
    files = sorted(resource_path("selftest").glob("digit-*.png"))
    if not files:
        raise StepFailed(f"no test digit in {resource_path('selftest')}")
    test.digit_file = files[0]
    expected = int(test.digit_file.stem.split("-")[1])
    prediction = _predict_through_canvas(test, lambda: tab.load_image_file(test.digit_file))
    if prediction is None:
        raise StepFailed(f"no prediction: {tab.ui.verdict_label.text()} {tab.ui.message.text()}")
    if prediction.digit != expected:
        raise StepFailed(f"{test.digit_file.name} read as {prediction.digit} "
                         f"({prediction.confidence:.0%}), expected {expected}")
    if prediction.not_digit_score is None:  # the shipped check is missing or unusable
        raise StepFailed(shipped_check()[1])
    return (f"{test.digit_file.name} -> {prediction.digit} ({prediction.confidence:.1%}) "
            "through the Draw tab's canvas, with the not-a-digit check")


def step_train(test: SelfTest) -> str:
    job = TrainingJob(hidden=[64], dropout=0.0, train_size=TRAIN_IMAGES, val_size=VAL_IMAGES,
                      config=TrainConfig(epochs=1, batch_size=BATCH, seed=0),
                      command="digitapp --self-test")
    store = test.window.train_tab.store if test.window is not None else None
    run = TrainingRun(job, new_model_folder(test.folder / "models", job), store)
    listener = RunListener()
    listener.watch(run)
    run.start()
    if not _wait(test, lambda: listener.record is not None):
        run.stop()
        run.wait(10_000)
        raise StepFailed(f"training did not finish within {TIMEOUT_S} s")
    record = listener.record
    if record.status != "completed" or not record.model_path:
        raise StepFailed(f"the run ended with status {record.status}: "
                         f"{record.message or 'no model saved'}")
    if listener.batches == 0:
        raise StepFailed("the worker sent no progress")
    if not record.test_accuracy or record.test_accuracy < MIN_ACCURACY:
        raise StepFailed(f"training did not learn: test accuracy {record.test_accuracy or 0:.1%} "
                         f"(chance is 10%, {MIN_ACCURACY:.0%} expected)")
    test.model_path = Path(record.model_path)
    recorded = "recorded in the runs database" if record.id is not None else "not recorded"
    return (f"{listener.batches} batches in the Train tab's worker thread; test accuracy "
            f"{record.test_accuracy:.1%}; model saved, run {recorded}")


def step_models(test: SelfTest) -> str:
    if test.model_path is None:
        raise StepFailed("skipped: training saved no model")
    model, manifest = open_model(test.model_path)
    copy_path = save_model(model, test.folder / "copy",
                           {k: v for k, v in manifest.items() if k not in RESERVED_KEYS})
    again, _ = open_model(copy_path)
    before, after = model.named_arrays(), again.named_arrays()
    if before.keys() != after.keys() or any(
            not np.array_equal(before[k], after[k]) for k in before):
        raise StepFailed("a saved and reloaded model differs from the original")
    if test.digit_file is not None:
        first = classify_file(model, test.digit_file).probabilities
        second = classify_file(again, test.digit_file).probabilities
        if not np.array_equal(first, second):
            raise StepFailed("a reloaded model answers differently")
    tab = _draw_tab(test)
    tab.use_model(copy_path)
    if tab.active_model.snapshot is None or tab.active_model.snapshot.path != Path(copy_path):
        raise StepFailed("the Draw tab did not take the reloaded model")
    if test.digit_file is not None and _predict_through_canvas(test, tab.predict_now) is None:
        raise StepFailed(f"the reloaded model gave no prediction: {tab.ui.verdict_label.text()}")
    return (f"{model.summary()} loaded, saved, reloaded identical, "
            "used by the Draw tab")


# -- helpers -------------------------------------------------------------------------------
def _draw_tab(test: SelfTest):
    if test.window is None:
        raise StepFailed("skipped: no main window")
    return test.window.draw_tab


def _predict_through_canvas(test: SelfTest, action: Callable[[], None]):
    """Do `action`, wait for the Draw tab to show a new prediction; return it (or None)."""
    tab = _draw_tab(test)
    shown = []  # one entry per prediction shown (the signal comes on this, the GUI thread)
    tab.prediction_shown.connect(shown.append)
    try:
        action()
        if not _wait(test, lambda: bool(shown) and not tab.prediction_pending()):
            raise StepFailed(f"the Draw tab showed no prediction within {TIMEOUT_S} s")
    finally:
        tab.prediction_shown.disconnect(shown.append)
    return tab.last_prediction


def _wait(test: SelfTest, done: Callable[[], bool]) -> bool:
    """Run the event loop until done() or TIMEOUT_S; return done()."""
    app = test.app or QCoreApplication.instance()
    deadline = time.monotonic() + TIMEOUT_S
    while not done() and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, QDeadlineTimer(50))
        if not done():
            time.sleep(0.005)  # a queued signal from the worker thread may be on its way
    return done()


def _close(test: SelfTest) -> None:
    if test.window is not None:
        test.window.close()
        test.window.deleteLater()
    if test.app is not None:
        test.app.processEvents()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or "(no message)"


class RunListener(QObject):
    """Collects a TrainingRun's signals, which the run emits in the GUI thread (it relays
    its worker's thread's signals through slots of its own)."""

    def __init__(self) -> None:
        super().__init__()
        self.batches = 0
        self.record = None

    def watch(self, run) -> None:
        run.batches.connect(self.on_batches)
        run.finished.connect(self.on_finished)

    @Slot(object)
    def on_batches(self, chunk) -> None:
        self.batches += len(chunk.losses)

    @Slot(object)
    def on_finished(self, record) -> None:
        self.record = record
