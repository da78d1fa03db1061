"""`digitapp train` and a hostile runs history: the run is still trained and saved, and what
happened to the history is said in one stderr note, never silently."""

from __future__ import annotations

import contextlib
import sqlite3

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


def test_a_model_folder_named_with_bytes_that_are_not_utf8_is_saved_and_recorded(tmp_path):
    import os

    from digitapp.store.runs import RunStore

    data = tmp_path / "data"
    out = os.path.join(os.fsencode(tmp_path), b"\xff\xfe")
    outcome = run_cli("train", "--out", out, *TINY, env={"DIGITAPP_DATA_DIR": str(data),
                                                          "PYTHONIOENCODING": "utf-8"})
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    assert outcome.stderr == ""  # recorded: no note
    assert "model saved to " + os.fsdecode(tmp_path) + "/\ufffd\ufffd" in outcome.stdout
    assert os.path.isfile(os.path.join(out, b"model.json"))
    (run,) = RunStore(data / "runs.sqlite3").runs()
    assert os.fsencode(run.model_path) == out


def test_any_failure_to_record_the_run_is_a_one_line_note(tmp_path, monkeypatch, capsys):
    from digitapp import cli_train
    from digitapp.store import runs

    def broken(self, run):
        raise UnicodeEncodeError("utf-8", "\udcff", 0, 1, "surrogates not allowed")

    monkeypatch.setenv("DIGITAPP_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(runs.RunStore, "add", broken)
    cli_train._record(type("Recorder", (), {"model_path": None})())
    err = capsys.readouterr().err
    assert err.startswith("digitapp: note: the run was not recorded") and err.count("\n") == 1


def test_a_data_folder_that_is_a_file_is_named_as_such(tmp_path):
    data = tmp_path / "data"
    data.write_text("a file where the data folder should be")
    outcome = run_cli("train", "--out", tmp_path / "model", *TINY,
                      env={"DIGITAPP_DATA_DIR": str(data)})
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    assert f"the data folder {data} cannot be used (it is a file, not a folder)" in \
        outcome.stderr, outcome.stderr
    assert "File exists" not in outcome.stderr and outcome.stderr.count("\n") == 1
    assert (tmp_path / "model" / "model.json").is_file()


@contextlib.contextmanager
def locked_history(data):
    """Hold the runs history of the data folder `data` locked, as another digitapp would."""
    from digitapp.store.runs import RunStore

    RunStore(data / "runs.sqlite3")  # created, then locked by "another digitapp"
    locker = sqlite3.connect(data / "runs.sqlite3", isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        locker.execute("COMMIT")
        locker.close()


def test_a_locked_runs_history_is_waited_for_briefly_and_said(tmp_path):
    data = tmp_path / "data"
    with locked_history(data):
        outcome = run_cli("train", "--out", tmp_path / "model", *TINY,
                          env={"DIGITAPP_DATA_DIR": str(data)}, timeout=120)
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    assert outcome.stderr.startswith("digitapp: note: the run was not recorded in the runs "
                                     "history: another digitapp kept it locked")
    assert "(the model is saved)" in outcome.stderr
    assert outcome.stderr.count("\n") == 1, outcome.stderr
    assert (tmp_path / "model" / "model.json").is_file()


def test_the_history_is_opened_with_the_short_record_wait(tmp_path, monkeypatch, capsys):
    # The wait for a locked history is RECORD_WAIT, a few seconds, on reads and writes
    # alike: the store's default (20 s) made a locked history add 20 s to `digitapp train`.
    from digitapp import cli_train
    from digitapp.store import runs

    asked = []

    def default(cls, *args, **kwargs):
        asked.append((args, kwargs))
        raise runs.StoreBusy("locked")

    monkeypatch.setattr(runs.RunStore, "default", classmethod(default))
    cli_train._record(type("Recorder", (), {"model_path": "/a/model"})())
    assert asked == [((), {"read_timeout": cli_train.RECORD_WAIT,
                           "write_timeout": cli_train.RECORD_WAIT})]
    assert cli_train.RECORD_WAIT <= 5
    assert "more than 3 s (the model is saved)" in capsys.readouterr().err


def test_a_run_that_saved_no_model_never_says_it_is_saved(tmp_path):
    # Diverges in its first epoch: nothing saved, and the note about the history says so.
    data = tmp_path / "data"
    with locked_history(data):
        outcome = run_cli("train", "--out", tmp_path / "model", "--lr", "1e6", "--hidden",
                          "16", "--epochs", "2", "--train-size", "500", "--val-size", "100",
                          "--quiet", env={"DIGITAPP_DATA_DIR": str(data)}, timeout=120)
    notes = [line for line in outcome.stderr.splitlines()
             if line.startswith("digitapp: note: the run was not recorded")]
    assert len(notes) == 1, outcome.stderr
    assert "(no model was saved)" in notes[0]
    assert "the model is saved" not in outcome.stderr
    assert not (tmp_path / "model").exists()
