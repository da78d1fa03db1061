"""Open an SQLite file of ours; a damaged one is moved aside (never deleted) and replaced.

Every call opens its own short-lived connection (`connect`), so a store object can be used
from any thread: SQLite connections themselves must not cross threads.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

# Seconds a writer waits for another connection's lock before giving up.
BUSY_TIMEOUT = 10.0


class StoreError(Exception):
    """A database that cannot be used right now, with a one-line reason."""


class _NotOurs(sqlite3.DatabaseError):
    """Readable SQLite, but damaged or not one of our databases."""


def connect(path: Path) -> sqlite3.Connection:
    """Return a new connection to `path` (callers close it; `with` only commits)."""
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT)
    con.execute("PRAGMA foreign_keys = ON")
    return con


def open_database(path: Path, schema: str, version: int, table: str) -> str | None:
    """Make `path` a usable database with `schema`; return a notice if it had to be replaced.

    A file SQLite cannot read, that fails its quick check, or that lacks `table` is renamed
    to `<name>.damaged-<time><suffix>` beside it and a fresh database is created; the notice
    says so in plain words. Raises StoreError if the file cannot be opened at all (a missing
    folder, no permission, locked) or was written by a newer digitapp.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _prepare(path, schema, version, table)
        return None
    except sqlite3.OperationalError as exc:  # locked, read-only, unopenable: not damage
        raise StoreError(f"cannot open {path}: {exc}") from exc
    except sqlite3.DatabaseError as exc:  # SQLITE_NOTADB, SQLITE_CORRUPT, or _NotOurs
        reason = str(exc)
    except OSError as exc:
        raise StoreError(f"cannot open {path}: {exc.strerror or exc}") from exc
    aside = _move_aside(path)
    try:
        _prepare(path, schema, version, table)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot create a new database at {path}: {exc}") from exc
    return (
        f"The runs database could not be read ({reason}). It was kept as {aside.name} "
        f"in {aside.parent}, and a new, empty one was started."
    )


def _prepare(path: Path, schema: str, version: int, table: str) -> None:
    con = connect(path)
    try:
        check = con.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise _NotOurs(f"integrity check: {check[0] if check else 'no answer'}")
        found = con.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
        if found == 0 and not tables:
            with con:
                con.executescript(schema)
                con.execute(f"PRAGMA user_version = {int(version)}")
        elif found > version:
            raise StoreError(f"{path} was written by a newer digitapp (format {found}, "
                             f"this one reads format {version})")
        elif table not in tables:
            raise _NotOurs(f"no {table} table: not a digitapp database")
    finally:
        con.close()


def _move_aside(path: Path) -> Path:
    """Rename `path` (and its journal files) to a free 'damaged' name; return the new path."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        tag = f".damaged-{stamp}" + (f"-{n}" if n else "")
        aside = path.with_name(path.stem + tag + path.suffix)
        if not aside.exists():
            break
    path.rename(aside)
    for extra in ("-journal", "-wal", "-shm"):
        sibling = path.with_name(path.name + extra)
        if sibling.exists():
            sibling.rename(aside.with_name(aside.name + extra))
    return aside
