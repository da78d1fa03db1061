"""Hostile training options: refused up front, in one line, before any data is loaded.

Every bad option goes through the real CLI in its own process under the 500 MB cap
(tests/hostile.py): it must end as a clean failure within seconds and before the first
epoch. The checks themselves (TrainConfig.validate, AugmentConfig.validate,
TrainingJob.validate, the memory estimate) are tested directly too, and the Train tab
must refuse to start a run whose model could not be saved.
"""

from __future__ import annotations

import math
import re
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hostile import assert_clean_failure, run_cli

from digitapp.app.architectures import architecture_config
from digitapp.app.memory_budget import available_memory
from digitapp.app.training import TrainingJob
from digitapp.data.augment import AugmentConfig
from digitapp.engine import Sequential, TrainConfig, train
from digitapp.engine.memory import training_memory

FLOAT_OPTIONS = ["--lr", "--momentum", "--beta1", "--beta2", "--step-factor", "--l2",
                 "--weight-decay", "--dropout", "--aug-shift", "--aug-rotation",
                 "--aug-scale", "--aug-thickness", "--aug-shear", "--aug-aspect"]


def refuse(tmp_path: Path, *options: str, expected: tuple[str, ...] = ()) -> str:
    """Run `digitapp train` with `options`; assert a clean failure before any training."""
    out = tmp_path / "model"
    outcome = run_cli("train", "--out", out, "--no-history", *options, cwd=tmp_path)
    assert_clean_failure(outcome, *expected)
    assert re.search(r"epoch +\d+/\d+", outcome.stderr) is None  # no progress: no training
    assert not out.exists()
    return outcome.stderr


@pytest.mark.parametrize("value", ["nan", "inf"])
@pytest.mark.parametrize("option", FLOAT_OPTIONS)
def test_non_finite_float_options_are_refused(tmp_path, option, value):
    stderr = refuse(tmp_path, option, value, "--augment")
    assert stderr.startswith("digitapp: ") and value in stderr.lower()


def test_huge_hidden_layers_are_refused_by_the_memory_estimate(tmp_path):
    stderr = refuse(tmp_path, "--hidden", "65536,65536", expected=("memory", "GB"))
    # 784*65536 + 65536*65536 + 65536*10 weights, 7 float32 copies: about 113 GB.
    assert "needs about 1" in stderr


def test_a_cnn_with_a_huge_batch_is_refused_by_the_memory_estimate(tmp_path):
    refuse(tmp_path, "--arch", "cnn3", "--batch-size", "1000000",
           expected=("memory", "activations", "batch size"))


def test_zero_threads_is_a_usage_error(tmp_path):
    stderr = refuse(tmp_path, "--threads", "0", expected=("--threads", "from 1"))
    assert "see digitapp train --help" in stderr and "usage:" not in stderr  # one line


def test_a_validation_set_leaving_too_few_training_images_is_refused(tmp_path):
    refuse(tmp_path, "--val-size", "59995", "--train-size", "10",
           expected=("59,995", "leaves 5", "at least 10"))


def test_a_training_size_above_what_validation_leaves_is_refused(tmp_path):
    refuse(tmp_path, "--val-size", "10000", "--train-size", "55000",
           expected=("55,000", "50,000"))


@pytest.mark.parametrize("augment", [(), ("--augment",)])  # checked even when unused
def test_an_absurd_shift_is_refused_with_its_range(tmp_path, augment):
    refuse(tmp_path, "--aug-shift", "1e9", *augment, expected=("--aug-shift", "<= 8"))


@pytest.mark.parametrize("options, expected", [
    (("--l2", "nan"), "L2"),
    (("--weight-decay", "inf"), "weight decay"),
    (("--epochs", "0"), "epochs"),
    (("--epochs", "100000"), "epochs"),
    (("--batch-size", "0"), "batch size"),
    (("--step-every", "0"), "step every"),
    (("--seed", "-1"), "seed"),
    (("--workers", "0"), "workers"),
    (("--workers", "1000"), "workers"),
    (("--aug-rotation", "720"), "<= 180"),
    (("--aug-scale", "0.95"), "0.9"),
    (("--aug-thickness", "2"), "<= 1"),
])
def test_out_of_range_options_are_refused(tmp_path, options, expected):
    refuse(tmp_path, *options, expected=(expected,))


