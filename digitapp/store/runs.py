"""The history of training runs: one row per run, in an SQLite file in the user's data folder.

A row holds what defines the run (the job as JSON), how it went (status, message, duration,
per-epoch history, every batch's loss and learning rate) and what came out of it (metrics,
model folder). Batch curves are float32 blobs: a 40-epoch MNIST run is ~17,000 batches.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..paths import user_data_dir
from .database import StoreError, connect, open_database

FILENAME = "runs.sqlite3"
VERSION = 1
SCHEMA = """
CREATE TABLE runs (
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
    batch_lr BLOB NOT NULL
);
"""
_SUMMARY_COLUMNS = ("id, started, status, message, architecture, job, seconds, epochs_run, "
                    "best_val_accuracy, test_accuracy, test_loss, model_path")
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


class RunStore:
    """The runs database at `path`. `notice` is set if a damaged file had to be replaced."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.notice = open_database(self.path, SCHEMA, VERSION, "runs")

    @classmethod
    def default(cls) -> RunStore:
        return cls(user_data_dir() / FILENAME)

    def add(self, run: RunRecord) -> int:
        """Insert `run`, set and return its id."""
        row = {
            "started": run.started, "status": run.status, "message": run.message,
            "architecture": run.architecture, "job": json.dumps(run.job),
            "seconds": float(run.seconds), "epochs_run": int(run.epochs_run),
            "best_val_accuracy": run.best_val_accuracy, "test_accuracy": run.test_accuracy,
            "test_loss": run.test_loss, "model_path": run.model_path,
            "history": json.dumps(run.history), "batches_per_epoch": run.batches_per_epoch,
            "batch_loss": np.asarray(run.batch_loss, _F32).tobytes(),
            "batch_lr": np.asarray(run.batch_lr, _F32).tobytes(),
        }
        names = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        with self._session() as con:
            run.id = con.execute(f"INSERT INTO runs ({names}) VALUES ({marks})", row).lastrowid
        return run.id

    def runs(self) -> list[RunRecord]:
        """Return every run, newest first, without history and curves."""
        with self._session() as con:
            rows = con.execute(f"SELECT {_SUMMARY_COLUMNS} FROM runs ORDER BY id DESC")
            return [_record(row) for row in rows]

    def get(self, run_id: int) -> RunRecord | None:
        """Return the run with `run_id`, with its history and curves, or None."""
        with self._session() as con:
            row = con.execute(
                f"SELECT {_SUMMARY_COLUMNS}, history, batches_per_epoch, batch_loss, batch_lr "
                "FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            return None
        run = _record(row[:12])
        run.history = json.loads(row[12])
        run.batches_per_epoch = int(row[13])
        run.batch_loss = np.frombuffer(row[14], _F32).astype(np.float32)
        run.batch_lr = np.frombuffer(row[15], _F32).astype(np.float32)
        return run

    def delete(self, run_id: int) -> None:
        with self._session() as con:
            con.execute("DELETE FROM runs WHERE id = ?", (run_id,))

    def _session(self):
        return _Session(self.path)


class _Session:
    """`with` a connection that commits on success, rolls back on error, and always closes;
    SQLite errors become StoreError with a plain reason."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.con = connect(self.path)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the runs database {self.path}: {exc}") from exc
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
            raise StoreError(f"the runs database {self.path} failed: {exc}") from exc
        return False


def _record(row) -> RunRecord:
    (run_id, started, status, message, architecture, job, seconds, epochs_run,
     best_val, test_acc, test_loss, model_path) = row
    try:
        job = json.loads(job)
    except ValueError:
        job = {}
    return RunRecord(started=started, status=status, job=job, architecture=architecture,
                     message=message, seconds=seconds, epochs_run=epochs_run,
                     best_val_accuracy=best_val, test_accuracy=test_acc, test_loss=test_loss,
                     model_path=model_path, id=run_id)


__all__ = ["RunRecord", "RunStore", "StoreError"]
