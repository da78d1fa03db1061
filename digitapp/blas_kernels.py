"""Pick OpenBLAS's AVX-512 kernels on AMD CPUs that have them, before NumPy loads OpenBLAS.

NumPy's OpenBLAS (0.3.31 here) chooses its kernels once, when the library loads, from the
CPU it recognises. It takes AMD's AVX-512 CPUs (Zen 4, Zen 5) for older Zen cores and runs
its AVX2 ("Haswell") kernels: on this project's 2-core Zen 5 machines that is half the
float32 matrix-product speed of its AVX-512 ("SkylakeX") kernels (one thread, sgemm of
2048x2048: 43 -> 96 GMAC/s; the CNN's 3x3 convolution products 37 -> 67 GMAC/s; a CNN
training step 20-30% shorter). The environment variable OPENBLAS_CORETYPE names the kernels
to use; it is read when the library loads, so `choose_openblas_kernels` must run before the
first `import numpy`: digitapp/__init__.py calls it, so `python -m digitapp`, the frozen app,
the tests (conftest imports digitapp first) and the benchmarks get it.

A choice the user made (OPENBLAS_CORETYPE already set) is kept; Intel CPUs are left to
OpenBLAS, which recognises them; elsewhere than Linux nothing changes (no /proc/cpuinfo).
No NumPy here: importing it would load OpenBLAS before the choice.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, MutableMapping

AVX512_KERNELS = "SkylakeX"
# What OpenBLAS's SkylakeX kernels execute: AVX-512 Foundation, Doubleword/Quadword, Byte/Word,
# Vector Length and Conflict Detection. A CPU without one of them must not get them.
NEEDED_FLAGS = frozenset({"avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"})
CPUINFO = "/proc/cpuinfo"
CPUINFO_LIMIT = 1 << 20  # bytes read at most: one CPU's lines are a few KiB


def kernels_for(cpuinfo: str) -> str | None:
    """Return the OpenBLAS kernels to name for a CPU described by /proc/cpuinfo text, or
    None to leave OpenBLAS's own choice (not AMD, or not every AVX-512 flag it needs)."""
    vendor, flags = "", set()
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "vendor_id" and not vendor:
            vendor = value.strip()
        elif key == "flags" and not flags:
            flags = set(value.split())
        if vendor and flags:
            break  # the first CPU's lines are enough: all cores of a machine are alike
    if vendor == "AuthenticAMD" and flags >= NEEDED_FLAGS:
        return AVX512_KERNELS
    return None


def choose_openblas_kernels(environ: MutableMapping[str, str] | None = None,
                            modules: Mapping[str, object] | None = None,
                            cpuinfo_path: str = CPUINFO) -> str | None:
    """Set OPENBLAS_CORETYPE for this process when `kernels_for` says so; return the
    kernels named, or None when nothing was changed (the user chose, NumPy is already
    loaded so it would be too late, or the CPU is left to OpenBLAS)."""
    environ = os.environ if environ is None else environ
    modules = sys.modules if modules is None else modules
    if "OPENBLAS_CORETYPE" in environ or "numpy" in modules:
        return None
    try:
        with open(cpuinfo_path, encoding="ascii", errors="replace") as file:
            cpuinfo = file.read(CPUINFO_LIMIT)
    except OSError:
        return None  # not Linux, or no /proc: OpenBLAS's own choice
    kernels = kernels_for(cpuinfo)
    if kernels is not None:
        environ["OPENBLAS_CORETYPE"] = kernels
    return kernels
