"""What the screenshot scripts share: the app's window opened as a person would see it, and
running the event loop until the app has done a job."""

from __future__ import annotations

import sys
import time
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent.parent / "tools"


def open_main_window(size: str, dark: bool = False):
    """Return (app, window): the QApplication configured as digitapp's own, and the main
    window shown at `size` ("960x640", logical pixels), in a dark desktop's palette if
    `dark`. The scripts set the platform and throw-away folders before calling this."""
    from PySide6.QtWidgets import QApplication

    from digitapp.gui.app import build_main_window, configure_application

    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_application(app)
    if dark:
        sys.path.insert(0, str(TOOLS))
        from screenshots import dark_palette

        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    window = build_main_window()
    window.resize(*(int(v) for v in size.split("x")))
    window.show()
    return app, window


def wait_until(app, done, limit: float, what: str) -> None:
    """Run `app`'s events until done() is true; give up with a one-line exit after `limit`
    seconds, naming `what` was awaited."""
    start = time.monotonic()
    while not done():
        if time.monotonic() - start > limit:
            raise SystemExit(f"gave up waiting for {what}")
        app.processEvents()
        time.sleep(0.02)
