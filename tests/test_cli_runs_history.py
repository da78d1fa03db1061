"""`digitapp train` and a hostile runs history: the run is still trained and saved, and what
happened to the history is said in one stderr note, never silently."""

from __future__ import annotations

from hostile import run_cli

TINY = ("--hidden", "8", "--epochs", "1", "--train-size", "200", "--val-size", "50",
        "--quiet")


def test_a_damaged_runs_database_is_moved_aside_with_a_note_on_stderr(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "runs.sqlite3").write_bytes(b"garbage, not SQLite\n" * 500)
    outcome = run_cli("train", "--out", tmp_path / "model", *TINY,
                      env={"DIGITAPP_DATA_DIR": str(data)})
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    assert "Traceback" not in outcome.stderr
    notes = [line for line in outcome.stderr.splitlines() if line.startswith("digitapp: note:")]
    assert len(notes) == 1, outcome.stderr
    kept = list(data.glob("runs.damaged-*.sqlite3"))
    assert len(kept) == 1 and kept[0].name in notes[0] and "could not be read" in notes[0]
    assert kept[0].read_bytes().startswith(b"garbage, not SQLite")  # kept as it was
    assert (tmp_path / "model" / "model.json").is_file()


def test_a_data_folder_that_cannot_be_created_leaves_the_run_saved_with_a_note(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("in the way of the data folder")
    outcome = run_cli("train", "--out", tmp_path / "model", *TINY,
                      env={"DIGITAPP_DATA_DIR": str(blocker / "data")})
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    assert "Traceback" not in outcome.stderr
    assert "digitapp: note: the run was not recorded in the runs history" in outcome.stderr
    assert (tmp_path / "model" / "model.json").is_file()
