"""Learn my handwriting (app/personalize.py): a test-sized teach of the shipped MLP on a
simulated writer it misreads; the saved folder, re-teaching, Cancel and refusals."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from pathlib import Path

import numpy as np
import pytest

from digitapp.analysis.control import Cancelled
from digitapp.app.held_back import held_back_count, split_held_back
from digitapp.app.models import as_model_inputs, open_model
from digitapp.app.personalize import (
    EMPTY,
    TeachError,
    TeachSettings,
    check_teach,
    missing_digits_note,
    new_personal_folder,
    personal_base,
    teach_steps,
)
from digitapp.cli import main
from digitapp.engine import Control
from digitapp.paths import weights_path
from testkit.writers import WRITERS, writer_images

MLP = weights_path("mlp-512")
SMALL = TeachSettings(passes=2, batches_per_pass=25, mnist_test_images=500)


def run(steps):
    """Drive a teach_steps generator; return (its steps, its TeachResult)."""
    seen = []
    while True:
        try:
            seen.append(next(steps))
        except StopIteration as end:
            return seen, end.value


def folder_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def open_hand():
    """The 'open' writer (open loops, narrow, leaning left), which the shipped MLP misreads:
    5 drawings per digit to teach, 10 others per digit to test."""
    writer = WRITERS["open"]
    return writer_images(writer, 5, 100), writer_images(writer, 10, 200)


@pytest.fixture(scope="module")
def taught(open_hand, tmp_path_factory):
    (x, y), _ = open_hand
    out = tmp_path_factory.mktemp("personal") / "model"
    before = folder_digest(MLP)
    steps, result = run(teach_steps(MLP, out, x, y, seed=0, settings=SMALL))
    return steps, result, before


def accuracy(folder: Path, x: np.ndarray, y: np.ndarray) -> float:
    model, _ = open_model(folder)
    return float(np.mean(model.predict(as_model_inputs(model, x.reshape(len(x), -1))) == y))


def test_teaching_improves_a_misread_hand_and_keeps_mnist(taught, open_hand):
    steps, result, _ = taught
    _, (test_x, test_y) = open_hand
    assert result.held_back == 10 and result.drawings == 40  # one of each digit's five
    assert result.yours_after > result.yours_before
    assert accuracy(result.folder, test_x, test_y) > accuracy(MLP, test_x, test_y) + 0.2
    assert result.mnist_after > 0.95
    assert result.notes == ()
    # Progress: monotonic, ends at its total, every stage in order.
    done = [s.done for s in steps]
    assert done == sorted(done) and steps[-1].done == steps[-1].total
    stages = list(dict.fromkeys(s.stage for s in steps))
    assert stages == ["preparing", "measuring before", "teaching", "measuring after", "saving"]
    assert "->" in result.summary() and "MNIST test" in result.summary()


def test_the_personal_model_is_an_ordinary_model_folder(taught, capsys):
    _, result, base_digest = taught
    model, manifest = open_model(result.folder)
    assert model.temperature == open_model(MLP)[0].temperature  # the base's calibration
    entry = manifest["personal"]
    assert entry["base"] == "shipped:mlp-512" and entry["held_back"] == result.held_back
    assert entry["yours_after"] == result.yours_after
    assert main(["evaluate", str(result.folder), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accuracy"] > 0.95
    assert folder_digest(MLP) == base_digest  # the shipped model was not written to


def test_reteaching_a_personal_model_starts_from_its_base(taught, open_hand, tmp_path):
    _, first, _ = taught
    assert personal_base(first.folder) == MLP
    assert personal_base(MLP) == MLP
    (x, y), _ = open_hand
    tiny = TeachSettings(passes=1, batches_per_pass=2, mnist_test_images=100)
    _, again = run(teach_steps(first.folder, tmp_path / "again", x, y, settings=tiny))
    assert again.base == MLP
    # Measured before on the shipped MLP, not on the personal model.
    assert again.yours_before == first.yours_before


def test_a_missing_base_is_said(taught, tmp_path):
    _, result, _ = taught
    moved = tmp_path / "copy"
    moved.mkdir()
    manifest = json.loads((result.folder / "model.json").read_text())
    manifest["personal"]["base"] = str(tmp_path / "gone")
    (moved / "model.json").write_text(json.dumps(manifest))
    with pytest.raises(TeachError, match="no longer there"):
        personal_base(moved)


def test_cancel_leaves_out_absent(open_hand, tmp_path):
    (x, y), _ = open_hand
    out, control = tmp_path / "model", Control()
    steps = teach_steps(MLP, out, x, y, control=control, settings=SMALL)
    with pytest.raises(Cancelled):
        for step in steps:
            if step.stage == "teaching":
                control.stop()
    assert not out.exists()


def test_refusals_come_first_and_fast(open_hand, tmp_path):
    (x, y), _ = open_hand
    with pytest.raises(TeachError) as empty:
        next(teach_steps(MLP, tmp_path / "m", np.zeros((0, 28, 28), np.float32),
                         np.zeros(0, np.int64)))
    assert str(empty.value) == EMPTY
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    t0 = time.perf_counter()
    with pytest.raises(TeachError, match="is a file"):
        check_teach(MLP, a_file, x, y)
    assert time.perf_counter() - t0 < 1.0
    with pytest.raises(TeachError):
        check_teach(tmp_path, tmp_path / "m", x, y)  # no model there
    with pytest.raises(TeachError, match="0 to 9"):
        check_teach(MLP, tmp_path / "m", x, np.full(len(y), 10))
    with pytest.raises(TeachError, match="from 0 to 1"):
        check_teach(MLP, tmp_path / "m", x * 255, y)
    assert a_file.read_text() == "mine" and not (tmp_path / "m").exists()


def test_held_back_is_per_digit_and_repeatable():
    assert [held_back_count(n) for n in (1, 3, 4, 5, 10, 12)] == [0, 0, 1, 1, 2, 3]
    labels = np.array([0] * 3 + [1] * 4 + [2] * 12)
    teach, held = split_held_back(labels, seed=3)
    assert np.bincount(labels[held], minlength=3).tolist() == [0, 1, 3]
    assert sorted(np.concatenate([teach, held]).tolist()) == list(range(len(labels)))
    assert np.array_equal(held, split_held_back(labels, seed=3)[1])


def test_missing_digits_are_named():
    assert missing_digits_note(np.arange(10)) is None
    note = missing_digits_note(np.array([0, 1, 2, 4, 5, 6, 7, 9]))
    assert note == "no drawings of 3 and 8: those digits are learned from MNIST only"


def test_new_personal_folder_is_free():
    folder = new_personal_folder()
    assert folder.name.startswith("personal-") and not folder.exists()
    folder.mkdir()
    try:
        when = dt.datetime.strptime(folder.name[len("personal-"):][:15], "%Y%m%d-%H%M%S")
        assert new_personal_folder(when) == folder.with_name(folder.name + "-2")
    finally:
        folder.rmdir()


def test_the_benchmark_runs_tiny(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "bench_personalize.py"), "--model", str(MLP),
         "--writers", "open", "--counts", "1,4", "--test-per-digit", "2", "--passes", "1",
         "--batches-per-pass", "3", "--mnist-test-images", "200", "--json"],
        capture_output=True, text=True, timeout=300, cwd=root)
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)["writers"][0]
    assert row["writer"] == "open" and row["test_drawings"] == 20
    assert [r["per_digit"] for r in row["runs"]] == [1, 4]
    assert [r["held_back"] for r in row["runs"]] == [0, 10]
    assert row["runs"][0]["yours_after"] is None and 0 <= row["shipped"] <= 1
