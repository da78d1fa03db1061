#!/usr/bin/env bash
# Build what digitapp ships for Linux: the one-folder bundle, a .tar.gz of it and a .deb.
#
#   packaging/linux/dist.sh [--compression zstd|xz] [--dist DIR] [--work DIR]
#
# `make dist` runs it with zstd (quick), `make release` with xz (smallest); the packaging
# test runs it into temporary folders. PYTHON (default .venv/bin/python) must have the
# `build` extra installed (PyInstaller).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

compression=zstd
dist=dist
work=build/pyinstaller
while [ $# -gt 0 ]; do
    case $1 in
        --compression) compression=$2; shift 2 ;;
        --dist) dist=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        *) echo "usage: $0 [--compression zstd|xz] [--dist DIR] [--work DIR]" >&2; exit 2 ;;
    esac
done
python=${PYTHON:-.venv/bin/python}
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' digitapp/__init__.py)

"$python" -m PyInstaller --noconfirm --log-level WARN --distpath "$dist" --workpath "$work" \
    build.spec
tarball="$dist/digitapp-$version-linux-$(uname -m).tar.gz"
tar -C "$dist" -czf "$tarball" digitapp
echo "$tarball"
"$python" packaging/linux/build_deb.py --bundle "$dist/digitapp" --out "$dist" \
    --compression "$compression"
