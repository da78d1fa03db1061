"""The command line's rough edges (issue 18): models by name from any folder, "not sure"
said as the Draw tab says it, and `data info` rounded for people (full in --json)."""

from __future__ import annotations

import json

import numpy as np
from PIL import Image

from digitapp.app.models import find_model
from digitapp.cli import main
from digitapp.paths import user_models_dir, weights_path


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_shipped_and_user_models_are_found_by_name_from_any_folder(tmp_path, monkeypatch,
                                                                  capsys):
    monkeypatch.chdir(tmp_path)  # not the repository: "mlp-512" is no folder here
    assert find_model("mlp-512") == weights_path("mlp-512")
    code, out, _ = cli(capsys, "evaluate", "mlp-512", "--json")
    assert code == 0 and json.loads(out)["accuracy"] > 0.99
    # One of the user's models (as the Train tab names them), by its folder's name.
    mine = user_models_dir() / "mlp-20261202-101010"
    mine.mkdir(parents=True)
    for item in weights_path("mlp-512").iterdir():
        (mine / item.name).write_bytes(item.read_bytes())
    assert find_model("mlp-20261202-101010") == mine
    # A folder given as a path wins over a name; an unknown name is refused in one line.
    (tmp_path / "cnn").mkdir()
    assert find_model("cnn") == type(tmp_path)("cnn")  # the folder here, not the shipped one
    code, _, err = cli(capsys, "evaluate", "no-such-model")
    assert code == 1 and err.strip() == "digitapp: no-such-model: no such model folder"


def test_predict_says_not_sure_when_the_model_hesitates(tmp_path, capsys):
    from digitapp.app.classify import classify_image
    from digitapp.app.models import open_model
    from digitapp.data.mnist import load_mnist

    model, _ = open_model(weights_path("mlp-512"))
    test = load_mnist("test")
    # The first test digits the MLP names with less than 80%, and one it is sure of, as
    # scans: dark ink on white, three times larger.
    pictures = {}
    for i in range(len(test.images)):
        scan = np.asarray(Image.fromarray(255 - test.images[i]).resize((84, 84)), np.uint8)
        p = classify_image(model, scan)
        if p.digit is None:
            continue
        if p.confidence > 0.99:
            pictures.setdefault("sure", (scan, p))
        elif p.confidence < 0.8 and sum(n != "sure" for n in pictures) < 2:
            pictures[f"hesitant-{i}"] = (scan, p)
        if len(pictures) == 3 and "sure" in pictures:
            break
    assert len(pictures) == 3
    for name, (scan, _) in pictures.items():
        Image.fromarray(scan).save(tmp_path / f"{name}.png")
    code, out, _ = cli(capsys, "predict", *sorted(tmp_path.glob("*.png")), "--model",
                       "mlp-512")
    lines = dict(line.split(": ", 1) for line in out.strip().splitlines())
    for name, (_, p) in pictures.items():
        line = lines[str(tmp_path / f"{name}.png")]
        assert line.startswith(f"{p.digit}  (")
        if name == "sure":
            assert "not sure" not in line
        else:
            assert "not sure:" in line and line.endswith("?)"), line


def test_data_info_is_rounded_for_people_and_full_in_json(capsys):
    code, out, _ = cli(capsys, "data", "info")
    assert code == 0 and "pixel_mean: 0.1307" in out and "0.13066047" not in out
    code, out, _ = cli(capsys, "data", "info", "--json")
    assert json.loads(out)["train"]["pixel_mean"] == __import__("pytest").approx(0.130660476)


def test_train_help_explains_every_option_without_meaningless_defaults(capsys):
    import pytest

    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = capsys.readouterr().out
    for meaningless in ("(default: None)", "(default: False)", "(default: True)"):
        assert meaningless not in text
    assert text.count("(default:") >= 15
    from digitapp.cli import build_parser

    train = next(a for a in build_parser()._subparsers._group_actions[0].choices.items()
                 if a[0] == "train")[1]
    unexplained = [a.option_strings for a in train._actions if not a.help]
    assert unexplained == []
