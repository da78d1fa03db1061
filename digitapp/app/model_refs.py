"""How a chosen model is remembered between runs: shipped models by name, others by path.

A shipped model's folder moves with the installation (a PyInstaller build unpacks it into a
new temporary folder on every start), so its absolute path is useless the next time.
"""

from __future__ import annotations

from pathlib import Path

from ..paths import weights_path

SHIPPED = "shipped:"


def model_ref(path: str | Path) -> str:
    """Return a string that finds the model folder `path` again in a later run."""
    folder = Path(path).resolve()
    if folder.parent == weights_path().resolve():
        return SHIPPED + folder.name
    return str(folder)


def path_from_ref(ref: object) -> Path | None:
    """Return the model folder a `model_ref` string names (None for anything else)."""
    if not isinstance(ref, str) or not ref:
        return None
    if ref.startswith(SHIPPED):
        name = ref[len(SHIPPED):]
        return weights_path(name) if name and "/" not in name and "\\" not in name else None
    return Path(ref)
