"""The one owner of this process's BLAS thread count.

OpenBLAS has a single, process-wide thread count. In the app several threads want a say:
the Draw tab predicts with one thread, background tasks (evaluations, maps) with one, a
training run with the count its BlasChooser picked. If each set the count and put back
what it found, their set/restore pairs would interleave and one could leave another's
choice in force (a training run choosing one thread could end up with two). Here every
user holds a request; the count in force is the smallest requested (the cautious
choice: two threads are only ever used when nobody else is working), and the library's
original count returns when no request is left.

    with BLAS.limited(1):            # for the duration of a block
        ...
    request = BLAS.request(2)        # for a longer run whose count may change
    BLAS.change(request, 1)
    BLAS.release(request)
"""

from __future__ import annotations

import contextlib
import itertools
import threading

from threadpoolctl import ThreadpoolController


class BlasOwner:
    """Keeps BLAS at the smallest count any current request asks for."""

    def __init__(self, controller: ThreadpoolController | None = None) -> None:
        self._controller = controller  # found lazily: looking for libraries costs ~10 ms
        self._lock = threading.Lock()
        self._requests: dict[int, int] = {}
        self._ids = itertools.count()
        self._original: int | None = None  # the library's count before the first request
        self._in_force: int | None = None

    def request(self, count: int) -> int:
        """Ask for `count` threads until `release`; return the request's id."""
        with self._lock:
            request = next(self._ids)
            self._requests[request] = max(int(count), 1)
            self._apply()
            return request

    def change(self, request: int, count: int) -> None:
        with self._lock:
            if request in self._requests:
                self._requests[request] = max(int(count), 1)
                self._apply()

    def release(self, request: int) -> None:
        with self._lock:
            if self._requests.pop(request, None) is not None:
                self._apply()

    @contextlib.contextmanager
    def limited(self, count: int):
        """Ask for `count` threads for the duration of a `with` block."""
        request = self.request(count)
        try:
            yield
        finally:
            self.release(request)

    def in_force(self) -> int | None:
        """Return the count this owner last set (None before any request)."""
        return self._in_force

    def _apply(self) -> None:
        if self._controller is None:
            self._controller = ThreadpoolController()
        if self._original is None:
            counts = [lib["num_threads"] for lib in self._controller.info()
                      if lib["user_api"] == "blas"]
            self._original = max(counts, default=1)
        wanted = min(self._requests.values()) if self._requests else self._original
        if wanted != self._in_force:
            # limit() returns an object that could restore the old counts; the owner does
            # that itself, so the object is dropped.
            self._controller.limit(limits=wanted, user_api="blas")
            self._in_force = wanted


BLAS = BlasOwner()  # the process's owner: every part of the app goes through it
