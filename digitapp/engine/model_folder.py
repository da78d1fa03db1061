"""A model folder opened once, its files opened relative to it: never through a symbolic
link, regular files only (a FIFO would block a read forever).

Reading every file relative to one opened directory means a load never mixes files of two
versions of a model; `OpenedFolder.replaced()` tells whether the folder's path has meanwhile
been switched to another directory (a model saved again over this one: model_save.py), so
the loader can start again there instead of reporting damage.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .model_format import MANIFEST, ModelError

# Where the OS can open files relative to a directory without following links (Linux,
# macOS); elsewhere files are opened by path after an lstat check.
_RELATIVE = (os.open in os.supports_dir_fd and hasattr(os, "O_NOFOLLOW")
             and hasattr(os, "O_DIRECTORY"))


class OpenedFolder:
    """A model folder opened once; its files are opened relative to it, never via links."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None
        try:
            if _RELATIVE:
                self.fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
                info = os.fstat(self.fd)
            else:
                info = os.stat(path)
                if not stat.S_ISDIR(info.st_mode):
                    raise NotADirectoryError(errno.ENOTDIR, "not a directory")
        except FileNotFoundError:
            raise ModelError(f"{path}: no such model folder") from None
        except NotADirectoryError:
            raise ModelError(f"{path}: a model is a folder containing {MANIFEST}") from None
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
            raise ModelError(f"{path}: cannot open the model folder "
                             f"({error_reason(exc)})") from None
        self.identity = (info.st_dev, info.st_ino)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def replaced(self) -> bool:
        """Return whether the folder's path now names another directory (or nothing), or
        the directory opened has been removed meanwhile. The second catches a replace whose
        new directory got the inode number the removed one had (ext4 hands a freed number
        out again at once): the path then names "the same" inode, yet the files read were
        being deleted under the load."""
        if self.fd is not None:
            try:
                if os.fstat(self.fd).st_nlink == 0:  # removed: no name links to it any more
                    return True
            except OSError:
                return True
        try:
            info = os.stat(self.path)
        except OSError:
            return True
        return (info.st_dev, info.st_ino) != self.identity

    def open_file(self, name: str, missing: str = "missing"):
        """Return (unbuffered binary file, size) for the regular file `name` in the folder;
        `missing` is what ModelError says if there is no such file."""
        path = self.path / name
        try:
            if self.fd is not None:
                # O_NONBLOCK: opening a FIFO must not wait for a writer; no effect on files.
                flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
                fd = os.open(name, flags, dir_fd=self.fd)
            else:
                if stat.S_ISLNK(os.lstat(path).st_mode):
                    raise OSError(errno.ELOOP, "symbolic link")
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        except FileNotFoundError:
            raise ModelError(f"{path}: {missing}") from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise ModelError(f"{path}: a symbolic link (a model's files must be inside "
                                 "its folder)") from None
            raise ModelError(f"{path}: unreadable ({error_reason(exc)})") from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            raise ModelError(f"{path}: not a regular file")
        return os.fdopen(fd, "rb", buffering=0), info.st_size


def error_reason(exc: BaseException) -> str:
    """Return the short reason of an error for a one-line ModelError ("Permission denied")."""
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
