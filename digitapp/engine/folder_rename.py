"""Atomic folder renames the standard library lacks: exchange two paths, rename without replacing.

Linux has renameat2(RENAME_EXCHANGE / RENAME_NOREPLACE), macOS renamex_np(RENAME_SWAP /
RENAME_EXCL); both are called through ctypes. Where neither exists (Windows) or a file system
refuses the flag, the functions say so (False) and the caller falls back to plain renames.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from pathlib import Path

# renameat2 / renamex_np, found once: (function, exchange flag, no-replace flag) or None.
_RENAME_API = None
_AT_FDCWD = -100
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP,
                getattr(errno, "EOPNOTSUPP", errno.ENOTSUP)}


def _rename_api():
    global _RENAME_API
    if _RENAME_API is None:
        _RENAME_API = (None, 0, 0)
        try:
            if sys.platform.startswith("linux"):
                libc = ctypes.CDLL(None, use_errno=True)
                fn = getattr(libc, "renameat2", None)
                if fn is not None:
                    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
                                   ctypes.c_char_p, ctypes.c_uint]
                    fn.restype = ctypes.c_int
                    # RENAME_EXCHANGE, RENAME_NOREPLACE (linux/fs.h)
                    _RENAME_API = (lambda a, b, flag: fn(_AT_FDCWD, a, _AT_FDCWD, b, flag),
                                   2, 1)
            elif sys.platform == "darwin":
                libc = ctypes.CDLL(None, use_errno=True)
                fn = getattr(libc, "renamex_np", None)
                if fn is not None:
                    fn.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
                    fn.restype = ctypes.c_int
                    _RENAME_API = (lambda a, b, flag: fn(a, b, flag), 2, 4)  # SWAP, EXCL
        except (OSError, AttributeError, TypeError):
            _RENAME_API = (None, 0, 0)
    return _RENAME_API


def _call_rename(a: Path, b: Path, which: int) -> bool:
    """Run the system's rename with flag `which` (1: exchange, 2: no-replace); False if the
    system or the file system does not support it; OSError for any other failure."""
    fn, exchange, noreplace = _rename_api()
    if fn is None:
        return False
    flag = exchange if which == 1 else noreplace
    ctypes.set_errno(0)
    if fn(os.fsencode(a), os.fsencode(b), flag) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def exchange(new: Path, target: Path) -> bool:
    """Swap the folders `new` and `target` atomically; False where that is not possible."""
    return _call_rename(new, target, 1)


def rename_noreplace(new: Path, target: Path) -> bool:
    """Rename `new` to `target` unless something is there; False if something is."""
    try:
        if _call_rename(new, target, 2):
            return True
    except FileExistsError:
        return False
    if os.path.lexists(target):
        return False
    try:
        # POSIX: fails on a non-empty folder; an empty one that appeared just now is
        # replaced (nothing in it to lose). Windows: fails on anything there.
        os.rename(new, target)
    except (FileExistsError, IsADirectoryError):
        return False
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
            return False
        raise
    return True


def fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # e.g. Windows cannot open folders; the rename is still atomic there
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
