"""Where save dialogs start: the user's pictures folder, never the working directory (a
program started from a terminal would otherwise offer to write into whatever folder that
terminal was in, the source tree included)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths


def pictures_path(name: str = "") -> str:
    """Return `name` in the user's pictures folder (the home folder if there is none)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    base = Path(folder) if folder and Path(folder).is_dir() else Path.home()
    return str(base / name) if name else str(base)