def test_a_diverging_run_says_what_it_saved_and_does_so(tmp_path):
    # Diverges in the first epoch: there are no trained weights, and nothing is saved.
    out = tmp_path / "model"
    outcome = run_cli("train", "--out", out, "--no-history", "--lr", "1e6", "--hidden", "16",
                      "--epochs", "2", "--train-size", "500", "--val-size", "100", "--quiet",
                      cwd=tmp_path)
    assert outcome.returncode == 1, outcome.stderr
    assert "diverged" in outcome.stderr and "no model was saved" in outcome.stderr
    assert "were kept" not in outcome.stderr
    assert not out.exists()


def test_a_run_diverging_after_an_epoch_keeps_and_saves_that_epoch(tmp_path, monkeypatch):
    from digitapp.app.training import ModelSaved, run_training
    from digitapp.engine import EpochDone, Failed

    built = []
    build = TrainingJob.build_model
    monkeypatch.setattr(TrainingJob, "build_model",
                        lambda self: built.append(build(self)) or built[-1])
    job = TrainingJob(hidden=[16], config=TrainConfig(epochs=3, batch_size=50),
                      train_size=500, val_size=100)
    events = []
    for event in run_training(job, tmp_path / "m"):
        events.append(event)
        if isinstance(event, EpochDone) and event.epoch == 0:
            built[0].params.values *= 1e6  # a blow-up in the second epoch
    failed = next(e for e in events if isinstance(e, Failed))
    saved = [e for e in events if isinstance(e, ModelSaved)]
    assert failed.reason == "diverged" and failed.epochs_run == 1
    assert "epoch 1" in failed.message and "were kept" in failed.message
    assert len(saved) == 1 and (tmp_path / "m" / "model.json").exists()


# -- the checks themselves -------------------------------------------------------------------
@pytest.mark.parametrize("field, value", [
    ("lr", math.nan), ("lr", math.inf), ("lr", 0.0), ("momentum", math.nan),
    ("momentum", 1.0), ("beta1", math.inf), ("beta2", -0.1), ("l2", math.nan),
    ("l2", -1.0), ("weight_decay", math.inf), ("step_factor", math.nan),
    ("divergence_factor", math.nan), ("epochs", 0), ("epochs", 2.0), ("epochs", True),
    ("batch_size", 0), ("batch_size", 10**7), ("seed", -1), ("seed", 2**40),
    ("workers", 0), ("workers", 65), ("step_every", 0), ("keep_best", "yes"),
])
def test_train_config_refuses(field, value):
    config = TrainConfig(**{field: value})
    with pytest.raises(ValueError) as caught:
        config.validate()
    assert "\n" not in str(caught.value)


def test_train_config_accepts_its_defaults_and_the_limits():
    TrainConfig().validate()
    TrainConfig(epochs=10_000, batch_size=1_000_000, seed=2**32 - 1, workers=64,
                lr=1e6, l2=5.0, weight_decay=0.1).validate()


@pytest.mark.parametrize("kwargs", [
    {"max_shift": math.nan}, {"max_shift": 1e9}, {"max_shift": -1.0},
    {"max_rotation": math.inf}, {"max_rotation": 181.0},
    {"scale_range": (math.nan, math.nan)}, {"scale_range": (0.05, 1.0)},
    {"scale_range": (1.0, 2.5)}, {"scale_range": (1.1, 0.9)}, {"scale_range": 1.0},
    {"thickness_prob": math.nan}, {"thickness_prob": 1.5}, {"max_shear": math.inf},
    {"max_shear": 1.5}, {"max_aspect": 0.95}, {"max_aspect": math.nan},
])
def test_augment_config_refuses(kwargs):
    with pytest.raises(ValueError) as caught:
        AugmentConfig(**kwargs)
    assert "\n" not in str(caught.value)


