"""The user's handwriting collection as the GUI shares it: the store, plus a signal.

The Draw tab adds corrections, the My handwriting tab lists, removes and teaches; each
change made through this object emits `changed`, so every view shows the same collection
without polling. The store's own calls are small SQLite transactions (a few milliseconds),
made on the GUI thread with short lock waits (gui/app.py); exporting, importing and
teaching many drawings run in a GeneratorWorker instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from digitapp.store.handwriting import Drawing, DrawingListing, HandwritingStore


class HandwritingCollection(QObject):
    changed = Signal()  # drawings were added, removed, relabelled or cleared

    def __init__(self, store: HandwritingStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store

    def add(self, drawing: Drawing) -> int:
        """Store one drawing (StoreError, ValueError on failure); return its id."""
        ident = self.store.add(drawing)
        self.changed.emit()
        return ident

    def remove(self, drawing_ids: Iterable[int]) -> list[Drawing]:
        """Remove drawings; return them in full, for `restore` (an undo)."""
        removed = self.store.remove(drawing_ids)
        self.changed.emit()
        return removed

    def restore(self, drawings: list[Drawing]) -> None:
        """Put removed drawings back, with their old ids where free."""
        self.store.add_many(drawings, keep_ids=True)
        self.changed.emit()

    def relabel(self, drawing_id: int, label: int) -> None:
        self.store.relabel(drawing_id, label)
        self.changed.emit()

    def clear(self) -> int:
        count = self.store.clear()
        self.changed.emit()
        return count

    def listing(self) -> DrawingListing:
        return self.store.listing()

    def announce_change(self) -> None:
        """Emit `changed` after the store was written elsewhere (an import in a worker)."""
        self.changed.emit()
