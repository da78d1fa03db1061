"""The process's BLAS thread count has one owner: the smallest request is in force."""

import threading

import numpy as np
from threadpoolctl import ThreadpoolController

from digitapp.engine.blas import BLAS, BlasOwner, all_cores_but


class FakeBlas:
    """Stands in for threadpoolctl's controller: one BLAS library with a thread count."""

    user_api = "blas"

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self.calls = 0
        self.lib_controllers = [self]
        self.setters: set[str] = set()  # names of the threads that changed the count

    @property
    def num_threads(self) -> int:
        return self.threads

    def get_num_threads(self) -> int:
        return self.threads

    def set_num_threads(self, threads: int) -> None:
        self.threads = threads
        self.calls += 1
        self.setters.add(threading.current_thread().name)


def test_the_smallest_request_is_in_force_and_the_original_returns():
    blas = FakeBlas(threads=2)
    owner = BlasOwner(blas)
    training = owner.request(2)
    assert blas.threads == 2
    with owner.limited(1):  # the Draw tab predicting meanwhile
        assert blas.threads == 1
    assert blas.threads == 2
    replicas = owner.request(1)  # a CNN's data-parallel replicas start
    assert blas.threads == 1
    owner.release(training)
    assert blas.threads == 1  # the replicas still hold one thread
    owner.release(replicas)
    assert blas.threads == 2  # the library's own count again
    owner.release(replicas)  # twice is harmless
    assert blas.threads == 2


def test_interleaved_users_never_leave_someone_elses_count_in_force():
    # The old way (each sets, then restores what it found) could end with a CNN's replicas
    # at two BLAS threads after they asked for one; with an owner the outcome is fixed.
    blas = FakeBlas(threads=2)
    owner = BlasOwner(blas)
    stop = threading.Event()

    def draw_tab():
        while not stop.is_set():
            with owner.limited(1):
                pass

    drawer = threading.Thread(target=draw_tab)
    drawer.start()
    for _ in range(500):
        owner.release(owner.request(2))  # a run that asks for two, then ends
    replicas = owner.request(1)
    for _ in range(500):
        owner.release(owner.request(2))
        assert blas.threads == 1  # whatever the drawer does meanwhile
    stop.set()
    drawer.join()
    assert blas.threads == 1
    owner.release(replicas)
    assert blas.threads == 2


def test_the_real_library_follows():
    np.dot(np.ones((2, 2)), np.ones((2, 2)))  # OpenBLAS is loaded

    def now():
        return max(lib["num_threads"] for lib in ThreadpoolController().info()
                   if lib["user_api"] == "blas")

    before = now()
    with BLAS.limited(1):  # the process's owner: a second owner's thread would be ignored
        assert now() == 1
        assert BLAS.applied == 1
    assert now() == before


def test_all_cores_but_leaves_at_least_one_thread(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert all_cores_but(1) == 1
    assert all_cores_but(2) == 1
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert all_cores_but(1) == 7
    monkeypatch.setattr("os.cpu_count", lambda: None)  # unknown: one
    assert all_cores_but(1) == 1


def test_a_count_changed_behind_the_owners_back_is_set_again_by_the_next_request():
    # A threadpool_limits block elsewhere ends and puts back 2 threads while the owner
    # still holds a request for 1: the next request must bring 1 back, not trust its memory.
    library = FakeBlas(threads=2)
    owner = BlasOwner(library)
    held = owner.request(1)
    library.threads = 2  # changed outside the owner
    with owner.limited(1):
        assert library.threads == 1
    owner.release(held)
    assert library.threads == 2


def test_the_count_is_only_ever_changed_on_the_owners_own_thread():
    library = FakeBlas(threads=2)
    owner = BlasOwner(library)
    with owner.limited(1):  # from the main thread
        worker = threading.Thread(target=lambda: owner.release(owner.request(1)))
        worker.start()
        worker.join()
    assert library.setters and all(name.startswith("blas-owner") for name in library.setters)


REQUEST_FROM_A_THREAD_AFTER_THE_MAIN_THREAD = """
import threading
import numpy as np
from threadpoolctl import threadpool_info
from digitapp.engine.blas import BLAS

np.dot(np.ones((2, 2)), np.ones((2, 2)))  # OpenBLAS is loaded
def now():
    return max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")
with BLAS.limited(1):  # the Draw tab predicting on the GUI thread
    pass
seen = []
def training():
    with BLAS.limited(1):  # a training thread asking for one thread per replica
        seen.append(now())
thread = threading.Thread(target=training)
thread.start()
thread.join()
print(seen[0], now())
"""


def test_a_request_from_a_thread_takes_effect_after_the_main_thread_made_one():
    # OpenBLAS 0.3.31 ignores a count set from any thread once the main thread has set one:
    # that left a GUI's training replicas on two BLAS threads each (15-20x slower).
    import os
    import subprocess
    import sys

    env = {**os.environ, "OPENBLAS_NUM_THREADS": "2"}
    done = subprocess.run([sys.executable, "-c", REQUEST_FROM_A_THREAD_AFTER_THE_MAIN_THREAD],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    in_thread, afterwards = map(int, done.stdout.split())
    assert in_thread == 1
    assert afterwards == 2


class CollectedDuring(BlasOwner):
    """An owner in which a replica runner's finalizer runs (as garbage collection would) in
    the caller's thread while the lock is held: before _apply, or while it hands the count
    to the setter thread (after computing it)."""

    def __init__(self, controller) -> None:
        super().__init__(controller)
        self.before_apply = None
        self.while_submitting = None
        submit = self._setter.submit

        def hooked_submit(*args):
            hook, self.while_submitting = self.while_submitting, None
            if hook:
                hook()
            return submit(*args)

        self._setter.submit = hooked_submit

    def _apply(self) -> None:
        hook, self.before_apply = self.before_apply, None
        if hook:
            hook()
        super()._apply()


def in_a_thread(work) -> None:
    """Run `work`, failing (not hanging the suite) if it deadlocks."""
    errors = []

    def run():
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "deadlocked"
    assert errors == []


def test_a_release_from_garbage_collection_inside_a_request_neither_deadlocks_nor_is_lost():
    blas = FakeBlas(threads=4)
    owner = CollectedDuring(blas)
    replicas = owner.request(1)  # a replica runner, collected during the next request
    owner.before_apply = lambda: owner.release(replicas)
    in_a_thread(lambda: owner.request(3))
    assert blas.threads == 3
    replicas = owner.request(1)
    assert blas.threads == 1
    owner.while_submitting = lambda: owner.release(replicas)  # after 1 was computed
    in_a_thread(lambda: owner.request(2))
    assert blas.threads == 2  # not the released 1: the count is computed again
    assert owner.applied == 2
    assert all(name.startswith("blas-owner") for name in blas.setters), blas.setters
