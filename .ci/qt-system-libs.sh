#!/usr/bin/env bash
# Make sure the system libraries Qt needs (even offscreen) are present.
#
# The PySide6 wheels bring Qt itself but not the libraries Qt links against; on a bare
# Debian/Ubuntu (a container, a CI runner) those are missing and Qt aborts at start-up.
#   - all present:                          say nothing, exit 0 (this is the common, fast path)
#   - missing, Debian-like, root:           apt-get update + install them
#   - missing, Debian-like, not root:       print the exact sudo command, exit 1
#   - missing, another Linux:               print what is needed, exit 0 (pip cannot help here)
#   - not Linux:                            nothing to check (the wheels are self-contained)
set -euo pipefail

[ "$(uname -s)" = "Linux" ] || exit 0

# soname (what the dynamic loader must find) -> Debian package(s) providing it.
# Where a package was renamed by the 64-bit time_t transition (Debian 13, Ubuntu 24.04),
# the candidates are listed newest first; the first one apt knows is used.
declare -A PACKAGES=(
    [libglib-2.0.so.0]="libglib2.0-0t64 libglib2.0-0"
    [libGL.so.1]="libgl1"
    [libEGL.so.1]="libegl1"
    [libfontconfig.so.1]="libfontconfig1"
    [libX11.so.6]="libx11-6"
    [libxkbcommon.so.0]="libxkbcommon0"
    [libfreetype.so.6]="libfreetype6"
    [libdbus-1.so.3]="libdbus-1-3"
)
FONT_FILE=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
FONT_PACKAGE=fonts-dejavu-core

ldconfig_bin=$(command -v ldconfig || echo /sbin/ldconfig)

missing_items() {
    # Print the sonames (and the font) that are not installed, one per line.
    local present soname
    # `ldconfig -p` lines look like "<TAB>libGL.so.1 (libc6,x86-64) => /path": keep the soname.
    present=$("$ldconfig_bin" -p 2>/dev/null | awk 'NR > 1 { print $1 }' || true)
    for soname in "${!PACKAGES[@]}"; do
        grep -qxF "$soname" <<<"$present" || echo "$soname"
    done
    [ -e "$FONT_FILE" ] || echo "font:DejaVuSans"
}

debian_package() {
    # Print the Debian package for one missing item: the first candidate apt knows.
    local item=$1 candidate
    if [ "$item" = "font:DejaVuSans" ]; then
        echo "$FONT_PACKAGE"
        return
    fi
    for candidate in ${PACKAGES[$item]}; do
        if apt-cache show --no-all-versions "$candidate" >/dev/null 2>&1; then
            echo "$candidate"
            return
        fi
    done
    # apt has no package lists (no apt-get update yet): guess the older, pre-t64 name.
    local fallback=(${PACKAGES[$item]})
    echo "${fallback[-1]}"
}

missing=$(missing_items | sort)
[ -z "$missing" ] && exit 0

echo "Qt needs system libraries that are not installed:" $missing >&2

if ! command -v apt-get >/dev/null 2>&1; then
    echo "This is not a Debian-like system: install the packages that provide the files above" >&2
    echo "(GLib, libGL, libEGL, fontconfig, libX11, libxkbcommon, FreeType, D-Bus, DejaVu fonts)" >&2
    echo "with your package manager. Continuing; Qt may fail to start." >&2
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    packages=$(for item in $missing; do debian_package "$item"; done | sort -u | tr '\n' ' ')
    echo "Install them with:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${packages% }" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
packages=$(for item in $missing; do debian_package "$item"; done | sort -u)
# shellcheck disable=SC2086  # one word per package
apt-get install -y -q --no-install-recommends $packages

still_missing=$(missing_items)
if [ -n "$still_missing" ]; then
    echo "Still missing after apt-get install:" $still_missing >&2
    exit 1
fi
