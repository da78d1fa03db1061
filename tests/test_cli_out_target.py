"""`digitapp train --out`: a bad target is refused in one line before any data is loaded or
any epoch is run, and nothing at it is touched; a model folder is replaced whole."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hostile import assert_clean_failure, run_cli
from test_model_save import make_unwritable, undo_unwritable

from digitapp.cli import main
from digitapp.engine import load_model

FAST = ["--hidden", "16", "--epochs", "1", "--train-size", "500", "--val-size", "500",
        "--quiet", "--no-history"]


def listing(folder: Path) -> dict[str, bytes | None]:
    """Every entry under `folder` with its content (None for a folder)."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


@pytest.fixture
def no_training(monkeypatch):
    """Fail the test if the data were loaded or the training started."""
    import digitapp.app.training as training

    def refuse(*args, **kwargs):
        raise AssertionError("the --out target was not checked before the run")

    monkeypatch.setattr(training, "load_job_data", refuse)
    monkeypatch.setattr(training, "run_training", refuse)


def train(capsys, out, *extra):
    code = main(["train", "--out", os.fspath(out), *FAST, *extra])
    _, err = capsys.readouterr()
    return code, err


def test_a_folder_of_the_users_files_is_refused_before_training(tmp_path):
    # The case, as a user runs it: a separate process, the bundled data.
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "thesis.tex").write_text("hi\n")
    before = listing(tmp_path)
    outcome = run_cli("train", "--out", "notes", "--hidden", "16", "--epochs", "1",
                      "--train-size", "500", cwd=tmp_path)
    assert_clean_failure(outcome, "notes", "not a digitapp model")
    assert "epoch" not in outcome.stderr  # failed before the first epoch (no progress bar)
    assert outcome.stdout == ""
    assert listing(tmp_path) == before


def test_a_file_is_refused(capsys, tmp_path, no_training):
    paper = tmp_path / "paper.tex"
    paper.write_text("text")
    code, err = train(capsys, paper)
    assert code == 1 and "is a file" in err and len(err.strip().splitlines()) == 1
    assert listing(tmp_path) == {"paper.tex": b"text"}


def test_the_current_folder_is_refused(capsys, tmp_path, monkeypatch, no_training):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.txt").write_text("x")
    for out in (".", "./", ".."):
        code, err = train(capsys, out)
        assert code == 1 and "folder name of its own" in err, err
    assert listing(tmp_path) == {"keep.txt": b"x"}


def test_a_path_under_a_file_is_refused(capsys, tmp_path, no_training):
    (tmp_path / "f").write_text("x")
    code, err = train(capsys, tmp_path / "f" / "model")
    assert code == 1 and "is a file, not a folder" in err
    assert listing(tmp_path) == {"f": b"x"}


def test_an_unwritable_place_is_refused(capsys, tmp_path, monkeypatch, no_training):
    locked = tmp_path / "locked"
    locked.mkdir()
    make_unwritable(locked, monkeypatch)
    try:
        code, err = train(capsys, locked / "model")
        code2, err2 = train(capsys, locked / "sub" / "model")
    finally:
        undo_unwritable(locked)
    assert code == 1 and "cannot be saved there" in err
    assert code2 == 1 and "cannot be saved there" in err2
    assert listing(locked) == {}


def test_a_model_holding_other_files_is_refused(capsys, tmp_path, no_training):
    from digitapp.app.architectures import build
    from digitapp.engine import save_model

    model = save_model(build("mlp", [4], 0.0, seed=1), tmp_path / "m")
    (model / "notes.txt").write_text("mine")
    before = listing(tmp_path)
    code, err = train(capsys, model)
    assert code == 1 and "not part of the model" in err
    assert listing(tmp_path) == before


def test_replacing_a_model_works_and_leaves_no_leftovers(capsys, tmp_path):
    out = tmp_path / "m"
    code, err = train(capsys, out)
    assert code == 0, err
    first = os.stat(out).st_ino
    code, err = train(capsys, out, "--hidden", "8")
    assert code == 0, err
    model, manifest = load_model(out)
    assert manifest["training"]["hidden"] == [8]
    assert os.stat(out).st_ino != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]


@pytest.mark.parametrize("manifest, words", [
    # Names a user's file as its parameter: that file is not the model's to replace.
    ({"format": "digitapp-model", "format_version": 1,
      "parameters": {"x": {"file": "thesis.tex"}}}, "not part of the model"),
    # Says "digitapp-model" but lacks what the loader needs: not a model folder at all.
    ({"format": "digitapp-model", "parameters": {"x": {"file": "thesis.tex"}}},
     "not a digitapp model description"),
    ({"format": "digitapp-model", "format_version": 1, "parameters": []},
     "not a digitapp model description"),
])
def test_a_forged_manifest_does_not_make_a_users_folder_replaceable(capsys, tmp_path,
                                                                    no_training, manifest,
                                                                    words):
    import json

    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "thesis.tex").write_text("years of work\n")
    (folder / "model.json").write_text(json.dumps(manifest))
    before = listing(tmp_path)
    code, err = train(capsys, folder)
    assert code == 1 and words in err and err.count("\n") == 1, err
    assert listing(tmp_path) == before
