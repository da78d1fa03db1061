"""Model folders: round trip, atomic replace, and rejection of tampered files."""

import json
import pickle

import numpy as np
import pytest

from digitapp.app.architectures import build
from digitapp.engine import ModelError, load_model, save_model
from digitapp.engine.serialize import sha256_file


@pytest.fixture
def saved(tmp_path):
    model = build("mlp", [16, 8], dropout=0.1, seed=2)
    folder = save_model(model, tmp_path / "m", {"metrics": {"test_accuracy": 0.5}})
    return model, folder


def manifest(folder):
    return json.loads((folder / "model.json").read_text())


def write_manifest(folder, data):
    (folder / "model.json").write_text(json.dumps(data))


def forge(folder, name, write):
    """Replace parameter `name`'s file via write(path) and fix its checksum in model.json,
    so that only the other checks (shape, dtype, pickles, truncation) can catch it."""
    path = folder / f"{name}.npy"
    write(path)
    data = manifest(folder)
    data["parameters"][name]["sha256"] = sha256_file(path)
    write_manifest(folder, data)


def test_round_trip_gives_identical_predictions(saved):
    model, folder = saved
    loaded, meta = load_model(folder)
    assert meta["metrics"]["test_accuracy"] == 0.5
    assert loaded.config() == model.config()
    x = np.random.default_rng(0).random((5, 784), dtype=np.float32)
    np.testing.assert_array_equal(loaded.predict_proba(x), model.predict_proba(x))
    entry = meta["parameters"]["layers.0.W"]
    assert entry["shape"] == [784, 16] and entry["dtype"] == "float32"
    assert entry["sha256"] == sha256_file(folder / entry["file"])
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["model.json"] + [f"{n}.npy" for n in model.named_parameters()]
    )


def test_saving_over_an_existing_model_replaces_it_and_leaves_no_temporaries(saved, tmp_path):
    _, folder = saved
    other = build("mlp", [4], dropout=0.0, seed=9)
    save_model(other, folder)
    assert load_model(folder)[0].config() == other.config()
    assert [p.name for p in tmp_path.iterdir()] == ["m"]


def test_a_failed_save_keeps_the_old_model(saved, tmp_path, monkeypatch):
    model, folder = saved
    import digitapp.engine.model_write as model_write  # writes the files of a save

    def broken_dump(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(model_write.json, "dump", broken_dump)
    with pytest.raises(OSError):
        save_model(build("mlp", [4], dropout=0.0, seed=0), folder)
    monkeypatch.undo()
    assert load_model(folder)[0].config() == model.config()
    assert [p.name for p in tmp_path.iterdir()] == ["m"]


def test_wrong_checksum_is_rejected_naming_the_file(saved):
    _, folder = saved
    path = folder / "layers.0.b.npy"
    arr = np.load(path)
    arr[0] += 1.0
    np.save(path, arr)
    with pytest.raises(ModelError, match=r"layers\.0\.b\.npy: checksum mismatch"):
        load_model(folder)


def test_wrong_shape_is_rejected_even_with_a_matching_checksum(saved):
    _, folder = saved
    forge(folder, "layers.0.b", lambda path: np.save(path, np.zeros(17, dtype=np.float32)))
    with pytest.raises(ModelError, match=r"layers\.0\.b\.npy: shape \(17,\)"):
        load_model(folder)


def test_object_array_is_refused_without_unpickling(saved):
    _, folder = saved
    forge(folder, "layers.0.b",
          lambda path: np.save(path, np.array([object()] * 3, dtype=object), allow_pickle=True))
    with pytest.raises(ModelError, match="not a plain numeric array"):
        load_model(folder)


class Boom:
    def __reduce__(self):
        return (pytest.fail, ("unpickling ran code from a model file",))


def test_a_pickle_posing_as_npy_is_never_executed(saved):
    _, folder = saved
    forge(folder, "layers.0.W", lambda path: path.write_bytes(pickle.dumps(Boom())))
    with pytest.raises(ModelError, match=r"layers\.0\.W\.npy"):
        load_model(folder)


def test_wrong_dtype_is_rejected(saved):
    _, folder = saved
    forge(folder, "layers.0.b", lambda path: np.save(path, np.zeros(16, dtype=np.float64)))
    with pytest.raises(ModelError, match="float32"):
        load_model(folder)


@pytest.mark.parametrize(
    "edit,message",
    [
        (lambda d: d.update(format_version=99), "format version 99"),
        (lambda d: d.update(format="other"), "not a digitapp model"),
        (lambda d: d["architecture"]["layers"].append({"type": "lstm"}), "unknown layer"),
        (lambda d: d["architecture"].update(input_shape="big"), "input_shape"),
        (lambda d: d["parameters"].pop("layers.0.W"), "missing"),
        (lambda d: d["parameters"]["layers.0.W"].update(file="../../etc/passwd"),
         "bad file name"),
        (lambda d: d["architecture"]["layers"][0].update(units=10**9), "units"),
    ],
)
def test_bad_manifests_are_rejected_with_one_line(saved, edit, message):
    _, folder = saved
    data = manifest(folder)
    edit(data)
    write_manifest(folder, data)
    with pytest.raises(ModelError, match=message) as info:
        load_model(folder)
    assert "\n" not in str(info.value)
    assert "model.json" in str(info.value)


def test_missing_and_non_json_and_missing_files(saved, tmp_path):
    _, folder = saved
    with pytest.raises(ModelError, match="no such model folder"):
        load_model(tmp_path / "nope")
    (folder / "layers.3.W.npy").unlink()
    with pytest.raises(ModelError, match=r"layers\.3\.W\.npy: missing"):
        load_model(folder)
    (folder / "model.json").write_text("{not json")
    with pytest.raises(ModelError, match="not valid JSON"):
        load_model(folder)
    (folder / "model.json").unlink()
    with pytest.raises(ModelError, match="model.json: missing"):
        load_model(folder)


def test_truncated_npy_is_rejected(saved):
    _, folder = saved
    forge(folder, "layers.0.W", lambda path: path.write_bytes(path.read_bytes()[:200]))
    with pytest.raises(ModelError, match=r"layers\.0\.W\.npy"):
        load_model(folder)
