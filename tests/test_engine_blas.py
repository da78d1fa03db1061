"""The process's BLAS thread count has one owner: the smallest request is in force."""

import threading

import numpy as np
from threadpoolctl import ThreadpoolController

from digitapp.app.blas_owner import BlasOwner


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
    owner.change(training, 1)
    assert blas.threads == 1
    owner.release(training)
    assert blas.threads == 2  # the library's own count again
    owner.release(training)  # twice is harmless
    assert blas.threads == 2


def test_interleaved_users_never_leave_someone_elses_count_in_force():
    # The old way (each sets, then restores what it found) could end with the training
    # run at two threads after it chose one; with an owner the outcome is fixed.
    blas = FakeBlas(threads=2)
    owner = BlasOwner(blas)
    training = owner.request(2)
    stop = threading.Event()

    def draw_tab():
        while not stop.is_set():
            with owner.limited(1):
                pass

    drawer = threading.Thread(target=draw_tab)
    drawer.start()
    for count in (1, 2, 1, 2, 1) * 200:
        owner.change(training, count)
    stop.set()
    drawer.join()
    assert blas.threads == 1  # the training run's last choice
    owner.release(training)
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
