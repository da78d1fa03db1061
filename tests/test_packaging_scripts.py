"""Packaging scripts that are cheap to check: what the build leaves out, the Depends table,
and that the Windows installer script compiles (Debian's makensis; nothing runs it here)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging" / "pyinstaller"))
from prune import is_unused  # noqa: E402


@pytest.mark.parametrize("dest, unused", [
    ("PySide6/Qt/translations/qtbase_de.qm", True),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", True),
    ("PySide6/Qt/plugins/platforms/libqminimalegl.so", True),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
    ("PySide6/Qt/plugins/generic/libqevdevmouseplugin.so", True),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
    ("PySide6\\Qt\\plugins\\platforms\\qwindows.dll", False),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", False),
    ("PySide6/Qt/lib/libQt6Gui.so.6", False),
])
def test_prune_leaves_out_only_unused_qt_parts(dest, unused):
    assert is_unused(dest) is unused


def test_depends_table_is_well_formed():
    for line in (ROOT / "packaging" / "linux" / "depends.txt").read_text().splitlines():
        fields = line.split("#")[0].split()
        assert len(fields) in (0, 2), line
        if fields:
            assert ".so" in fields[0] and fields[1].islower(), line


def test_windows_installer_script_compiles(tmp_path):
    if shutil.which("makensis") is None:
        if os.geteuid() != 0:
            pytest.skip("makensis not installed and not root: run .ci/packaging-tools.sh "
                        "as root, or the sudo apt-get line it prints")
        subprocess.run([str(ROOT / ".ci" / "packaging-tools.sh")], check=True)
    bundle = tmp_path / "bundle"  # a stand-in for dist\digitapp (built on Windows only)
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "digitapp.exe").write_bytes(b"MZ stand-in")
    (bundle / "_internal" / "base_library.zip").write_bytes(b"stand-in")
    icon = tmp_path / "digitapp.ico"
    from PIL import Image

    Image.open(ROOT / "resources" / "icons" / "digitapp-256.png").save(icon, sizes=[(32, 32)])
    out = tmp_path / "digitapp-0.1.0-setup.exe"  # the name CI gives it
    done = subprocess.run(
        ["makensis", "-V2", "-WX", "-DVERSION=0.1.0", f"-DBUNDLE_DIR={bundle}",
         f"-DOUTFILE={out}", f"-DICON={icon}",
         str(ROOT / "packaging" / "windows" / "digitapp.nsi")],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.stat().st_size > 0


def test_launcher_script_syntax():
    subprocess.run(["sh", "-n", str(ROOT / "packaging" / "linux" / "digitapp")], check=True)
