"""Export a contact sheet in the background: draw it, write it, say what became of it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from digitapp.app.audit import Audit
from digitapp.gui.audit.contact_sheet import contact_sheet_steps
from digitapp.gui.job_slot import JobSlot
from digitapp.gui.worker import Outcome

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
        self._job = JobSlot(self)
        self._what = "the contact sheet"  # what the export under way holds (its message)

    def running(self) -> bool:
        return self._job.running()

    def start(self, audit: Audit, indices: np.ndarray, title: str, path: Path,
              what: str = "the contact sheet") -> None:
        """Draw the images `indices` of the audit under `title` and write them to `path`;
        `what` names them in the message ("the 3 selected images")."""
        self._what = what
        def export(control):  # in the worker's thread
            sheet = yield from contact_sheet_steps(audit, indices, title, control)
            yield 1.0, f"Writing {path.name}"
            if not sheet.save(str(path), "PNG"):
                raise OSError(f"could not write {path} (is the folder writable?)")
            return path

        self._job.start(export, "exportThread", throttle=THROTTLE,
                        on_yield=self._progressed, on_finished=self._finished)

    def cancel(self) -> None:
        self._job.cancel()

    def shutdown(self) -> None:
        """Cancel and block until the export's thread has ended."""
        self._job.shutdown()

    @Slot(object)
    def _progressed(self, step: tuple[float, str]) -> None:
        self.progressed.emit(*step)  # never after Cancel (JobSlot)

    @Slot(object)
    def _finished(self, outcome: Outcome) -> None:
        # A Cancel that came after the sheet was written (the worker reports "cancelled"
        # with the path it returned) is too late: the file is there, so say it was saved.
        if outcome.status == "done" or (outcome.status == "cancelled"
                                        and outcome.result is not None):
            self.message.emit(f"Saved {self._what} to {outcome.result}")
            self.done.emit(outcome.result)
            return
        self.message.emit("Export cancelled." if outcome.status == "cancelled"
                          else f"Export failed: {outcome.message}")
        self.done.emit(None)
