"""Model folders: model.json plus one .npy per parameter, saved atomically, loaded safely.

    mlp-512/
      model.json          format version, architecture, preprocessing, training config,
                          metrics, and for every parameter its file, shape, dtype and SHA-256
      layers.0.W.npy      one array per parameter (np.save; loaded with allow_pickle=False)
      ...

Loading verifies everything before a single weight is used: the JSON's structure, every
file's SHA-256, the arrays' dtype and shape against the architecture. Any problem raises
ModelError with one line naming the file and what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from .model import Sequential

FORMAT_VERSION = 1
MANIFEST = "model.json"
MAX_MANIFEST_BYTES = 1_000_000


class ModelError(ValueError):
    """A model folder that cannot be used, with a one-line reason naming the file."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save_model(model: Sequential, folder: str | Path, metadata: dict | None = None) -> Path:
    """Write `model` to `folder` atomically and return the folder's path.

    Everything is written into a temporary sibling folder, flushed to disk, then renamed
    into place, so a crash or a full disk leaves either the old model or the new one, never
    half of one. `metadata` (preprocessing, training config, metrics, ...) goes in model.json.
    """
    folder = Path(folder)
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=parent))
    try:
        entries = {}
        for name, array in model.named_arrays().items():
            filename = f"{name}.npy"
            path = tmp / filename
            with open(path, "wb") as f:
                np.save(f, np.ascontiguousarray(array), allow_pickle=False)
                f.flush()
                os.fsync(f.fileno())
            entries[name] = {
                "file": filename,
                "shape": list(array.shape),
                "dtype": str(array.dtype),
                "sha256": sha256_file(path),
            }
        manifest = {
            "format": "digitapp-model",
            "format_version": FORMAT_VERSION,
            "architecture": model.config(),
            "parameters": entries,
            **(metadata or {}),
        }
        with open(tmp / MANIFEST, "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=2, sort_keys=False, default=_json_default)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        _replace_folder(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def _replace_folder(new: Path, target: Path) -> None:
    """Move `new` to `target`; an existing target is swapped out and removed afterwards."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    os.replace(new, target)
    _fsync_dir(target.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # e.g. Windows cannot open folders; the rename is still atomic there
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__} in model.json")


def read_manifest(folder: str | Path) -> dict:
    """Return model.json of a model folder, checked for structure; raise ModelError."""
    folder = Path(folder)
    path = folder / MANIFEST
    if not folder.exists():
        raise ModelError(f"{folder}: no such model folder")
    if not folder.is_dir():
        raise ModelError(f"{folder}: a model is a folder containing {MANIFEST}")
    if not path.is_file():
        raise ModelError(f"{path}: missing (is {folder} a model folder?)")
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise ModelError(f"{path}: too large to be a model description")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != "digitapp-model":
        raise ModelError(f"{path}: not a digitapp model description")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelError(f"{path}: format version {version!r} is not supported "
                         f"(this digitapp reads version {FORMAT_VERSION})")
    if not isinstance(manifest.get("parameters"), dict):
        raise ModelError(f"{path}: 'parameters' is missing or not an object")
    return manifest


def load_model(folder: str | Path) -> tuple[Sequential, dict]:
    """Return (model, manifest) from a model folder, verifying every file; raise ModelError."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    manifest_path = folder / MANIFEST
    try:
        model = Sequential.from_config(manifest.get("architecture"))
    except (ValueError, TypeError) as exc:
        raise ModelError(f"{manifest_path}: bad architecture: {exc}") from None
    entries = manifest["parameters"]
    expected = model.named_arrays()
    if set(entries) != set(expected):
        missing = sorted(set(expected) - set(entries))
        extra = sorted(set(entries) - set(expected))
        raise ModelError(f"{manifest_path}: parameters do not match the architecture "
                         f"(missing {missing}, unexpected {extra})")
    for name, target in expected.items():
        target[...] = _load_parameter(folder, name, entries[name], target.shape)
    return model, manifest


def _load_parameter(folder: Path, name: str, entry, shape) -> np.ndarray:
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
        raise ModelError(f"{folder / MANIFEST}: entry for {name!r} has no file name")
    filename = entry["file"]
    # Only plain file names inside the folder: no "../", no absolute paths.
    if Path(filename).name != filename or not filename.endswith(".npy"):
        raise ModelError(f"{folder / MANIFEST}: bad file name {filename!r} for {name!r}")
    path = folder / filename
    if not path.is_file():
        raise ModelError(f"{path}: missing")
    expected_sum = entry.get("sha256")
    if not isinstance(expected_sum, str) or sha256_file(path) != expected_sum.lower():
        raise ModelError(f"{path}: checksum mismatch (the file is damaged or was changed)")
    try:
        array = np.load(path, allow_pickle=False)
    except ValueError as exc:
        # numpy refuses object arrays (which would need unpickling) with ValueError.
        raise ModelError(f"{path}: not a plain numeric array ({exc})") from None
    except (OSError, EOFError) as exc:
        raise ModelError(f"{path}: unreadable ({exc})") from None
    if not isinstance(array, np.ndarray) or array.dtype != np.float32:
        raise ModelError(f"{path}: expected float32 values, found {getattr(array, 'dtype', '?')}")
    if array.shape != tuple(shape):
        raise ModelError(f"{path}: shape {array.shape} does not fit the architecture "
                         f"(expected {tuple(shape)})")
    if not np.all(np.isfinite(array)):
        raise ModelError(f"{path}: contains NaN or infinite values")
    return array
