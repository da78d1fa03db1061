"""Export the collection to a folder, or import one, in the background with progress.

app/handwriting_folder.py does the work and reports through a callback (done, total);
the callback runs in the worker's thread, so it raises Cancelled when the user cancels
(export then removes what it wrote, import adds nothing) and sends its progress to the GUI
thread through a signal of this object (queued: the receiver lives in the GUI thread).
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from digitapp.analysis.control import Cancelled
from digitapp.app.handwriting_folder import ImportReport, export_collection, import_collection
from digitapp.gui.handwriting.wording import drawings_text
from digitapp.gui.handwriting_collection import HandwritingCollection
from digitapp.gui.job_slot import JobSlot
from digitapp.gui.worker import Outcome, WorkerControl

PROGRESS_EVERY = 0.1  # seconds between progress updates on screen


def import_message(report: ImportReport, folder: Path) -> str:
    """Return one line (or two, with the first reasons for skipped rows) about an import."""
    text = report.text()
    line = f"From {folder.name}: {text[0].upper()}{text[1:]}."
    if report.skipped:
        line += " Skipped: " + "; ".join(report.skipped[:3])
        if report.skipped_count > 3:
            line += f" (and {report.skipped_count - 3:,} more)"
        line += "."
    return line


class FolderTransfer(QObject):
    """One export or import at a time; `progressed(fraction, text)` while it runs,
    `ended(message, ok)` once it has ended."""

    progressed = Signal(float, str)
    ended = Signal(str, bool)
    _reported = Signal(int, int)  # from the worker's thread: (done, total)

    def __init__(self, collection: HandwritingCollection, parent: QObject | None = None):
        super().__init__(parent)
        self.collection = collection
        self._job = JobSlot(self)
        self._verb = ""
        self._reported.connect(self._on_reported)

    def running(self) -> bool:
        return self._job.running()

    def export_to(self, folder: Path) -> None:
        """Write the collection to `folder` (new or empty) as PNG files and a CSV."""
        store = self.collection.store

        def work(control: WorkerControl):  # in the worker's thread
            yield 0.0
            count = export_collection(store, folder, self._progress_callback(control))
            return f"Exported {drawings_text(count)} to {folder}."

        self._start(work, "Exporting")

    def import_from(self, folder: Path) -> None:
        """Add the drawings of a folder made by Export (or by hand: image, label columns)."""
        store = self.collection.store

        def work(control: WorkerControl):  # in the worker's thread
            yield 0.0
            report = import_collection(store, folder, self._progress_callback(control))
            return import_message(report, folder)

        self._start(work, "Importing")

    def _progress_callback(self, control: WorkerControl):
        last = [0.0]

        def report(done: int, total: int) -> None:  # in the worker's thread
            if control.stopped:
                raise Cancelled
            now = time.perf_counter()
            if now - last[0] >= PROGRESS_EVERY or done == total:
                last[0] = now
                self._reported.emit(done, total)

        return report

    def _start(self, work, verb: str) -> None:
        self._verb = verb
        self._job.start(work, "handwritingFolderThread", on_finished=self._finished)
        self.progressed.emit(0.0, f"{verb}\u2026")

    def cancel(self) -> None:
        self._job.cancel()

    def shutdown(self) -> None:
        """Cancel and block until the thread has ended."""
        self._job.shutdown()

    @Slot(int, int)
    def _on_reported(self, done: int, total: int) -> None:
        if self._job.running() and not self._job.stopping and total > 0:
            self.progressed.emit(done / total, f"{self._verb} {done:,} of {drawings_text(total)}")

    @Slot(object)
    def _finished(self, outcome: Outcome) -> None:
        if outcome.status == "done":
            if self._verb == "Importing":
                self.collection.announce_change()  # the store was written in the worker
            self.ended.emit(outcome.result, True)
        elif outcome.status == "cancelled":
            self.ended.emit(f"{self._verb} cancelled: nothing was changed.", False)
        else:
            self.ended.emit(f"{self._verb} failed: {outcome.message}", False)
