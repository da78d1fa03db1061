"""Saving model folders: only a model is ever replaced, in one step, and a crash at any point
leaves the old model or the new one at the target; leftovers are the app's own, and only
those are cleaned up (digitapp/engine/model_save.py, save_leftovers.py)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from digitapp.app.architectures import build
from digitapp.engine import (
    ModelError,
    folder_rename,
    load_model,
    model_save,
    model_target,
    model_write,
    save_model,
)
from digitapp.engine.model_save import DiskFull
from digitapp.engine.model_target import check_model_target
from digitapp.engine.save_leftovers import MARKER, clean_leftovers, is_save_folder_name

OLD = build("mlp", [16], dropout=0.0, seed=1)
NEW = build("mlp", [8], dropout=0.0, seed=2)


def config_at(folder: Path):
    """The architecture of the model at `folder` (loaded and verified)."""
    return load_model(folder)[0].config()


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def old_model(tmp_path):
    return save_model(OLD, tmp_path / "m", {"name": "old"})


# --- what may be replaced -----------------------------------------------------------------


def test_the_exchange_is_used_on_linux(tmp_path):
    if sys.platform.startswith("linux"):  # renameat2(RENAME_EXCHANGE): ext4, xfs, btrfs, tmpfs
        assert exchange_supported(tmp_path)


def test_replacing_a_model_switches_the_folder_and_leaves_no_leftovers(old_model, tmp_path):
    before = os.stat(old_model).st_ino
    save_model(NEW, old_model, {"name": "new"})
    assert config_at(old_model) == NEW.config()
    assert load_model(old_model)[1]["name"] == "new"
    assert names(tmp_path) == ["m"]
    # The contract with the loader: the path now names another folder (inode).
    assert os.stat(old_model).st_ino != before
    assert not any(p.name == MARKER for p in old_model.iterdir())


def test_a_folder_that_is_not_a_model_is_never_replaced(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "thesis.tex").write_text("hi")
    with pytest.raises(ModelError, match="not a digitapp model") as info:
        save_model(NEW, notes)
    assert "\n" not in str(info.value)
    assert names(notes) == ["thesis.tex"] and (notes / "thesis.tex").read_text() == "hi"
    assert names(tmp_path) == ["notes"]


def test_a_file_is_never_replaced(tmp_path):
    paper = tmp_path / "paper.tex"
    paper.write_text("text")
    with pytest.raises(ModelError, match="is a file"):
        save_model(NEW, paper)
    assert paper.read_text() == "text" and names(tmp_path) == ["paper.tex"]


def test_a_model_folder_holding_the_users_files_is_not_replaced(old_model, tmp_path):
    (old_model / "notes.txt").write_text("mine")
    with pytest.raises(ModelError, match=r"not part of the model \(notes\.txt\)"):
        save_model(NEW, old_model)
    assert (old_model / "notes.txt").read_text() == "mine"
    assert config_at(old_model) == OLD.config()


def test_another_programs_model_json_is_not_taken_for_a_model(tmp_path):
    tfjs = tmp_path / "web-model"
    tfjs.mkdir()
    (tfjs / "model.json").write_text(json.dumps({"format": "layers-model"}))
    (tfjs / "group1-shard1of1.bin").write_bytes(b"\0" * 16)
    with pytest.raises(ModelError, match="not a digitapp model description"):
        save_model(NEW, tfjs)
    assert names(tfjs) == ["group1-shard1of1.bin", "model.json"]


def test_a_symbolic_link_is_not_replaced(old_model, tmp_path):
    link = tmp_path / "latest"
    link.symlink_to(old_model)
    with pytest.raises(ModelError, match="symbolic link"):
        save_model(NEW, link)
    assert link.is_symlink() and config_at(old_model) == OLD.config()


@pytest.mark.parametrize("name", [".", ".."])
def test_the_current_or_a_parent_folder_is_refused(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(ModelError, match="folder name of its own"):
        check_model_target(name)
    with pytest.raises(ModelError):
        save_model(NEW, name)
    assert names(tmp_path) == ["keep.txt"]


def test_a_path_under_a_file_is_refused(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ModelError, match="is a file, not a folder"):
        check_model_target(tmp_path / "f" / "sub" / "m")
    assert (tmp_path / "f").read_text() == "x"


def test_new_folders_and_empty_folders_may_receive_a_model(tmp_path):
    assert check_model_target(tmp_path / "a" / "b" / "m") == tmp_path / "a" / "b" / "m"
    assert not (tmp_path / "a").exists()  # checking creates nothing
    (tmp_path / "empty").mkdir()
    save_model(NEW, tmp_path / "empty")
    assert config_at(tmp_path / "empty") == NEW.config()
    save_model(NEW, tmp_path / "a" / "b" / "m")
    assert config_at(tmp_path / "a" / "b" / "m") == NEW.config()


def make_unwritable(folder: Path, monkeypatch) -> None:
    """Make `folder` refuse new entries, also for root: chattr +i where it works (ext4 and
    others), chmod for other users, else (root on a file system without the immutable flag)
    the probe itself fails as the system would."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True) \
        if _has_chattr() else None
    if done is not None and done.returncode == 0:
        return
    monkeypatch.setattr(model_target, "probe_writable",
                        lambda f: "Permission denied" if Path(f) == folder else None)


