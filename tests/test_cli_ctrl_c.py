"""Ctrl+C during `digitapp train`: the run stops after its batch and its best epoch is saved,
recorded and loadable; the command exits 130 (128 + SIGINT), as a shell expects."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from digitapp.app.models import open_model
from digitapp.store.runs import RunStore

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 120.0  # seconds for the first epoch to finish, and again for the stop to end


def test_ctrl_c_saves_the_best_epoch_so_far_and_records_the_run(tmp_path):
    out, data = tmp_path / "model", tmp_path / "data"
    env = {**os.environ, "DIGITAPP_DATA_DIR": str(data), "PYTHONUNBUFFERED": "1"}
    stderr_path = tmp_path / "stderr.txt"
    with open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "digitapp", "train", "--out", str(out), "--hidden", "16",
             "--epochs", "50", "--train-size", "2000", "--val-size", "200"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr)
        try:
            deadline = time.monotonic() + TIMEOUT
            while "epoch   1/50" not in stderr_path.read_text(errors="replace"):
                assert process.poll() is None, stderr_path.read_text(errors="replace")
                assert time.monotonic() < deadline, "no epoch finished in time"
                time.sleep(0.05)
            process.send_signal(signal.SIGINT)
            stdout, _ = process.communicate(timeout=TIMEOUT)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    err = stderr_path.read_text(errors="replace")
    assert process.returncode == 130, err[-2000:]
    assert "Traceback" not in err
    assert "model saved to" in stdout.decode()
    model, manifest = open_model(out)  # whole: every file present, every checksum right
    training = manifest["training"]
    assert training["status"] == "stopped"
    assert 1 <= training["epochs_run"] < 50
    assert model.output_shape[-1] == 10
    (run,) = RunStore(data / "runs.sqlite3").runs()
    assert run.status == "stopped" and run.model_path == str(out)
    assert run.epochs_run == training["epochs_run"]
