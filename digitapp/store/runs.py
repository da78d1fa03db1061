"""The history of training runs: one row per run, in an SQLite file in the user's data folder.

Nothing read back is trusted (another program, a bad disk or an older bug may have written
the file): run_rows.py checks every value, a listing skips and counts bad rows.

A row holds the user's name for the run (format 2; NULL: none given, a name is made from
the run's facts), what defines the run (the job as JSON), how it went (status, message, duration,
per-epoch history, every batch's loss and learning rate) and what came out of it (metrics,
model folder). Batch curves are float32 blobs: a 40-epoch MNIST run is ~17,000 batches.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field

import numpy as np

from ..paths import printable
from .database import StoreBusy, StoreError
from .run_rows import (
    MAX_TEXT,
    BadRow,
    byte_length,
    capped,
    clean_name,
    curve_fields,
    curve_sizes,
    name_field,
    path_field,
    summary_fields,
)
from .sqlite_store import SqliteStore

FILENAME = "runs.sqlite3"
VERSION = 2
# Format 1 (digitapp before issue 18) had no name column: added in place, NULL for old runs.
MIGRATIONS = {1: "ALTER TABLE runs ADD COLUMN name TEXT;"}
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,            -- ISO 8601, UTC
    status TEXT NOT NULL,             -- completed | stopped | diverged | error
    message TEXT NOT NULL DEFAULT '',
    architecture TEXT NOT NULL,       -- e.g. 784-512-10
    job TEXT NOT NULL,                -- JSON: hidden, dropout, config, augment, sizes
    seconds REAL NOT NULL DEFAULT 0,
    epochs_run INTEGER NOT NULL DEFAULT 0,
    best_val_accuracy REAL,
    test_accuracy REAL,
    test_loss REAL,
    model_path TEXT,
    history TEXT NOT NULL,            -- JSON list, one object per epoch
    batches_per_epoch INTEGER NOT NULL DEFAULT 0,
    batch_loss BLOB NOT NULL,         -- float32 little-endian, one per batch
    batch_lr BLOB NOT NULL,
    name TEXT                         -- the user's name for the run, NULL if none
);
"""
_SUMMARY_NAMES = ("id", "started", "status", "message", "architecture", "job", "seconds",
                  "epochs_run", "best_val_accuracy", "test_accuracy", "test_loss", "model_path",
                  "name")
# The summary as SQL: a value over run_rows.MAX_TEXT bytes is refused before it is fetched.
_SUMMARY_COLUMNS = ", ".join(["id", *(capped(name) for name in _SUMMARY_NAMES[1:])])
# A listing shows at most this many runs (the newest), and stops early if their texts
# come to more than this many characters: a hostile file cannot exhaust memory.
MAX_LISTED = 10_000
LISTING_BUDGET = 50_000_000
_F32 = np.dtype("<f4")


def _empty() -> np.ndarray:
    return np.zeros(0, np.float32)


@dataclass
class RunRecord:
    """One training run. Listing leaves `history` empty and the curves empty (cheap)."""

    started: str
    status: str
    job: dict
    architecture: str = ""
    message: str = ""
    seconds: float = 0.0
    epochs_run: int = 0
    best_val_accuracy: float | None = None
    test_accuracy: float | None = None
    test_loss: float | None = None
    model_path: str | None = None
    history: list[dict] = field(default_factory=list)
    batches_per_epoch: int = 0
    batch_loss: np.ndarray = field(default_factory=_empty)  # (B,) float32
    batch_lr: np.ndarray = field(default_factory=_empty)  # (B,) float32
    id: int | None = None
    name: str | None = None  # the user's name for the run (run_rows.clean_name), or None


@dataclass
class RunListing:
    """The runs a listing could read, newest first, and how many it could not or left out."""

    runs: list[RunRecord]
    unreadable: int = 0  # rows with wrong-type or out-of-range values: skipped
    not_shown: int = 0  # older runs beyond MAX_LISTED or LISTING_BUDGET

    def note(self) -> str | None:
        """Return what the user should know about runs missing from the list, or None."""
        parts = []
        if self.unreadable:
            parts.append(f"{_runs(self.unreadable)} in the history could not be read and "
                         f"{'is' if self.unreadable == 1 else 'are'} not shown.")
        if self.not_shown:
            parts.append(f"The {_runs(self.not_shown)} older than the "
                         f"{len(self.runs) + self.unreadable} newest "
                         f"{'is' if self.not_shown == 1 else 'are'} not shown.")
        return " ".join(parts) or None


def _runs(count: int) -> str:
    return f"{count} run{'' if count == 1 else 's'}"


