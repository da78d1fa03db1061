"""The Linux packages, built and checked the way a user gets them (slow: about 2 minutes).

Builds the PyInstaller bundle, its .tar.gz and a .deb (zstd, as `make dist`) into a
temporary folder, unpacks the .deb with `dpkg-deb -x` into a temporary root, and runs the
unpacked executable's `--self-test` offscreen. Checks the package's metadata (`dpkg-deb -I`),
its files, the launcher, and the .desktop entry (`desktop-file-validate`).

Then, as root, installs the .deb on a bare Debian (debootstrap --variant=minbase, apt-get
install, `digitapp --self-test`, purge): packaging/linux/bare-debian-check.sh, about 2-3
minutes, most of it downloading Debian's base system and the libraries Depends names.

Needs Debian's packaging tools (.ci/packaging-tools.sh, which `make test` runs): as root a
missing tool is installed here too; otherwise the test is skipped and says how to install.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("dpkg-deb", "objdump", "strip", "desktop-file-validate")
ICON_SIZES = (16, 32, 48, 64, 128, 256)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux packages only"),
]


def ensure_tools() -> None:
    """Install missing packaging tools as root; skip (saying how) when not root."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    if os.geteuid() != 0:
        pytest.skip(f"{', '.join(missing)} not installed and not root: run "
                    ".ci/packaging-tools.sh as root, or the sudo apt-get line it prints")
    subprocess.run([str(ROOT / ".ci" / "packaging-tools.sh")], check=True)


def tell(config: pytest.Config, text: str) -> None:
    """Print `text` on its own line of pytest's terminal now, even with -q and output
    captured: the builds below are minutes of silence where pytest shows only dots."""
    reporter = config.pluginmanager.getplugin("terminalreporter")
    if reporter is None:  # -p no:terminal
        return
    capture = config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        reporter.ensure_newline()
        reporter.write_line(text)


@pytest.fixture(scope="module")
def dist(tmp_path_factory, pytestconfig) -> Path:
    """Build bundle, tarball and .deb once for the module; return the dist folder."""
    ensure_tools()
    try:
        import PyInstaller  # noqa: F401
    except ImportError:  # a failure, not a skip: `make` always installs it
        pytest.fail("PyInstaller is not installed: `make` installs the build extra "
                    "(.venv/bin/pip install -e '.[build]')")
    tmp = tmp_path_factory.mktemp("dist")
    # Measured: 34 s on 2 quiet cores; minutes when other work loads them.
    tell(pytestconfig, f"{Path(__file__).name}: building the installer with PyInstaller and "
         "the .deb (under a minute on a quiet machine, minutes on a busy one)...")
    done = subprocess.run(
        [str(ROOT / "packaging" / "linux" / "dist.sh"), "--compression", "zstd",
         "--dist", str(tmp / "dist"), "--work", str(tmp / "work")],
        env={**os.environ, "PYTHON": sys.executable}, capture_output=True, text=True,
        timeout=1800)
    assert done.returncode == 0, f"dist.sh failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return tmp / "dist"


@pytest.fixture(scope="module")
def deb(dist) -> Path:
    (found,) = dist.glob("digitapp_*.deb")
    return found


