"""The command line end to end: every subcommand and its error cases."""

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from digitapp.cli import main
from digitapp.data.mnist import load_mnist
from digitapp.paths import weights_path

SHIPPED = str(weights_path("mlp-512"))


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def digit_pngs(tmp_path_factory):
    """Six MNIST test digits as black-on-white 112x112 PNGs, like a scan; with their labels."""
    folder = tmp_path_factory.mktemp("digits")
    test = load_mnist("test")
    paths, labels = [], []
    for i in range(6):
        big = Image.fromarray(255 - test.images[i]).resize((112, 112), Image.BILINEAR)
        path = folder / f"digit{i}.png"
        big.save(path)
        paths.append(str(path))
        labels.append(int(test.labels[i]))
    return paths, labels


def test_shipped_model_beats_the_goal_on_the_test_set(capsys):
    code, out, err = run_cli(capsys, "evaluate", SHIPPED, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["count"] == 10_000
    assert result["accuracy"] >= 0.987
    assert len(result["per_class"]) == 10
    assert np.array(result["confusion_matrix"]).sum() == 10_000


def test_shipped_cnn_beats_its_goal_on_the_test_set(capsys):
    code, out, err = run_cli(capsys, "evaluate", str(weights_path("cnn")), "--json")
    assert code == 0, err
    assert json.loads(out)["accuracy"] >= 0.996


def test_evaluate_prints_a_table_and_a_confusion_matrix(capsys):
    code, out, _ = run_cli(capsys, "evaluate", SHIPPED)
    assert code == 0
    assert "accuracy" in out and "precision" in out and "confusion matrix" in out
    assert len([line for line in out.splitlines() if line.strip().startswith("9 ")]) >= 1


def test_predict_reads_digits_from_image_files(capsys, digit_pngs):
    paths, labels = digit_pngs
    code, out, _ = run_cli(capsys, "predict", *paths, "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["file"] for r in rows] == paths
    assert [r["digit"] for r in rows] == labels
    for r in rows:
        assert len(r["probabilities"]) == 10
        assert sum(r["probabilities"]) == pytest.approx(1.0, abs=1e-4)
        assert r["confidence"] == max(r["probabilities"])
    code, out, _ = run_cli(capsys, "predict", paths[0])
    assert code == 0 and out.startswith(f"{paths[0]}: {labels[0]}")


def test_predict_errors_are_one_line_and_exit_non_zero(capsys, tmp_path, digit_pngs):
    blank = tmp_path / "blank.png"
    Image.new("L", (100, 100), 255).save(blank)
    not_image = tmp_path / "notes.png"
    not_image.write_text("this is not a picture")
    missing = tmp_path / "missing.png"
    good = digit_pngs[0][0]
    code, out, err = run_cli(capsys, "predict", str(blank), str(not_image), str(missing), good,
                             "--json")
    assert code == 1
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[0] == {"file": str(blank), "error": "no digit found"}
    assert "notes.png" in rows[1]["error"] and "missing.png" in rows[2]["error"]
    assert rows[3]["digit"] == digit_pngs[1][0]  # the good file is still classified
    assert len(err.strip().splitlines()) == 3 and "Traceback" not in err


def test_corrupt_model_is_a_one_line_error(capsys, tmp_path):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(SHIPPED, broken)
    with open(broken / "layers.0.W.npy", "r+b") as f:
        f.seek(500)
        f.write(b"\x00\x01\x02\x03")
    code, out, err = run_cli(capsys, "evaluate", str(broken))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "checksum mismatch" in err and "layers.0.W.npy" in err
    code, _, err = run_cli(capsys, "predict", "x.png", "--model", str(tmp_path / "none"))
    assert code == 1 and "no such model folder" in err


def test_train_writes_a_model_that_evaluate_and_predict_accept(capsys, tmp_path, digit_pngs):
    out_dir = tmp_path / "small"
    code, out, err = run_cli(capsys, "train", "--out", str(out_dir), "--hidden", "64",
                             "--epochs", "2", "--train-size", "2000", "--val-size", "500",
                             "--augment", "--schedule", "cosine", "--l2", "0.01", "--quiet")
    assert code == 0, err
    assert "model saved" in out
    meta = json.loads((out_dir / "model.json").read_text())
    assert meta["training"]["command"].startswith("digitapp train --out")
    assert meta["training"]["config"]["schedule"] == "cosine"
    assert meta["training"]["train_size"] == 2000
    assert 0.5 < meta["metrics"]["test_accuracy"] <= 1.0
    code, out, _ = run_cli(capsys, "evaluate", str(out_dir), "--json")
    assert code == 0 and json.loads(out)["accuracy"] == pytest.approx(
        meta["metrics"]["test_accuracy"])
    code, _, _ = run_cli(capsys, "predict", digit_pngs[0][0], "--model", str(out_dir))
    assert code == 0


def test_a_cli_run_is_recorded_in_the_runs_history_unless_asked_not_to(capsys, tmp_path):
    from digitapp.store.runs import RunStore

    before = {run.id for run in RunStore.default().runs()}
    args = ["train", "--hidden", "16", "--epochs", "1", "--train-size", "500", "--val-size",
            "100", "--quiet"]
    code, _, err = run_cli(capsys, *args, "--out", str(tmp_path / "kept"))
    assert code == 0, err
    new = [run for run in RunStore.default().runs() if run.id not in before]
    assert len(new) == 1 and new[0].status == "completed"
    assert new[0].model_path == str(tmp_path / "kept") and new[0].architecture == "784-16-10"
    full = RunStore.default().get(new[0].id)  # with its curves
    assert full.test_accuracy is not None and len(full.batch_loss) == 4  # 500 / 128
    assert len(full.history) == 1
    code, _, err = run_cli(capsys, *args, "--out", str(tmp_path / "unrecorded"), "--no-history")
    assert code == 0, err
    assert {run.id for run in RunStore.default().runs()} == before | {new[0].id}


def test_train_refuses_bad_values(capsys, tmp_path):
    code, _, err = run_cli(capsys, "train", "--out", str(tmp_path / "x"), "--lr", "-1")
    assert code == 1 and "learning rate" in err
    with pytest.raises(SystemExit) as info:
        main(["train", "--out", str(tmp_path / "x"), "--hidden", "abc"])
    assert info.value.code == 2
    assert not (tmp_path / "x").exists()


def test_data_info_and_verify(capsys, tmp_path):
    code, out, _ = run_cli(capsys, "data", "verify")
    assert code == 0 and out.count("ok  ") == 4
    code, out, _ = run_cli(capsys, "data", "info", "--json")
    info = json.loads(out)
    assert code == 0
    assert json.dumps(info).count("60000") >= 1 and json.dumps(info).count("10000") >= 1
    code, _, err = run_cli(capsys, "data", "verify", "--data", str(tmp_path))
    assert code == 1 and "failed verification" in err


def test_evaluate_any_idx_dataset_by_path(capsys, tmp_path):
    from digitapp.data.idx import write_idx

    test = load_mnist("test")
    write_idx(tmp_path / "imgs.idx", test.images[:300])
    write_idx(tmp_path / "labels.idx.gz", test.labels[:300])
    code, out, err = run_cli(capsys, "evaluate", SHIPPED, "--images",
                             str(tmp_path / "imgs.idx"), "--labels",
                             str(tmp_path / "labels.idx.gz"), "--json")
    assert code == 0, err
    assert json.loads(out)["count"] == 300
    (tmp_path / "bad.idx").write_bytes(b"\x00\x00\x08\x03garbage")
    code, _, err = run_cli(capsys, "evaluate", SHIPPED, "--images", str(tmp_path / "bad.idx"),
                           "--labels", str(tmp_path / "labels.idx.gz"))
    assert code == 1 and "bad.idx" in err and "Traceback" not in err


def test_the_installed_entry_point_runs():
    result = subprocess.run([sys.executable, "-m", "digitapp", "--version"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("digitapp ")


@pytest.mark.parametrize("args, words", [
    (["train", "--threads", "0"], "digitapp: --threads:"),
    (["train", "--hidden", "0"], "digitapp: --hidden:"),
    (["train", "--hidden", "-5"], "digitapp: --hidden:"),
    (["train", "--hidden", "512-"], "digitapp: --hidden:"),
    (["evaluate"], "digitapp: missing model"),
    (["data", "nothing"], "digitapp: 'nothing' is not an action"),
    (["nothing"], "digitapp: 'nothing' is not a command"),
])
def test_usage_errors_are_one_line_with_exit_2(args, words):
    from hostile import run_cli as run_process

    outcome = run_process(*args)
    assert outcome.returncode == 2, outcome.stderr
    assert outcome.stderr.count("\n") == 1 and outcome.stderr.startswith(words), outcome.stderr
    assert "--help)" in outcome.stderr and "usage:" not in outcome.stderr


def test_hidden_sizes_take_a_dash_only_between_numbers():
    import argparse

    from digitapp.cli_train import _hidden_sizes

    assert _hidden_sizes("512-256") == [512, 256]
    assert _hidden_sizes("256, 128") == [256, 128]
    for text in ("-5", "5-", "5--6", "+5", "", "1e3", "٣"):  # "-5" used to be read as 5
        with pytest.raises(argparse.ArgumentTypeError):
            _hidden_sizes(text)
