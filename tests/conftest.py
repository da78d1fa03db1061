"""Test-session set-up that must happen before anything imports Qt or digitapp.

1. Qt needs a platform: with neither QT_QPA_PLATFORM nor a display, pytest-qt aborts the
   whole run. Offscreen renders everything (grabs included) without a display.
2. The tests must never read or write the real user's folders: platformdirs and QSettings
   follow the XDG variables, so point them at a throw-away folder for the whole session.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from digitapp.paths import use_throwaway_user_folders

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Offscreen's own screen is 800x800, narrower than the window's smallest width (about
# 800 px, the Train tab's form beside its runs): a 1920x1080 screen instead, as people have.
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = "offscreen:configfile=" + str(
        Path(__file__).with_name("offscreen_screen.json"))

_SESSION_HOME = use_throwaway_user_folders("digitapp-tests-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's QApplication, configured as digitapp configures its own."""
    from digitapp.gui.app import configure_application  # Qt only for tests that ask for it

    configure_application(qapp)
    return qapp


@pytest.fixture(autouse=True)
def front_tab_forgotten():
    """Every test's window starts on the Draw tab: the tab in front when an earlier test's
    window closed is remembered in QSettings (only if Qt is loaded at all)."""
    import sys

    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QSettings

        from digitapp.gui.main_window import TAB_KEY

        QSettings().remove(TAB_KEY)
    yield


@pytest.fixture(autouse=True)
def train_form_forgotten():
    """Every test's Train form starts from the default preset: the form's values are
    remembered in QSettings whenever they are valid (only if Qt is loaded at all)."""
    import sys

    if "PySide6.QtCore" in sys.modules:
        from digitapp.gui.train.form_memory import forget_form

        forget_form()
    yield


@pytest.fixture
def fresh_main_window(qtbot):
    """Return a factory of shown main windows that start from the shipped model.

    The app remembers the last model in QSettings: it is forgotten before the window is
    made (whatever an earlier test chose) and again afterwards (no temporary model is left
    as the next window's choice). The remembered geometry is forgotten too.
    """
    from PySide6.QtCore import QSettings

    from digitapp.gui.app import build_main_window
    from digitapp.gui.main_window import GEOMETRY_KEY
    from digitapp.gui.model_choice import MODEL_KEY

    def make(width: int, height: int):
        QSettings().remove(GEOMETRY_KEY)
        QSettings().remove(MODEL_KEY)
        window = build_main_window()
        qtbot.addWidget(window)
        window.resize(width, height)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    QSettings().remove(MODEL_KEY)
