"""The one owner of this process's BLAS thread count, and the rule for using it.

OpenBLAS has a single, process-wide thread count, and several threads want a say: the
engine's data-parallel replicas (engine/parallel.py), the GUI's Draw tab, background tasks
and training runs, the CLI's --threads. If each set the count and put back what it found,
their set/restore pairs would interleave, and one could leave another's count in force
(a CNN's replicas left with two BLAS threads each train 15-20x slower). So every user holds
a request here; the count in force is the smallest requested (the cautious choice), and the
library's own count returns when no request is left.

The rule, measured on 2 cores: BLAS threads never take a core that another busy thread
needs. Data-parallel replicas use one each; work beside the GUI thread leaves it a core
(`all_cores_but(1)`: one thread on 2 cores). Two BLAS threads are ~10% faster on an idle
2-core machine, but 2-8x slower when anything else holds a core (a PCA went from 0.2 to
15 s), because OpenBLAS's threads wait for a core that is not free; replicas that each use
the BLAS pool fight over it.

    with BLAS.limited(1):            # for the duration of a block
        ...
    request = BLAS.request(1)        # for a longer hold (a replica runner's lifetime)
    BLAS.release(request)
    with BLAS.limited(all_cores_but(1)):   # leave a core to the GUI thread
        ...
"""

from __future__ import annotations

import contextlib
import itertools
import os
import threading

from threadpoolctl import ThreadpoolController


class BlasOwner:
    """Keeps BLAS at the smallest count any current request asks for."""

    def __init__(self, controller: ThreadpoolController | None = None) -> None:
        self._controller = controller  # found lazily: looking for libraries costs ~10 ms
        self._lock = threading.Lock()
        self._requests: dict[int, int] = {}  # request id -> thread count asked for
        self._ids = itertools.count()
        self._original: int | None = None  # the library's count before the first request
        self._in_force: int | None = None  # the count this owner last set

    def request(self, count: int) -> int:
        """Ask for `count` threads (at least 1) until `release`; return the request's id."""
        with self._lock:
            request = next(self._ids)
            self._requests[request] = max(int(count), 1)
            self._apply()
            return request

    def release(self, request: int) -> None:
        """End a request (a second release of the same id does nothing)."""
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


BLAS = BlasOwner()  # the process's owner: every part of digitapp goes through it


def all_cores_but(busy: int) -> int:
    """Return how many BLAS threads leave `busy` cores to other threads (at least one).

    One on this project's 2-core machine, where it was measured; on bigger machines the
    library's default (all cores) minus the cores the other threads keep busy.
    """
    return max((os.cpu_count() or 1) - busy, 1)
