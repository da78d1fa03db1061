"""Opening a file named by a user, refusing anything but a regular file.

A FIFO, a socket or a device such as /dev/zero or /dev/stdin can be dropped on the window
or named on the command line just like an image: reading one may block forever (a FIFO
with no writer) or never end (/dev/zero). Every loader of untrusted files opens them here.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO


class NotRegularFile(OSError):
    """A path names a FIFO, socket or device rather than a regular file."""


def open_regular_file(path: str | os.PathLike[str], follow_links: bool = True) -> BinaryIO:
    """Return `path` opened for reading in binary, or raise if it is not a regular file.

    Raises FileNotFoundError, IsADirectoryError, NotRegularFile (a FIFO, socket or
    device: reading one may block forever or never end) or another OSError. The file is
    opened with O_NONBLOCK so that opening a FIFO with no writer returns at once instead
    of waiting; the flag is cleared once the file is known to be regular. Without
    `follow_links`, a symbolic link is refused too (OSError ELOOP): a file read from
    inside a folder stays inside it.
    """
    nonblock = getattr(os, "O_NONBLOCK", 0)  # POSIX only; Windows has no FIFOs to open
    no_follow = 0 if follow_links else getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, os.O_RDONLY | nonblock | no_follow | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFile(f"{path}: not a regular file")
        if nonblock:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
