#!/usr/bin/env bash
# Make sure the tools that build and check digitapp's Linux packages are present.
#
#   .ci/packaging-tools.sh               for `make dist`: a missing tool is an error
#   .ci/packaging-tools.sh --optional    for `make test`: the packaging test skips (and says
#                                        why) when a tool is missing and we are not root
#
# Tools beyond Python's: dpkg-deb (builds the .deb), objdump and strip (read the bundle's
# libraries for Depends, strip the interpreter's debug sections), ldd (PyInstaller and the
# build's pruning), desktop-file-validate (checks the .desktop entry), makensis (checks that
# the Windows installer script compiles), debootstrap (installs the .deb on a bare Debian).
#   - all present:                      say nothing, exit 0
#   - missing, Debian-like, root:       apt-get update + install them
#   - missing, not root:                print the exact sudo command; exit 1 (0 with --optional)
set -euo pipefail

optional=false
[ "${1:-}" = "--optional" ] && optional=true

[ "$(uname -s)" = "Linux" ] || exit 0

declare -A PACKAGES=(
    [dpkg-deb]=dpkg
    [objdump]=binutils
    [strip]=binutils
    [ldd]=libc-bin
    [desktop-file-validate]=desktop-file-utils
    [makensis]=nsis
    [debootstrap]=debootstrap
)

missing_packages() {
    local tool
    for tool in "${!PACKAGES[@]}"; do
        command -v "$tool" >/dev/null 2>&1 || echo "${PACKAGES[$tool]}"
    done | sort -u
}

missing=$(missing_packages)
[ -z "$missing" ] && exit 0
missing=$(echo $missing)  # one line

echo "Packaging needs Debian packages that are not installed: $missing" >&2
if ! command -v apt-get >/dev/null 2>&1; then
    echo "This is not a Debian-like system: the .deb cannot be built here." >&2
    $optional && exit 0 || exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "Install them with:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing" >&2
    $optional && { echo "(the packaging test will be skipped until then)" >&2; exit 0; }
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086  # one word per package
apt-get install -y -q --no-install-recommends $missing

still=$(missing_packages)
if [ -n "$still" ]; then
    echo "Still missing after apt-get install:" $still >&2
    exit 1
fi
