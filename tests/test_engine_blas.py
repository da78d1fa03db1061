"""The process's BLAS thread count has one owner: the smallest request is in force."""

import threading

import numpy as np
from threadpoolctl import ThreadpoolController

from digitapp.engine.blas import BlasOwner, all_cores_but


class FakeBlas:
    """Stands in for threadpoolctl: one library whose count `limit` sets."""

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self.calls = 0

    def info(self):
        return [{"user_api": "blas", "num_threads": self.threads}]

    def limit(self, limits, user_api):
        assert user_api == "blas"
        self.threads = limits
        self.calls += 1


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
    owner = BlasOwner()
    with owner.limited(1):
        assert now() == 1
    assert now() == before


def test_all_cores_but_leaves_at_least_one_thread(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert all_cores_but(1) == 1
    assert all_cores_but(2) == 1
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert all_cores_but(1) == 7
    monkeypatch.setattr("os.cpu_count", lambda: None)  # unknown: one
    assert all_cores_but(1) == 1
