"""The runs database: a run survives a restart; a damaged file is kept aside and replaced;
rows with values of the wrong type are skipped and counted; many processes may create it at
once; a locked or unreachable file is a problem to report, never a crash."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import time

import numpy as np
import pytest

from digitapp.store.runs import SCHEMA as RUNS_SCHEMA
from digitapp.store.runs import VERSION as RUNS_VERSION
from digitapp.store.runs import DamagedRun, RunRecord, RunStore, StoreBusy, StoreError


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


# -- a hostile database: every value is untrusted ----------------------------------------------

# The schema without its NOT NULL constraints, as another program (or an older bug) could
# have written it: SQLite then keeps NULL and any type in any column.
_LAX_SCHEMA = RUNS_SCHEMA.replace("NOT NULL", "").replace("IF NOT EXISTS", "")


def _lax_database(path):
    con = sqlite3.connect(path)
    con.executescript(_LAX_SCHEMA)
    con.execute(f"PRAGMA user_version = {RUNS_VERSION}")
    con.commit()
    return con


def _insert(con, **values):
    """Insert a copy of a good run's row with `values` (SQL expressions) replaced."""
    good = {"started": "'2025-01-02T09:30:00+00:00'", "status": "'completed'",
            "message": "''", "architecture": "'784-32-10'",
            "job": """'{"config": {"epochs": 2}}'""", "seconds": "3.5", "epochs_run": "2",
            "best_val_accuracy": "0.9", "test_accuracy": "0.9", "test_loss": "0.3",
            "model_path": "'/somewhere/mlp-32'", "history": "'[]'", "batches_per_epoch": "2",
            "batch_loss": "zeroblob(16)", "batch_lr": "zeroblob(16)"}
    row = {**good, **values}
    con.execute(f"INSERT INTO runs ({', '.join(row)}) VALUES ({', '.join(row.values())})")
    con.commit()


BAD_SUMMARIES = {
    "seconds is text": {"seconds": "'abc'"},
    "seconds is NULL": {"seconds": "NULL"},
    "seconds is infinite": {"seconds": "9e999"},
    "epochs_run is a fraction": {"epochs_run": "2.5"},
    "epochs_run is negative": {"epochs_run": "-3"},
    "an accuracy is text": {"test_accuracy": "'high'"},
    "started is NULL": {"started": "NULL"},
    "status is a blob": {"status": "X'00ff'"},
    "job is not JSON": {"job": "'{not json'"},
    "job is a list": {"job": "'[1, 2]'"},
    "job's config is a number": {"job": """'{"config": 3}'"""},
    "message is not UTF-8": {"message": "CAST(X'ff00fe' AS TEXT)"},
    "message is 10 MB": {"message": "CAST(zeroblob(10000000) AS TEXT)"},
    "model_path holds a NUL": {"model_path": "'a' || char(0) || 'b'"},
}


def test_rows_with_wrong_type_values_are_skipped_and_counted_never_raised(tmp_path):
    path = tmp_path / "runs.sqlite3"
    con = _lax_database(path)
    _insert(con)
    for values in BAD_SUMMARIES.values():
        _insert(con, **values)
    _insert(con, status="'stopped'", best_val_accuracy="NULL", test_accuracy="NULL",
            test_loss="NULL", model_path="NULL")  # a run that saved no model: fine
    con.execute("PRAGMA quick_check")  # all of this passes SQLite's own check
    con.close()

    store = RunStore(path)
    assert store.notice is None and store.problem is None  # not damage: kept as it is
    listing = store.listing()
    assert [run.status for run in listing.runs] == ["stopped", "completed"]
    assert listing.unreadable == len(BAD_SUMMARIES)
    assert listing.note() == (f"{len(BAD_SUMMARIES)} runs in the history could not be read "
                              "and are not shown.")
    assert [run.id for run in store.runs()] == [run.id for run in listing.runs]
    for run in listing.runs:  # the good ones come back with their values' types
        assert isinstance(run.seconds, float) and isinstance(run.epochs_run, int)


BAD_CURVES = {
    "random bytes": {"batch_loss": "randomblob(1001)", "batch_lr": "randomblob(1001)"},
    "curves of different lengths": {"batch_loss": "zeroblob(16)", "batch_lr": "zeroblob(12)"},
    "a curve as text": {"batch_loss": "'0.1 0.2'"},
    "a NULL curve": {"batch_lr": "NULL"},
    "history not JSON": {"history": "'[{'"},
    "history of strings": {"history": """'["epoch 1"]'"""},
    "an epoch without its losses": {"history": """'[{"epoch": 0}]'"""},
    "batches_per_epoch is text": {"batches_per_epoch": "'abc'"},
}