class RunStore(SqliteStore):
    """The runs database at `path` (see SqliteStore: making one never raises, reads wait
    at most `read_timeout` for a lock). A run that ends after a lock is gone is still
    recorded: every call tries to open the file again. Adding a run waits write_timeout.
    """

    FILENAME = FILENAME
    SCHEMA = SCHEMA
    VERSION = VERSION
    MIGRATIONS = MIGRATIONS
    TABLE = "runs"
    WHAT = "the runs database"

    def add(self, run: RunRecord) -> int:
        """Insert `run`, set and return its id (waiting at most write_timeout seconds for
        another connection's lock, else StoreBusy)."""
        self._ensure_open(self.write_timeout)
        row = {
            "started": run.started, "status": run.status, "message": printable(run.message),
            "architecture": run.architecture, "job": json.dumps(run.job),
            "seconds": float(run.seconds), "epochs_run": int(run.epochs_run),
            "best_val_accuracy": run.best_val_accuracy, "test_accuracy": run.test_accuracy,
            "test_loss": run.test_loss, "model_path": stored_path(run.model_path),
            "history": json.dumps(run.history), "batches_per_epoch": run.batches_per_epoch,
            "batch_loss": np.asarray(run.batch_loss, _F32).tobytes(),
            "batch_lr": np.asarray(run.batch_lr, _F32).tobytes(),
            "name": clean_name(run.name) if run.name else None,
        }
        names = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        with self._session(self.write_timeout) as con:
            run.id = con.execute(f"INSERT INTO runs ({names}) VALUES ({marks})", row).lastrowid
        return run.id

    def runs(self) -> list[RunRecord]:
        """Return every readable run, newest first, without history and curves."""
        return self.listing().runs

    def listing(self) -> RunListing:
        """Return the readable runs, newest first (without history and curves), and how
        many rows were skipped because their values are not what digitapp writes."""
        self._ensure_open(self.read_timeout)
        listing = RunListing([])
        with self._session(self.read_timeout) as con:
            total = con.execute("SELECT count(*) FROM runs").fetchone()[0]
            rows = con.execute(f"SELECT {_SUMMARY_COLUMNS} FROM runs ORDER BY id DESC "
                               "LIMIT ?", (MAX_LISTED,))
            budget = LISTING_BUDGET
            for row in rows:
                budget -= sum(len(v) for v in row if isinstance(v, (str, bytes)))
                if budget < 0:
                    break
                try:
                    listing.runs.append(RunRecord(**summary_fields(row)))
                except BadRow:
                    listing.unreadable += 1
        listing.not_shown = max(0, total - len(listing.runs) - listing.unreadable)
        return listing

    def get(self, run_id: int) -> RunRecord | None:
        """Return the run with `run_id`, with its history and curves, or None.

        Raises StoreError (DamagedRun) with the reason if the row's values are damaged.
        """
        self._ensure_open(self.read_timeout)
        with self._session(self.read_timeout) as con:
            sizes = con.execute(
                f"SELECT typeof(history), {byte_length('history')}, typeof(batch_loss), "
                f"{byte_length('batch_loss')}, typeof(batch_lr), {byte_length('batch_lr')} "
                "FROM runs WHERE id = ?", (run_id,)).fetchone()
            if sizes is None:
                return None
            try:
                curve_sizes(sizes)  # before fetching megabytes of them
            except BadRow as exc:
                raise DamagedRun(f"Run #{run_id} cannot be shown: {exc}.") from None
            row = con.execute(
                f"SELECT {_SUMMARY_COLUMNS}, history, batches_per_epoch, batch_loss, batch_lr "
                "FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:  # deleted in between
            return None
        count = len(_SUMMARY_NAMES)
        try:
            return RunRecord(**summary_fields(row[:count]), **curve_fields(*row[count:]))
        except BadRow as exc:
            raise DamagedRun(f"Run #{run_id} cannot be shown: {exc}.") from None

    def model_paths_named(self, name: str, excluding: int | None = None) -> list[str]:
        """Return the model paths of the runs (other than run `excluding`) whose path holds
        `name` (a folder's name: whether another run still names a folder), unreadable
        rows included; a path that is not one (run_rows) is left out."""
        self._ensure_open(self.read_timeout)
        with self._session(self.read_timeout) as con:
            rows = con.execute(
                "SELECT model_path FROM runs WHERE id IS NOT ? AND model_path IS NOT NULL "
                "AND length(CAST(model_path AS BLOB)) <= ? "
                "AND instr(CAST(model_path AS BLOB), ?) > 0",
                (excluding, MAX_TEXT, os.fsencode(name))).fetchall()
        paths = []
        for (value,) in rows:
            with contextlib.suppress(BadRow):
                path = path_field(value)
                if path is not None:
                    paths.append(path)
        return paths

    def rename(self, run_id: int, name: str) -> str | None:
        """Give run `run_id` the name `name` ("" or spaces: none, back to the made-up one);
        return the name as stored. Raises ValueError with the reason for a bad name."""
        stored = clean_name(name)
        self._ensure_open(self.write_timeout)
        with self._session(self.write_timeout) as con:
            con.execute("UPDATE runs SET name = ? WHERE id = ?", (stored, run_id))
        return stored

    def names_by_model(self) -> dict[str, str]:
        """Return {model folder path: the user's name} of the named runs that kept a model
        (for the Draw tab's model picker); names that fail the checks are left out."""
        self._ensure_open(self.read_timeout)
        with self._session(self.read_timeout) as con:
            rows = con.execute(
                f"SELECT {capped('model_path')}, {capped('name')} FROM runs "
                "WHERE name IS NOT NULL AND model_path IS NOT NULL ORDER BY id "
                "LIMIT ?", (MAX_LISTED,)).fetchall()
        names = {}
        for value, name in rows:
            with contextlib.suppress(BadRow):
                path, name = path_field(value), name_field(name)
                if path is not None and name is not None:
                    names[path] = name
        return names

    def delete(self, run_id: int) -> None:
        self._ensure_open(self.read_timeout)
        with self._session(self.read_timeout) as con:
            con.execute("DELETE FROM runs WHERE id = ?", (run_id,))


def stored_path(path: str | None) -> str | bytes | None:
    """Return how model_path is stored: text if the path is valid UTF-8, else (a name with
    bytes that are not, which Python holds as surrogate escapes and SQLite text cannot) its
    bytes as a BLOB, read back unchanged by run_rows (so the run's model can still be used
    and deleted)."""
    if path is None:
        return None
    try:
        return path.encode("utf-8").decode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path)


class DamagedRun(StoreError):
    """One run whose stored values are damaged; the others are fine."""


__all__ = ["DamagedRun", "RunListing", "RunRecord", "RunStore", "StoreBusy", "StoreError"]
