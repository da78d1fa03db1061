"""The wheel carries resources/ and weights/, and digitapp.paths finds them once installed.

Built with pip (no build isolation: setuptools is in the venv), installed with --prefix into
a temporary folder, and run with `python -S` so that the checkout's editable install is not
on the path: only the installed copy of digitapp can answer.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Files of the checkout's bundled folders that are not data (scripts that made the data).
NOT_SHIPPED = {"resources/icons/make_icon.py"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    (found,) = out.glob("digitapp-*.whl")
    return found


def bundled_files() -> set[str]:
    files = set()
    for folder in ("resources", "weights"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                files.add(path.relative_to(ROOT).as_posix())
    return files - NOT_SHIPPED


def test_wheel_carries_every_bundled_file(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    prefix = next(n for n in names if ".data/data/share/digitapp/" in n).split("share/")[0]
    shipped = {n.removeprefix(prefix + "share/digitapp/") for n in names if n.startswith(prefix)}
    missing = bundled_files() - shipped
    assert not missing, f"setup.py left these out of the wheel: {sorted(missing)}"


def test_installed_wheel_finds_its_resources(wheel, tmp_path):
    prefix = tmp_path / "prefix"
    # --ignore-installed: without it pip first uninstalls the venv's own (editable) digitapp.
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-index", "--ignore-installed", "--prefix", str(prefix), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(prefix),
                                                    "platbase": str(prefix)}))
    venv_site = sysconfig.get_path("purelib")  # numpy, platformdirs... (no .pth processing)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), venv_site])}
    env.pop("DIGITAPP_BUNDLE_ROOT", None)
    probe = ("import digitapp, digitapp.paths as p; print(digitapp.__file__); "
             "print(p.resource_path()); print(p.weights_path('mlp-512', 'model.json'))")
    # cwd: not the checkout, whose digitapp/ `-c` and `-m` would find first.
    out = subprocess.run([sys.executable, "-S", "-c", probe], env=env, check=True, cwd=tmp_path,
                         capture_output=True, text=True, timeout=60).stdout.split("\n")
    module, resources, model = (Path(line) for line in out[:3])
    assert site in module.parents, "the installed copy, not the checkout, must answer"
    assert resources == prefix / "share" / "digitapp" / "resources"
    assert model.is_file()
    # A real command through the lookup: the bundled MNIST, found and verified.
    done = subprocess.run([sys.executable, "-S", "-m", "digitapp", "data", "verify"], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert str(prefix / "share" / "digitapp" / "resources" / "mnist") in done.stdout
