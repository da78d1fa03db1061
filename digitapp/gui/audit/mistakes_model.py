"""The rows of the Mistakes grid: indices into an Audit, in the order they are shown."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from digitapp.app.audit import Audit
from digitapp.app.verdict import percent
from digitapp.gui.audit.digits import DigitImages

IMAGE_INDEX_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's position in the test set

Index = QModelIndex | QPersistentModelIndex


class MistakesModel(QAbstractListModel):
    """A list model over `rows` (m,): the delegate paints each row from the Audit's arrays,
    so a row costs no widget and no Python object until it is on screen."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.audit: Audit | None = None
        self.images: DigitImages | None = None
        self.rows = np.zeros(0, dtype=np.int64)

    def set_audit(self, audit: Audit | None) -> None:
        self.beginResetModel()
        self.audit = audit
        self.images = DigitImages(audit.images) if audit is not None else None
        self.rows = np.zeros(0, dtype=np.int64)
        self.endResetModel()

    def set_rows(self, rows: np.ndarray) -> None:
        """Show the test images `rows` (m,), in that order."""
        self.beginResetModel()
        self.rows = np.asarray(rows, dtype=np.int64)
        self.endResetModel()

    def image_index(self, row: int) -> int:
        return int(self.rows[row])

    def row_of(self, image_index: int) -> int | None:
        """Return the row showing test image `image_index`, or None if it is not shown."""
        found = np.flatnonzero(self.rows == image_index)
        return int(found[0]) if len(found) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt override)
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # Qt override
        if self.audit is None or not index.isValid() or index.row() >= len(self.rows):
            return None
        i = int(self.rows[index.row()])
        if role == IMAGE_INDEX_ROLE:
            return i
        true, predicted = int(self.audit.labels[i]), int(self.audit.predictions[i])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{true} as {predicted}, {percent(self.audit.confidence(i))}"
        if role == Qt.ItemDataRole.ToolTipRole:
            second = int(self.audit.second[i])
            p2 = float(self.audit.probabilities[i, second])
            return (f"Test image #{i}: a {true}, taken for a {predicted} "
                    f"({percent(self.audit.confidence(i))}); second choice {second} "
                    f"({percent(p2)})" if true != predicted else
                    f"Test image #{i}: a {true}, recognised ({percent(self.audit.confidence(i))})")
        return None
