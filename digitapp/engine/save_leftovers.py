"""Leftovers of interrupted saves: which folders are removed, and how.

A save (model_save.py) writes the new model in a save folder next to the target,
`.NAME.XXXXXXXX.digitapp-save`, holding the marker file `.digitapp-save`; see its rules 1-3.
Its rule 3 is this module's:

Leftovers of an interrupted save are removed by `clean_leftovers(folder)`: when saving
into that folder and when the app lists the user's models (app.models.user_models).
A folder is only ever removed if BOTH its name has the save-folder pattern above AND it
holds the marker file `.digitapp-save` that model_save.py wrote, naming that very folder
(so a user's folder named like `.x.old-1`, or a copy of a save folder under another
name, is never touched), and no save is still using it (the saver holds a lock on the
marker; without file locks, only markers older than a day count). Folders left by older
versions (`.NAME.old-PID`, `.NAME.XXXX.tmp`) carry no marker and are left alone.

Where the system cannot exchange two folders, a save moves the old model into its save
folder before moving the new one in; if it was interrupted between the two, the old model
is put back at its target before the leftover is removed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import time
from pathlib import Path

from .folder_rename import fsync_dir
from .model_format import MANIFEST

try:  # POSIX: a save in progress holds a lock on its marker, so clean-up leaves it alone
    import fcntl
except ImportError:  # Windows
    fcntl = None

SAVE_SUFFIX = ".digitapp-save"
MARKER = ".digitapp-save"  # the marker file inside a save folder
# .NAME.XXXXXXXX.digitapp-save: NAME (at most 64 characters of it), 8 hex digits.
SAVE_FOLDER = re.compile(r"\.(?P<name>.{1,64})\.[0-9a-f]{8}" + re.escape(SAVE_SUFFIX),
                         re.DOTALL)
STALE_WITHOUT_LOCKS = 24 * 3600.0  # seconds: without file locks, a marker this old is a leftover
MAX_MARKER_BYTES = 4096


def is_save_folder_name(name: str) -> bool:
    """True for names of the save folders model_save.py makes (leftover or in progress)."""
    return SAVE_FOLDER.fullmatch(name) is not None


def clean_leftovers(folder: str | Path) -> list[Path]:
    """Remove the leftovers of interrupted saves in `folder`; return those removed.

    Only folders with a save folder's name AND model_save.py's marker naming them, and not
    in use by a save (the module's rule). A model the two-rename fallback had moved aside
    with no model left at its target is first put back. Never raises: a leftover that
    cannot be removed is left for next time.
    """
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        try:
            if not is_save_folder_name(entry.name) or not entry.is_dir(follow_symlinks=False):
                continue
            if _clean_one(Path(entry.path)):
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _clean_one(box: Path) -> bool:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(box / MARKER, flags)
    except OSError:
        return False  # no marker (or a link): not ours
    try:
        st = os.fstat(fd)
        if not _is_regular(st.st_mode) or st.st_size > MAX_MARKER_BYTES:
            return False
        try:
            data = json.loads(os.read(fd, MAX_MARKER_BYTES).decode("utf-8"))
        except ValueError:
            return False  # empty (just being created) or not ours
        if not (isinstance(data, dict) and data.get("app") == "digitapp"
                and data.get("purpose") == "model-save" and data.get("folder") == box.name):
            return False
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # a save is using it
        elif time.time() - st.st_mtime < STALE_WITHOUT_LOCKS:
            return False
        put_back_old_model(box, data.get("target"))
        shutil.rmtree(box, ignore_errors=True)
        return not os.path.lexists(box)
    finally:
        os.close(fd)


def put_back_old_model(box: Path, target_name) -> None:
    """The fallback's crash window: old model moved aside, new one not yet in place."""
    if not isinstance(target_name, str) or Path(target_name).name != target_name \
            or target_name in ("", ".", ".."):
        return
    target = box.parent / target_name
    old = box / "old"
    if not os.path.lexists(target) and (old / MANIFEST).is_file():
        os.rename(old, target)
        fsync_dir(box.parent)


def _is_regular(mode: int) -> bool:
    return stat.S_ISREG(mode)
