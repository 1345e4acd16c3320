#!/usr/bin/env bash
# Real-time soak of the player (issue 14): it plays fullscreen on Xvfb 1920x1080 a share that
# changes every minute (a poster added, a slogan rewritten, a poster removed, the playlist touched
# or rewritten; files copied in under their final names, not atomically), with a 20 s 1080p30
# H.264 + AAC video between slides and posters, every item fading in. Every 10 s it records the
# player's RSS, fds, threads and CPU (its sync children and its X server apart) and at the end
# prints, for each, the first value after the warm-up, the last, min, max and the slope per hour.
#
# Usage:
#   bench/soak.sh                       30 minutes
#   bench/soak.sh --minutes N           N minutes (at least a few: the first 3, or 10%, are warm-up)
#   bench/soak.sh --change-every S      seconds between changes to the share (default 60)
#   bench/soak.sh --sample-every S      seconds between samples (default 10)
#   bench/soak.sh --out DIR             where the results go (default bench/results)
#   bench/soak.sh --player PATH         the signage-player binary (signage-sync beside it is used)
#   bench/soak.sh -- ARGS               more options of bench/soak.py (--warmup, --copy-rate, --keep)
#
# Results: DIR/soak-DATE-Nmin.csv (the samples), .txt (the summary, also printed), .changes.csv,
# .player.log, .stats.json. The video is made once in $SIGNAGE_BENCH_MEDIA (default
# build-bench/bench-media). Environment: SIGNAGE_BENCH_PLAYER (the player when --player is not
# given; default build/player/signage-player, scripts/build.sh's). Installs ffmpeg and xvfb when
# missing (Debian packages; root or sudo). Exit status: 0 when the player played the whole soak
# and exited 0, 1 when it died or exited otherwise, 2 when the soak could not run or was
# interrupted (a signal: what was sampled until then is summarized).
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$bench_dir/.." && pwd)
player=${SIGNAGE_BENCH_PLAYER:-$src/build/player/signage-player}
media=${SIGNAGE_BENCH_MEDIA:-$src/build-bench/bench-media}
py_args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --minutes|--change-every|--sample-every|--out)
            [[ $# -ge 2 ]] || { echo "soak.sh: $1 needs a value" >&2; exit 2; }
            py_args+=("$1" "$2"); shift ;;
        --player)
            [[ $# -ge 2 ]] || { echo "soak.sh: $1 needs a value" >&2; exit 2; }
            player=$2; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        --) shift; py_args+=("$@"); break ;;
        *) echo "soak.sh: unknown argument \"$1\" (try --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { printf '[soak] %s\n' "$*" >&2; }

missing=()
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v Xvfb >/dev/null || missing+=(xvfb)
[[ -x /usr/bin/python3 ]] || missing+=(python3)
if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing what the soak needs: ${missing[*]} (apt-get)"
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { say "need root or sudo to install: ${missing[*]}"; exit 2; }
        sudo=sudo
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null ||
        { say "could not install ${missing[*]}"; exit 2; }
fi
[[ -x "$player" ]] || { say "no player binary at $player (build it, or give --player / SIGNAGE_BENCH_PLAYER)"; exit 2; }
player=$(cd "$(dirname "$player")" && pwd)/$(basename "$player")

# soak.py stops the player and its X server itself; this trap is for when soak.py cannot (killed
# with SIGKILL, crashed): it stops what soak.py listed, by id, only while the id is still that program.
pidfile=$(mktemp /tmp/signage-soak-pids.XXXXXX)
py_pid=""
cleanup() {
    [[ -n "$py_pid" ]] && kill -TERM "$py_pid" 2>/dev/null && wait "$py_pid" 2>/dev/null || true
    while read -r pid name; do
        [[ -n "$pid" && -r /proc/$pid/cmdline ]] || continue
        if tr '\0' ' ' </proc/"$pid"/cmdline | grep -q -- "$name"; then
            say "stopping $name (pid $pid) left behind"
            kill -TERM -- -"$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        fi
    done <"$pidfile"
    rm -f "$pidfile"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

say "soaking $player; progress below, the summary at the end"
# In the background and waited for, so a signal to this script reaches the trap at once.
/usr/bin/python3 "$bench_dir/soak.py" --player "$player" --media "$media" --pidfile "$pidfile" "${py_args[@]}" &
py_pid=$!
status=0
wait "$py_pid" || status=$?
py_pid=""
exit "$status"
