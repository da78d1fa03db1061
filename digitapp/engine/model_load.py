"""Loading a model folder (see serialize.py for the format) as if it were hostile.

Everything is checked before it is used or allocated from:
- model.json (model_manifest.py): at most 1 MB, valid UTF-8 JSON nested at most 64 deep,
  and an architecture whose total size is computed and capped before any layer is built
  (Sequential.from_config);
- each .npy (npy_file.py): opened relative to the folder without following symbolic links,
  a regular file (model_folder.py), its header (never np.load) giving float32 values of
  exactly the architecture's shape, the file's size exactly header + values (a 200 GB
  sparse file is refused before one byte is hashed), then its SHA-256; then (here) finite
  values, and BatchNorm variances not negative.

The folder is opened once and every file is read relative to that directory, so a load
never mixes files of two versions of a model. If a file goes missing or changes while the
folder's path has meanwhile been switched to another directory (a model saved again over
this one: model_save.py), the whole load starts again from the new directory
instead of reporting damage. Every problem ends as ModelError with one line naming the file.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numpy as np

from .model import Sequential, checked_architecture
from .model_folder import OpenedFolder
from .model_format import MANIFEST, ModelError, is_parameter_file
from .model_manifest import manifest_in
from .npy_file import CHUNK, array_shape, read_array

# Tries of a load while its folder keeps being replaced under it. Saving a small model over
# another takes about as long as loading it (2 ms each here), so a loader racing a saver in
# a loop lost ten tries in a row now and then (tests/test_model_hostile.py); a hundred in a
# row does not happen, and a load that is not raced never needs a second try.
LOAD_ATTEMPTS = 100
# Arrays one layer may store: the most any layer kind has is 4 (BatchNorm: gamma, beta and
# the running mean and variance); a manifest claiming more is not checked file by file.
MAX_ARRAYS_PER_LAYER = 8
LISTED = 5  # names an error message lists before "and N more"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_model(folder: str | Path) -> tuple[Sequential, dict]:
    """Return (model, manifest) from a model folder, verifying every file; raise ModelError.

    Only ever raises ModelError (for bad content, unreadable files, a folder too large or too
    deeply nested to load; any other content error escaping the checks becomes one too).
    """
    folder = Path(folder)
    for attempt in range(1, LOAD_ATTEMPTS + 1):
        opened = OpenedFolder(folder)
        try:
            return _load(opened)
        except ModelError:
            if attempt == LOAD_ATTEMPTS or not opened.replaced():
                raise
            # The folder was replaced while we read it (saved again): read the new one.
        except (MemoryError, RecursionError) as exc:
            raise ModelError(f"{folder}: too large or too deeply nested to load "
                             f"({type(exc).__name__})") from None
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            # Last line of defence: a manifest shaped in a way no check foresaw is still
            # a bad model folder, never a traceback.
            raise ModelError(f"{folder}: not a usable model folder "
                             f"({type(exc).__name__}: {str(exc)[:120]})") from None
        finally:
            opened.close()
    raise AssertionError("unreachable")


def _load(opened: OpenedFolder) -> tuple[Sequential, dict]:
    """Check the architecture, then every file's header and size against it, and only then
    build the model: a 200-byte model.json asking for 400 MB of weights without the files
    holding them is refused having allocated nothing (a model is built, and its weights
    allocated, only once files of that total size are known to be there)."""
    manifest = manifest_in(opened)
    manifest_path = opened.path / MANIFEST
    try:
        layers, input_shape = checked_architecture(manifest.get("architecture"))
    except (ValueError, TypeError, OverflowError) as exc:
        raise ModelError(f"{manifest_path}: bad architecture: {exc}") from None
    entries = manifest["parameters"]
    _check_files(opened, entries, layers, input_shape)
    # Every weight is read from its file next: no random initialisation.
    model = Sequential(layers, input_shape, initialise=False)
    expected = model.named_arrays()
    if set(entries) != set(expected):
        missing = sorted(set(expected) - set(entries))
        extra = sorted(set(entries) - set(expected))
        raise ModelError(f"{manifest_path}: parameters do not match the architecture "
                         f"(missing {listed(missing)}; unexpected {listed(extra)})")
    for name, target in expected.items():
        _read_parameter(opened, name, entries[name], target)
    _check_statistics(model, opened.path, entries)
    return model, manifest


def listed(names: list[str]) -> str:
    """Return names for a one-line message: the first LISTED, then "and N more"."""
    if not names:
        return "none"
    shown = ", ".join(repr(n[:80]) for n in names[:LISTED])
    return shown + (f" and {len(names) - LISTED:,} more" if len(names) > LISTED else "")


def _check_files(opened: OpenedFolder, entries: dict, layers, input_shape) -> None:
    """Check, before anything is built, that the files of the manifest's entries hold
    exactly the values each layer stores (from the layers' plans: nothing allocated).

    Entries are "layers.<index>.<key>"; each file's header must give float32 values and the
    file's size exactly header + values. Layer by layer the values must add up to what the
    layer stores; the exact names and shapes are checked against the built model after.
    """
    manifest_path = opened.path / MANIFEST
    stored, shape = [], tuple(input_shape)
    for layer in layers:
        shape, values, _ = layer.plan(shape)
        stored.append(values)
    by_layer: dict[int, list[str]] = {}
    unexpected = []
    for name in entries:
        parts = name.split(".") if isinstance(name, str) else []
        index = int(parts[1]) if (len(parts) == 3 and parts[0] == "layers"
                                  and parts[1].isascii() and parts[1].isdigit()
                                  and len(parts[1]) < 6) else -1
        if 0 <= index < len(layers) and stored[index]:
            by_layer.setdefault(index, []).append(name)
        else:
            unexpected.append(name)
    if unexpected:
        raise ModelError(f"{manifest_path}: parameters do not match the architecture "
                         f"(unexpected {listed(sorted(unexpected))})")
    for index, values in enumerate(stored):
        names = by_layer.get(index, [])
        if values and not names:
            raise ModelError(f"{manifest_path}: parameters missing for layer {index} "
                             f"({layers[index].kind})")
        if len(names) > MAX_ARRAYS_PER_LAYER:
            raise ModelError(f"{manifest_path}: parameters do not match the architecture "
                             f"({len(names):,} arrays for layer {index}; unexpected "
                             f"{listed(sorted(names))})")
        shapes = {}
        for name in names:
            # _entry_file checks the entry (an object naming a .npy file) before it is used.
            filename = _entry_file(opened, name, entries[name])
            shapes[filename] = array_shape(opened, filename)
        found = sum(math.prod(shape) for shape in shapes.values())
        if found != values:
            problem = "missing" if found < values else "unexpected"
            files = "; ".join(f"{file}: shape {shape}" for file, shape in shapes.items())
            raise ModelError(f"{manifest_path}: parameters {problem} for layer {index} "
                             f"({layers[index].kind}): it stores {values:,} values, its "
                             f"files hold {found:,} ({files})")


def _entry_file(opened: OpenedFolder, name: str, entry) -> str:
    """Return the file name of a manifest entry: a plain name ending .npy inside the folder."""
    manifest_path = opened.path / MANIFEST
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
        raise ModelError(f"{manifest_path}: entry for {name!r} has no file name")
    filename = entry["file"]
    if not is_parameter_file(filename):
        raise ModelError(f"{manifest_path}: bad file name {filename[:80]!r} for {name!r}")
    return filename


def _read_parameter(opened: OpenedFolder, name: str, entry, target: np.ndarray) -> None:
    """Fill `target` (a view into the model's parameters) from the entry's .npy file and
    refuse NaN or infinite values."""
    filename = _entry_file(opened, name, entry)
    read_array(opened, filename, entry.get("sha256"), target)
    if not np.isfinite(target).all():
        raise ModelError(f"{opened.path / filename}: contains NaN or infinite values")


def _check_statistics(model: Sequential, folder: Path, entries: dict) -> None:
    """Refuse BatchNorm running variances below zero (inference takes their square root)."""
    for index, layer in enumerate(model.layers):
        variances = layer.buffers.get("running_var")
        if variances is not None and (variances < 0).any():
            name = entries[f"layers.{index}.running_var"]["file"]
            raise ModelError(f"{folder / name}: negative BatchNorm variances (a variance "
                             "cannot be below 0)")
