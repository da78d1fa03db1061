"""Model folders: model.json plus one .npy per parameter, saved atomically, loaded safely.

    mlp-512/
      model.json          format version, architecture, preprocessing, training config,
                          metrics, and for every parameter its file, shape, dtype and SHA-256
      layers.0.W.npy      one array per parameter (np.save; loaded with allow_pickle=False)
      ...

Loading (model_load.py) verifies everything before a single weight is used or anything is
allocated from what it read: the JSON's structure and size, the architecture's total size,
the arrays' headers against the architecture, every file's SHA-256, finite values. Any
problem raises ModelError with one line naming the file and what is wrong.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from .model import Sequential
from .model_load import (  # noqa: F401  (the loading side's public names, importable here)
    FORMAT_VERSION,
    MANIFEST,
    MAX_MANIFEST_BYTES,
    ModelError,
    load_model,
    read_manifest,
    sha256_file,
)


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