@pytest.fixture(scope="module")
def installed(deb, tmp_path_factory) -> Path:
    """Return a temporary root with the .deb unpacked into it (dpkg-deb -x)."""
    root = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def version() -> str:
    text = (ROOT / "digitapp" / "__init__.py").read_text()
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def test_unpacked_app_passes_its_self_test(installed, tmp_path):
    exe = installed / "opt" / "digitapp" / "digitapp"
    home = {name: str(tmp_path / name.lower()) for name in
            ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    env = {**os.environ, **home, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DIGITAPP_BUNDLE_ROOT", None)
    done = subprocess.run([str(exe), "--self-test"], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test (frozen)" in done.stdout
    # The runtime hook limits BLAS to one thread (packaging/pyinstaller/rthook_blas.py).
    assert "BLAS openblas, 1 thread" in done.stdout, done.stdout
    assert f"{installed}/opt/digitapp" in _frozen_resources(exe, env)


def _frozen_resources(exe: Path, env: dict) -> str:
    """Return where the frozen app finds its MNIST (`digitapp data verify`)."""
    done = subprocess.run([str(exe), "data", "verify"], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_deb_metadata(deb):
    info = subprocess.run(["dpkg-deb", "-I", str(deb)], capture_output=True, text=True,
                          check=True).stdout
    fields = dict(re.findall(r"^ (\S[^:]*): (.*)$", info, re.M))
    assert fields["Package"] == "digitapp"
    assert fields["Version"] == version()
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    assert fields["Architecture"] == arch
    assert int(fields["Installed-Size"]) > 50_000  # KiB: the whole bundle is inside
    depends = [d.strip() for d in fields["Depends"].split(",")]
    assert re.fullmatch(r"libc6 \(>= 2\.\d+\)", depends[depends.index(
        next(d for d in depends if d.startswith("libc6")))])
    assert {"libgl1", "libegl1", "libxcb1"} <= set(depends)
    # Only system libraries: Python, Qt and NumPy travel inside the package.
    assert not any(re.match(r"(python|libpython|libqt|qt6|libopenblas)", d) for d in depends)
    assert fields["Description"].strip()


def test_deb_files(deb):
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    entries = {line.split()[-1].removeprefix("."): line for line in listing if line.strip()}
    expected = ["/opt/digitapp/digitapp", "/usr/bin/digitapp",
                "/usr/share/applications/digitapp.desktop",
                "/usr/share/icons/hicolor/scalable/apps/digitapp.svg",
                "/usr/share/doc/digitapp/copyright",
                "/opt/digitapp/_internal/weights/mlp-512/model.json",
                "/opt/digitapp/_internal/resources/fonts/DejaVuSans.ttf",
                *(f"/usr/share/icons/hicolor/{n}x{n}/apps/digitapp.png" for n in ICON_SIZES)]
    for path in expected:
        assert path in entries, f"{path} is not in the package"
    assert entries["/usr/bin/digitapp"].startswith("-rwxr-xr-x")
    assert entries["/opt/digitapp/digitapp"].startswith("-rwxr-xr-x")
    assert all(" root/root " in line for line in listing), "files must belong to root"


def test_launcher_starts_the_bundle(installed):
    launcher = installed / "usr" / "bin" / "digitapp"
    subprocess.run(["sh", "-n", str(launcher)], check=True)
    target = re.search(r"^exec (\S+) \"\$@\"$", launcher.read_text(), re.M).group(1)
    assert (installed / target.lstrip("/")).is_file()


def test_desktop_entry_validates(installed):
    desktop = installed / "usr" / "share" / "applications" / "digitapp.desktop"
    done = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True,
                          text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr
    entry = dict(line.split("=", 1) for line in desktop.read_text().splitlines() if "=" in line)
    assert (installed / "usr" / "bin" / entry["Exec"].split()[0]).is_file()
    assert (installed / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps" /
            f"{entry['Icon']}.png").is_file()


def test_bundle_leaves_out_what_the_app_does_not_use(dist):
    qt = dist / "digitapp" / "_internal" / "PySide6" / "Qt"
    platforms = {p.name for p in (qt / "plugins" / "platforms").iterdir()}
    assert {"libqxcb.so", "libqwayland.so", "libqoffscreen.so"} <= platforms
    assert not any(name.startswith(("libqeglfs", "libqvnc", "libqlinuxfb")) for name in platforms)
    assert not (qt / "translations").exists()
    assert not (qt / "plugins" / "platformthemes" / "libqgtk3.so").exists()


def test_tarball_holds_the_bundle(dist):
    (tarball,) = dist.glob(f"digitapp-{version()}-linux-*.tar.gz")
    with tarfile.open(tarball) as tar:
        names = set(tar.getnames())
    assert "digitapp/digitapp" in names
    assert "digitapp/_internal/resources/selftest/digit-3.png" in names


def test_deb_installs_and_runs_on_a_bare_debian(deb, tmp_path, pytestconfig):
    if os.geteuid() != 0:
        pytest.skip("installing on a bare Debian needs root (debootstrap, chroot, mount)")
    if shutil.which("debootstrap") is None:
        subprocess.run([str(ROOT / ".ci" / "packaging-tools.sh")], check=True)
    rootfs = tmp_path / "bare"
    tell(pytestconfig, f"{Path(__file__).name}: installing the .deb on a bare Debian made by "
         "debootstrap, and self-testing it there (a minute or more: it downloads Debian's "
         "base system)...")
    try:
        done = subprocess.run(
            [str(ROOT / "packaging" / "linux" / "bare-debian-check.sh"), str(deb), str(rootfs)],
            capture_output=True, text=True, timeout=1800)
    finally:
        if not _mounted_under(rootfs):  # never delete through a mount left behind
            shutil.rmtree(rootfs, ignore_errors=True)
    assert done.returncode == 0, f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    assert "self-test passed" in done.stdout
    assert "bare Debian check passed" in done.stdout


def _mounted_under(folder: Path) -> bool:
    mounts = Path("/proc/mounts").read_text().split("\n")
    return any(f" {folder}/" in line for line in mounts)
