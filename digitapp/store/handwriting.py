"""The user's handwriting: labelled drawings in an SQLite file in the user's data folder.

This is the data pipeline the seed's roadmap asked for (training data pulled from a SQL
database), with the user's own corrections as the data: the Draw tab and
`digitapp handwriting add` write here, `personalize` (app/personalize.py) reads
`training_arrays()`.

Like the runs history (runs.py): making a store never raises (`problem` says why it cannot
be used now, `notice` that a damaged file was kept aside and a fresh one started), every
write is one transaction (a process killed in the middle leaves the file as it was before
it), and nothing read back is trusted (drawing_rows.py checks every value; a listing skips
and counts bad rows).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .database import StoreBusy, StoreError
from .drawing_rows import (
    IMAGE_BYTES,
    MAX_PICTURE_BYTES,
    MAX_STROKES_TEXT,
    SIDE,
    Drawing,
    checked,
    drawing_from_row,
    image_bytes,
    strokes_json,
)
from .run_rows import BadRow, byte_length, capped
from .sqlite_store import SqliteStore

FILENAME = "handwriting.sqlite3"
VERSION = 1
WHAT = "the handwriting collection"
SCHEMA = """
CREATE TABLE IF NOT EXISTS drawings (
    id INTEGER PRIMARY KEY,
    label INTEGER NOT NULL,           -- what the user says it is, 0..9
    added TEXT NOT NULL,              -- ISO 8601, UTC
    image28 BLOB NOT NULL,            -- 784 bytes: the 28x28 the network saw, pixel * 255
    predicted INTEGER,                -- the model's answer then (NULL: declined / not asked)
    confidence REAL,                  -- its probability, 0..1
    model TEXT NOT NULL DEFAULT '',   -- the model that answered (folder name)
    source TEXT NOT NULL,             -- canvas | file | import
    picture BLOB,                     -- PNG bytes of the full-resolution picture
    strokes TEXT                      -- JSON [[brush, [x0, y0, x1, y1, ...]], ...]
);
CREATE INDEX IF NOT EXISTS drawings_by_label ON drawings (label);
"""
# What a listing reads of a row (no picture, no strokes); values over their size are
# replaced by X'' in SQL, which the checks refuse, so they are never fetched.
_BRIEF = ("id, label, " + capped("added") + ", " + capped("image28", IMAGE_BYTES) +
          ", predicted, confidence, " + capped("model") + ", " + capped("source"))
_FULL = (_BRIEF + ", " + capped("picture", MAX_PICTURE_BYTES) + ", " +
         capped("strokes", MAX_STROKES_TEXT))
_COLUMNS = ("label", "added", "image28", "predicted", "confidence", "model", "source",
            "picture", "strokes")
# A listing holds at most this many drawings (the newest): ~1 KB each.
MAX_LISTED = 200_000


@dataclass
class DrawingListing:
    """The readable drawings (without pictures and strokes), oldest first, and how many
    rows were skipped because their values are not what digitapp writes."""

    drawings: list[Drawing] = field(default_factory=list)
    unreadable: int = 0
    not_shown: int = 0

    def counts(self) -> np.ndarray:
        """Return int (10,): drawings per digit."""
        return np.bincount([d.label for d in self.drawings], minlength=10).astype(int)

    def note(self) -> str | None:
        """One line about rows left out, or None."""
        parts = []
        if self.unreadable:
            parts.append(f"{_drawings(self.unreadable)} could not be read and "
                         f"{'is' if self.unreadable == 1 else 'are'} not shown")
        if self.not_shown:
            parts.append(f"{_drawings(self.not_shown)} beyond the newest {MAX_LISTED:,} "
                         "are not shown")
        return "; ".join(parts) + "." if parts else None


def _drawings(count: int) -> str:
    return f"{count:,} drawing{'' if count == 1 else 's'}"


def now_utc() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class HandwritingStore(SqliteStore):
    """The handwriting collection at `path` (see the module's docstring and SqliteStore:
    making one never raises, reads wait at most `read_timeout` for a lock). Every method
    may raise StoreError (StoreBusy for a lock) with a one-line reason.
    """

    FILENAME = FILENAME
    SCHEMA = SCHEMA
    VERSION = VERSION
    TABLE = "drawings"
    WHAT = WHAT

    # -- writing ---------------------------------------------------------------------------
    def add(self, drawing: Drawing) -> int:
        """Store `drawing` (its `added` time set now if empty); set and return its id."""
        return self.add_many([drawing])[0]

    def add_many(self, drawings: Iterable[Drawing], keep_ids: bool = False) -> list[int]:
        """Store all `drawings` in one transaction (all or none) and return their ids.

        With keep_ids (undoing a removal), a drawing keeps its old id when that id is free.
        Raises ValueError, before anything is written, if a drawing's values are not ours.
        """
        drawings = list(drawings)
        rows = [self._row(d) for d in drawings]
        self._ensure_open(self.write_timeout)
        ids = []
        with self._session(self.write_timeout) as con:
            for drawing, row in zip(drawings, rows, strict=True):
                wanted = drawing.id if keep_ids else None
                if wanted is not None and con.execute(
                        "SELECT 1 FROM drawings WHERE id = ?", (wanted,)).fetchone():
                    wanted = None
                names = ("id", *_COLUMNS) if wanted is not None else _COLUMNS
                values = (wanted, *row) if wanted is not None else row
                marks = ", ".join("?" * len(names))
                ident = con.execute(f"INSERT INTO drawings ({', '.join(names)}) "
                                    f"VALUES ({marks})", values).lastrowid
                ids.append(ident)
        for drawing, ident in zip(drawings, ids, strict=True):
            drawing.id = ident
        return ids

    @staticmethod
    def _row(drawing: Drawing) -> tuple:
        good = checked(drawing)
        if not drawing.added:
            drawing.added = now_utc()
        strokes = None if good.strokes is None else strokes_json(good.strokes)
        return (good.label, drawing.added, image_bytes(good.image28), good.predicted,
                good.confidence, good.model, good.source, good.picture, strokes)

    def relabel(self, drawing_id: int, label: int) -> bool:
        """Set a drawing's label; return whether it existed."""
        checked(Drawing(label, np.zeros((SIDE, SIDE), np.float32)))
        self._ensure_open(self.write_timeout)
        with self._session(self.write_timeout) as con:
            return con.execute("UPDATE drawings SET label = ? WHERE id = ?",
                               (int(label), int(drawing_id))).rowcount > 0

    def remove(self, drawing_ids: Iterable[int]) -> list[Drawing]:
        """Remove the drawings with these ids in one transaction; return them in full (for
        an undo: `add_many(removed, keep_ids=True)`). Unreadable rows are removed too."""
        ids = [int(i) for i in drawing_ids]
        self._ensure_open(self.write_timeout)
        removed = []
        with self._session(self.write_timeout) as con:
            for ident in ids:
                row = con.execute(f"SELECT {_FULL} FROM drawings WHERE id = ?",
                                  (ident,)).fetchone()
                if row is None:
                    continue
                with contextlib.suppress(BadRow):
                    removed.append(drawing_from_row(row, full=True))
                con.execute("DELETE FROM drawings WHERE id = ?", (ident,))
        return removed

    def clear(self) -> int:
        """Remove every drawing; return how many there were."""
        self._ensure_open(self.write_timeout)
        with self._session(self.write_timeout) as con:
            return con.execute("DELETE FROM drawings").rowcount

    # -- reading ---------------------------------------------------------------------------
    def listing(self) -> DrawingListing:
        """Return the readable drawings without pictures and strokes, oldest first."""
        self._ensure_open(self.read_timeout)
        listing = DrawingListing()
        with self._session(self.read_timeout) as con:
            total = con.execute("SELECT count(*) FROM drawings").fetchone()[0]
            rows = con.execute(f"SELECT * FROM (SELECT {_BRIEF} FROM drawings "
                               "ORDER BY id DESC LIMIT ?) ORDER BY id", (MAX_LISTED,))
            for row in rows:
                try:
                    listing.drawings.append(drawing_from_row(row, full=False))
                except BadRow:
                    listing.unreadable += 1
        listing.not_shown = max(0, total - len(listing.drawings) - listing.unreadable)
        return listing

    def counts(self) -> np.ndarray:
        """Return int (10,): drawings per digit (one small query, however many there are;
        rows whose label is not a digit are left out)."""
        self._ensure_open(self.read_timeout)
        counts = np.zeros(10, int)
        with self._session(self.read_timeout) as con:
            for label, count in con.execute(
                    "SELECT label, count(*) FROM drawings WHERE typeof(label) = 'integer' "
                    "AND label BETWEEN 0 AND 9 GROUP BY label"):
                counts[label] = count
        return counts

    def get(self, drawing_id: int) -> Drawing | None:
        """Return one drawing in full (picture and strokes), or None if there is none.
        Raises StoreError naming the drawing if its values are damaged."""
        self._ensure_open(self.read_timeout)
        with self._session(self.read_timeout) as con:
            row = con.execute(f"SELECT {_FULL} FROM drawings WHERE id = ?",
                              (int(drawing_id),)).fetchone()
        if row is None:
            return None
        try:
            return drawing_from_row(row, full=True)
        except BadRow as exc:
            raise StoreError(f"drawing #{drawing_id} cannot be read: {exc}") from None

    def full_drawings(self) -> tuple[list[Drawing], int]:
        """Return (every readable drawing in full, oldest first; how many were unreadable)."""
        self._ensure_open(self.read_timeout)
        good, bad = [], 0
        with self._session(self.read_timeout) as con:
            sizes = con.execute(f"SELECT sum({byte_length('picture')}) FROM drawings"
                                ).fetchone()[0] or 0
            if sizes > 4_000_000_000:
                raise StoreError(f"{WHAT} holds {sizes / 1e9:.1f} GB of pictures: too much "
                                 "to read at once")
            for row in con.execute(f"SELECT {_FULL} FROM drawings ORDER BY id"):
                try:
                    good.append(drawing_from_row(row, full=True))
                except BadRow:
                    bad += 1
        return good, bad

    def training_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (ids int64 (N,), images float32 (N, 28, 28) in [0, 1], labels int64 (N,)),
        oldest first, of every readable drawing: what personalisation learns from."""
        listing = self.listing()
        drawings = listing.drawings
        ids = np.array([d.id for d in drawings], dtype=np.int64)
        labels = np.array([d.label for d in drawings], dtype=np.int64)
        images = (np.stack([d.image28 for d in drawings]) if drawings
                  else np.zeros((0, SIDE, SIDE), np.float32))
        return ids, images, labels


__all__ = ["Drawing", "DrawingListing", "HandwritingStore", "StoreBusy", "StoreError"]
