"""`digitapp --self-test` from source: passes on a good checkout, fails in one line each.

The frozen app's self-test runs in tests/test_packaging.py.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # a few seconds: it loads MNIST and trains a few batches


def run_self_test(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "digitapp", "--self-test"],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})


def test_self_test_passes_from_source():
    done = run_self_test()
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("digitapp ") and "self-test (from source)" in lines[0]
    for step in ("window", "classify", "train", "models"):
        assert any(line.startswith("ok") and line.split()[1] == step for line in lines), step
    assert "digit-3.png -> 3" in done.stdout
    assert lines[-1].startswith("self-test passed")


def test_self_test_fails_with_one_line_per_step(tmp_path):
    done = run_self_test(DIGITAPP_BUNDLE_ROOT=str(tmp_path))  # no weights, MNIST, digit
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAIL")]
    assert [line.split()[1] for line in failed] == ["window", "classify", "train", "models"]
    summary = [line for line in done.stderr.splitlines() if line.startswith("digitapp:")]
    assert len(summary) == 1 and summary[0].startswith("digitapp: self-test failed: window: ")


def test_self_test_leaves_the_users_folders_alone(tmp_path):
    home = {name: str(tmp_path / name.lower()) for name in
            ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")}
    done = run_self_test(**home)
    assert done.returncode == 0, done.stdout + done.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == [], f"the self-test wrote {written}"


def test_self_test_takes_no_command():
    done = subprocess.run([sys.executable, "-m", "digitapp", "--self-test", "data", "info"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--self-test takes no command" in done.stderr
