"""The model selector: shipped models, the user's trained models, folders opened from disk.

It only offers choices. Whoever owns the active model listens to `model_chosen` and
`open_folder_requested`, tries the choice, and calls `show_model` with whatever is active
afterwards (the new model, or the previous one if the choice could not be loaded).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from digitapp.app.models import shipped_models, user_models
from digitapp.gui.model_choice import names_by_folder, picker_entry
from digitapp.store.runs import RunStore

OPEN_FOLDER = "open-folder"  # item data of the last entry, which opens a folder dialog


class ModelPicker(QComboBox):
    model_chosen = Signal(str)  # the folder of a model the user picked
    open_folder_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelPicker")
        self.setAccessibleName("Model")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.current: Path | None = None
        self._opened: list[Path] = []  # folders opened from disk during this session
        self.runs: RunStore | None = None  # the user's names for their models (main window)
        self.activated.connect(self._on_activated)
        self.refresh()

    def refresh(self) -> None:
        """List the models again (a training run may have saved a new one)."""
        self.blockSignals(True)
        self.clear()
        listed: set[Path] = set()
        names = names_by_folder(self.runs)

        def add(path: Path, kind: str) -> None:
            if path.resolve() in listed:
                return
            listed.add(path.resolve())
            entry = picker_entry(path, kind, names)  # "my net, 98.9% (yours)"
            self.addItem(entry.text, str(path))
            self.setItemData(self.count() - 1, entry.detail, Qt.ItemDataRole.ToolTipRole)

        for path in shipped_models():
            add(path, "shipped")
        for path in _safe_user_models():
            add(path, "yours")
        for path in [*self._opened, *([self.current] if self.current else [])]:
            add(path, path.parent.name or "folder")
        self.insertSeparator(self.count())
        self.addItem("Open model folder…", OPEN_FOLDER)
        self.blockSignals(False)
        self._select(self.current)

    def show_model(self, path: str | Path | None) -> None:
        """Show `path` as the selected model (listing it first if it is not listed)."""
        self.current = Path(path) if path is not None else None
        if self.current is not None and self._index_of(self.current) < 0:
            self._opened.append(self.current)
            self.refresh()
        self._select(self.current)

    def showPopup(self) -> None:  # Qt override
        self.refresh()
        super().showPopup()

    def _on_activated(self, index: int) -> None:
        data = self.itemData(index)
        if data == OPEN_FOLDER:
            self._select(self.current)  # the dialog decides; until then nothing changed
            self.open_folder_requested.emit()
        elif data is not None and (self.current is None or Path(data) != self.current):
            self.model_chosen.emit(data)

    def _index_of(self, path: Path) -> int:
        for index in range(self.count()):
            data = self.itemData(index)
            if data not in (None, OPEN_FOLDER) and Path(data).resolve() == path.resolve():
                return index
        return -1

    def _select(self, path: Path | None) -> None:
        self.blockSignals(True)
        self.setCurrentIndex(self._index_of(path) if path is not None else -1)
        self.blockSignals(False)


def _safe_user_models() -> list[Path]:
    """Return the user's models, or none if their folder cannot be read."""
    try:
        return user_models()
    except OSError:
        return []
