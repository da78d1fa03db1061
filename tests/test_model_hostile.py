"""Hostile model folders (issue 11): loading never exhausts memory, hangs, crashes or follows
links out of the folder, and models that load but compute garbage are refused.

Every hostile folder is made here from a small valid saved model; the SHA-256 in model.json
is recomputed after tampering, so that the checksum does not hide the defect under test.
CLI runs go through tests/hostile.py: a separate process capped at 500 MB of address space.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import threading
import time
import tracemalloc

import numpy as np
import pytest
from hostile import assert_clean_failure, run_cli
from PIL import Image

from digitapp.app.architectures import mlp_config
from digitapp.app.classify import classify_image
from digitapp.app.evaluation import evaluate_dataset
from digitapp.app.models import DEFAULT_MODEL, open_model
from digitapp.data.idx import write_idx
from digitapp.data.mnist import Dataset, load_mnist
from digitapp.engine import (
    ModelError,
    Sequential,
    folder_rename,
    load_model,
    model_load,
    npy_file,
    save_model,
)
from digitapp.engine.serialize import sha256_file

BN_MLP = {"input_shape": [784], "layers": [
    {"type": "dense", "units": 8}, {"type": "batchnorm"}, {"type": "relu"},
    {"type": "dense", "units": 10}]}


# -- making hostile folders -----------------------------------------------------------------
def saved_mlp(tmp_path, name="model", **kwargs):
    return save_model(Sequential.from_config(mlp_config([16], **kwargs), seed=1), tmp_path / name)


def read_json(folder):
    return json.loads((folder / "model.json").read_text())


def write_json(folder, data):
    (folder / "model.json").write_text(json.dumps(data))


def forge(folder, name, write):
    """Replace parameter `name`'s file via write(path), then fix its SHA-256 in model.json."""
    path = folder / f"{name}.npy"
    path.unlink()
    write(path)
    data = read_json(folder)
    data["parameters"][name]["sha256"] = sha256_file(path)
    write_json(folder, data)


@pytest.fixture(scope="module")
def digit_png(tmp_path_factory):
    path = tmp_path_factory.mktemp("digit") / "digit.png"
    Image.fromarray(load_mnist("test").images[0]).save(path)
    return path


@pytest.fixture(scope="module")
def small_test_set(tmp_path_factory):
    """Return (images, labels) IDX files of 50 MNIST test digits (a quick `evaluate`)."""
    folder = tmp_path_factory.mktemp("idx")
    test = load_mnist("test")
    write_idx(folder / "images.idx", test.images[:50])
    write_idx(folder / "labels.idx", test.labels[:50])
    return folder / "images.idx", folder / "labels.idx"


def assert_cli_refuses(folder, digit_png, small_test_set, *expected):
    """`predict` and `evaluate` on `folder`: exit 1 with one line naming the problem."""
    images, labels = small_test_set
    started = time.perf_counter()
    for args in (("predict", digit_png, "--model", folder),
                 ("predict", digit_png, "--model", folder, "--json"),
                 ("evaluate", folder, "--images", images, "--labels", labels)):
        outcome = run_cli(*args, timeout=60)
        assert_clean_failure(outcome, *expected)
        assert "nan" not in outcome.stdout.lower()  # nothing printed as if it were a result
    return time.perf_counter() - started


# -- 3. loading: memory, recursion, sizes, files ----------------------------------------------
def test_deeply_nested_model_json_is_refused(tmp_path, digit_png, small_test_set):
    folder = saved_mlp(tmp_path)
    data = read_json(folder)
    (folder / "model.json").write_text(json.dumps(data)[:-1] + ', "x": ' + "[" * 200_000
                                       + "]" * 200_000 + "}")
    with pytest.raises(ModelError, match="nested"):
        load_model(folder)
    data["metrics"] = json.loads("[" * 500 + "]" * 500)  # parses, but deeper than any model
    write_json(folder, data)
    with pytest.raises(ModelError, match="nested"):
        load_model(folder)
    assert_cli_refuses(folder, digit_png, small_test_set, "model.json", "nested")


