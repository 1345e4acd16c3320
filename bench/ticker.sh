#!/usr/bin/env bash
# CPU of a scrolling ticker band over a static slide (issue 13), in a fullscreen window on Xvfb
# 1920x1080, with the player's own choice of renderer (SDL's software renderer when there is no
# GPU), side by side with the static slide alone and with mpv showing the same picture:
#
#   a. the static slide, no layout (bench/configs/static)
#   b. the slide in a layout's main zone, an opaque ticker band at the bottom 10%, 120 px/s
#   c. the same with a translucent band (the whole screen is redrawn every frame)
#   d. b with a clock over the ticker's right end; d'. b with a clock in its own corner
#   e. mpv --vo=x11 --fs showing the slide as a PNG (reference; mpv cannot tick)
#
# CPU as % of one core, player and X server apart, median of 3 windows of 12 s after a 4 s
# warm-up, one program at a time (about 5 minutes).
#
# Usage:
#   bench/ticker.sh                 full run
#   bench/ticker.sh --quick         1 run of each row, 6 s windows (to try things out)
#   bench/ticker.sh --no-build      use the existing build-bench/ binary as it is
#   bench/ticker.sh -- ARGS         pass ARGS to bench/ticker.py (--repeats, --window, --warmup,
#                                   --only static,ticker,translucent,ticker_clock,ticker_clock_apart,mpv)
#
# Installs what is missing (mpv, xvfb, xauth, time), builds build-bench/ (Release) as run.sh
# does. Raw numbers go to bench/results/ticker.json, the programs' logs to bench/results/ticker-logs/.
# Environment: SIGNAGE_BENCH_BUILD_DIR, SIGNAGE_BENCH_PLAYER (as run.sh).
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
py_args=()
run_args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) py_args+=(--repeats 1 --window 6) ;;
        --no-build) run_args+=(--no-build) ;;
        -h|--help) sed -n '2,25s/^# \{0,1\}//p' "$0"; exit 0 ;;
        --) shift; py_args+=("$@"); break ;;
        *) echo "ticker.sh: unknown argument \"$1\" (try --help)" >&2; exit 2 ;;
    esac
    shift
done

# run.sh installs the tools and builds the player; SIGNAGE_BENCH_SCRIPT makes it run ticker.py.
exec env SIGNAGE_BENCH_SCRIPT="$bench_dir/ticker.py" "$bench_dir/run.sh" "${run_args[@]}" -- "${py_args[@]}"