@pytest.mark.parametrize("damage", sorted(BAD_CURVES))
def test_a_damaged_curve_blob_is_refused_with_a_reason(tmp_path, damage):
    path = tmp_path / "runs.sqlite3"
    con = _lax_database(path)
    _insert(con, **BAD_CURVES[damage])
    con.close()
    store = RunStore(path)
    good = store.add(a_run())
    damaged = next(run.id for run in store.runs() if run.id != good)  # its summary is fine

    with pytest.raises(DamagedRun, match=rf"Run #{damaged} cannot be shown: its .*damaged|"
                                         rf"Run #{damaged} cannot be shown: .* (not|differ)"):
        store.get(damaged)
    assert len(store.get(good).batch_loss) == 25  # the other runs are not affected


def test_a_curve_of_random_bytes_of_a_whole_number_of_floats_is_read_as_it_is(tmp_path):
    """Not damage SQLite or we can tell: the floats (NaN, inf included) are shown as they are."""
    path = tmp_path / "runs.sqlite3"
    con = _lax_database(path)
    _insert(con, batch_loss="randomblob(4000)", batch_lr="randomblob(4000)")
    con.close()
    run = RunStore(path).runs()[0]
    full = RunStore(path).get(run.id)
    assert full.batch_loss.shape == full.batch_lr.shape == (1000,)
    assert full.batch_loss.dtype == np.float32


def _create_at_once(path, barrier, failures):
    """One of many processes that open (and so create) the same new database together."""
    try:
        barrier.wait(timeout=60)
        store = RunStore(path)
        if store.problem:
            raise RuntimeError(store.problem)
        store.add(a_run())
    except Exception as exc:  # every failure is counted by the test
        failures.put(f"{type(exc).__name__}: {exc}")


def test_many_processes_creating_the_database_at_once_all_succeed(tmp_path):
    context = multiprocessing.get_context("fork")
    count = 60  # before BEGIN IMMEDIATE, 1 to 28 of 60 failed with "table runs already exists"
    path = tmp_path / "runs.sqlite3"
    barrier, failures = context.Barrier(count), context.Queue()
    workers = [context.Process(target=_create_at_once, args=(path, barrier, failures))
               for _ in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    found = []
    while not failures.empty():
        found.append(failures.get())
    assert found == [] and [w.exitcode for w in workers] == [0] * count
    assert len(RunStore(path).runs()) == count


def test_a_locked_database_is_opened_later_and_the_run_still_recorded(tmp_path):
    path = tmp_path / "runs.sqlite3"
    RunStore(path).add(a_run())
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.perf_counter()
        store = RunStore(path, read_timeout=0.2)
        waited = time.perf_counter() - started
        assert store.problem is not None and "locked" in store.problem
        with pytest.raises(StoreBusy):
            store.runs()
        assert waited < 1.0  # not the 10 s a writer waits
    finally:
        locker.execute("COMMIT")
        locker.close()
    store.add(a_run("stopped"))  # tried again: the lock is gone
    assert store.problem is None
    assert [run.status for run in store.runs()] == ["stopped", "completed"]


def test_a_folder_that_cannot_be_created_is_a_problem_not_a_crash(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("in the way")
    store = RunStore(blocker / "data" / "runs.sqlite3")
    assert store.problem is not None and "Not a directory" in store.problem
    with pytest.raises(StoreError):
        store.add(a_run())


def test_a_model_path_that_is_not_utf8_is_stored_and_read_back_unchanged(tmp_path):
    """A folder named with bytes that are not UTF-8 (\\xff\\xfe) reaches Python with surrogate
    escapes, which SQLite text refuses: the run used to be lost with an encoding error."""
    path = tmp_path / "runs.sqlite3"
    odd = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"model-\xff\xfe"))
    run = a_run()
    run.model_path = odd
    run.message = f"saved to {odd}"
    run_id = RunStore(path).add(run)
    store = RunStore(path)
    listed = store.runs()[0]
    assert listed.model_path == odd  # the same name: "Use this model" and delete find it
    assert os.fsencode(store.get(run_id).model_path) == os.fsencode(odd)
    assert listed.message == "saved to " + odd.replace("\udcff\udcfe", "\ufffd\ufffd")
    plain = a_run()
    plain.model_path = "/models/été"  # valid UTF-8 stays text
    RunStore(path).add(plain)
    con = sqlite3.connect(path)
    try:
        kinds = [row[0] for row in con.execute("SELECT typeof(model_path) FROM runs ORDER BY id")]
    finally:
        con.close()
    assert kinds == ["blob", "text"]
