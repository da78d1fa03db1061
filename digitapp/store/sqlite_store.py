"""What the runs history and the handwriting collection share: one SQLite file of ours,
opened lazily, never raising on creation, and retried after a lock.

A subclass names its file (FILENAME, in the user's data folder), its SCHEMA and VERSION,
the TABLE that marks the file as ours, and WHAT it is in messages.
"""

from __future__ import annotations

import contextlib
import math
import time
from pathlib import Path

from ..paths import user_data_dir
from .database import BUSY_TIMEOUT, Session, StoreBusy, StoreError, open_database

# Seconds during which reads do not wait again for a database that was just found locked.
REOPEN_AFTER = 2.0


class SqliteStore:
    """An SQLite file of ours at `path`.

    Making one never raises: if the file cannot be opened now (locked by another digitapp,
    a read-only folder), `problem` says why and every later call tries again. `notice` is
    set if a damaged file had to be kept aside and replaced. Reads wait at most
    `read_timeout` seconds for another connection's lock (the GUI makes this short, so
    that its thread never freezes), writes `write_timeout`.
    """

    FILENAME = ""
    SCHEMA = ""
    VERSION = 1
    MIGRATIONS: dict[int, str] = {}  # format k -> the SQL that makes it format k + 1
    TABLE = ""
    WHAT = ""  # "the runs database": messages name it so

    def __init__(self, path: str | Path, read_timeout: float = BUSY_TIMEOUT,
                 write_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = Path(path)
        self.read_timeout = read_timeout
        self.write_timeout = write_timeout
        self.notice: str | None = None
        self.problem: str | None = None
        self._open = False
        self._busy_since = -math.inf  # when opening last failed on a lock
        with contextlib.suppress(StoreError):  # kept in self.problem; tried again later
            self._ensure_open(read_timeout)

    @classmethod
    def default(cls, read_timeout: float = BUSY_TIMEOUT, write_timeout: float = BUSY_TIMEOUT):
        """The store in the user's data folder."""
        return cls(user_data_dir() / cls.FILENAME, read_timeout, write_timeout)

    def _ensure_open(self, timeout: float) -> None:
        """Create, check or replace the file once; raises StoreError (StoreBusy if locked).

        After a lock, reads do not wait for it again for REOPEN_AFTER seconds (the window's
        start would wait twice: the store, then the table); writers always try.
        """
        if self._open:
            return
        recent = time.monotonic() - self._busy_since < REOPEN_AFTER
        if recent and timeout < BUSY_TIMEOUT:  # (reads, and writers told to wait less)
            raise StoreBusy(self.problem)
        try:
            notice = open_database(self.path, self.SCHEMA, self.VERSION, self.TABLE, timeout,
                                   what=self.WHAT[:1].upper() + self.WHAT[1:],
                                   migrations=self.MIGRATIONS)
        except StoreError as exc:
            self.problem = str(exc)
            if isinstance(exc, StoreBusy):
                self._busy_since = time.monotonic()
            raise
        self.problem = None
        self.notice = notice or self.notice
        self._open = True

    def _session(self, timeout: float) -> Session:
        return Session(self.path, timeout, self.WHAT)
