"""Rows of the runs table turned into plain values, trusting nothing in them.

SQLite keeps any value in any column of a table that is not STRICT ('abc' in a REAL
column, NULL in a NOT NULL one written by another program, a blob in a text one) and
`PRAGMA quick_check` does not look at them. So every value is checked for its type and
range here: a row that fails raises BadRow with the reason, which a listing counts and a
reader reports, never a TypeError from deep inside the GUI.

Sizes are checked in SQL before anything is fetched (`capped`, `curve_sizes`): a hostile
file cannot make us allocate a gigabyte for one value.
"""

from __future__ import annotations

import json
import math
import os

import numpy as np

# Bytes of one summary value (a job's JSON is ~1 KB, a failure message one line).
MAX_TEXT = 16_384
# Bytes of a run's per-epoch history: ~150 per epoch, so ~25,000 epochs.
MAX_HISTORY = 4_000_000
# Points of a batch curve: a 40-epoch MNIST run has ~17,000; this is 64 MB per curve.
MAX_CURVE = 16_000_000
_F32 = np.dtype("<f4")
MAX_NAME = 60  # characters of the user's name for a run
_EPOCH_NUMBERS = ("train_loss", "val_loss", "train_accuracy", "val_accuracy")
_REQUIRED = object()  # a _text value that may not be NULL


class BadRow(ValueError):
    """A row (or one value of it) that is not what digitapp writes; says which and why."""


class BadText:
    """Stands for a TEXT value that is not valid UTF-8 (sqlite3 would raise on it)."""


