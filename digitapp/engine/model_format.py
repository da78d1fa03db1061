"""What a model folder is, as saving, loading and replacing one all see it: model.json
(MANIFEST) of FORMAT_VERSION naming one plain .npy file per array, and ModelError, the one
error every problem with a model folder ends as (serialize.py describes the format)."""

from __future__ import annotations

from pathlib import Path

FORMAT_VERSION = 1
MANIFEST = "model.json"


class ModelError(ValueError):
    """A model folder that cannot be used, with a one-line reason naming the file."""


def is_parameter_file(filename: str) -> bool:
    """Return whether `filename` is one a manifest may name: a plain name (no "../", no
    folder, no absolute path) ending .npy."""
    return (filename not in ("", ".", "..") and "/" not in filename and "\\" not in filename
            and "\0" not in filename and Path(filename).name == filename
            and filename.endswith(".npy") and filename != ".npy")
