"""Names of runs in the runs history: renaming, checks on read, and format 1 files (no name
column) brought up to format 2 in place with every run kept."""

from __future__ import annotations

import sqlite3

import pytest

from digitapp.store.run_rows import MAX_NAME
from digitapp.store.runs import SCHEMA as RUNS_SCHEMA
from digitapp.store.runs import VERSION as RUNS_VERSION
from digitapp.store.runs import RunStore
from tests.test_store_runs import a_run

# The runs table as format 1 wrote it: the same columns but the name.
FORMAT_1_SCHEMA = RUNS_SCHEMA.replace(
    "batch_lr BLOB NOT NULL,\n    name TEXT                         -- the user's name for "
    "the run, NULL if none\n", "batch_lr BLOB NOT NULL\n")


def test_a_rename_survives_a_new_store_object_and_names_the_model(tmp_path):
    store = RunStore(tmp_path / "runs.sqlite3")
    run_id = store.add(a_run())
    assert store.runs()[0].name is None  # no name given: the table makes one up
    assert store.rename(run_id, "  my   first  net ") == "my first net"
    again = RunStore(tmp_path / "runs.sqlite3")
    assert again.runs()[0].name == "my first net"
    assert again.get(run_id).name == "my first net"
    assert again.names_by_model() == {"/somewhere/mlp-32": "my first net"}
    assert again.rename(run_id, "   ") is None  # back to no name
    assert again.runs()[0].name is None and again.names_by_model() == {}


@pytest.mark.parametrize("name, reason", [("x" * (MAX_NAME + 1), "at most"),
                                          ("tab\x07bell", "control characters")])
def test_bad_names_are_refused_with_a_reason(tmp_path, name, reason):
    store = RunStore(tmp_path / "runs.sqlite3")
    run_id = store.add(a_run())
    with pytest.raises(ValueError, match=reason):
        store.rename(run_id, name)
    assert store.runs()[0].name is None


def test_a_stored_name_we_would_not_store_reads_as_none_and_keeps_the_run(tmp_path):
    store = RunStore(tmp_path / "runs.sqlite3")
    run_id = store.add(a_run())
    con = sqlite3.connect(tmp_path / "runs.sqlite3")
    con.execute("UPDATE runs SET name = ? WHERE id = ?", ("bad\x00name" + "y" * 500, run_id))
    con.commit()
    con.close()
    runs = store.runs()
    assert len(runs) == 1 and runs[0].name is None
    assert store.names_by_model() == {}


def test_a_format_1_file_is_updated_in_place_and_keeps_its_runs(tmp_path):
    path = tmp_path / "runs.sqlite3"
    assert "name TEXT" not in FORMAT_1_SCHEMA and RUNS_VERSION == 2
    con = sqlite3.connect(path)
    con.executescript(FORMAT_1_SCHEMA)
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    old = RunStore(path)  # opened before the format 1 file has a row: nothing moved aside
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    con.close()
    assert old.notice is None and old.runs() == []

    # A format 1 file with a run in it, as an earlier digitapp left it.
    path2 = tmp_path / "old.sqlite3"
    con = sqlite3.connect(path2)
    con.executescript(FORMAT_1_SCHEMA)
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    run = a_run()
    run.name = None
    con = sqlite3.connect(path2)
    con.execute("INSERT INTO runs (started, status, architecture, job, history, "
                "batches_per_epoch, batch_loss, batch_lr, model_path, test_accuracy, "
                "epochs_run) VALUES ('2025-01-02T09:30:00+00:00', 'completed', '784-32-10', "
                "'{\"config\": {\"epochs\": 2}}', '[]', 2, zeroblob(16), zeroblob(16), "
                "'/somewhere/mlp-32', 0.9, 2)")
    con.commit()
    con.close()
    store = RunStore(path2)
    assert store.notice is None and not list(tmp_path.glob("*.damaged-*"))
    (kept,) = store.runs()
    assert kept.architecture == "784-32-10" and kept.name is None
    assert store.get(kept.id).batches_per_epoch == 2
    store.rename(kept.id, "from the old days")
    assert RunStore(path2).runs()[0].name == "from the old days"
