"""The Draw tab of a real main window, offscreen, for the drawing benchmarks.

Importing this module first gives the process a throw-away home (settings, models, runs)
and the offscreen platform, before Qt starts.
"""

from __future__ import annotations

import os

from digitapp.paths import use_throwaway_user_folders

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
use_throwaway_user_folders("digitapp-bench-")

from PySide6.QtWidgets import QApplication  # noqa: E402

from digitapp.gui.app import build_main_window, configure_application  # noqa: E402


def open_draw_tab(model: str | None = None):
    """Return (app, window, draw tab) shown at 960x640, using model folder `model` if given."""
    app = QApplication.instance() or QApplication([])
    configure_application(app)
    window = build_main_window()
    window.resize(960, 640)
    window.show()
    app.processEvents()
    tab = window.draw_tab
    if model:
        tab.use_model(model)
    return app, window, tab