def test_augment_config_validate_catches_a_value_changed_after_creation():
    config = AugmentConfig(max_shift=8.0, max_rotation=180.0, scale_range=(0.1, 1.9),
                           thickness_prob=1.0, max_shear=1.0, max_aspect=0.9)
    config.max_rotation = math.nan
    with pytest.raises(ValueError, match="max_rotation"):
        config.validate()
    with pytest.raises(ValueError, match="max_rotation"):
        TrainingJob(augment=config).validate()


@pytest.mark.parametrize("kwargs, expected", [
    ({"hidden": [65536, 65536]}, "memory"),
    ({"hidden": [0]}, "hidden"),
    ({"hidden": [16] * 17}, "hidden"),
    ({"hidden": [8192] * 6}, "too large"),  # fits in memory, but no loader would open it
    ({"dropout": math.nan}, "dropout"),
    ({"dropout": 1.0}, "dropout"),
    ({"train_size": 9}, "training-set size"),
    ({"val_size": -1}, "validation size"),
    ({"val_size": 59_995, "train_size": 10}, "leaves 5"),
    ({"val_size": 60_000}, "leaves 0"),
    ({"val_size": 10_000, "train_size": 55_000}, "50,000"),
    ({"arch": "cnn3", "config": TrainConfig(batch_size=1_000_000)}, "memory"),
    ({"config": TrainConfig(l2=math.nan)}, "L2"),
])
def test_training_job_refuses(kwargs, expected):
    with pytest.raises(ValueError, match=expected) as caught:
        TrainingJob(**kwargs).validate()
    assert "\n" not in str(caught.value)


def test_training_job_validates_before_loading_anything(monkeypatch):
    import digitapp.app.training as training

    def no_loading(*args, **kwargs):
        raise AssertionError("data loaded before the job was validated")

    monkeypatch.setattr(training, "load_mnist", no_loading)
    job = TrainingJob(hidden=[65536, 65536])
    with pytest.raises(ValueError, match="memory"):
        next(training.run_training(job, "unused"))


def test_the_memory_budget_respects_an_address_space_limit(monkeypatch):
    import digitapp.app.memory_budget as budget

    unlimited = available_memory()
    assert 0 < unlimited < 2**50
    mib = 2**20
    monkeypatch.setattr(budget.resource, "getrlimit", lambda which: (600 * mib, 600 * mib))
    monkeypatch.setattr(budget, "_address_space_used", lambda: 400 * mib)
    assert available_memory() == min(unlimited, int(200 * mib * budget.LIMIT_SHARE))


# -- the memory estimate against what NumPy allocates ------------------------------------
@pytest.mark.parametrize("arch, hidden, batch, workers", [
    ("cnn3", [512], 128, 2),  # the shipped CNN as trained
    ("cnn3", [512], 128, 1),
    ("cnn", [512], 256, 1),
    ("mlp", [512], 128, 1),
    ("mlp", [1024, 1024], 512, 1),
])
def test_the_memory_estimate_is_within_a_factor_of_two(arch, hidden, batch, workers):
    config = architecture_config(arch, hidden, 0.1)
    estimate = training_memory(config, batch, "adam", workers).total
    shape = tuple(config["input_shape"])
    rng = np.random.default_rng(0)
    x = rng.random((2 * batch,) + shape, dtype=np.float32)
    y = rng.integers(0, 10, 2 * batch)
    tracemalloc.start()  # NumPy reports its buffers to tracemalloc
    try:
        base = tracemalloc.get_traced_memory()[0]
        model = Sequential.from_config(config, seed=0)
        for _ in train(model, x, y, x[:0], y[:0],
                       TrainConfig(epochs=2, batch_size=batch, workers=workers)):
            pass
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert peak / 2 <= estimate <= 2 * peak, (estimate, peak)


def test_the_memory_estimate_grows_with_the_batch_and_the_layers():
    cnn = architecture_config("cnn3", [512], 0.3)
    small, big = training_memory(cnn, 128), training_memory(cnn, 1280)
    assert small.parameters == big.parameters
    assert big.activations == pytest.approx(10 * small.activations, rel=0.01)
    wide = training_memory(architecture_config("mlp", [65536, 65536], 0.1), 128)
    assert wide.parameters > 7 * 4 * 65536 * 65536  # values, grads, Adam, 3 snapshots