def undo_unwritable(folder: Path) -> None:
    if os.geteuid() == 0 and _has_chattr():
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    folder.chmod(0o755)


def _has_chattr() -> bool:
    from shutil import which

    return which("chattr") is not None


def test_an_unwritable_place_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    make_unwritable(locked, monkeypatch)
    try:
        with pytest.raises(ModelError, match="cannot be saved there"):
            check_model_target(locked / "m")
        with pytest.raises(ModelError, match="cannot be saved there"):
            check_model_target(locked / "new" / "m")
    finally:
        undo_unwritable(locked)
    assert names(locked) == []


# --- a full disk ----------------------------------------------------------------------------


def fill_disk_after(monkeypatch, nbytes: int) -> None:
    """Make .npy writes fail with ENOSPC after `nbytes`, as a full disk does."""
    written = {"n": 0}
    real_write = model_write._HashingWriter.write

    def write(self, data):
        if written["n"] + len(data) > nbytes:
            raise OSError(errno.ENOSPC, "No space left on device")
        written["n"] += len(data)
        return real_write(self, data)

    monkeypatch.setattr(model_write._HashingWriter, "write", write)


def test_a_full_disk_says_so_and_keeps_the_old_model(old_model, tmp_path, monkeypatch):
    fill_disk_after(monkeypatch, 20_000)
    with pytest.raises(DiskFull) as info:
        save_model(NEW, old_model)
    message = str(info.value)
    assert "disk full, nothing was changed" in message and "existing model is intact" in message
    assert "requested" not in message and "\n" not in message
    assert isinstance(info.value, OSError) and info.value.errno == errno.ENOSPC
    assert isinstance(info.value, ModelError)
    monkeypatch.undo()
    assert config_at(old_model) == OLD.config()
    assert names(tmp_path) == ["m"]


def test_a_full_disk_at_fsync_without_an_old_model(tmp_path, monkeypatch):
    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(model_save.os, "fsync", fsync)
    with pytest.raises(DiskFull, match="disk full, the model was not saved"):
        save_model(NEW, tmp_path / "m")
    monkeypatch.undo()
    assert names(tmp_path) == []


# --- a failure or a crash at any step -------------------------------------------------------

EXCHANGE_STEPS = ["started", "written", "exchanged", "committed"]
FALLBACK_STEPS = ["started", "written", "old-moved", "new-moved", "committed"]


def exchange_supported(tmp_path: Path) -> bool:
    """Whether this system and file system can exchange two folders in one step."""
    (tmp_path / "probe-a").mkdir()
    (tmp_path / "probe-b").mkdir()
    try:
        return folder_rename.exchange(tmp_path / "probe-a", tmp_path / "probe-b")
    finally:
        (tmp_path / "probe-a").rmdir()
        (tmp_path / "probe-b").rmdir()


def needs_exchange(mode: str, tmp_path: Path) -> None:
    if mode == "exchange" and not exchange_supported(tmp_path):
        pytest.skip("no folder exchange here (Windows, or a file system without it): "
                    "the fallback's cases cover this system")


def no_exchange(monkeypatch) -> None:
    """As on Windows or a file system without RENAME_EXCHANGE / RENAME_NOREPLACE."""
    monkeypatch.setattr(folder_rename, "_call_rename", lambda a, b, which: False)


@pytest.mark.parametrize("mode,step", [("exchange", s) for s in EXCHANGE_STEPS]
                         + [("fallback", s) for s in FALLBACK_STEPS])
