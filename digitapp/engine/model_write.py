"""Writing a model's files into an empty folder: one .npy per array (np.lib.format, no
pickle) hashed as it is written, then model.json naming each file with its shape, dtype and
SHA-256 (see serialize.py), everything flushed to disk, model.json last. A full disk raises
OSError(ENOSPC). Where that folder is and how it is put in place: model_save.py.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from .folder_rename import fsync_dir
from .model import Sequential
from .model_format import FORMAT_VERSION, MANIFEST


class _HashingWriter:
    """A file-like object numpy writes .npy data to: each chunk hashed and written, so a
    full disk raises OSError(ENOSPC) (numpy's own tofile says "N requested and M written")."""

    def __init__(self, f) -> None:
        self.f = f
        self.digest = hashlib.sha256()

    def write(self, data) -> int:
        self.digest.update(data)
        self.f.write(data)
        return len(data)


def write_model(folder: Path, model: Sequential, metadata: dict | None) -> None:
    """Write model.json and one .npy per parameter to the empty `folder`, all flushed to disk
    (model.json last)."""
    entries = {}
    for name, array in model.named_arrays().items():
        filename = f"{name}.npy"
        with open(folder / filename, "wb") as f:
            writer = _HashingWriter(f)
            np.lib.format.write_array(writer, np.ascontiguousarray(array), allow_pickle=False)
            f.flush()
            os.fsync(f.fileno())
        entries[name] = {
            "file": filename,
            "shape": list(array.shape),
            "dtype": str(array.dtype),
            "sha256": writer.digest.hexdigest(),
        }
    manifest = {
        "format": "digitapp-model",
        "format_version": FORMAT_VERSION,
        "architecture": model.config(),
        "parameters": entries,
        **(metadata or {}),
    }
    with open(folder / MANIFEST, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, sort_keys=False, default=_json_default)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    fsync_dir(folder)


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__} in model.json")
