"""Deleting a run deletes only a model folder digitapp made, and only when no other run in the
history still names it: the runs database is not trusted to name only digitapp's folders."""

from __future__ import annotations

import os

import pytest

from digitapp.app.architectures import mlp_config
from digitapp.app.run_history import delete_run
from digitapp.engine import Sequential, save_model
from digitapp.store.runs import RunRecord, RunStore


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "runs.sqlite")


@pytest.fixture
def root(tmp_path):
    (tmp_path / "models").mkdir()
    return tmp_path / "models"


def add_run(store, folder):
    run = RunRecord(started="2026-01-01T00:00:00", status="finished", job={},
                    model_path=str(folder))
    store.add(run)
    return run


def model(root, name="run-1"):
    return save_model(Sequential.from_config(mlp_config([8]), seed=1), root / name)


def test_a_model_folder_of_one_run_is_deleted_with_it(store, root):
    folder = model(root)
    run = add_run(store, folder)
    assert delete_run(store, run, root) is None
    assert not folder.exists()
    assert store.runs() == []


@pytest.mark.parametrize("kind", ["photos", "model plus a file", "forged manifest"])
def test_a_folder_that_is_not_only_a_model_is_kept(store, root, kind):
    if kind == "photos":
        folder = root / "holiday"
        folder.mkdir()
        (folder / "beach.jpg").write_bytes(b"jpeg")
    else:
        folder = model(root)
        if kind == "model plus a file":
            (folder / "notes.txt").write_text("mine")
        else:
            (folder / "model.json").write_text('{"format": "not ours"}')
    run = add_run(store, folder)
    note = delete_run(store, run, root)
    assert note and str(folder) in note and "left in place" in note
    assert sorted(os.listdir(folder))  # everything still there
    assert store.runs() == []  # the run itself is gone


def test_a_link_in_the_models_folder_is_not_followed(store, root, tmp_path):
    elsewhere = model(tmp_path, "elsewhere")
    link = root / "link"
    link.symlink_to(elsewhere)
    note = delete_run(store, add_run(store, link), root)
    assert note and "symbolic link" in note
    assert (elsewhere / "model.json").exists() and link.is_symlink()


def test_a_folder_another_run_names_is_kept_until_its_last_run_goes(store, root):
    folder = model(root)
    first = add_run(store, folder)
    second = add_run(store, str(root / "." / folder.name))  # the same folder, spelt otherwise
    note = delete_run(store, first, root)
    assert note and "another run" in note
    assert (folder / "model.json").exists()
    assert delete_run(store, second, root) is None
    assert not folder.exists()


def test_an_unreadable_row_naming_the_folder_still_keeps_it(store, root):
    folder = model(root)
    run = add_run(store, folder)
    other = add_run(store, folder)
    import sqlite3
    with sqlite3.connect(store.path) as con:  # damage the other row: a listing skips it
        con.execute("UPDATE runs SET seconds = -1 WHERE id = ?", (other.id,))
    assert [r.id for r in store.runs()] == [run.id]
    assert "another run" in delete_run(store, run, root)
    assert folder.exists()


def test_a_folder_outside_the_models_folder_is_kept(store, root, tmp_path):
    folder = model(tmp_path, "outside")
    note = delete_run(store, add_run(store, folder), root)
    assert note and "outside" in note and folder.exists()
