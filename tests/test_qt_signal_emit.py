"""Regression test: many cross-thread Signal.emit() calls must not crash the interpreter.

PySide6 6.12.0 on Python 3.11 drops a reference on every emit; after enough emits the
process dies with "Fatal Python error: bool_dealloc". The training worker emits progress
from a QThread thousands of times, so this is the product's hot path. The emitter runs in a
subprocess: an abort then fails this test instead of killing pytest.
"""

from __future__ import annotations

import json
import subprocess
import sys

EMITS = 50_000

SCRIPT = """
import json, sys
from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

N = int(sys.argv[1])


class Emitter(QObject):
    values = Signal(bool, int, float, object)
    flag = Signal(bool)
    done = Signal()

    @Slot()
    def run(self):
        for i in range(N):
            self.values.emit(i % 2 == 0, i, i * 0.5, {"i": i})
            self.flag.emit(i % 3 == 0)
        self.done.emit()


class Receiver(QObject):
    def __init__(self):
        super().__init__()
        self.values = 0
        self.flags = 0
        self.true_flags = 0
        self.mismatches = 0

    @Slot(bool, int, float, object)
    def on_values(self, even, i, half, payload):
        self.values += 1
        if even != (i % 2 == 0) or half != i * 0.5 or payload != {"i": i}:
            self.mismatches += 1

    def on_flag(self, flag):  # deliberately not a @Slot: the other connection path
        self.flags += 1
        self.true_flags += flag is True


app = QCoreApplication([])
thread = QThread()
emitter = Emitter()
emitter.moveToThread(thread)
receiver = Receiver()  # lives in the main thread: every delivery is a queued connection
emitter.values.connect(receiver.on_values)
emitter.flag.connect(receiver.on_flag)
emitter.done.connect(app.quit)  # queued after all the values, so it arrives last
thread.started.connect(emitter.run)
QTimer.singleShot(240_000, lambda: app.exit(3))  # watchdog: a hang is a failure too
thread.start()
code = app.exec()
thread.quit()
thread.wait()
print(json.dumps({"exit": code, "values": receiver.values, "flags": receiver.flags,
                  "true_flags": receiver.true_flags, "mismatches": receiver.mismatches}))
"""


def test_fifty_thousand_cross_thread_emits_arrive_without_crash():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(EMITS)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # A crash shows as a negative return code (killed by SIGABRT/SIGSEGV) or 134.
    assert result.returncode == 0, f"emitter process died ({result.returncode}):\n{result.stderr}"
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {
        "exit": 0,
        "values": EMITS,
        "flags": EMITS,
        "true_flags": len(range(0, EMITS, 3)),
        "mismatches": 0,
    }
