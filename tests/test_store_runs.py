"""The runs database: a run survives a restart; a damaged file is kept aside and replaced."""

from __future__ import annotations

import os
import sqlite3

import numpy as np
import pytest

from digitapp.store.runs import RunRecord, RunStore


def a_run(status: str = "completed", batches: int = 25) -> RunRecord:
    rng = np.random.default_rng(0)
    return RunRecord(
        started="2025-01-02T09:30:00+00:00", status=status, architecture="784-32-10",
        job={"hidden": [32], "config": {"epochs": 2, "lr": 0.001}},
        seconds=3.5, epochs_run=2, best_val_accuracy=0.91, test_accuracy=0.9, test_loss=0.3,
        model_path="/somewhere/mlp-32", batches_per_epoch=batches // 2,
        history=[{"epoch": 0, "train_loss": 1.0, "val_loss": 0.9, "train_accuracy": 0.7,
                  "val_accuracy": 0.8, "lr": 0.001, "seconds": 1.0}],
        batch_loss=rng.random(batches, dtype=np.float32),
        batch_lr=np.full(batches, 1e-3, np.float32),
    )


def test_a_run_survives_a_restart_with_its_curves(tmp_path):
    path = tmp_path / "runs.sqlite3"
    first = RunStore(path)
    assert first.notice is None
    run = a_run()
    run_id = first.add(run)
    first.add(a_run("diverged"))
    del first  # "restart": nothing is kept in memory, only the file

    store = RunStore(path)
    listed = store.runs()
    assert [r.status for r in listed] == ["diverged", "completed"]  # newest first
    assert listed[1].id == run_id and listed[1].test_accuracy == pytest.approx(0.9)
    assert len(listed[1].batch_loss) == 0  # listing leaves the curves out
    again = store.get(run_id)
    assert again.job == run.job and again.history == run.history
    np.testing.assert_array_equal(again.batch_loss, run.batch_loss)
    np.testing.assert_array_equal(again.batch_lr, run.batch_lr)
    store.delete(run_id)
    assert store.get(run_id) is None and len(RunStore(path).runs()) == 1


def _damage_pages(path):
    """Overwrite the second page of a real database with noise (a bad sector, say)."""
    data = bytearray(path.read_bytes())
    data[4096:8192] = os.urandom(4096)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["garbage", "bad pages", "someone else's database"])
def test_a_damaged_file_is_kept_aside_and_a_fresh_database_started(tmp_path, damage):
    path = tmp_path / "runs.sqlite3"
    if damage == "garbage":
        path.write_bytes(b"this is not a database, just some bytes\n" * 200)
    elif damage == "bad pages":
        store = RunStore(path)
        for _ in range(20):
            store.add(a_run(batches=2000))
        _damage_pages(path)
    else:
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE photos (name TEXT)")
        con.commit()
        con.close()
    original = path.read_bytes()

    store = RunStore(path)
    assert store.notice is not None
    assert "could not be read" in store.notice and "new, empty one" in store.notice
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("runs.damaged-")]
    assert len(kept) == 1 and kept[0].name in store.notice
    assert kept[0].read_bytes() == original  # the damaged file is kept, untouched
    assert store.runs() == []
    store.add(a_run())
    assert len(RunStore(path).runs()) == 1 and RunStore(path).notice is None
