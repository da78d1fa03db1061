#!/usr/bin/env bash
# Measure the installed app as a user starts it: seconds from launch to its window on
# screen, and its memory once idle.
#
#   packaging/linux/measure-startup.sh [COMMAND] [RUNS] [IDLE_SECONDS]
#
# COMMAND (default: digitapp) runs on an X server: Xvfb on a free display when DISPLAY is
# unset (needs Debian's xvfb and xdotool). "Shown" is when xdotool first finds a visible
# window named digitapp (polled every 10 ms). The first run follows a drop of the page
# cache when that is allowed (root): a cold start, the files read from disk. The others
# are warm. cpu_s is the CPU time the app had used when its window showed: on an idle
# machine the wall time is close to it; on a busy one the wall time grows, this hardly.
# Memory: VmHWM (peak resident set) and VmRSS of the process after IDLE_SECONDS with the
# window open and nothing to do. Settings start empty each run (a first start).
set -euo pipefail

command=${1:-digitapp}
runs=${2:-5}
idle=${3:-10}

xvfb_pid=
cleanup() { [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true; }
trap cleanup EXIT
if [ -z "${DISPLAY:-}" ]; then
    # A display of our own: no TCP and no abstract socket (shared with other chroots and
    # containers on the machine), so the app cannot end up on someone else's X server.
    display=:$((200 + RANDOM % 100))
    Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp -nolisten local >/dev/null 2>&1 &
    xvfb_pid=$!
    export DISPLAY=$display
    for _ in $(seq 100); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.05; done
    kill -0 "$xvfb_pid" 2>/dev/null || { echo "Xvfb did not start on $display" >&2; exit 1; }
fi
export QT_QPA_PLATFORM=xcb

drop_caches() {
    sync
    { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null && echo cold || echo warm
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

echo "run  start  shown_s  cpu_s  VmHWM_MiB  VmRSS_MiB"
for run in $(seq "$runs"); do
    if [ "$run" -eq 1 ]; then kind=$(drop_caches); else kind=warm; fi
    home=$(mktemp -d)
    start=$(now_ms)
    env HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
        XDG_CACHE_HOME="$home/cache" $command >/dev/null 2>&1 &
    pid=$!
    shown=
    while kill -0 "$pid" 2>/dev/null; do
        if xdotool search --onlyvisible --name '^digitapp$' >/dev/null 2>&1; then
            shown=$(now_ms)
            # CPU time (user + system) the app had used by then: unlike the wall time, it
            # hardly changes when other jobs compete for the cores.
            cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' \
                "/proc/$pid/stat")
            break
        fi
        sleep 0.01
    done
    [ -n "$shown" ] || { echo "run $run: the app ended before showing a window" >&2; exit 1; }
    sleep "$idle"
    # The launcher execs the bundle, so $pid is the app itself.
    hwm=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
    rss=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
    seconds=$(awk -v a="$shown" -v b="$start" 'BEGIN { printf "%.2f", (a - b) / 1000 }')
    printf "%3d  %-5s  %7s  %5s  %9s  %9s\n" "$run" "$kind" "$seconds" "$cpu" "$hwm" "$rss"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    rm -rf "$home"
done
