"""`digitapp personalize`: one-line refusals (empty collection, bad --out, bad base) and a
teach of the shipped MLP from the collection (in the test's own user data folder)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digitapp.app.personalize import EMPTY
from digitapp.cli import main
from digitapp.paths import weights_path
from digitapp.store.handwriting import Drawing, HandwritingStore
from testkit.writers import WRITERS, writer_images


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("DIGITAPP_DATA_DIR", str(folder))
    return folder


def fill_collection(per_digit: int, digits=range(10)) -> None:
    images, labels = writer_images(WRITERS["blocky"], per_digit, 7)
    store = HandwritingStore.default()
    store.add_many(Drawing(int(label), image.astype(np.float32), source="file")
                   for image, label in zip(images, labels, strict=True) if label in digits)


def test_empty_collection_is_one_line_and_exit_1(data_dir, tmp_path, capsys):
    assert main(["personalize", "--out", str(tmp_path / "model")]) == 1
    err = capsys.readouterr().err
    assert err == f"digitapp: {EMPTY}\n"
    assert not (tmp_path / "model").exists()


def test_bad_out_and_bad_base_are_one_line(data_dir, tmp_path, capsys):
    fill_collection(1)
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    assert main(["personalize", "--out", str(a_file)]) == 1
    assert "is a file" in capsys.readouterr().err
    assert main(["personalize", "--base", str(tmp_path), "--out", str(tmp_path / "m")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("digitapp: ") and err.count("\n") == 1
    assert a_file.read_text() == "mine" and not (tmp_path / "m").exists()


def test_a_digit_without_drawings_is_named_and_teaching_goes_on(data_dir, tmp_path, capsys,
                                                                monkeypatch):
    import digitapp.app.personalize as personalize

    small = personalize.TeachSettings(passes=1, batches_per_pass=5, mnist_test_images=300)
    monkeypatch.setattr(personalize, "TeachSettings", lambda: small)
    fill_collection(4, digits=[d for d in range(10) if d != 3])
    out = tmp_path / "model"
    assert main(["personalize", "--base", str(weights_path("mlp-512")), "--out", str(out),
                 "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["notes"] == ["no drawings of 3: that digit is learned from MNIST only"]
    assert result["drawings"] == 27 and result["held_back"] == 9
    assert (out / "model.json").is_file()
    assert main(["personalize", "--base", str(weights_path("mlp-512")), "--out",
                 str(tmp_path / "again")]) == 0
    text = capsys.readouterr().out
    assert "note: no drawings of 3" in text and "your drawings: " in text


def test_a_terminal_gets_evaluate_s_bar_and_json_gets_none(data_dir, tmp_path, capsys,
                                                           monkeypatch):
    import sys

    import digitapp.app.personalize as personalize
    import digitapp.cli_progress as cli_progress

    small = personalize.TeachSettings(passes=1, batches_per_pass=5, mnist_test_images=300)
    monkeypatch.setattr(personalize, "TeachSettings", lambda: small)
    monkeypatch.setattr(cli_progress, "REDRAW_SECONDS", 0)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    fill_collection(4)
    base = str(weights_path("mlp-512"))
    assert main(["personalize", "--base", base, "--out", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err
    assert "%|" in err and err.rstrip("\r").split("\r")[-1].strip() == "", err
    assert main(["personalize", "--base", base, "--out", str(tmp_path / "b"), "--json"]) == 0
    assert capsys.readouterr().err == ""
