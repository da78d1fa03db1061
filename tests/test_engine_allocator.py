"""The allocator setting that keeps freed memory while training (glibc only)."""

import resource
import sys

import numpy as np
import pytest

from digitapp.engine.allocator import memory_kept_for_reuse, tuning_available

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the tuning exists for glibc only")


def page_faults_of_big_allocations(times: int = 20) -> int:
    """Return the minor page faults of allocating, touching and freeing 20 MB `times` times."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(times):
        block = np.ones(5_000_000, dtype=np.float32)  # 20 MB, written: every page touched
        del block
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_glibc_is_recognised_here():
    assert tuning_available()  # CI and the .deb target are glibc Linux


def test_freed_memory_is_reused_while_kept_and_handed_back_after():
    # glibc's own adaptive thresholds depend on the process's history; after one use of
    # the setting they are fixed (mmap threshold 32 MB, heap trimmed above 128 KB).
    with memory_kept_for_reuse():
        pass
    outside = page_faults_of_big_allocations()
    with memory_kept_for_reuse():
        page_faults_of_big_allocations(1)  # the first time faults the pages in
        inside = page_faults_of_big_allocations()
    after = page_faults_of_big_allocations()
    # Unless the memory is kept, each allocation faults its pages in again (at least one
    # fault each; about 250 here, where NumPy asks for transparent huge pages).
    assert outside >= 20
    assert inside <= outside // 10
    assert after >= 20  # trimming is back: the process does not keep the memory


def test_nested_uses_keep_memory_until_the_outermost_ends():
    with memory_kept_for_reuse():
        with memory_kept_for_reuse():
            page_faults_of_big_allocations(1)
        still_kept = page_faults_of_big_allocations()
    assert still_kept < 20
