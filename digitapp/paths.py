"""One place for paths: bundled resources, shipped weights and the user's folders.

Bundled files are found the same way from a source checkout, an installed wheel and a
PyInstaller build (which unpacks data beside the executable and exposes it as sys._MEIPASS):

    source checkout, editable install   <checkout>/resources, <checkout>/weights
    installed wheel                     <prefix>/share/digitapp/{resources,weights}
                                        (the wheel's data files, see setup.py)
    frozen (PyInstaller)                sys._MEIPASS/{resources,weights}

Two environment variables override the lookup: DIGITAPP_BUNDLE_ROOT (a folder holding
resources/ and weights/) and DIGITAPP_DATA_DIR (the user's data folder; the self-test
points it at a temporary folder so that it never touches the user's runs and models).
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import tempfile
from pathlib import Path

import platformdirs

from .engine.model_target import probe_writable

APP_NAME = "digitapp"
# Where the wheel's data files land, relative to the installation prefix.
WHEEL_DATA = Path("share") / APP_NAME


def _bundle_root() -> Path:
    """Return the folder that holds `resources/` and `weights/`."""
    override = os.environ.get("DIGITAPP_BUNDLE_ROOT")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "resources").is_dir():
        return checkout  # source checkout or editable install
    return _installed_data_root() or checkout


@functools.cache
def _installed_data_root() -> Path | None:
    """Return <prefix>/share/digitapp of an installed wheel, or None.

    The prefix is whichever the wheel was installed into (a venv, --user, the system), so
    it is read from the distribution's record of its files rather than guessed.
    """
    from importlib import metadata

    try:
        files = metadata.distribution(APP_NAME).files or []
    except metadata.PackageNotFoundError:
        return None
    marker = (*WHEEL_DATA.parts, "resources", "digitapp.desktop")
    for file in files:
        if file.parts[-len(marker):] == marker:
            return Path(file.locate()).resolve().parent.parent
    return None


def resource_path(*parts: str) -> Path:
    """Return the path of a bundled resource, e.g. resource_path("mnist")."""
    return _bundle_root().joinpath("resources", *parts)


def weights_path(*parts: str) -> Path:
    """Return the path of a shipped model folder, e.g. weights_path("mlp-512")."""
    return _bundle_root().joinpath("weights", *parts)


def user_data_dir() -> Path:
    """Return the user's data folder (databases, models, settings not kept by Qt).

    It is created if it can be; one that cannot (read-only disk, no permission, a file in
    the way) is returned all the same, so that starting never fails on it: whatever is
    then saved there fails with its own message. `folder_problem` says why in words.
    """
    override = os.environ.get("DIGITAPP_DATA_DIR")
    path = Path(override) if override else Path(
        platformdirs.user_data_dir(APP_NAME, appauthor=False))
    _create(path)
    return path


def user_models_dir() -> Path:
    """Return the folder where the user's trained models are saved (created if it can be,
    as `user_data_dir`)."""
    path = user_data_dir() / "models"
    _create(path)
    return path


def _create(path: Path) -> None:
    """Create the folder `path` if it can be (no write probe: these run at every listing)."""
    with contextlib.suppress(OSError):
        path.mkdir(parents=True, exist_ok=True)


def printable(text: str | os.PathLike) -> str:
    """Return `text` (a path as str) printable on any stream: a file name that is not valid
    UTF-8 reaches Python with surrogate escapes (\udcff), which a UTF-8 stream and SQLite
    refuse; each such byte shows as U+FFFD."""
    text = os.fspath(text)
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
        return text.encode("utf-8", "replace").decode("utf-8")


def folder_problem(path: Path) -> str | None:
    """Create the folder `path` if missing; return None if it can be written to, else why not
    in a few words (e.g. "Read-only file system", "Not a directory")."""
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # mkdir's "File exists": a file (or a link to one) is in the way
        return "it is a file, not a folder"
    except OSError as exc:
        return exc.strerror or str(exc)
    # A real probe (engine/model_target.py's): os.access alone says yes to root on folders
    # root cannot write (immutable, some file systems).
    return probe_writable(path)


def use_throwaway_user_folders(prefix: str = "digitapp-") -> Path:
    """Point the XDG folders (platformdirs, QSettings) at a new temporary folder; return it.

    For tests, benchmarks and screenshot scripts, which must never read or change the real
    user's settings, models or runs. Call before Qt or anything that reads them starts.
    """
    home = Path(tempfile.mkdtemp(prefix=prefix))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[name] = str(home / name.lower())
    return home