# -- the Train tab ----------------------------------------------------------------------------
def test_the_train_tab_does_not_start_when_the_model_cannot_be_saved(qtbot, tmp_path,
                                                                      monkeypatch):
    from PySide6.QtCore import Qt

    from digitapp.gui.train.tab import TrainTab
    from digitapp.store.runs import RunStore

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DIGITAPP_DATA_DIR", str(blocker / "data"))  # under a regular file
    tab = TrainTab(None, RunStore(tmp_path / "runs.sqlite3"))
    qtbot.addWidget(tab)
    tab.show()
    for key, text in {"hidden": "16", "train_size": "600", "val_size": "200",
                      "batch_size": "10", "epochs": "1"}.items():
        tab.form.fields[key].setText(text)
    assert tab.start_button.isEnabled()
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert not tab.is_running()
    assert tab.banner.isVisible()
    text = tab.banner.text()
    assert "not started" in text and "a-file" in text
    assert tab.start_button.isEnabled()  # the user can fix the folder and try again


def test_the_train_form_refuses_a_network_too_large_to_save(qtbot, tmp_path):
    from digitapp.gui.train.tab import TrainTab
    from digitapp.store.runs import RunStore

    tab = TrainTab(None, RunStore(tmp_path / "runs.sqlite3"), tmp_path / "models")
    qtbot.addWidget(tab)
    tab.show()
    assert tab.start_button.isEnabled()
    tab.form.fields["hidden"].setText("8192, 8192, 8192, 8192, 8192, 8192")  # each field fine
    assert tab.form.job() is None and not tab.start_button.isEnabled()
    assert "too large" in tab.form.problems.text() and tab.form.problems.isVisible()
    tab.start()
    assert not tab.is_running()


@pytest.mark.parametrize("option, words", [("--l2", "L2 penalty must be a number in [0, 10]"),
                                           ("--weight-decay", "weight decay must be a number "
                                            "in [0, 10]")])
def test_absurd_l2_and_weight_decay_are_refused_in_one_line(tmp_path, option, words):
    outcome = run_cli("train", "--out", tmp_path / "m", "--hidden", "8", "--epochs", "1",
                      "--train-size", "200", "--val-size", "50", "--quiet", "--no-history",
                      option, "1e300")
    assert_clean_failure(outcome, words)
    assert "RuntimeWarning" not in outcome.stderr and "learning rate" not in outcome.stderr
    assert len(outcome.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "m").exists()


def test_a_diverging_cli_run_says_so_in_one_line_without_numpy_warnings(tmp_path):
    outcome = run_cli("train", "--out", tmp_path / "m", "--hidden", "8", "--epochs", "1",
                      "--train-size", "200", "--val-size", "50", "--quiet", "--no-history",
                      "--lr", "1e30", "--optimizer", "sgd")
    assert outcome.returncode == 1, outcome.stderr[-2000:]
    assert "RuntimeWarning" not in outcome.stderr, outcome.stderr
    assert outcome.stderr.strip().splitlines()[-1].startswith("digitapp: training diverged")
    assert len(outcome.stderr.strip().splitlines()) == 1, outcome.stderr


def test_proc_fields_are_read_in_bytes_and_unknown_ones_are_none(tmp_path):
    from digitapp.app import memory_budget as budget

    status = tmp_path / "status"
    status.write_text("Name:\tpython\nVmSize:\t  123456 kB\nVmBad:\tx kB\nVmCut:\n")
    assert budget._proc_field(str(status), "VmSize") == 123456 * 1024
    assert budget._proc_field(str(status), "VmRSS") is None
    assert budget._proc_field(str(status), "VmBad") is None
    assert budget._proc_field(str(status), "VmCut") is None
    assert budget._proc_field(str(tmp_path / "missing"), "VmSize") is None
    assert budget._address_space_used() > 0 and budget._meminfo_available() > 0
