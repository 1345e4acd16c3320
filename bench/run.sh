#!/usr/bin/env bash
# Benchmarks signage-player against mpv (the reference) for the foundation issue's goals, and
# prints one table: metric | signage-player | reference | ratio | goal | pass/fail.
#
#   1. start-up: process start -> first frame presented, demo content
#      (`play --headless --run-for 0`, and the same in a fullscreen window under Xvfb),
#      median and p90 of 15 runs                                         goal <= 300 ms
#      mpv: wall time of `mpv --frames=1 --image-display-duration=0 poster.png`
#   2. CPU while one static slogan slide is shown (bench/configs/static), % of one core
#      over 30 s starting 3 s after launch, headless and under Xvfb 1920x1080 fullscreen,
#      median of 3 windows; mpv showing a still image the same way     goal <= 1 %
#   3. peak RSS playing the demo for 60 s (`play --run-for 60`, GNU time -v), headless and
#      under Xvfb; mpv showing one poster                               goal <= 80 MiB
#   4. CPU while playing the demo (crossfades), for information; mpv as a plain slideshow
#
# Usage:
#   bench/run.sh                 full run (about 4 minutes)
#   bench/run.sh --quick         fewer, shorter runs (about 2 minutes) to try things out
#   bench/run.sh --serial        run the CPU/RSS programs one at a time (slower, less crosstalk)
#   bench/run.sh --no-build      use the existing build-bench/ binary as it is
#   bench/run.sh -- ARGS         pass ARGS to bench/bench.py (see bench/bench.py --help)
#
# Installs what is missing (mpv, xvfb, xauth, time; Debian packages, needs root or sudo),
# builds build-bench/ (Release) when needed, then runs bench/bench.py. Raw numbers go to
# bench/results/latest.json and the programs' logs to bench/results/logs/.
# Exit status: 0 when every goal passes, 1 when one fails, 2 when the benchmark cannot run.
# Environment: SIGNAGE_BENCH_BUILD_DIR (default build-bench), SIGNAGE_BENCH_PLAYER (a binary
# to measure instead of building one).
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$bench_dir/.." && pwd)
build_dir=${SIGNAGE_BENCH_BUILD_DIR:-$src/build-bench}
[[ "$build_dir" = /* ]] || build_dir=$src/$build_dir

build=yes
mkdir -p "$bench_dir/results"
py_args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) py_args+=(--runs 5 --repeats 1 --window 10 --demo-seconds 20 --loop-seconds 0) ;;
        --serial) py_args+=(--serial) ;;
        --no-build) build=no ;;
        -h|--help) sed -n '2,29s/^# \{0,1\}//p' "$0"; exit 0 ;;
        --) shift; py_args+=("$@"); break ;;
        *) echo "run.sh: unknown argument \"$1\" (try --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { printf '[bench] %s\n' "$*" >&2; }

# --- tools --------------------------------------------------------------------------------
missing=()
command -v mpv >/dev/null || missing+=(mpv)
command -v Xvfb >/dev/null || missing+=(xvfb)
command -v xauth >/dev/null || missing+=(xauth)
[[ -x /usr/bin/time ]] || missing+=(time)
[[ -x /usr/bin/python3 ]] || missing+=(python3)
if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing ${missing[*]} (apt-get)"
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { say "need root or sudo to install: ${missing[*]}"; exit 2; }
        sudo=sudo
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null ||
        { $sudo apt-get update >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null; }
fi

# --- the player ---------------------------------------------------------------------------
if [[ -n "${SIGNAGE_BENCH_PLAYER:-}" ]]; then
    player=$SIGNAGE_BENCH_PLAYER
elif [[ "$build" == yes ]]; then
    player=$build_dir/player/signage-player
    say "building $player (Release; incremental)"
    if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
        cmake -S "$src" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >"$bench_dir/results/build-configure.log" 2>&1 || {
            say "cmake configure failed, see $bench_dir/results/build-configure.log (scripts/setup.sh installs the build dependencies)"
            exit 2
        }
    fi
    # Only the player: the tests are not needed here (and may be mid-edit by someone else).
    if ! cmake --build "$build_dir" -j"$(nproc)" --target signage-player >"$bench_dir/results/build.log" 2>&1; then
        if [[ -x "$player" ]]; then
            say "WARNING: the build failed (see $bench_dir/results/build.log); measuring the previous binary"
        else
            say "the build failed, see $bench_dir/results/build.log"
            exit 2
        fi
    fi
else
    player=$build_dir/player/signage-player
fi
[[ -x "$player" ]] || { say "no player binary at $player"; exit 2; }
[[ -n "${SIGNAGE_BENCH_PLAYER:-}" ]] || grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$build_dir/CMakeCache.txt" 2>/dev/null ||
    say "note: $build_dir is not a Release build"

if [[ -e /etc/signage-player/player.ini ]]; then
    say "note: /etc/signage-player/player.ini exists; the benchmark passes --config assets/player.ini to play the demo"
fi

say "measuring $player against $(mpv --version | head -1 | cut -d' ' -f1-2); the table follows at the end"
# ticker.sh runs its own script through this one (SIGNAGE_BENCH_SCRIPT): the same tools and build.
exec /usr/bin/python3 "${SIGNAGE_BENCH_SCRIPT:-$bench_dir/bench.py}" --player "$player" --src "$src" "${py_args[@]}"
