"""Reading a number off the canvas, live, without segmenting on the GUI thread.

    reader = NumberReader(parent)
    reader.read.connect(slot)             # NumberRead, in the GUI thread
    reader.request(ticket, model, gray)   # from the GUI thread, as often as the pen moves
    reader.shutdown()                     # the thread ends (the Draw tab calls it on quit)

One GeneratorWorker (gui/worker.py) lives as long as the reader: its generator waits for
the newest request, reads it (digitapp.app.number.read_number, one BLAS thread, with a Memo
so that the digits already written are not read again) and yields the answer. Requests
that arrive while it reads replace one another: only the newest is read next, so a fast
pen never builds a queue and the answer shown is never older than one reading. Each
answer carries its request's ticket, so the tab can drop one that a newer drawing has
made stale.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from digitapp.app.number import Memo, NumberReading, read_number
from digitapp.data.preprocess import NoDigit
from digitapp.engine import ModelError
from digitapp.gui.worker import GeneratorWorker

WAIT = 0.1  # seconds the reader waits for a request before looking at its stop flag


@dataclass(frozen=True)
class NumberRead:
    ticket: int  # the request's
    reading: NumberReading | None  # None: nothing read, `reason` says why
    reason: str = ""


class _Newest:
    """One slot holding the newest request; `take` waits for one (thread-safe)."""

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._item: Any = None

    def put(self, item: Any) -> None:
        with self._ready:
            self._item = item
            self._ready.notify()

    def take(self, timeout: float) -> Any:
        with self._ready:
            if self._item is None:
                self._ready.wait(timeout)
            item, self._item = self._item, None
            return item


def read_or_reason(ticket: int, model, gray: np.ndarray, memo: Memo | None = None
                   ) -> NumberRead:
    """Read one request; every expected failure becomes a reason, never an exception."""
    try:
        return NumberRead(ticket, read_number(model, gray, memo))
    except NoDigit as exc:
        return NumberRead(ticket, None, str(exc))
    except ModelError as exc:
        return NumberRead(ticket, None, str(exc))
    except ValueError as exc:  # a model whose inputs are not 28x28 images
        return NumberRead(ticket, None, f"this model cannot read 28x28 images ({exc})")
    except MemoryError:
        return NumberRead(ticket, None, "not enough memory to read the number")


class NumberReader(QObject):
    read = Signal(object)  # NumberRead

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._newest = _Newest()
        self._worker: GeneratorWorker | None = None

    def request(self, ticket: int, model, gray: np.ndarray) -> None:
        """Ask for `gray` (H, W) to be read with `model`; replaces a request not yet taken."""
        self._newest.put((ticket, model, gray))
        if self._worker is None or not self._worker.is_running():
            self._worker = GeneratorWorker(self._work, self, "numberReaderThread")
            self._worker.yielded.connect(self._on_read)
            self._worker.start()

    def _work(self, control):
        memo = Memo()  # the digits already read are not read again (this thread's own)
        while not control.stopped:
            item = self._newest.take(WAIT)
            if item is not None:
                yield read_or_reason(*item, memo)

    @Slot(object)
    def _on_read(self, result: NumberRead) -> None:
        self.read.emit(result)

    def shutdown(self) -> None:
        """Stop the reader's thread and wait for it (at most one reading, a few ms)."""
        if self._worker is not None:
            self._worker.stop()
            self._worker.wait()
