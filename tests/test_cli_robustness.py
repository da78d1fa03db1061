"""`digitapp evaluate MODEL --robustness`: the curves in text and in JSON."""

import json

from digitapp.app.perturbations import FAMILIES
from digitapp.cli import main
from digitapp.paths import weights_path

SHIPPED = str(weights_path("mlp-512"))


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_evaluate_robustness_json_has_every_family(capsys):
    code, out, err = run_cli(capsys, "evaluate", SHIPPED, "--robustness", "--json",
                             "--robustness-images", "200")
    assert code == 0, err
    result = json.loads(out)
    assert result["count"] == 10_000 and result["accuracy"] >= 0.987  # the usual fields
    assert result["robustness_images"] == 200
    curves = result["robustness"]
    assert list(curves) == [f.name for f in FAMILIES]
    for fam in FAMILIES:
        curve = curves[fam.name]
        assert curve["unit"] == fam.unit
        assert curve["levels"] == list(fam.levels)
        assert len(curve["accuracy"]) == len(fam.levels)
        assert all(0.0 <= a <= 1.0 for a in curve["accuracy"])
        assert curve["accuracy"][fam.levels.index(fam.none)] > 0.95
        # The not-a-digit check's declines: few on clean digits, more as they dissolve.
        none = fam.levels.index(fam.none)
        assert len(curve["declined"]) == len(fam.levels) and curve["declined"][none] < 0.02
        assert all(w <= a + 1e-9 for w, a in zip(curve["accuracy_with_declines"],
                                                 curve["accuracy"], strict=True))
    assert curves["rotation"]["accuracy"][-1] < curves["rotation"]["accuracy"][0] - 0.2
    assert curves["noise"]["declined"][-1] > 0.5  # heavy noise: not a digit any more


def test_evaluate_robustness_prints_a_table_per_family(capsys):
    code, out, _ = run_cli(capsys, "evaluate", SHIPPED, "--robustness",
                           "--robustness-images", "50")
    assert code == 0
    assert "confusion matrix" in out and "robustness: accuracy on 50 test images" in out
    for fam in FAMILIES:
        assert f"\n{fam.name}: {fam.unit}\n    level  accuracy  declined  with declines\n" in out


def test_without_robustness_nothing_changes(capsys):
    code, out, _ = run_cli(capsys, "evaluate", SHIPPED, "--json")
    assert code == 0 and "robustness" not in json.loads(out)


def test_a_bad_image_count_is_a_usage_error(capsys):
    for bad in ("0", "-5", "many"):
        try:
            main(["evaluate", SHIPPED, "--robustness", "--robustness-images", bad])
        except SystemExit as exc:
            assert exc.code == 2
        else:
            raise AssertionError(f"--robustness-images {bad} was accepted")
        err = capsys.readouterr().err
        assert "--robustness-images" in err and len(err.strip().splitlines()) == 1
