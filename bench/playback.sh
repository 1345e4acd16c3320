#!/usr/bin/env bash
# Video playback cost against ffmpeg, ffplay and mpv, for issue 3's Performance goals; prints one
# table: for each clip and program, CPU-seconds (user + system, all threads) and peak RSS, all
# measured in the same run, with signage-player's figure divided by each program's.
#
#   clips        the issue's 20 s 1080p30 H.264 + AAC (lavfi testsrc2 + sine), and a 10 s 2160p30
#                one; made once, kept in the media folder (shared with bench/video.sh)
#   headless     play --headless (SDL dummy video)  vs  ffplay with SDL_VIDEODRIVER=dummy,
#                mpv --vo=null --ao=null, ffmpeg -re -i clip -f null - (the floor)
#   window       in Xvfb 1920x1080: play fullscreen  vs  mpv --vo=x11, ffplay, mpv --vo=sdl
#                (all fullscreen; each run its own X server, whose CPU is shown too)
#   loop         play --headless through two plays of the 1080p clip: peak RSS with the switch
#   throughput   signage-player bench  vs  ffmpeg -i clip -f null -
#   SDL sound (ours, ffplay) goes to SDL's disk driver writing /dev/null; mpv uses --ao=null.
#   Ours also reports its frames presented / dropped / late (--stats). Median of --runs runs.
#
# Usage:
#   bench/playback.sh                  everything, 3 runs (about 25 minutes)
#   bench/playback.sh --quick          1 run, 1080p only (about 5 minutes)
#   bench/playback.sh --runs N --clips 1080p,4k --only headless,loop,window,throughput
#   bench/playback.sh --max-load L     first wait (up to 10 min) for the load average to drop below L
#   bench/playback.sh --no-build       measure the existing binary as it is
#
# Installs what is missing (ffmpeg, mpv, xvfb; Debian packages, as root or through sudo), builds
# $SIGNAGE_BENCH_BUILD_DIR (default build-bench; RelWithDebInfo through scripts/build.sh when it is
# not configured yet, then the player target only) unless SIGNAGE_BENCH_PLAYER names a binary.
# Clips: $SIGNAGE_BENCH_MEDIA (default BUILD_DIR/bench-media). Raw figures: bench/results/playback.json,
# logs: bench/results/playback-logs/. Exit status: 0 when every goal passes, 1 when one fails,
# 2 when the benchmark cannot run.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$bench_dir/.." && pwd)
build_dir=${SIGNAGE_BENCH_BUILD_DIR:-$src/build-bench}
[[ "$build_dir" = /* ]] || build_dir=$src/$build_dir
media=${SIGNAGE_BENCH_MEDIA:-$build_dir/bench-media}
results=$bench_dir/results

build=yes
py_args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) py_args+=(--runs 1 --clips 1080p) ;;
        --runs|--clips|--only|--max-load)
            [[ $# -ge 2 ]] || { echo "playback.sh: $1 needs a value" >&2; exit 2; }
            py_args+=("$1" "$2"); shift ;;
        --no-build) build=no ;;
        -h|--help) sed -n '2,30s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "playback.sh: unknown argument \"$1\" (try --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { printf '[bench/playback] %s\n' "$*" >&2; }

# --- tools --------------------------------------------------------------------------------
missing=()
for tool in ffmpeg ffprobe ffplay; do command -v $tool >/dev/null || { missing+=(ffmpeg); break; }; done
command -v mpv >/dev/null || missing+=(mpv)
command -v Xvfb >/dev/null || missing+=(xvfb)
[[ -x /usr/bin/python3 ]] || missing+=(python3)
if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing what this benchmark needs: ${missing[*]} (apt-get)"
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { say "need root or sudo to install: ${missing[*]}"; exit 2; }
        sudo=sudo
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null ||
        { $sudo apt-get update >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null; } ||
        { say "could not install ${missing[*]}"; exit 2; }
fi

# --- the player ---------------------------------------------------------------------------
mkdir -p "$results" "$media"
if [[ -n "${SIGNAGE_BENCH_PLAYER:-}" ]]; then
    player=$SIGNAGE_BENCH_PLAYER
else
    player=$build_dir/player/signage-player
    if [[ "$build" == yes ]]; then
        if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
            say "configuring and building $build_dir (RelWithDebInfo, scripts/build.sh; a few minutes)"
            SIGNAGE_BUILD_DIR=$build_dir "$src/scripts/build.sh" -DSIGNAGE_TESTS=OFF >"$results/playback-build.log" 2>&1 ||
                { say "the build failed, see $results/playback-build.log"; exit 2; }
        else
            say "building $player (incremental, the player target only)"
            if ! cmake --build "$build_dir" -j"$(nproc)" --target signage-player >"$results/playback-build.log" 2>&1; then
                [[ -x "$player" ]] || { say "the build failed, see $results/playback-build.log"; exit 2; }
                say "WARNING: the build failed (see $results/playback-build.log); measuring the previous binary"
            fi
        fi
    fi
    grep -Eq 'CMAKE_BUILD_TYPE:STRING=(Release|RelWithDebInfo)' "$build_dir/CMakeCache.txt" 2>/dev/null ||
        say "note: $build_dir is not an optimised build"
fi
[[ -x "$player" ]] || { say "no player binary at $player"; exit 2; }

say "measuring $player; progress below, the table at the end"
exec /usr/bin/python3 "$bench_dir/playback.py" --player "$player" --media "$media" --results "$results" "${py_args[@]}"
