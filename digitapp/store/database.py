"""Open an SQLite file of ours; a damaged one is moved aside (never deleted) and replaced.

Every call opens its own short-lived connection (`connect`), so a store object can be used
from any thread: SQLite connections themselves must not cross threads.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ..paths import folder_problem
from .run_rows import decode_text

# Seconds a writer waits for another connection's lock before giving up.
BUSY_TIMEOUT = 10.0
# Seconds a read made on the GUI thread waits: a window must never freeze on a lock.
READ_TIMEOUT = 0.5


class StoreError(Exception):
    """A database that cannot be used right now, with a one-line reason."""


class StoreBusy(StoreError):
    """Another connection holds a lock for longer than we waited: trying later may work."""


class _NotOurs(sqlite3.DatabaseError):
    """Readable SQLite, but damaged or not one of our databases."""


def connect(path: Path, timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    """Return a new connection to `path` (callers close it; `with` only commits)."""
    con = sqlite3.connect(path, timeout=timeout)
    con.execute("PRAGMA foreign_keys = ON")
    return con


def is_busy(exc: sqlite3.Error) -> bool:
    """Return whether `exc` means "locked by someone else" rather than "broken"."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def open_database(path: Path, schema: str, version: int, table: str,
                  timeout: float = BUSY_TIMEOUT, what: str = "The runs database",
                  migrations: dict[int, str] | None = None) -> str | None:
    """Make `path` a usable database with `schema`; return a notice if it had to be replaced.

    A file of an older format is brought up to `version` in place: migrations[k] is the
    SQL that turns format k into k + 1 (e.g. a column added), run in one transaction.

    A file SQLite cannot read, that fails its quick check, or that lacks `table` is renamed
    to `<name>.damaged-<time><suffix>` beside it and a fresh database is created; the notice
    says so in plain words. Raises StoreBusy if another connection kept it locked for more
    than `timeout` seconds, StoreError if the file cannot be opened at all (a missing or
    read-only folder, no permission) or was written by a newer digitapp.
    Several processes may open a new `path` at once: its creation is one IMMEDIATE
    transaction, so they take turns and all succeed.
    """
    path = Path(path)
    problem = folder_problem(path.parent)
    if problem is not None and not path.parent.is_dir():  # (writability: SQLite says)
        raise StoreError(f"cannot open {path}: the data folder {path.parent} cannot be used "
                         f"({problem})")
    try:
        _prepare(path, schema, version, table, timeout, migrations or {})
        return None
    except sqlite3.OperationalError as exc:  # locked, read-only, unopenable: not damage
        kind = StoreBusy if is_busy(exc) else StoreError
        raise kind(f"cannot open {path}: {exc}") from exc
    except sqlite3.DatabaseError as exc:  # SQLITE_NOTADB, SQLITE_CORRUPT, or _NotOurs
        reason = str(exc)
    except OSError as exc:
        raise StoreError(f"cannot open {path}: {exc.strerror or exc}") from exc
    try:
        aside = _move_aside(path)
    except FileNotFoundError:
        aside = None  # another process moved it aside first
    except OSError as exc:
        raise StoreError(f"{path} is damaged ({reason}) and cannot be moved aside: "
                         f"{exc.strerror or exc}") from exc
    try:
        _prepare(path, schema, version, table, timeout, migrations or {})
    except sqlite3.Error as exc:
        raise StoreError(f"cannot create a new database at {path}: {exc}") from exc
    kept = (f"It was kept as {aside.name} in {aside.parent}" if aside is not None
            else "It was kept aside by another digitapp")
    return (f"{what} could not be read ({reason}). {kept}, "
            "and a new, empty one was started.")


def _prepare(path: Path, schema: str, version: int, table: str, timeout: float,
             migrations: dict[int, str]) -> None:
    con = connect(path, timeout)
    try:
        check = con.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise _NotOurs(f"integrity check: {check[0] if check else 'no answer'}")
        found, tables = _contents(con)
        if found == 0 and not tables:
            _create(con, schema, version)
            found, tables = _contents(con)
        if found > version:
            raise StoreError(f"{path} was written by a newer digitapp (format {found}, "
                             f"this one reads format {version})")
        if table not in tables:
            raise _NotOurs(f"no {table} table: not a digitapp database")
        if found < version:
            _migrate(con, version, migrations)
    finally:
        con.close()


def _migrate(con: sqlite3.Connection, version: int, migrations: dict[int, str]) -> None:
    """Bring an older format up to `version`, step by step, in one IMMEDIATE transaction
    (another process migrating the same file waits, then finds nothing left to do)."""
    with _immediate_transaction(con):
        found = max(1, _contents(con)[0])  # format 1 files of the earliest versions say 0
        for step in range(found, version):
            if step not in migrations:
                raise StoreError(f"no way to update format {step} to {step + 1}")
            for statement in _statements(migrations[step]):
                con.execute(statement)
        con.execute(f"PRAGMA user_version = {int(version)}")


@contextlib.contextmanager
def _immediate_transaction(con: sqlite3.Connection) -> Iterator[None]:
    """Run the block in one IMMEDIATE transaction (our own BEGIN / COMMIT, never implicit
    ones): committed at its end, rolled back if it raises."""
    con.isolation_level = None
    con.execute("BEGIN IMMEDIATE")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise


def _contents(con: sqlite3.Connection) -> tuple[int, set[str]]:
    """Return (user_version, names in sqlite_master) of the database."""
    found = con.execute("PRAGMA user_version").fetchone()[0]
    return found, {row[0] for row in con.execute("SELECT name FROM sqlite_master")}


def _create(con: sqlite3.Connection, schema: str, version: int) -> None:
    """Create the schema in an empty database, in one IMMEDIATE transaction.

    A second process creating the same file waits for the first one's lock, then finds
    the tables there and leaves them (the check is repeated inside the transaction).
    """
    with _immediate_transaction(con):
        found, tables = _contents(con)
        if found == 0 and not tables:
            for statement in _statements(schema):
                con.execute(statement)
            con.execute(f"PRAGMA user_version = {int(version)}")


def _statements(script: str) -> Iterator[str]:
    """Yield the SQL statements of `script` one by one (';' inside a string or comment is
    not an end: sqlite3.complete_statement decides)."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if _has_code(pending):
                yield pending
            pending = ""


def _has_code(statement: str) -> bool:
    lines = (line.split("--", 1)[0] for line in statement.splitlines())
    return bool("".join(lines).strip(" \t;"))


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


class Session:
    """`with` a connection that commits on success, rolls back on error, and always closes;
    SQLite errors become StoreError with a plain reason naming `what` ("the runs database")."""

    def __init__(self, path: Path, timeout: float, what: str) -> None:
        self.path = path
        self.timeout = timeout
        self.what = what

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.con = connect(self.path, self.timeout)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.what} {self.path}: {exc}") from exc
        self.con.text_factory = decode_text  # text that is not UTF-8 fails a check, not all
        return self.con

    def __exit__(self, kind, exc, tb) -> bool:
        try:
            if kind is None:
                self.con.commit()
            else:
                self.con.rollback()
        except sqlite3.Error as failure:
            exc = exc or failure
        finally:
            self.con.close()
        if isinstance(exc, sqlite3.Error):
            kind = StoreBusy if is_busy(exc) else StoreError
            raise kind(f"{self.what} {self.path} failed: {exc}") from exc
        return False
