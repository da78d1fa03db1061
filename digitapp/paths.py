"""One place for paths: bundled resources, shipped weights and the user's folders.

Bundled files are found the same way from a source checkout, an installed package and a
PyInstaller build (which unpacks data beside the executable and exposes it as sys._MEIPASS).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "digitapp"


def _bundle_root() -> Path:
    """Return the folder that holds `resources/` and `weights/`."""
    override = os.environ.get("DIGITAPP_BUNDLE_ROOT")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    # Source checkout or editable install: digitapp/ sits beside resources/ and weights/.
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """Return the path of a bundled resource, e.g. resource_path("mnist")."""
    return _bundle_root().joinpath("resources", *parts)


def weights_path(*parts: str) -> Path:
    """Return the path of a shipped model folder, e.g. weights_path("mlp-512")."""
    return _bundle_root().joinpath("weights", *parts)


def user_models_dir() -> Path:
    """Return (and create) the folder where the user's trained models are saved."""
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_data_dir() -> Path:
    """Return (and create) the user's data folder (databases, settings not kept by Qt)."""
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
