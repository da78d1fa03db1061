#!/usr/bin/env bash
# Install digitapp's .deb on a bare Debian and run its self-test there.
#
#   sudo packaging/linux/bare-debian-check.sh DEB [ROOTFS]
#
# 1. debootstrap --variant=minbase: a Debian with no X, no OpenGL, no fonts, no Python
#    (kept in ROOTFS, default /tmp/digitapp-bare-<codename>, and reused on the next run)
# 2. apt-get install ./the.deb inside it: apt pulls in exactly what Depends names
# 3. `digitapp --self-test` inside it (through /usr/bin/digitapp), then `apt-get purge`
#    must leave nothing of /opt/digitapp behind (autoremove takes the dependencies away
#    too, so the next run starts from the same bare root).
# Needs root (debootstrap, chroot, mounting /proc) and Debian's archive: the mirror is the one
# this machine's apt uses (DEBIAN_MIRROR overrides it). CODENAME (default bookworm) picks
# the release; it must be at least as new as the build machine's (the .deb's libc6 >=).
set -euo pipefail

deb=$(realpath "${1:?usage: $0 DEB [ROOTFS]}")
codename=${CODENAME:-bookworm}
rootfs=${2:-/tmp/digitapp-bare-$codename}
[ "$(id -u)" -eq 0 ] || { echo "$0: must run as root (debootstrap, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "$0: apt-get install debootstrap" >&2; exit 1; }

host_mirror() {
    # The first Debian archive this machine's apt is configured with (deb822 or one-line).
    local file
    for file in /etc/apt/sources.list.d/*.sources; do
        [ -f "$file" ] && awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' "$file"
    done
    if [ -f /etc/apt/sources.list ]; then
        awk '/^deb / && $3 !~ /security/ { print $2; exit }' /etc/apt/sources.list
    fi
    return 0
}
mirror=${DEBIAN_MIRROR:-$(host_mirror | head -1)}

step() { echo "== $*"; }

if [ ! -x "$rootfs/usr/bin/apt-get" ]; then
    step "debootstrap --variant=minbase $codename $rootfs"
    start=$(date +%s)
    debootstrap --variant=minbase "$codename" "$rootfs" ${mirror:+"$mirror"} >/dev/null
    echo "   $(($(date +%s) - start)) s, $(du -sh "$rootfs" | cut -f1)"
fi

mount -t proc proc "$rootfs/proc"
mount -t devpts devpts "$rootfs/dev/pts"  # apt logs through a pseudo-terminal
trap 'umount "$rootfs/dev/pts"; umount "$rootfs/proc"' EXIT
in_root() { chroot "$rootfs" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    DEBIAN_FRONTEND=noninteractive "$@"; }

step "bare root: what is (not) there"
in_root sh -c 'ls /usr/share/fonts 2>/dev/null | wc -l | sed "s/^/   font folders: /";
    ls /usr/lib/*/libGL.so.1 2>/dev/null | wc -l | sed "s/^/   libGL: /";
    command -v python3 >/dev/null && echo "   python3: yes" || echo "   python3: no"'

step "apt-get install $(basename "$deb")"
cp "$deb" "$rootfs/tmp/digitapp.deb"
start=$(date +%s)
in_root apt-get update -q >/dev/null
in_root apt-get install -y -q --no-install-recommends /tmp/digitapp.deb >/dev/null
echo "   $(($(date +%s) - start)) s; installed: $(in_root dpkg-query -W -f '${Package} ${Version}' digitapp)"

step "digitapp --self-test (in the bare root, no display, no fonts)"
in_root digitapp --self-test

step "apt-get purge digitapp (and autoremove what it pulled in: the root stays bare)"
in_root apt-get purge -y -q digitapp >/dev/null
in_root apt-get autoremove --purge -y -q >/dev/null
if [ -e "$rootfs/opt/digitapp" ] || [ -e "$rootfs/usr/bin/digitapp" ]; then
    echo "   files left behind after purge" >&2
    exit 1
fi
echo "   removed cleanly"
rm -f "$rootfs/tmp/digitapp.deb"
step "bare Debian check passed"
