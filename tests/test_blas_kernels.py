"""The choice of OpenBLAS kernels made before NumPy loads (digitapp/blas_kernels.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from digitapp.blas_kernels import AVX512_KERNELS, choose_openblas_kernels, kernels_for

AVX512 = "fpu sse sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_vnni"


def cpuinfo(vendor: str, flags: str, cpus: int = 2) -> str:
    one = f"processor\t: 0\nvendor_id\t: {vendor}\nmodel name\t: a CPU\nflags\t\t: {flags}\n\n"
    return one * cpus


def test_amd_with_every_avx512_flag_gets_the_avx512_kernels():
    assert kernels_for(cpuinfo("AuthenticAMD", AVX512)) == AVX512_KERNELS


def test_amd_missing_one_needed_flag_keeps_openblas_choice():
    assert kernels_for(cpuinfo("AuthenticAMD", AVX512.replace(" avx512vl", ""))) is None
    assert kernels_for(cpuinfo("AuthenticAMD", "fpu sse sse2 avx avx2 fma")) is None


def test_intel_is_left_to_openblas():
    assert kernels_for(cpuinfo("GenuineIntel", AVX512)) is None


def test_garbage_cpuinfo_changes_nothing():
    assert kernels_for("") is None
    assert kernels_for("\x00\xff nonsense : : :\n" * 100) is None


def test_the_choice_is_written_to_the_environment(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text(cpuinfo("AuthenticAMD", AVX512))
    environ: dict[str, str] = {}
    assert choose_openblas_kernels(environ, {}, str(info)) == AVX512_KERNELS
    assert environ == {"OPENBLAS_CORETYPE": AVX512_KERNELS}


def test_a_choice_the_user_made_is_kept(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text(cpuinfo("AuthenticAMD", AVX512))
    environ = {"OPENBLAS_CORETYPE": "Haswell"}
    assert choose_openblas_kernels(environ, {}, str(info)) is None
    assert environ == {"OPENBLAS_CORETYPE": "Haswell"}


def test_nothing_changes_once_numpy_is_loaded_or_without_cpuinfo(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text(cpuinfo("AuthenticAMD", AVX512))
    environ: dict[str, str] = {}
    assert choose_openblas_kernels(environ, {"numpy": object()}, str(info)) is None
    assert choose_openblas_kernels(environ, {}, str(tmp_path / "missing")) is None
    assert environ == {}


def test_importing_digitapp_first_sets_what_openblas_then_uses():
    """In a fresh process without the variable, OpenBLAS runs the kernels chosen for this
    machine's CPU (or its own choice where none is made)."""
    script = (
        "import os, json, digitapp, numpy, threadpoolctl\n"
        "from digitapp.blas_kernels import kernels_for\n"
        "chosen = kernels_for(open('/proc/cpuinfo').read()) if os.path.exists('/proc/cpuinfo')"
        " else None\n"
        "info = [i for i in threadpoolctl.threadpool_info() if i['internal_api'] == 'openblas']\n"
        "print(json.dumps([chosen, os.environ.get('OPENBLAS_CORETYPE'),"
        " info[0].get('architecture') if info else None]))\n")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, check=True, timeout=60).stdout
    chosen, variable, architecture = json.loads(out.strip().splitlines()[-1])
    assert variable == chosen
    if chosen is not None and architecture is not None:
        assert architecture == chosen
