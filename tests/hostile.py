"""Running digitapp on hostile input the way an attacker would: a separate process, a memory cap.

Every hostile-input test goes through `run_cli`: the command runs in its own Python process
with its address space capped (RLIMIT_AS, 500 MB by default, the issue's memory budget) and a
timeout, so a loader that allocates from an untrusted header dies with MemoryError or is
killed instead of taking the test run down, and the test sees it as a failure.
`assert_clean_failure` then checks what a user would see: a non-zero exit code (not a
signal), one line on stderr, no traceback.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MEMORY_LIMIT = 500 * 1024 * 1024  # bytes of address space for one hostile-input run
TIMEOUT = 120.0  # seconds; a hang (a FIFO read, an endless hash) fails the test


@dataclass(frozen=True)
class Outcome:
    returncode: int  # negative: killed by that signal
    stdout: str
    stderr: str


def _cap_memory(limit: int):
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return preexec


def run_cli(*args: str | Path, memory: int = MEMORY_LIMIT, timeout: float = TIMEOUT,
            env: dict | None = None, cwd: str | Path | None = None) -> Outcome:
    """Run `python -m digitapp ARGS` with at most `memory` bytes of address space."""
    full_env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                "PYTHONFAULTHANDLER": "1", **(env or {})}
    done = subprocess.run(
        [sys.executable, "-m", "digitapp", *map(os.fsdecode, args)],
        capture_output=True, timeout=timeout, env=full_env, cwd=cwd,
        preexec_fn=_cap_memory(memory),
    )
    decode = lambda b: b.decode("utf-8", "replace")  # noqa: E731
    return Outcome(done.returncode, decode(done.stdout), decode(done.stderr))


def assert_clean_failure(outcome: Outcome, *expected: str) -> None:
    """A refusal as a user should see it: exit 1 or 2, one readable line, no traceback.

    Each of `expected` (case-insensitive) must appear in stderr.
    """
    assert outcome.returncode in (1, 2), (outcome.returncode, outcome.stderr[-2000:])
    assert "Traceback" not in outcome.stderr, outcome.stderr[-2000:]
    assert "MemoryError" not in outcome.stderr, outcome.stderr[-2000:]
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    assert lines, "no message on stderr"
    for text in expected:
        assert text.lower() in outcome.stderr.lower(), (text, outcome.stderr)
