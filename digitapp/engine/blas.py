"""The one owner of this process's BLAS thread count, and the rule for using it.

OpenBLAS has a single, process-wide thread count, and several threads want a say: the
engine's data-parallel replicas (engine/parallel.py), the GUI's Draw tab, background tasks
and training runs, the CLI's --threads. If each set the count and put back what it found,
their set/restore pairs would interleave, and one could leave another's count in force
(a CNN's replicas left with two BLAS threads each train 15-20x slower). So every user holds
a request here; the count in force is the smallest requested (the cautious choice), and the
library's own count returns when no request is left.

The rule, measured on 2 cores: BLAS threads never take a core that another busy thread
needs. Data-parallel replicas use one thread each (replicas that each use the BLAS pool
fight over it). GUI training follows the load (app/other_work.py): with the other cores
idle it takes them (two threads: ~35% faster), with a core busy elsewhere it takes one
(two threads there were 2.6x slower, waiting for a core that is not free). Other
background work (PCA, t-SNE, evaluation beside the GUI thread) uses one.

    with BLAS.limited(1):            # for the duration of a block
        ...
    request = BLAS.request(1)        # for a longer hold (a replica runner's lifetime)
    BLAS.release(request)
    with BLAS.limited(all_cores_but(1)):   # leave a core to another busy thread
        ...

Where the count is set matters (measured with numpy's OpenBLAS 0.3.31, pthreads): a change
made from one thread is silently ignored while another thread that made a change is still
alive, and the main thread lives as long as the process. A GUI that predicted once with a
limit on its main thread (the Draw tab) thus left every later request of a training thread
without effect, and a CNN's two replicas trained with two BLAS threads each. So the count
is only ever changed on one thread, the owner's own (never the main thread), and read back
to check it took (`BlasOwner.applied`). There is one owner per process, `BLAS`.
Nothing else in digitapp may call threadpoolctl's limits; tests and benchmarks use BLAS too.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from threadpoolctl import ThreadpoolController


class BlasOwner:
    """Keeps BLAS at the smallest count any current request asks for."""

    def __init__(self, controller: ThreadpoolController | None = None) -> None:
        self._controller = controller  # found lazily: looking for libraries costs ~10 ms
        # Re-entrant: a replica runner's weakref.finalize releases its request when it is
        # collected, and garbage collection can run inside request/release, in the thread
        # that already holds the lock.
        self._lock = threading.RLock()
        self._applying = False  # an _apply is under way in the lock's holder
        self._stale = False  # requests changed during that _apply: it must apply again
        self._requests: dict[int, int] = {}  # request id -> thread count asked for
        self._ids = itertools.count()
        self._original: int | None = None  # the library's count before the first request
        # The one thread that ever changes the count (see the module's notes); it idles
        # between changes, which take ~0.1 ms including the hand-over.
        self._setter = ThreadPoolExecutor(1, thread_name_prefix="blas-owner")
        self.applied: int | None = None  # the count read back after the last change

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
        """Set the count the requests call for, on the owner's thread; caller holds the lock.

        A release re-entering while an _apply is under way (garbage collection in the same
        thread) only marks it stale: the outer _apply then applies again, so the count in
        force is computed from the requests as they are once it returns, and no nested
        call waits for the setter thread.
        """
        if self._applying:
            self._stale = True
            return
        self._applying = True
        try:
            self._stale = True
            while self._stale:
                self._stale = False
                wanted = min(self._requests.values()) if self._requests else self._original
                self._setter.submit(self._set, wanted).result()
        finally:
            self._applying = False

    def _set(self, wanted: int | None) -> None:
        if self._controller is None:
            self._controller = ThreadpoolController()
        blas = [lib for lib in self._controller.lib_controllers if lib.user_api == "blas"]
        if self._original is None:
            self._original = max((lib.num_threads for lib in blas), default=1)
        # Set every time, even to the count set last: code outside the owner may have
        # changed it since.
        for lib in blas:
            lib.set_num_threads(wanted or self._original)
        self.applied = max((lib.get_num_threads() for lib in blas), default=None)


BLAS = BlasOwner()  # the process's owner: every part of digitapp goes through it


def all_cores_but(busy: int) -> int:
    """Return how many BLAS threads leave `busy` cores to other threads (at least one).

    One on this project's 2-core machine, where it was measured; on bigger machines the
    library's default (all cores) minus the cores the other threads keep busy.
    """
    return max((os.cpu_count() or 1) - busy, 1)
