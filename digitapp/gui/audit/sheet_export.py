"""Export a contact sheet in the background: draw it, write it, say what became of it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from digitapp.app.audit import Audit
from digitapp.gui.audit.contact_sheet import contact_sheet_steps
from digitapp.gui.worker import GeneratorWorker, Outcome

THROTTLE = 0.1  # seconds between progress updates on screen


def png_path(path: str | Path) -> Path:
    """Return `path` with the .png suffix a contact sheet is written with."""
    path = Path(path)
    return path if path.suffix.lower() == ".png" else path.with_suffix(".png")


class SheetExporter(QObject):
    """One export at a time; `done(Path or None)` and `message(text)` when it has ended."""

    progressed = Signal(float, str)
    message = Signal(str)  # "Saved ... to ...", "Export cancelled.", "Export failed: ..."
    done = Signal(object)  # the Path written, or None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task: GeneratorWorker | None = None

    def running(self) -> bool:
        return self._task is not None

    def start(self, audit: Audit, indices: np.ndarray, title: str, path: Path) -> None:
        """Draw the images `indices` of the audit under `title` and write them to `path`."""
        def export(control):  # in the worker's thread
            sheet = yield from contact_sheet_steps(audit, indices, title, control)
            yield 1.0, f"Writing {path.name}"
            if not sheet.save(str(path), "PNG"):
                raise OSError(f"could not write {path} (is the folder writable?)")
            return path

        self._task = GeneratorWorker(export, self, "exportThread", throttle=THROTTLE)
        self._task.yielded.connect(self._progressed)
        self._task.finished.connect(self._finished)
        self._task.start()

    def cancel(self) -> None:
        if self._task is not None:
            self._task.stop()

    def shutdown(self) -> None:
        """Cancel and block until the export's thread has ended."""
        if self._task is not None:
            self._task.stop()
            self._task.wait()

    @Slot(object)
    def _progressed(self, step: tuple[float, str]) -> None:
        if self._task is not None and not self._task.stopping:
            self.progressed.emit(*step)

    @Slot(object)
    def _finished(self, outcome: Outcome) -> None:
        self._task.deleteLater()
        self._task = None
        if outcome.status == "done":
            self.message.emit(f"Saved the contact sheet to {outcome.result}")
            self.done.emit(outcome.result)
            return
        self.message.emit("Export cancelled." if outcome.status == "cancelled"
                          else f"Export failed: {outcome.message}")
        self.done.emit(None)
