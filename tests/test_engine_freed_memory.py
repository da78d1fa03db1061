"""Training keeps freed array memory for the next batch (engine/freed_memory.py).

Checked in fresh processes through glibc's own accounting (mallinfo2: bytes in mmapped
blocks): by default a 20 MB array is a fresh mmap, unmapped when freed; once training has
started, blocks that size come from the heap, where the next batch reuses them.
"""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import ctypes, json, sys
import numpy as np

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks",
                "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2

def mapped_for_a_20_mb_array():
    before = libc.mallinfo2().hblkhd
    array = np.ones(20 << 20, np.uint8)
    return libc.mallinfo2().hblkhd - before

default = mapped_for_a_20_mb_array()
from digitapp.engine import Control, Sequential, TrainConfig, train
from digitapp.app.architectures import mlp_config
model = Sequential.from_config(mlp_config([8]), seed=0)
x, y = np.random.default_rng(0).random((64, 784), np.float32), np.arange(64) % 10
events = list(train(model, x, y, x[:0], y[:0], TrainConfig(epochs=1, batch_size=32), Control()))
print(json.dumps([default, mapped_for_a_20_mb_array(), type(events[-1]).__name__]))
"""


def test_after_training_starts_big_arrays_come_from_the_reused_heap():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    default, after, last = json.loads(out.strip().splitlines()[-1])
    assert last == "Finished"
    assert default >= 20 << 20  # glibc's default: a fresh mmap for the array
    assert after == 0  # with the thresholds set: from the heap


def test_setting_twice_is_harmless():
    from digitapp.engine.freed_memory import keep_freed_memory

    assert keep_freed_memory() is True
    assert keep_freed_memory() is True
