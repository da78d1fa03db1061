"""The composition root of the GUI: the one place that builds and wires the shared objects.

    run_gui
      configure_application      names, icon, bundled fonts
      build_main_window
        build_shared_objects     ActiveModel, RunStore, AuditSession, HandwritingCollection
                                 (tabs never make these)
        MainWindow(shared)       the tabs, each handed the objects it uses
        restore_model            the model chosen last time, once every tab listens
        aboutToQuit              -> each object's shutdown (threads end before Qt tears down)
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

import digitapp
from digitapp.gui.active_model import ActiveModel
from digitapp.gui.audit.session import AuditSession
from digitapp.gui.handwriting_collection import HandwritingCollection
from digitapp.gui.main_window import MainWindow
from digitapp.gui.model_choice import remember_model, restore_model
from digitapp.gui.shared_objects import SharedObjects
from digitapp.paths import resource_path
from digitapp.store.database import READ_TIMEOUT
from digitapp.store.handwriting import HandwritingStore
from digitapp.store.runs import RunStore

log = logging.getLogger(__name__)

WRITE_TIMEOUT = 2.0  # seconds a handwriting write from the GUI waits for another's lock

# QSettings() with no arguments files its values under these names.
ORGANIZATION = "digitapp"
APPLICATION = "digitapp"


def app_icon() -> QIcon:
    """Return the application icon, with every bundled size (digitapp-<size>.png)."""
    icon = QIcon()
    for path in sorted(resource_path("icons").glob("digitapp-*.png")):
        icon.addFile(str(path))
    return icon


def register_bundled_fonts() -> list[str]:
    """Register the fonts in resources/fonts with Qt; return the families they provide.

    Qt prefers the platform's fonts and falls back to these: on a machine with no fonts at
    all (a bare container) they are what keeps labels from rendering as empty boxes.
    """
    families: list[str] = []
    for path in sorted(resource_path("fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id == -1:
            log.warning("Qt could not load the bundled font %s", path)
            continue
        families += QFontDatabase.applicationFontFamilies(font_id)
    return families


def configure_application(app: QApplication) -> None:
    """Give the application its names, icon and fonts. Call once, before any window."""
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(digitapp.__version__)
    app.setDesktopFileName("digitapp")  # matches resources/digitapp.desktop (Wayland, docks)
    app.setWindowIcon(app_icon())
    register_bundled_fonts()


def build_shared_objects() -> SharedObjects:
    """Return fresh shared objects; the active model is empty until restore_model."""
    active_model = ActiveModel()
    active_model.changed.connect(remember_model)  # any change, whoever makes it
    # Never raises: a locked or unwritable database is tried again when a run ends; reads
    # on the GUI thread wait READ_TIMEOUT at most for another program's lock.
    runs = RunStore.default(READ_TIMEOUT)
    # Writes wait a little longer than reads for a lock (another digitapp importing), still
    # short enough not to freeze the window for long; a failure is shown as a message.
    handwriting = HandwritingCollection(HandwritingStore.default(READ_TIMEOUT, WRITE_TIMEOUT))
    return SharedObjects(active_model, runs, AuditSession(active_model), handwriting)


def build_main_window() -> MainWindow:
    """Return the main window on fresh shared objects, using the model chosen last time.

    (Not shown: the caller shows it.) The saved model is restored after the tabs exist,
    so each hears `changed` as it does when the user picks a model; a remembered model
    that no longer loads means the shipped one, and the Draw tab says why.
    """
    shared = build_shared_objects()
    window = MainWindow(shared)
    for obj in (shared.active_model, shared.audit):
        obj.setParent(window)  # Qt deletes them with the window, after its tabs
    notice = restore_model(shared.active_model)
    if notice:
        window.draw_tab.show_message(notice)
    app = QCoreApplication.instance()
    if app is not None:
        # Quitting (not only closing the window) must never leave a training, evaluation
        # or map thread running while Qt tears everything down: each blocks until it ends.
        app.aboutToQuit.connect(window.train_tab.shutdown)
        app.aboutToQuit.connect(window.draw_tab.shutdown)  # the number reader's thread
        app.aboutToQuit.connect(window.shutdown_inside)  # a unit's ranking
        app.aboutToQuit.connect(window.handwriting_tab.shutdown)  # an export or teaching
        app.aboutToQuit.connect(window.audit_tabs.shutdown)  # an export, then the audit's
        app.aboutToQuit.connect(shared.audit.shutdown)
    return window


def run_gui(argv: list[str] | None = None) -> int:
    """Open the main window and run the event loop; return the exit code.

    argv is a full argument vector, program name first (default: sys.argv); Qt consumes
    its own options from it (e.g. -platform offscreen).
    """
    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    configure_application(app)
    window = build_main_window()
    window.show()
    return app.exec()
