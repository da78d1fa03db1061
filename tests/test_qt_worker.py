"""The one worker (gui/worker.py): yields arrive in order in the GUI thread, throttled yields
are merged without losing one, stop ends the generator, an error is one `failed` signal."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Slot

from digitapp.analysis.control import Cancelled
from digitapp.gui.worker import GeneratorWorker

TIMEOUT = 10_000  # ms


class Listener(QObject):
    """Slots of a GUI-thread object, as PySide 6.11 needs for a worker's signals."""

    def __init__(self, worker: GeneratorWorker) -> None:
        super().__init__()
        self.values, self.failures, self.outcome, self.threads = [], [], None, set()
        worker.yielded.connect(self.on_yielded)
        worker.failed.connect(self.on_failed)
        worker.finished.connect(self.on_finished)

    @Slot(object)
    def on_yielded(self, value) -> None:
        self.threads.add(threading.current_thread().name)
        self.values.append(value)

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self.failures.append(message)

    @Slot(object)
    def on_finished(self, outcome) -> None:
        self.outcome = outcome


def run(qtbot, work, **options) -> Listener:
    worker = GeneratorWorker(work, **options)
    listener = Listener(worker)
    worker.start()
    qtbot.waitUntil(lambda: listener.outcome is not None, timeout=TIMEOUT)
    assert not worker.is_running()
    return listener


def test_yields_arrive_in_order_in_the_gui_thread_and_the_return_is_the_result(qtbot):
    def work(control):
        yield from range(5)
        return "result"

    listener = run(qtbot, work)
    assert listener.values == [0, 1, 2, 3, 4]
    assert listener.threads == {threading.main_thread().name}
    assert listener.outcome.status == "done" and listener.outcome.result == "result"
    assert listener.failures == []


def test_throttled_yields_are_merged_and_none_is_lost(qtbot):
    def work(control):
        for i in range(3000):
            yield [i]
        yield "end"  # cannot merge with a list: the held list goes first

    def merge(held, new):
        return held + new if isinstance(held, list) and isinstance(new, list) else None

    listener = run(qtbot, work, throttle=0.05, merge=merge)
    lists = listener.values[:-1]
    assert listener.values[-1] == "end"
    assert sum(lists, []) == list(range(3000))
    assert len(lists) < 3000  # merged: far fewer signals than yields


def test_stop_ends_a_generator_that_checks_its_control(qtbot):
    started = threading.Event()

    def work(control):
        started.set()
        while True:
            if control.stopped:
                raise Cancelled
            time.sleep(0.005)
            yield None

    worker = GeneratorWorker(work)
    listener = Listener(worker)
    worker.start()
    assert started.wait(5)
    worker.stop()
    qtbot.waitUntil(lambda: listener.outcome is not None, timeout=TIMEOUT)
    assert listener.outcome.status == "cancelled" and listener.failures == []


def test_held_values_are_sent_before_a_pause_blocks(qtbot):
    def work(control):
        yield 1
        yield 2  # within the throttle: held, until the pause below sends it
        control.pause()
        control.wait_if_paused()  # as the trainer blocks between two batches
        yield 3

    worker = GeneratorWorker(work, throttle=60.0)
    listener = Listener(worker)
    worker.start()
    try:
        qtbot.waitUntil(lambda: listener.values == [1, 2], timeout=TIMEOUT)
        assert worker.is_running() and worker.paused
    finally:
        worker.resume()
        worker.wait()
    qtbot.waitUntil(lambda: listener.outcome is not None, timeout=TIMEOUT)
    assert listener.values == [1, 2, 3]


def test_an_error_is_one_failed_signal_with_one_line(qtbot):
    def work(control):
        yield 0.5
        raise ValueError("the data\nis bad")

    listener = run(qtbot, work)
    assert listener.failures == ["the data is bad"]
    assert listener.outcome.status == "failed" and listener.outcome.message == "the data is bad"
