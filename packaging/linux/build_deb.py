"""Build digitapp's .deb from the PyInstaller bundle (dist/digitapp).

    python packaging/linux/build_deb.py [--bundle dist/digitapp] [--out dist]
                                        [--compression zstd|xz]

Layout of the package:
    /opt/digitapp/                      the one-folder bundle, as built
    /usr/bin/digitapp                   launcher (packaging/linux/digitapp)
    /usr/share/applications/digitapp.desktop
    /usr/share/icons/hicolor/<n>x<n>/apps/digitapp.png, scalable/apps/digitapp.svg
    /usr/share/doc/digitapp/copyright

`Depends:` is computed, not guessed: every ELF file of the bundle is read (objdump -p), the
libraries they need that the bundle does not carry are mapped to Debian packages by
packaging/linux/depends.txt, and libc6 gets the newest GLIBC symbol version the bundle
uses. xz makes the smallest package (the release); zstd builds in a fraction of the time
(quick local builds and tests). Prints the path of the .deb. Standard library only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ICON_SIZES = (16, 32, 48, 64, 128, 256)
COMPRESSION = {"xz": ["-Zxz", "-z9"], "zstd": ["-Zzstd", "-z3"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "digitapp")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--compression", choices=sorted(COMPRESSION), default="zstd")
    args = parser.parse_args(argv)
    try:
        deb = build_deb(args.bundle, args.out, args.compression)
    except BuildError as exc:
        print(f"build_deb: {exc}", file=sys.stderr)
        return 1
    print(deb)
    return 0


class BuildError(Exception):
    """The package cannot be built; the message says why and what to do."""


def build_deb(bundle: Path, out: Path, compression: str = "zstd") -> Path:
    """Build the package from `bundle`; return the path of the .deb written in `out`."""
    if not (bundle / "digitapp").is_file():
        raise BuildError(f"{bundle}/digitapp not found: build the bundle first (make dist)")
    for tool in ("dpkg-deb", "dpkg", "objdump"):
        if shutil.which(tool) is None:
            raise BuildError(f"{tool} not found: run .ci/packaging-tools.sh (make dist does)")
    version = read_version()
    arch = _run(["dpkg", "--print-architecture"]).strip()
    out.mkdir(parents=True, exist_ok=True)
    deb = out / f"digitapp_{version}_{arch}.deb"
    with tempfile.TemporaryDirectory(prefix="digitapp-deb-") as tmp:
        root = Path(tmp) / "root"
        stage(bundle, root)
        depends = compute_depends(bundle)
        write_control(root, version, arch, depends)
        _run(["dpkg-deb", "--root-owner-group", *COMPRESSION[compression], "--build",
              str(root), str(deb)])
    return deb


def read_version() -> str:
    text = (ROOT / "digitapp" / "__init__.py").read_text()
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def stage(bundle: Path, root: Path) -> None:
    """Lay out the package's files under `root` (modes as installed: root owns all)."""
    shutil.copytree(bundle, root / "opt" / "digitapp", symlinks=True)
    _install(HERE / "digitapp", root / "usr" / "bin" / "digitapp", 0o755)
    _install(ROOT / "resources" / "digitapp.desktop",
             root / "usr" / "share" / "applications" / "digitapp.desktop")
    icons = ROOT / "resources" / "icons"
    hicolor = root / "usr" / "share" / "icons" / "hicolor"
    for size in ICON_SIZES:
        _install(icons / f"digitapp-{size}.png",
                 hicolor / f"{size}x{size}" / "apps" / "digitapp.png")
    _install(icons / "digitapp.svg", hicolor / "scalable" / "apps" / "digitapp.svg")
    _install(HERE / "copyright", root / "usr" / "share" / "doc" / "digitapp" / "copyright")
    for path in root.rglob("*"):  # group and others may read everything, never write
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o022 | 0o044 | (0o111 if path.is_dir() else 0))


def compute_depends(bundle: Path) -> str:
    """Return the Depends field: packages of the libraries the bundle needs but lacks."""
    carried = {p.name for p in bundle.rglob("*") if ".so" in p.name or p.suffix == ".so"}
    needed: set[str] = set()
    glibc = (2, 17)
    for path in _elf_files(bundle):
        info = _run(["objdump", "-p", str(path)], check=False)
        needed.update(re.findall(r"^\s+NEEDED\s+(\S+)", info, re.M))
        for major, minor in re.findall(r"\bGLIBC_(\d+)\.(\d+)\b", info):
            glibc = max(glibc, (int(major), int(minor)))
    table = _depends_table()
    missing = sorted(needed - carried)
    unknown = [name for name in missing if name not in table]
    if unknown:
        raise BuildError(
            f"the bundle needs {', '.join(unknown)}, which it does not carry and "
            f"{HERE / 'depends.txt'} does not map to a Debian package: add a line for each")
    packages = {table[name] for name in missing} | {"libc6"}
    return ", ".join(
        f"libc6 (>= {glibc[0]}.{glibc[1]})" if p == "libc6" else p for p in sorted(packages))


def write_control(root: Path, version: str, arch: str, depends: str) -> None:
    size_kib = sum(p.lstat().st_size for p in root.rglob("*") if not p.is_dir()) // 1024
    text = (HERE / "control.in").read_text()
    for key, value in {"VERSION": version, "ARCH": arch, "DEPENDS": depends,
                       "INSTALLED_SIZE": str(size_kib)}.items():
        text = text.replace(f"@{key}@", value)
    if "@" in text.split("Maintainer:")[0]:
        raise BuildError("control.in has a placeholder left")
    _install_text(text, root / "DEBIAN" / "control")


def _depends_table() -> dict[str, str]:
    table = {}
    for line in (HERE / "depends.txt").read_text().splitlines():
        parts = line.split("#")[0].split()
        if len(parts) == 2:
            table[parts[0]] = parts[1]
    return table


def _elf_files(folder: Path):
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    yield path


def _install(src: Path, dst: Path, mode: int = 0o644) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    os.chmod(dst, mode)


def _install_text(text: str, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(text)
    os.chmod(dst, 0o644)


def _run(cmd: list[str], check: bool = True) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise BuildError(f"{' '.join(cmd)} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


if __name__ == "__main__":
    sys.exit(main())