def decode_text(raw: bytes) -> str | BadText:
    """A connection's text_factory: str, or BadText for bytes that are not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return BadText()


def capped(column: str, limit: int = MAX_TEXT) -> str:
    """Return SQL giving `column`, or an empty blob (which no check accepts) if it is longer
    than `limit` bytes: an oversized value is never fetched."""
    size = f"ifnull({byte_length(column)}, 0)"  # NULL has no length: it passes as NULL
    return f"CASE WHEN {size} <= {int(limit)} THEN {column} ELSE X'' END"


def byte_length(column: str) -> str:
    """Return SQL giving the size of `column` in bytes (length() of a text stops at its
    first NUL character: a 10 MB text of NULs would pass as empty)."""
    return f"length(CAST({column} AS BLOB))"


def summary_fields(row: tuple) -> dict:
    """Return RunRecord keyword arguments from the 13 summary columns (see runs.py)."""
    (run_id, started, status, message, architecture, job, seconds, epochs_run,
     best_val, test_acc, test_loss, model_path, name) = row
    return {
        "id": _whole(run_id, "id"),
        "started": _text(started, "started"),
        "status": _text(status, "status"),
        "message": _text(message, "message", missing=""),
        "architecture": _text(architecture, "architecture", missing=""),
        "job": _job(job),
        "seconds": _real(seconds, "seconds", low=0.0),
        "epochs_run": _whole(epochs_run, "epochs_run"),
        "best_val_accuracy": _real(best_val, "best_val_accuracy", optional=True),
        "test_accuracy": _real(test_acc, "test_accuracy", optional=True),
        "test_loss": _real(test_loss, "test_loss", optional=True),
        "model_path": path_field(model_path),
        "name": name_field(name),
    }


def clean_name(text: str) -> str | None:
    """Return the user's name for a run as stored: spaces trimmed and runs of white space
    made one space; None for an empty one. Raises ValueError, in words, for a name that is
    too long or holds control characters."""
    name = " ".join(str(text).split())
    if len(name) > MAX_NAME:
        raise ValueError(f"a name has at most {MAX_NAME} characters (this one has "
                         f"{len(name)})")
    if not name.isprintable():
        raise ValueError("a name cannot hold control characters")
    return name or None


def name_field(value) -> str | None:
    """Return a stored name, or None if there is none or it is not one we would store
    (another program's value): the run is still listed, with its made-up name."""
    if not isinstance(value, str):
        return None
    try:
        name = clean_name(value)
    except ValueError:
        return None
    return name if name == value else None


def curve_sizes(sizes: tuple) -> None:
    """Check (typeof, length) of history, batch_loss, batch_lr before they are fetched."""
    history_type, history_length, loss_type, loss_length, lr_type, lr_length = sizes
    if history_type != "text" or history_length > MAX_HISTORY:
        raise BadRow("its per-epoch history is damaged")
    for kind, length, name in ((loss_type, loss_length, "batch loss"),
                               (lr_type, lr_length, "learning-rate")):
        if kind != "blob" or length % _F32.itemsize or length > MAX_CURVE * _F32.itemsize:
            raise BadRow(f"its {name} curve is damaged ({kind}, {length} bytes)")
    if loss_length != lr_length:
        raise BadRow("its batch loss and learning-rate curves differ in length")


def curve_fields(history, batches_per_epoch, batch_loss, batch_lr) -> dict:
    """Return RunRecord keyword arguments for the history and curves of one run:
    history [dict], batches_per_epoch int, batch_loss and batch_lr (B,) float32."""
    if isinstance(history, BadText):
        raise BadRow("its per-epoch history is not text")
    try:
        entries = json.loads(history)
    except (TypeError, ValueError, RecursionError):
        raise BadRow("its per-epoch history is not JSON") from None
    if not isinstance(entries, list) or not all(_is_epoch(e) for e in entries):
        raise BadRow("its per-epoch history is not a list of epochs")
    for blob, name in ((batch_loss, "batch loss"), (batch_lr, "learning-rate")):
        if not isinstance(blob, bytes) or len(blob) % _F32.itemsize:
            raise BadRow(f"its {name} curve is damaged")
    if len(batch_loss) != len(batch_lr):
        raise BadRow("its batch loss and learning-rate curves differ in length")
    return {
        "history": entries,
        "batches_per_epoch": _whole(batches_per_epoch, "batches_per_epoch"),
        "batch_loss": np.frombuffer(batch_loss, _F32).astype(np.float32),
        "batch_lr": np.frombuffer(batch_lr, _F32).astype(np.float32),
    }


def _is_epoch(entry) -> bool:
    """An entry {epoch: int >= 0, train_loss, val_loss, train_accuracy, val_accuracy: number
    (NaN allowed: a diverged epoch), ...}."""
    if not isinstance(entry, dict):
        return False
    epoch = entry.get("epoch")
    if not _is_int(epoch) or epoch < 0:
        return False
    return all(_is_number(entry.get(key)) for key in _EPOCH_NUMBERS)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(value, name: str, missing: str | None | object = _REQUIRED) -> str | None:
    """Return value if it is text; NULL gives `missing` unless that is _REQUIRED."""
    if value is None and missing is not _REQUIRED:
        return missing
    if not isinstance(value, str):
        raise BadRow(f"{name} is not text")
    return value


def path_field(value) -> str | None:
    """Return a stored model_path as a path (or None); BadRow if it is not one."""
    if isinstance(value, bytes) and value:  # a name that is not UTF-8 (runs.stored_path)
        try:
            value = os.fsdecode(value)
        except UnicodeDecodeError:  # Windows: file names are UTF-16, stored as UTF-8
            raise BadRow("model_path is not a path") from None
    path = _text(value, "model_path", missing=None)
    if path is not None and "\0" in path:  # no file system allows it; os calls would raise
        raise BadRow("model_path is not a path")
    return path or None


def _whole(value, name: str) -> int:
    if not _is_int(value) or value < 0:
        raise BadRow(f"{name} is not a whole number >= 0")
    return value


def _real(value, name: str, optional: bool = False, low: float | None = None) -> float | None:
    if value is None and optional:
        return None
    if not _is_number(value) or not math.isfinite(value) or (low is not None and value < low):
        raise BadRow(f"{name} is not a number" + (f" >= {low:g}" if low is not None else ""))
    return float(value)


def _job(value) -> dict:
    """The job's JSON as a dict; an object whose 'config' is not an object is refused too
    (the table shows config['epochs'])."""
    if not isinstance(value, str):
        raise BadRow("job is not text")
    try:
        job = json.loads(value)
    except (ValueError, RecursionError):
        raise BadRow("job is not JSON") from None
    if not isinstance(job, dict) or not isinstance(job.get("config", {}), dict):
        raise BadRow("job is not a JSON object")
    return job
