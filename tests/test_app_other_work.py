"""How many BLAS threads a run takes beside other processes' work (app/other_work.py)."""

from __future__ import annotations

import multiprocessing
import time

from digitapp.app import other_work
from digitapp.app.other_work import OtherWork, blas_threads_beside


def test_the_free_cores_are_taken_and_a_busy_one_is_left(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert blas_threads_beside(0.05, default=1) == 2  # an idle machine: both cores
    assert blas_threads_beside(1.0, default=2) == 1  # another job holds a core
    assert blas_threads_beside(0.8, default=2) == 1  # most of one
    assert blas_threads_beside(2.5, default=2) == 1  # never fewer than one
    assert blas_threads_beside(None, default=7) == 7  # not known: the caller's default
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert blas_threads_beside(3.0, default=1) == 5


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_another_process_spinning_counts_and_our_own_work_does_not():
    watch = OtherWork()
    _spin(0.6)  # our own work: not "other"
    ours = watch.cores_busy()
    spinner = multiprocessing.get_context("spawn").Process(target=_spin, args=(1.5,))
    spinner.start()
    time.sleep(0.5)  # let it start (spawning takes a moment)
    watch.cores_busy()
    time.sleep(0.8)
    theirs = watch.cores_busy()
    spinner.join()
    assert ours is not None and theirs is not None
    assert theirs > ours + 0.5  # one spinning process is most of a core


def test_no_reading_without_proc_stat(monkeypatch):
    monkeypatch.setattr(other_work, "_machine_busy_seconds", lambda: None)
    watch = OtherWork()
    time.sleep(0.1)
    assert watch.cores_busy() is None
