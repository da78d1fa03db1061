"""May this path receive a model? The rule that keeps a save from ever replacing a user's file.

A path may receive a model if it does not exist yet (under a writable folder), is an empty
folder, or is a digitapp model folder holding nothing but its own files (model.json says
"digitapp-model" and lists them). A file, a symbolic link, any other folder, "." or "..", a
path under a file, a mount point and an unwritable place are refused with one line, before
anything is written: `digitapp train --out` asks before loading any data.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

from .model_format import MANIFEST, ModelError, is_parameter_file
from .model_manifest import read_manifest

# Files the operating system drops into folders a user has opened; not the user's work.
OS_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


def check_model_target(folder: str | os.PathLike) -> Path:
    """Return `folder` as a Path if a model may be saved there; else raise ModelError.

    Nothing is created or changed, except that writability is tested by creating and
    removing an empty hidden folder (the only test that root and ACLs cannot fool).
    """
    text = os.fspath(folder)
    if not str(text).strip():
        raise ModelError("the model folder's name is empty")
    path = Path(text)
    if path.name in ("", ".", ".."):
        what = ("a parent folder" if path.name == ".." else
                "the current folder" if path == Path(".") else "the root of a disk")
        raise ModelError(f"{text}: is {what}, not a model folder; give the model a folder "
                         "name of its own, e.g. ./my-model")
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        _check_can_create(path)
        return path
    except OSError as exc:
        raise ModelError(f"{path}: cannot be used ({exc.strerror or exc})") from None
    if stat.S_ISLNK(st.st_mode):
        raise ModelError(f"{path}: is a symbolic link; give the folder itself (a link is "
                         "never replaced)")
    if not stat.S_ISDIR(st.st_mode):
        raise ModelError(f"{path}: is a file, not a model folder; it is not replaced "
                         "(choose a new folder name)")
    if _same_folder(path, "."):
        raise ModelError(f"{path}: is the current folder; give the model a folder name of "
                         "its own")
    problem = _not_replaceable(path)
    if problem is not None:
        raise ModelError(f"{path}: {problem}; it is not replaced (choose a new folder name)")
    parent = path.parent
    if os.lstat(parent).st_dev != st.st_dev:
        raise ModelError(f"{path}: is a mount point; save the model in a folder inside it")
    _check_writable(parent)
    return path


def not_own_model_folder(folder: str | os.PathLike) -> str | None:
    """None if `folder` is what a save may replace, so what digitapp may delete as its own:
    a real folder (not a link), empty or a digitapp model folder holding only its own files;
    else why not, in a few words (the same rule as check_model_target's)."""
    try:
        st = os.lstat(folder)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISLNK(st.st_mode):
        return "is a symbolic link"
    if not stat.S_ISDIR(st.st_mode):
        return "is not a folder"
    return _not_replaceable(Path(folder))


def _not_replaceable(folder: Path) -> str | None:
    """None if `folder` is empty or a digitapp model folder with only its own files; else why
    it must not be replaced, in a few words."""
    try:
        names = set(os.listdir(folder)) - OS_LITTER
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if not names:
        return None  # an empty folder: nothing in it to lose
    if MANIFEST not in names:
        return f"is a folder that is not a digitapp model (it has no {MANIFEST})"
    try:  # the loader's own checks: a folder it would not read is not a model folder
        data = read_manifest(folder)
    except ModelError:
        return (f"has a {MANIFEST} that is not a digitapp model description (or one "
                "this digitapp cannot read)")
    # Own files: those the loader would read, plain names ending .npy. A forged manifest
    # listing "thesis.tex" does not make thesis.tex the model's.
    own = {MANIFEST} | {e["file"] for e in data["parameters"].values()
                        if isinstance(e, dict) and isinstance(e.get("file"), str)
                        and is_parameter_file(e["file"])}
    others = sorted(names - own)
    if others:
        shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
        return f"holds files that are not part of the model ({shown})"
    if any(not (folder / name).is_file() or (folder / name).is_symlink() for name in names):
        return "holds something other than plain model files"
    return None


def _check_can_create(path: Path) -> None:
    """`path` does not exist: its nearest existing ancestor must be a writable folder."""
    ancestor = Path(os.path.abspath(path)).parent
    while not os.path.lexists(ancestor) and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise ModelError(f"{path}: cannot be created, {ancestor} is a file, not a folder")
    _check_writable(ancestor)


def _check_writable(folder: Path) -> None:
    problem = probe_writable(folder)
    if problem is not None:
        raise ModelError(f"{folder}: a model cannot be saved there ({problem})")


def probe_writable(folder: str | os.PathLike) -> str | None:
    """None if a folder can be created in `folder`, else why not (strerror). The one
    writability check of digitapp (paths.folder_problem uses it too)."""
    if not os.access(folder, os.W_OK | os.X_OK):
        return os.strerror(errno.EACCES)
    # os.access says yes to root everywhere but on read-only or immutable folders, and
    # knows nothing of some file systems (sysfs, network shares): try for real.
    probe = Path(folder) / f".digitapp-probe-{secrets.token_hex(4)}"
    try:
        os.mkdir(probe)
    except OSError as exc:
        return exc.strerror or str(exc)
    with contextlib.suppress(OSError):
        os.rmdir(probe)
    return None


def _same_folder(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
