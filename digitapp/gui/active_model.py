"""The active model: the one the Draw tab (and later Mistakes/Insights) classify with.

Tabs never share a model object with a training thread: `use_path` loads a model folder
into a fresh `Sequential`, which from then on is only read (a snapshot of the weights).
Everyone interested connects to `changed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from digitapp.app.models import default_model_path, open_model
from digitapp.engine import ModelError, Sequential


@dataclass(frozen=True)
class ModelSnapshot:
    model: Sequential  # read-only from here on: never trained in place
    manifest: dict
    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def test_accuracy(self) -> float | None:
        return (self.manifest.get("metrics") or {}).get("test_accuracy")


class ActiveModel(QObject):
    """Holds the current ModelSnapshot; emits `changed(snapshot)` when it is replaced."""

    changed = Signal(object)  # ModelSnapshot

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._snapshot: ModelSnapshot | None = None

    @property
    def snapshot(self) -> ModelSnapshot | None:
        return self._snapshot

    def use_path(self, path: str | Path | None = None) -> ModelSnapshot:
        """Load the model folder `path` (default: the shipped default) and make it active.

        Raises ModelError with a one-line reason; the previous model then stays active.
        """
        folder = Path(path) if path is not None else default_model_path()
        model, manifest = open_model(folder)
        self._snapshot = ModelSnapshot(model, manifest, folder)
        self.changed.emit(self._snapshot)
        return self._snapshot


__all__ = ["ActiveModel", "ModelError", "ModelSnapshot"]
