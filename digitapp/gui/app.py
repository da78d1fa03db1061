"""The composition root of the GUI: create the QApplication, configure it, show the window."""

from __future__ import annotations

import logging
import sys

from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

import digitapp
from digitapp.gui.main_window import MainWindow
from digitapp.paths import resource_path

log = logging.getLogger(__name__)

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


def run_gui(argv: list[str] | None = None) -> int:
    """Open the main window and run the event loop; return the exit code.

    argv is a full argument vector, program name first (default: sys.argv); Qt consumes
    its own options from it (e.g. -platform offscreen).
    """
    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    configure_application(app)
    window = MainWindow()
    window.show()
    return app.exec()
