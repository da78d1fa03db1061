"""PyInstaller runtime hook: limit BLAS threads in the frozen app, before NumPy loads.

Why a runtime hook and not code at start-up: OpenBLAS reads its thread count once, when
NumPy loads it, and creates its thread pool then; a runtime hook runs before any of the
app's own modules, so nothing can import NumPy first. It applies to the frozen app only:
a developer running from source keeps the library's default, and the CLI's `--threads`
can still raise the count for a headless `digitapp train` (threadpoolctl grows the pool).

Why 1: the desktop app classifies single images on the GUI thread (far too small for BLAS
threads to help) and trains on one worker thread. With more BLAS threads, OpenBLAS's idle
threads spin waiting for work and compete with the GUI thread for the cores: on this
2-core machine that made training in the GUI 5-7x slower. The training worker also asks
threadpoolctl for 1 thread, but that depends on threadpoolctl recognising the bundled
library; the variables below do not.

A value the user set is kept (setdefault), so `OPENBLAS_NUM_THREADS=2 digitapp` still works.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # NumPy's wheels on Linux and Windows
os.environ.setdefault("VECLIB_MAXIMUM_THREADS", "1")  # Accelerate (NumPy's macOS arm64 wheels)
