"""The drawings of one digit as a list model: what a row of the My handwriting tab shows."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QImage

from digitapp.gui.audit.digits import digit_image
from digitapp.store.handwriting import Drawing

DRAWING_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the drawing's id in the collection
IMAGE_ROLE = Qt.ItemDataRole.UserRole + 2  # its 28x28 QImage
MISREAD_ROLE = Qt.ItemDataRole.UserRole + 3  # the digit the model read instead, or None

Index = QModelIndex | QPersistentModelIndex


def misread_as(drawing: Drawing) -> int | None:
    """Return the digit the model answered when the drawing was kept, if it was wrong."""
    if drawing.predicted is None or drawing.predicted == drawing.label:
        return None
    return drawing.predicted


def describe(drawing: Drawing) -> str:
    """Return a tooltip: the drawing, where it came from and what the model said then."""
    when = drawing.added.replace("T", " ")[:16] if drawing.added else "not stored yet"
    lines = [f"A {drawing.label} (drawing #{drawing.id}), kept {when} UTC, "
             f"from {'the canvas' if drawing.source == 'canvas' else 'a ' + drawing.source}"]
    if drawing.predicted is None:
        lines.append("The model gave no answer then.")
    else:
        sure = "" if drawing.confidence is None else f" ({drawing.confidence:.0%})"
        verb = "right" if drawing.predicted == drawing.label else f"as a {drawing.predicted}"
        lines.append(f"{drawing.model or 'The model'} read it {verb}{sure}.")
    return "\n".join(lines)


class DrawingsModel(QAbstractListModel):
    """A list model over `drawings` (one digit's, oldest first); their QImages are made
    when a row is first painted and kept until the next `set_drawings`."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.drawings: list[Drawing] = []
        self._images: dict[int, QImage] = {}

    def set_drawings(self, drawings: list[Drawing]) -> None:
        self.beginResetModel()
        self.drawings = list(drawings)
        self._images = {}
        self.endResetModel()

    def drawing_id(self, row: int) -> int:
        return int(self.drawings[row].id)

    def row_of(self, drawing_id: int) -> int | None:
        for row, drawing in enumerate(self.drawings):
            if drawing.id == drawing_id:
                return row
        return None

    def image(self, row: int) -> QImage:
        image = self._images.get(row)
        if image is None:
            pixels = np.rint(self.drawings[row].image28 * 255).astype(np.uint8)  # (28, 28)
            image = self._images[row] = digit_image(pixels)
        return image

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt override)
        return 0 if parent.isValid() else len(self.drawings)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # Qt override
        if not index.isValid() or index.row() >= len(self.drawings):
            return None
        drawing = self.drawings[index.row()]
        if role == DRAWING_ID_ROLE:
            return drawing.id
        if role == IMAGE_ROLE:
            return self.image(index.row())
        if role == MISREAD_ROLE:
            return misread_as(drawing)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            wrong = misread_as(drawing)
            return f"a {drawing.label}" + ("" if wrong is None else f", read as {wrong}")
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe(drawing)
        return None
