"""The one thing pyproject.toml cannot say: the wheel's data files, found by walking.

Every file of resources/ and weights/ goes into the wheel as a data file, installed under
<prefix>/share/digitapp/<same path>, where digitapp.paths looks for it. Walking the folders
(rather than listing them in pyproject.toml) means a new shipped model or resource needs no
packaging change. Left out: Python scripts that made a resource (e.g. make_icon.py).
"""

from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).resolve().parent
BUNDLED = ("resources", "weights")


def data_files() -> list[tuple[str, list[str]]]:
    """Return [(install folder, [files...])] for every folder under BUNDLED."""
    by_folder: dict[str, list[str]] = {}
    for top in BUNDLED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts:
                relative = path.relative_to(ROOT)
                folder = (Path("share") / "digitapp" / relative.parent).as_posix()
                by_folder.setdefault(folder, []).append(relative.as_posix())
    return sorted(by_folder.items())


setup(data_files=data_files())
