"""Saving model folders: never a user's file lost, never half a model at the target.

The rules, in the order `save_model` applies them:

1. Only a model may be replaced: `check_model_target` (model_target.py) must accept the
   target (new, empty, or a digitapp model folder holding only its own files). The CLI
   asks before training, so a bad --out fails in a second, not after the run.

2. The new model is written whole, and flushed to disk (model_write.py), in a *save
   folder* next to the target, `.NAME.XXXXXXXX.digitapp-save/new`, then put in place in
   one step:
     - no model at the target yet: a rename that never replaces anything;
     - a model there: an exchange of the two folders (folder_rename.exchange), so the
       target path switches from the old folder to the new one at once and there is no
       moment without a model. The old model is then in the save folder, which is removed.
     - where the system cannot exchange (Windows, a file system without it): two renames,
       old -> save folder/old, then new -> target. A crash between the two leaves no model
       at the target for a moment; the next clean-up puts the old one back (rule 3).
   Whatever the point of a crash, the target holds the old model or the new one.
   A full disk while writing changes nothing and says so (`DiskFull`).

3. Leftovers of an interrupted save are removed by `clean_leftovers` (save_leftovers.py,
   which says which folders it ever removes), here before each save.

Loaders see the target switch from one folder (inode) to another: app code that reads a
model file by file opens them relative to the folder and retries if it changed under it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
import time
from pathlib import Path

from .folder_rename import exchange, fsync_dir, rename_noreplace
from .model import Sequential
from .model_format import ModelError
from .model_target import check_model_target
from .model_write import write_model
from .save_leftovers import MARKER, SAVE_SUFFIX, clean_leftovers, put_back_old_model

try:  # POSIX: a save in progress holds a lock on its marker, so clean-up leaves it alone
    import fcntl
except ImportError:  # Windows
    fcntl = None

DISK_FULL_ERRNOS = {errno.ENOSPC} | ({errno.EDQUOT} if hasattr(errno, "EDQUOT") else set())


class DiskFull(ModelError, OSError):
    """The disk filled up while a model was written; nothing at the target was changed."""

    def __init__(self, message: str, code: int = errno.ENOSPC) -> None:
        super().__init__(message)
        self.errno = code
        self.strerror = message  # what OSError handlers print (the GUI's worker does)
        self.filename = None

    def __str__(self) -> str:
        return self.strerror


# model.json's keys that describe the model itself: never taken from metadata.
RESERVED_KEYS = frozenset({"format", "format_version", "architecture", "parameters"})


def save_model(model: Sequential, folder: str | Path, metadata: dict | None = None) -> Path:
    """Write `model` to `folder` and return the folder's path (see the module's rules).

    Raises ModelError (one line) if `folder` may not receive a model (a file, a folder that
    is not a model, ...), DiskFull (a ModelError and an OSError) if the disk fills up;
    either way nothing at `folder` was changed. `metadata` (preprocessing, training
    config, metrics, ...) goes in model.json; ValueError if it holds one of RESERVED_KEYS
    (it would overwrite the format or the weights' description).
    """
    reserved = sorted(RESERVED_KEYS & set(metadata or {}))
    if reserved:
        raise ValueError(f"metadata may not set {', '.join(reserved)}: the model's own "
                         "description does")
    folder = Path(folder)
    check_model_target(folder)
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(parent)
    box = None
    try:
        box = _SaveFolder(parent, folder.name)
        write_model(box.new, model, metadata)
        _reached("written")
        _commit(box, folder)  # one atomic step: if it fails, nothing at `folder` changed
        _reached("committed")
    except OSError as exc:
        if exc.errno in DISK_FULL_ERRNOS and not isinstance(exc, DiskFull):
            raise _disk_full(folder, exc.errno) from None
        raise
    finally:
        if box is not None:
            box.remove()
    return folder


def _disk_full(folder: Path, code: int) -> DiskFull:
    if os.path.lexists(folder):
        return DiskFull(f"{folder}: disk full, nothing was changed: the existing model is "
                        "intact (free some space and save again)", code)
    return DiskFull(f"{folder}: disk full, the model was not saved and nothing was changed "
                    "(free some space and save again)", code)


def _reached(step: str) -> None:
    """A no-op marking each durable step of a save; tests crash the process here."""


class _SaveFolder:
    """The hidden save folder next to the target: the marker (locked while saving) and the
    new model, `new/`. Removed, with whatever it then holds, by `remove()`."""

    def __init__(self, parent: Path, target_name: str) -> None:
        self.parent = parent
        self.target_name = target_name
        while True:
            name = f".{target_name[:64]}.{secrets.token_hex(4)}{SAVE_SUFFIX}"
            self.path = parent / name
            try:
                os.mkdir(self.path)
                break
            except FileExistsError:
                continue
        self._fd = None
        try:
            # Create, lock, then fill the marker: clean-up ignores a marker it cannot parse,
            # and one that is locked, so it never sees this folder as a leftover.
            fd = os.open(self.path / MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            self._fd = fd
            if fcntl is not None:
                # Where the file system has no locks, clean-up cannot lock it either and
                # so leaves the folder alone: saving goes on without.
                with contextlib.suppress(OSError):
                    fcntl.flock(fd, fcntl.LOCK_EX)
            data = {"app": "digitapp", "purpose": "model-save", "folder": name,
                    "target": target_name, "pid": os.getpid(),
                    "created": time.strftime("%Y-%m-%dT%H:%M:%S")}
            os.write(fd, (json.dumps(data) + "\n").encode("utf-8"))
            os.fsync(fd)
            if fcntl is None:  # Windows cannot remove a file that is open
                os.close(fd)
                self._fd = None
            self.new = self.path / "new"
            self.old = self.path / "old"  # only used where folders cannot be exchanged
            os.mkdir(self.new)
            _reached("started")
        except BaseException:
            self.remove()
            raise

    def remove(self) -> None:
        """Remove the save folder, unless it holds the old model that a failed fallback
        could not put back: that is left, unlocked, for clean_leftovers."""
        try:
            put_back_old_model(self.path, self.target_name)
            keep = False
        except OSError:
            keep = True
        if not keep:
            shutil.rmtree(self.path, ignore_errors=True)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _commit(box: _SaveFolder, target: Path) -> None:
    """Put box.new at `target` in one step (see the module's rule 2)."""
    for _ in range(3):
        if not os.path.lexists(target):
            if rename_noreplace(box.new, target):
                break
            continue  # something appeared at the target meanwhile: look again
        check_model_target(target)  # it may have changed while the model was written
        _replace_folder(box, target)
        break
    else:
        raise ModelError(f"{target}: keeps changing while the model is saved; not saved")
    fsync_dir(target.parent)


def _replace_folder(box: _SaveFolder, target: Path) -> None:
    """Replace the model folder `target` by box.new: exchanged where possible, else moved
    aside and back on failure. The old model ends in the save folder."""
    if exchange(box.new, target):
        _reached("exchanged")
        return
    os.rename(target, box.old)
    _reached("old-moved")
    try:
        os.rename(box.new, target)
    except BaseException:
        with contextlib.suppress(OSError):  # else clean_leftovers puts it back later
            os.rename(box.old, target)
        raise
    _reached("new-moved")
