"""What the PyInstaller build leaves out: Qt plugins and translations digitapp never uses,
the libraries that only those plugins needed, and the interpreter's debug information.

build.spec calls `prune(a)` and `strip_interpreter(a, workpath)` after the analysis.
Kept on purpose: the xcb and Wayland platforms (desktops), offscreen (the self-test, CI),
Windows and Cocoa (other systems), image formats (pictures dropped or pasted), input
contexts (compose keys, IBus) and the XDG desktop portal theme (file dialogs in sandboxes).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

QT_DIR = "PySide6/Qt"
# Plugin files (relative to PySide6/Qt/plugins, file name prefixes) the app never loads.
UNUSED_PLUGINS = (
    "platforms/libqeglfs",  # full-screen embedded platforms: no desktop uses them
    "platforms/libqlinuxfb",
    "platforms/libqminimal",  # also matches libqminimalegl
    "platforms/libqvnc",
    "platforms/libqvkkhrdisplay",
    "egldeviceintegrations/",  # eglfs back-ends
    "generic/",  # evdev/tuio input, for eglfs and linuxfb
    # The GTK 3 theme would load the system's GTK against the bundle's own GLib, Cairo and
    # Pango (a classic source of symbol clashes); Qt's own Fusion style is used instead.
    "platformthemes/libqgtk3",
)
# The UI is in English only and installs no QTranslator: Qt's translations are never read.
UNUSED_DIRS = (f"{QT_DIR}/translations/",)


def is_unused(dest: str) -> bool:
    """Return whether a bundle path (as PyInstaller names it) belongs to an unused part."""
    path = PurePosixPath(dest.replace("\\", "/")).as_posix()
    if path.startswith(UNUSED_DIRS):
        return True
    plugins = f"{QT_DIR}/plugins/"
    return path.startswith(plugins) and path[len(plugins):].startswith(UNUSED_PLUGINS)


def prune(analysis) -> list[str]:
    """Remove unused Qt files from `analysis`, then (Linux) the libraries nothing needs.

    Return the bundle paths removed, for the build log.
    """
    removed = [e[0] for e in analysis.binaries + analysis.datas if is_unused(e[0])]
    analysis.binaries = [e for e in analysis.binaries if not is_unused(e[0])]
    analysis.datas = [e for e in analysis.datas if not is_unused(e[0])]
    if sys.platform.startswith("linux"):
        unreachable = _unreachable_libraries(analysis.binaries)
        removed += sorted(unreachable)
        analysis.binaries = [e for e in analysis.binaries if e[0] not in unreachable]
    return removed


def strip_interpreter(analysis, workpath: str) -> list[str]:
    """Strip debug information from the Python interpreter's own files (Linux); return them.

    An interpreter built from source (pyenv does) keeps its debug sections: 22 MB in
    libpython alone, a quarter of the compressed .deb. Only files of the interpreter's
    installation (sys.base_prefix) are stripped: the packages' libraries were relinked by
    wheel tools, and stripping those breaks them (NumPy's OpenBLAS then fails to load).
    """
    if not sys.platform.startswith("linux"):
        return []
    base = Path(sys.base_prefix).resolve()
    out = Path(workpath) / "stripped"
    stripped, entries = [], []
    for dest, src, kind in analysis.binaries:
        source = Path(src).resolve()
        if base in source.parents and _has_debug_info(source):
            copy = out / dest
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)
            subprocess.run(["strip", "--strip-debug", str(copy)], check=True)
            stripped.append(dest)
            src = str(copy)
        entries.append((dest, src, kind))
    analysis.binaries = entries
    return stripped


def _has_debug_info(path: Path) -> bool:
    done = subprocess.run(["objdump", "-h", str(path)], capture_output=True, text=True,
                          check=False)
    return ".debug_info" in done.stdout


def _unreachable_libraries(binaries) -> set[str]:
    """Return the bundle paths of shared libraries no kept module or plugin loads.

    Roots: Python extension modules, Qt plugins and libpython (the bootloader loads it).
    Everything they load, directly or not, is what `ldd` resolves for them; a plain
    library (typecode BINARY) outside that set was only there for a removed plugin.
    """
    roots = [src for dest, src, kind in binaries
             if kind == "EXTENSION" or "/plugins/" in dest.replace("\\", "/")
             or PurePosixPath(dest).name.startswith("libpython")]
    needed = set()
    for src in roots:
        needed |= _ldd_names(src)
    return {dest for dest, _, kind in binaries
            if kind == "BINARY" and "/plugins/" not in dest
            and not PurePosixPath(dest).name.startswith("libpython")
            and PurePosixPath(dest).name not in needed}


_LDD_LINE = re.compile(r"^\s*(\S+)\s+=>\s+(\S+)")


def _ldd_names(path: str) -> set[str]:
    """Return the file names of every library `path` loads (its whole dependency tree)."""
    done = subprocess.run(["ldd", path], capture_output=True, text=True, check=False)
    if done.returncode != 0:  # keeping a library by mistake is cheap; dropping one is not
        raise SystemExit(f"digitapp build: ldd could not read {path}: {done.stderr.strip()}")
    names = set()
    for line in done.stdout.splitlines():
        match = _LDD_LINE.match(line)
        if match:
            names.add(match.group(1))
            names.add(PurePosixPath(match.group(2)).name)  # a symlink's target may differ
    return names