def test_an_error_at_any_step_leaves_a_whole_model_and_no_leftovers(
        old_model, tmp_path, monkeypatch, mode, step):
    needs_exchange(mode, tmp_path)
    if mode == "fallback":
        no_exchange(monkeypatch)
    seen = []

    def fail(name):
        seen.append(name)
        if name == step:
            raise RuntimeError(f"failed at {name}")

    monkeypatch.setattr(model_save, "_reached", fail)
    with pytest.raises(RuntimeError):
        save_model(NEW, old_model)
    assert step in seen
    assert config_at(old_model) in (OLD.config(), NEW.config())
    assert names(tmp_path) == ["m"]


CRASH = """
import os, sys
from digitapp.app.architectures import build
from digitapp.engine import folder_rename, model_save
step, mode, folder = sys.argv[1:4]
if mode == "fallback":
    folder_rename._call_rename = lambda a, b, which: False
def crash(name):
    if name == step:
        os._exit(17)  # no clean-up, no finally: as a power cut or a kill -9
model_save._reached = crash
model_save.save_model(build("mlp", [8], dropout=0.0, seed=2), folder)
"""


def crash_saving(folder: Path, step: str, mode: str) -> None:
    done = subprocess.run([sys.executable, "-c", CRASH, step, mode, str(folder)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    assert done.returncode == 17, done.stderr


@pytest.mark.parametrize("mode,step", [("exchange", s) for s in EXCHANGE_STEPS]
                         + [("fallback", s) for s in FALLBACK_STEPS])
def test_a_crash_at_any_step_leaves_the_old_or_the_new_model(old_model, tmp_path, mode, step):
    needs_exchange(mode, tmp_path)
    crash_saving(old_model, step, mode)
    if not (mode == "fallback" and step == "old-moved"):
        # With an exchange there is no moment without a model at the target.
        assert config_at(old_model) in (OLD.config(), NEW.config())
    # The next save or start cleans up; the fallback's one gap is closed by putting the
    # old model back.
    clean_leftovers(tmp_path)
    assert config_at(old_model) in (OLD.config(), NEW.config())
    if step in ("started", "written"):
        assert config_at(old_model) == OLD.config()
    if step in ("exchanged", "new-moved", "committed"):
        assert config_at(old_model) == NEW.config()
    assert names(tmp_path) == ["m"]


@pytest.mark.parametrize("step", ["started", "written", "committed"])
def test_a_crash_during_a_first_save_leaves_nothing_or_the_model(tmp_path, step):
    crash_saving(tmp_path / "m", step, "exchange")
    clean_leftovers(tmp_path)
    if step == "committed":
        assert names(tmp_path) == ["m"] and config_at(tmp_path / "m") == NEW.config()
    else:
        assert names(tmp_path) == []


def test_the_next_save_cleans_up_leftovers(old_model, tmp_path):
    crash_saving(old_model, "written", "exchange")
    assert len(names(tmp_path)) == 2
    save_model(NEW, old_model)
    assert names(tmp_path) == ["m"] and config_at(old_model) == NEW.config()


def test_a_save_in_progress_is_not_taken_for_a_leftover(old_model, tmp_path, monkeypatch):
    found = []

    def meanwhile(name):
        if name == "written":
            found.append(clean_leftovers(tmp_path))
            found.append(names(tmp_path))

    monkeypatch.setattr(model_save, "_reached", meanwhile)
    save_model(NEW, old_model)
    assert found[0] == [] and len(found[1]) == 2  # the save folder was left alone
    assert config_at(old_model) == NEW.config() and names(tmp_path) == ["m"]


def test_only_the_apps_own_marked_leftovers_are_removed(old_model, tmp_path):
    crash_saving(old_model, "written", "exchange")
    (leftover,) = [p for p in tmp_path.iterdir() if p.name != "m"]
    assert is_save_folder_name(leftover.name)
    # A user's folders that look like leftovers but carry no marker of ours.
    lookalike = tmp_path / ".m.0123abcd.digitapp-save"
    lookalike.mkdir()
    (lookalike / "thesis.tex").write_text("hi")
    old_style = tmp_path / ".m.old-123"
    old_style.mkdir()
    (old_style / "model.json").write_text("{}")
    # A marker copied from another save folder names that folder, not this one.
    copied = tmp_path / ".m.fedcba98.digitapp-save"
    copied.mkdir()
    (copied / MARKER).write_bytes((leftover / MARKER).read_bytes())
    (copied / "data.txt").write_text("mine")
    # A link named like a save folder.
    link = tmp_path / ".m.00000000.digitapp-save"
    link.symlink_to(leftover)

    removed = clean_leftovers(tmp_path)
    assert removed == [leftover]
    assert sorted(names(tmp_path)) == sorted(
        ["m", lookalike.name, old_style.name, copied.name, link.name])
    assert (lookalike / "thesis.tex").read_text() == "hi"
    assert (copied / "data.txt").read_text() == "mine"


# --- the model lists --------------------------------------------------------------------------


def test_user_models_never_lists_leftovers_or_hidden_folders(monkeypatch):
    from digitapp.app import models
    from digitapp.app.models import user_models
    from digitapp.paths import user_models_dir

    root = user_models_dir()
    made = []
    monkeypatch.setattr(models, "_cleaned_roots", set())  # as in a process just started
    try:
        mine = save_model(OLD, root / "save-test-mine")
        made.append(mine)
        crash_saving(mine, "written", "exchange")  # a leftover of ours, with a model.json
        leftovers = [p for p in root.iterdir() if is_save_folder_name(p.name)]
        assert leftovers and (leftovers[0] / "new" / "model.json").is_file()
        hidden = save_model(OLD, root / ".save-test-hidden.old-1")  # e.g. an older version's
        made.append(hidden)
        listed = user_models()
        assert mine in listed
        assert not any(p.name.startswith(".") for p in listed)
        assert not any(p.exists() for p in leftovers)  # cleaned up on the first listing
        assert hidden.exists()  # not ours to remove: it carries no marker
        # Later listings change nothing (the GUI thread lists often): a new leftover stays
        # until the next save (or the next process).
        crash_saving(mine, "written", "exchange")
        leftovers = [p for p in root.iterdir() if is_save_folder_name(p.name)]
        assert leftovers
        for _ in range(2):
            assert mine in user_models()
            assert all(p.exists() for p in leftovers)
        made.append(save_model(OLD, root / "save-test-next"))
        assert not any(p.exists() for p in leftovers)
    finally:
        import shutil

        for p in made:
            shutil.rmtree(p, ignore_errors=True)


def test_shipped_models_never_lists_hidden_folders(tmp_path, monkeypatch):
    import digitapp.app.models as models

    save_model(OLD, tmp_path / "cnn")
    save_model(OLD, tmp_path / ".cnn.1234abcd.digitapp-save")
    (tmp_path / "README").write_text("x")
    monkeypatch.setattr(models, "weights_path", lambda *parts: tmp_path.joinpath(*parts))
    assert models.shipped_models() == [tmp_path / "cnn"]


def test_the_fallback_puts_the_old_model_back_if_the_new_one_cannot_be_moved_in(
        old_model, tmp_path, monkeypatch):
    no_exchange(monkeypatch)
    real_rename = os.rename

    def rename(src, dst):
        if Path(src).name == "new":
            raise OSError(errno.EIO, "Input/output error", str(src))
        real_rename(src, dst)

    monkeypatch.setattr(model_save.os, "rename", rename)
    with pytest.raises(OSError, match="Input/output error"):
        save_model(NEW, old_model)
    monkeypatch.undo()
    assert config_at(old_model) == OLD.config()
    assert names(tmp_path) == ["m"]


@pytest.mark.parametrize("key", ["format", "format_version", "architecture", "parameters"])
def test_metadata_cannot_overwrite_the_model_description(tmp_path, key):
    folder = tmp_path / "model"
    with pytest.raises(ValueError, match=key):
        save_model(NEW, folder, {key: "forged", "name": "mine"})
    assert not folder.exists()  # refused before anything was written
    save_model(NEW, folder, {"name": "mine", "metrics": {"test_accuracy": 0.9}})
    _, manifest = load_model(folder)
    assert manifest["name"] == "mine" and manifest["format"] == "digitapp-model"


def test_folder_problem_probes_for_real_where_os_access_says_yes(monkeypatch):
    """os.access says yes to root almost everywhere; the check creates a folder to know."""
    from digitapp.paths import folder_problem

    monkeypatch.setattr(os, "access", lambda *args, **kwargs: True)  # as for root
    assert folder_problem(Path("/proc/1")) is not None  # no folder can be made in it


def test_folder_problem_accepts_a_writable_folder_and_leaves_no_probe(tmp_path):
    from digitapp.paths import folder_problem

    assert folder_problem(tmp_path / "new") is None
    assert (tmp_path / "new").is_dir() and os.listdir(tmp_path / "new") == []