def test_npy_header_claiming_a_huge_shape_is_refused_before_allocating(tmp_path, digit_png,
                                                                        small_test_set):
    folder = saved_mlp(tmp_path)

    def huge_header(path):
        with open(path, "wb") as f:
            np.lib.format.write_array_header_1_0(
                f, {"descr": "<f4", "fortran_order": False, "shape": (10**11,)})
            f.write(b"\0" * 64)

    forge(folder, "layers.0.b", huge_header)
    with pytest.raises(ModelError, match=r"layers\.0\.b\.npy: .* shape \(100000000000,\)"):
        load_model(folder)
    assert_cli_refuses(folder, digit_png, small_test_set, "layers.0.b.npy", "shape")


@pytest.mark.parametrize("layers,input_shape,message", [
    ([{"type": "dense", "units": 65536}] * 4, [784], "too large"),
    ([{"type": "conv2d", "filters": 4096, "kernel": 15}, {"type": "flatten"},
      {"type": "dense", "units": 10}], [28, 28, 1], "per image"),
    ([{"type": "flatten"}, {"type": "dense", "units": 10}], [100000, 100000, 1], "inputs"),
])
def test_architecture_bombs_are_refused_before_allocating(tmp_path, digit_png, small_test_set,
                                                          layers, input_shape, message):
    folder = saved_mlp(tmp_path)
    data = read_json(folder)
    data["architecture"] = {"input_shape": input_shape, "layers": layers}
    write_json(folder, data)
    assert (folder / "model.json").stat().st_size < 3000  # the rest is the parameter list
    tracemalloc.start()  # NumPy reports its allocations to tracemalloc
    try:
        with pytest.raises(ModelError, match=message):
            load_model(folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000, peak  # refused from model.json: nothing built or read
    assert_cli_refuses(folder, digit_png, small_test_set, "model.json", message)


ARCH_BOMBS = {  # within the 100 M-parameter cap, so only the missing files give them away
    "wide": {"input_shape": [784], "layers": [{"type": "dense", "units": 65536},
                                              {"type": "dense", "units": 700},
                                              {"type": "dense", "units": 10}]},
    "deep": {"input_shape": [784], "layers": [{"type": "dense", "units": 300}] * 999
             + [{"type": "dense", "units": 10}]},
}


def arch_bomb(tmp_path, kind, with_small_files=False):
    """A model folder whose model.json asks for a huge model: no weight files at all, or
    (with_small_files) the valid small files of a 784-16-10 MLP named as the bomb's."""
    folder = saved_mlp(tmp_path, f"bomb-{kind}-{with_small_files}")
    data = read_json(folder)
    data["architecture"] = ARCH_BOMBS[kind]
    if not with_small_files:
        data["parameters"] = {}
        for npy in folder.glob("*.npy"):
            npy.unlink()
    write_json(folder, data)
    return folder


@pytest.mark.parametrize("kind", sorted(ARCH_BOMBS))
@pytest.mark.parametrize("with_small_files", [False, True])
def test_architecture_bombs_without_their_weights_are_refused_before_building(
        tmp_path, digit_png, small_test_set, kind, with_small_files):
    folder = arch_bomb(tmp_path, kind, with_small_files)
    tracemalloc.start()  # NumPy reports its allocations to tracemalloc
    try:
        with pytest.raises(ModelError, match="parameters (missing|unexpected)"):
            load_model(folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000, peak  # building it allocated 1.2 GB (wide) or 2 GB (deep)
    assert_cli_refuses(folder, digit_png, small_test_set, "model.json", "layer 0")


def test_a_model_is_built_without_random_initialisation_when_loaded(tmp_path, monkeypatch):
    folder = saved_mlp(tmp_path)
    drawn = []
    real = np.random.default_rng

    class Counting:  # a generator that notes every normal draw
        def __init__(self, *args):
            self.generator = real(*args)

        def standard_normal(self, *args, **kwargs):
            drawn.append(args)
            return self.generator.standard_normal(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.generator, name)

    monkeypatch.setattr(np.random, "default_rng", Counting)
    Sequential.from_config(mlp_config([16]))
    assert drawn  # the check sees random initialisation
    drawn.clear()
    model, _ = load_model(folder)
    assert drawn == []  # every weight comes from its file
    assert np.abs(model.named_parameters()["layers.0.W"]).sum() > 0


def test_unexpected_parameter_names_are_listed_briefly(tmp_path):
    folder = saved_mlp(tmp_path)
    data = read_json(folder)
    for i in range(20_000):
        data["parameters"][f"x.{i}"] = {"file": "x.npy"}
    write_json(folder, data)
    with pytest.raises(ModelError, match="and 19,995 more") as info:
        load_model(folder)
    assert len(str(info.value)) < 500


def test_the_parameter_cap_is_far_above_what_the_train_tab_makes():
    from digitapp.app.architectures import build
    from digitapp.engine.model import MAX_STORED_VALUES

    shipped, _ = open_model()
    cnn = build("cnn", [], 0.3, seed=0)
    assert shipped.num_parameters() < cnn.num_parameters() < MAX_STORED_VALUES // 100
    big = Sequential.from_config({"input_shape": [784], "layers": [
        {"type": "dense", "units": 8192}, {"type": "dense", "units": 8192},
        {"type": "dense", "units": 10}]})  # 74 M: a big MLP still builds
    assert big.num_parameters() > 70_000_000


def test_a_200_gb_sparse_weight_file_is_refused_without_reading_it(tmp_path, digit_png,
                                                                   small_test_set):
    folder = saved_mlp(tmp_path)
    with open(folder / "layers.0.W.npy", "r+b") as f:
        f.truncate(200 * 10**9)  # sparse: no disk used; its SHA-256 would take minutes
    hashed = []  # refused from its size: its values never read nor hashed (minutes)
    real_read = npy_file._read_values
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(npy_file, "_read_values", lambda f, end, target, path: (
            hashed.append(os.fspath(path)) or real_read(f, end, target, path)))
        with pytest.raises(ModelError, match=r"layers\.0\.W\.npy: 200,000,000,000 bytes"):
            load_model(folder)
    assert not any(name.endswith("layers.0.W.npy") for name in hashed), hashed
    assert assert_cli_refuses(folder, digit_png, small_test_set, "layers.0.W.npy") < 60


def test_a_symbolic_link_out_of_the_folder_is_not_followed(tmp_path):
    folder = saved_mlp(tmp_path)
    outside = tmp_path / "elsewhere.npy"
    shutil.move(folder / "layers.0.b.npy", outside)  # same bytes, same SHA-256
    (folder / "layers.0.b.npy").symlink_to(outside)
    with pytest.raises(ModelError, match=r"layers\.0\.b\.npy: a symbolic link"):
        load_model(folder)


@pytest.mark.parametrize("name", ["layers.0.b.npy", "model.json"])
def test_a_fifo_in_the_folder_is_refused_without_blocking(tmp_path, digit_png, small_test_set,
                                                          name):
    folder = saved_mlp(tmp_path)
    (folder / name).unlink()
    os.mkfifo(folder / name)  # nobody writes: reading it would wait forever
    with pytest.raises(ModelError, match=f"{name}: not a regular file"):
        load_model(folder)
    assert_cli_refuses(folder, digit_png, small_test_set, name, "not a regular file")


@pytest.mark.parametrize("make", ["a file", "model.json a folder", "latin-1", "nul in path"])
def test_the_loader_raises_only_model_error(tmp_path, make):
    folder = saved_mlp(tmp_path)
    if make == "a file":
        shutil.rmtree(folder)
        folder.write_bytes(b"\x93NUMPY")
    elif make == "model.json a folder":
        (folder / "model.json").unlink()
        (folder / "model.json").mkdir()
    elif make == "latin-1":
        (folder / "model.json").write_bytes('{"format": "digitapp-modèle"}'.encode("latin-1"))
    else:
        folder = str(folder) + "\0x"
    with pytest.raises(ModelError):
        open_model(folder)


# -- 4. models that load but compute garbage ---------------------------------------------------
def test_huge_finite_weights_are_refused_as_unusable(tmp_path, digit_png, small_test_set):
    folder = saved_mlp(tmp_path)
    forge(folder, "layers.0.W",
          lambda path: np.save(path, np.full((784, 16), 3e38, dtype=np.float32)))
    model, _ = load_model(folder)  # finite weights: the engine has nothing to object to
    with pytest.raises(ModelError, match="non-finite outputs"):
        open_model(folder)  # but no digit model computes inf
    gray = load_mnist("test").images[0] / 255.0
    with pytest.raises(ModelError, match="non-finite outputs"):
        classify_image(model, gray)  # if one got through anyway, every use refuses it
    test = load_mnist("test")
    with pytest.raises(ModelError, match="non-finite outputs"):
        evaluate_dataset(model, Dataset(test.images[:20], test.labels[:20]))
    assert_cli_refuses(folder, digit_png, small_test_set, "non-finite outputs")


def test_negative_batchnorm_variance_is_refused(tmp_path, digit_png, small_test_set):
    folder = save_model(Sequential.from_config(BN_MLP, seed=1), tmp_path / "bn")
    forge(folder, "layers.1.running_var",
          lambda path: np.save(path, np.full(8, -1.0, dtype=np.float32)))
    with pytest.raises(ModelError, match=r"layers\.1\.running_var\.npy: negative BatchNorm"):
        load_model(folder)
    assert_cli_refuses(folder, digit_png, small_test_set, "running_var", "negative")


def test_a_model_without_10_outputs_is_refused(tmp_path, digit_png, small_test_set):
    folder = saved_mlp(tmp_path, classes=20)
    with pytest.raises(ModelError, match=r"outputs of shape \(20,\).*10"):
        open_model(folder)
    assert_cli_refuses(folder, digit_png, small_test_set, "10 (one per digit)")


# -- loading while the folder is replaced ------------------------------------------------------
def exchange(a, b) -> None:
    """Swap two directories atomically, as a save does (engine/folder_rename.py)."""
    assert folder_rename.exchange(a, b), "this system cannot exchange folders"


@pytest.mark.skipif(not hasattr(ctypes.CDLL(None), "renameat2"), reason="Linux only")
def test_a_load_racing_a_replace_never_reports_damage(tmp_path):
    templates = [save_model(Sequential.from_config(mlp_config([units]), seed=units),
                            tmp_path / f"template-{units}")
                 for units in (4, 8, 32)]
    configs = {json.dumps(load_model(t)[0].config()) for t in templates}
    target = tmp_path / "model"
    shutil.copytree(templates[0], target)
    stop, replaced, errors = threading.Event(), [0], []

    def replace_in_a_loop():
        # What saving over a model does: a new folder beside, swapped in, the old one removed.
        while not stop.is_set():
            new = tmp_path / ".model.new"
            shutil.copytree(templates[replaced[0] % len(templates)], new)
            exchange(new, target)
            shutil.rmtree(new)  # now the old model
            replaced[0] += 1

    thread = threading.Thread(target=replace_in_a_loop)
    thread.start()
    loads = 0
    try:
        deadline = time.perf_counter() + 4.0
        while time.perf_counter() < deadline:
            try:
                model, _ = load_model(target)
                assert json.dumps(model.config()) in configs
            except Exception as exc:  # noqa: BLE001 - every failure is the defect
                errors.append(repr(exc))
            loads += 1
    finally:
        stop.set()
        thread.join()
    assert replaced[0] > 100 and loads > 100, (replaced[0], loads)
    assert errors == [], errors[:5]


# -- the GUI -----------------------------------------------------------------------------------
def hostile_folders(tmp_path):
    """Return {kind: folder} of hostile models the GUI must refuse."""
    nested = saved_mlp(tmp_path, "nested")
    (nested / "model.json").write_text("[" * 100_000 + "]" * 100_000)
    huge = saved_mlp(tmp_path, "huge-weights")
    forge(huge, "layers.0.W",
          lambda path: np.save(path, np.full((784, 16), 3e38, dtype=np.float32)))
    twenty = saved_mlp(tmp_path, "twenty-classes", classes=20)
    fifo = saved_mlp(tmp_path, "fifo")
    (fifo / "layers.0.b.npy").unlink()
    os.mkfifo(fifo / "layers.0.b.npy")
    sparse = saved_mlp(tmp_path, "sparse")
    with open(sparse / "layers.0.W.npy", "r+b") as f:
        f.truncate(200 * 10**9)
    return {"nested": nested, "huge": huge, "twenty": twenty, "fifo": fifo, "sparse": sparse,
            "wide-bomb": arch_bomb(tmp_path, "wide"),
            "deep-bomb": arch_bomb(tmp_path, "deep", with_small_files=True)}


GUI_START = """
import sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication(["digitapp"])
from digitapp.gui.app import configure_application
configure_application(app)
from digitapp.gui.model_choice import MODEL_KEY
from digitapp.app.model_refs import model_ref
QSettings().setValue(MODEL_KEY, model_ref(sys.argv[1]))
from digitapp.gui.app import build_main_window
window = build_main_window()
print(window.active_model.snapshot.name)
print(window.draw_tab.ui.message.text())
QSettings().remove(MODEL_KEY)
"""


@pytest.mark.parametrize("kind", sorted(ARCH_BOMBS))
def test_a_remembered_architecture_bomb_starts_the_app_on_the_shipped_model_under_the_cap(
        tmp_path, kind):
    """In its own process capped at 500 MB, as the app would run on a small machine: the
    bomb used to eat the memory the shipped model then needed (MemoryError on the cnn)."""
    import subprocess
    import sys

    from hostile import MEMORY_LIMIT, _cap_memory

    folder = arch_bomb(tmp_path, kind, with_small_files=kind == "deep")
    done = subprocess.run([sys.executable, "-c", GUI_START, str(folder)], capture_output=True,
                          text=True, timeout=120, preexec_fn=_cap_memory(MEMORY_LIMIT),
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-2000:]
    name, message = done.stdout.splitlines()[:2]
    assert name == DEFAULT_MODEL
    assert "could not be loaded" in message and folder.name in message, message


def assert_the_app_starts_on_the_shipped_model(qtbot, folders: dict) -> None:
    """For each remembered model folder in `folders` (kind -> folder), a new main window
    starts on the shipped model and says why the remembered one was not used."""
    from PySide6.QtCore import QSettings

    from digitapp.app.model_refs import model_ref
    from digitapp.gui.app import build_main_window
    from digitapp.gui.model_choice import MODEL_KEY

    try:
        for kind, folder in folders.items():
            QSettings().setValue(MODEL_KEY, model_ref(folder))
            window = build_main_window()
            qtbot.addWidget(window)
            tab = window.draw_tab
            assert tab.active_model.snapshot.name == DEFAULT_MODEL, kind
            assert "could not be loaded" in tab.ui.message.text(), kind
            assert folder.name in tab.ui.message.text(), kind
            window.close()
    finally:
        QSettings().remove(MODEL_KEY)


def test_a_remembered_model_that_became_hostile_does_not_stop_the_app(qtbot, tmp_path):
    assert_the_app_starts_on_the_shipped_model(qtbot, hostile_folders(tmp_path))


def test_choosing_a_hostile_model_keeps_the_previous_one(qtbot, tmp_path, fresh_main_window):
    from PySide6.QtWidgets import QMessageBox

    window = fresh_main_window(900, 700)
    tab = window.draw_tab
    before = tab.active_model.snapshot
    for kind, folder in hostile_folders(tmp_path).items():
        tab.use_model(folder)
        boxes = tab.findChildren(QMessageBox, "drawWarning")
        assert boxes and boxes[-1].isVisible(), kind
        assert folder.name in boxes[-1].text() and f"Still using {DEFAULT_MODEL}" in \
            boxes[-1].text(), kind
        for box in boxes:
            box.close()
            box.deleteLater()
        assert tab.active_model.snapshot is before, kind


def test_a_model_gone_bad_after_loading_gives_a_message_in_the_draw_tab(qtbot, tmp_path,
                                                                        fresh_main_window):
    from digitapp.gui.active_model import ModelSnapshot
    from testkit.mouse_drawing import draw, on_sheet
    from testkit.stroke_digits import TEMPLATES

    window = fresh_main_window(900, 700)
    tab = window.draw_tab
    model, manifest = open_model()
    model.params.values[...] = 3e38  # as if weights had been loaded unchecked
    tab.active_model._snapshot = ModelSnapshot(model, manifest, tmp_path / "bad")
    draw(tab.ui.canvas, on_sheet(tab.ui.canvas, TEMPLATES[7][0], 0.6))
    tab.predict_now()
    assert tab.last_prediction is None
    assert "non-finite outputs" in tab.ui.verdict_label.text()


def test_the_probability_chart_shows_nothing_for_a_vector_that_is_not_10_finite_values(qtbot):
    from digitapp.gui.probability_chart import ProbabilityChart

    chart = ProbabilityChart()
    qtbot.addWidget(chart)
    chart.show()
    for bad in (np.full(20, 0.05), np.full(10, np.nan), np.full(10, np.inf), np.ones((2, 10))):
        chart.show_probabilities(bad)
        chart.repaint()  # painting 20 bars on a 10-bar axis crashed the process
        assert chart.winner is None and chart.probabilities.shape == (10,)
    good = np.eye(10)[3]
    chart.show_probabilities(good)
    assert chart.winner == 3


@pytest.mark.parametrize("eps", [1e-45, 1e-20, 0.0])
def test_a_batchnorm_eps_too_small_to_be_sane_is_refused(tmp_path, digit_png, small_test_set,
                                                        eps):
    folder = save_model(Sequential.from_config(BN_MLP, seed=1), tmp_path / "bn")
    forge(folder, "layers.1.running_var",
          lambda path: np.save(path, np.zeros(8, dtype=np.float32)))
    data = read_json(folder)
    data["architecture"]["layers"][1]["eps"] = eps
    write_json(folder, data)
    with pytest.raises(ModelError, match="eps must be in"):
        load_model(folder)
    assert_cli_refuses(folder, digit_png, small_test_set, "model.json", "eps")
    data["architecture"]["layers"][1]["eps"] = 1e-5  # the usual value: loads
    write_json(folder, data)
    load_model(folder)


# -- parameter entries that are not objects naming a file -------------------------------------
BAD_ENTRIES = {"a list": [1], "a string": "x", "no file": {"sha256": "0" * 64},
               "file not a string": {"file": 7}}


def bad_entry_folder(tmp_path, kind):
    folder = saved_mlp(tmp_path, f"entry-{kind.replace(' ', '-')}")
    data = read_json(folder)
    data["parameters"]["layers.0.W"] = BAD_ENTRIES[kind]
    write_json(folder, data)
    return folder


@pytest.mark.parametrize("kind", sorted(BAD_ENTRIES))
def test_a_parameter_entry_without_a_file_name_is_refused(tmp_path, digit_png, small_test_set,
                                                          kind):
    folder = bad_entry_folder(tmp_path, kind)
    with pytest.raises(ModelError, match="'layers.0.W' has no file name"):
        load_model(folder)
    with pytest.raises(ModelError):
        open_model(folder)
    outcome = run_cli("predict", digit_png, "--model", folder, timeout=60)
    assert_clean_failure(outcome, "layers.0.W", "no file name")


@pytest.mark.parametrize("error", [KeyError, TypeError, ValueError, IndexError, AttributeError])
def test_an_error_no_check_foresaw_becomes_one_model_error_naming_the_folder(
        tmp_path, monkeypatch, error):

    folder = saved_mlp(tmp_path)

    def unforeseen(opened):
        raise error("unforeseen")

    monkeypatch.setattr(model_load, "_load", unforeseen)
    with pytest.raises(ModelError, match=f"{folder}: not a usable model folder") as caught:
        load_model(folder)
    assert "\n" not in str(caught.value)


def test_a_remembered_model_with_a_bad_parameter_entry_does_not_stop_the_app(qtbot, tmp_path):
    assert_the_app_starts_on_the_shipped_model(
        qtbot, {kind: bad_entry_folder(tmp_path, kind) for kind in sorted(BAD_ENTRIES)})
