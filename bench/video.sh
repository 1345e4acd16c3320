#!/usr/bin/env bash
# Video throughput: `signage-player bench` against `ffmpeg -i clip -f null -` on the same clip,
# side by side in one run, with the ratio against the issue's goal (bench >= 85% of ffmpeg).
#
#   clip: 20 s 1080p30 H.264 (libx264 veryfast, yuv420p) + AAC, from lavfi testsrc2 and sine,
#         made once and kept in the media folder
#   rows: ffmpeg decoding everything (the issue's reference), ffmpeg decoding video only (what
#         the player's bench decodes), the player's decode-only pass and its decode+present pass
#         (upload as YUV, draw, present on the software renderer into an offscreen surface)
#   figures: median of --runs runs (interleaved); fps = frames / wall seconds; CPU-seconds =
#         user + system of every thread; peak RSS: GNU time for ffmpeg, the player's own
#         getrusage high-water mark after each pass
#
# Usage:
#   bench/video.sh                 3 runs of each on the 1080p clip
#   bench/video.sh --runs 5
#   bench/video.sh --4k            also a 10 s 2160p30 clip (made once; takes a minute)
#   bench/video.sh --no-build      use the existing player binary as it is
#   bench/video.sh CLIP...         measure these files instead of the generated clip
#
# Builds $SIGNAGE_BENCH_BUILD_DIR (default build-bench, Release, the player target only) unless
# SIGNAGE_BENCH_PLAYER names a binary. Clips and logs go to $SIGNAGE_BENCH_MEDIA (default
# BUILD_DIR/bench-media). Needs ffmpeg, ffprobe and /usr/bin/time (Debian: ffmpeg, time).
# Exit status: 0 when every clip meets the goal, 1 when one does not, 2 when it cannot run.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$bench_dir/.." && pwd)
build_dir=${SIGNAGE_BENCH_BUILD_DIR:-$src/build-bench}
[[ "$build_dir" = /* ]] || build_dir=$src/$build_dir
media=${SIGNAGE_BENCH_MEDIA:-$build_dir/bench-media}
goal=85
runs=3
build=yes
want_4k=no
clips=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) runs=$2; shift ;;
        --4k) want_4k=yes ;;
        --no-build) build=no ;;
        -h|--help) sed -n '2,27s/^# \{0,1\}//p' "$0"; exit 0 ;;
        -*) echo "video.sh: unknown option \"$1\" (try --help)" >&2; exit 2 ;;
        *) clips+=("$1") ;;
    esac
    shift
done

say() { printf '[bench/video] %s\n' "$*" >&2; }
for tool in ffmpeg ffprobe /usr/bin/time; do
    command -v "$tool" >/dev/null || { say "$tool is missing (Debian packages: ffmpeg, time)"; exit 2; }
done
mkdir -p "$media"

# --- the player ---------------------------------------------------------------------------
if [[ -n "${SIGNAGE_BENCH_PLAYER:-}" ]]; then
    player=$SIGNAGE_BENCH_PLAYER
else
    player=$build_dir/player/signage-player
    if [[ "$build" == yes ]]; then
        say "building $player (Release; incremental)"
        if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
            cmake -S "$src" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >"$media/build-configure.log" 2>&1 ||
                { say "cmake configure failed, see $media/build-configure.log"; exit 2; }
        fi
        if ! cmake --build "$build_dir" -j"$(nproc)" --target signage-player >"$media/build.log" 2>&1; then
            [[ -x "$player" ]] || { say "the build failed, see $media/build.log"; exit 2; }
            say "WARNING: the build failed (see $media/build.log); measuring the previous binary"
        fi
    fi
    grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$build_dir/CMakeCache.txt" 2>/dev/null ||
        say "note: $build_dir is not a Release build"
fi
[[ -x "$player" ]] || { say "no player binary at $player"; exit 2; }

# --- the clips ----------------------------------------------------------------------------
make_clip() {  # name size seconds
    local out=$media/$1
    if [[ ! -s "$out" ]]; then
        say "making $out ($2, $3 s, H.264 + AAC)"
        ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=$2:rate=30" \
            -f lavfi -i "sine=frequency=1000:sample_rate=48000" -t "$3" \
            -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -shortest "$out.tmp.mp4"
        mv "$out.tmp.mp4" "$out"
    fi
    clips+=("$out")
}
if [[ ${#clips[@]} -eq 0 ]]; then
    make_clip clip-1080p30-20s.mp4 1920x1080 20
    [[ "$want_4k" == yes ]] && make_clip clip-2160p30-10s.mp4 3840x2160 10
fi

# --- measuring ----------------------------------------------------------------------------
# timed LOG COMMAND...: runs it under GNU time; prints "wall cpu rss_kib" on stdout.
timed() {
    local log=$1; shift
    local times=$media/time.$$
    /usr/bin/time -f '%e %U %S %M' -o "$times" "$@" >"$log" 2>&1 || { say "failed: $* (see $log)"; return 1; }
    awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$times"
    rm -f "$times"
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

status=0
for clip in "${clips[@]}"; do
    [[ -s "$clip" ]] || { say "no such clip: $clip"; status=2; continue; }
    frames=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$clip")
    name=$(basename "$clip")
    rows=$media/rows.$$
    : >"$rows"
    say "$name: $frames frames; $runs runs of each (interleaved)"
    for run in $(seq "$runs"); do
        read -r wall cpu rss < <(timed "$media/ffmpeg-$name.log" ffmpeg -nostdin -v error -i "$clip" -f null -)
        echo "ffmpeg $(awk -v f="$frames" -v w="$wall" 'BEGIN { printf "%.1f", f / w }') $wall $cpu $rss" >>"$rows"
        read -r wall cpu rss < <(timed "$media/ffmpeg-an-$name.log" ffmpeg -nostdin -v error -i "$clip" -an -f null -)
        echo "ffmpeg-an $(awk -v f="$frames" -v w="$wall" 'BEGIN { printf "%.1f", f / w }') $wall $cpu $rss" >>"$rows"
        log=$media/player-$name.log
        timed "$log" "$player" bench "$clip" >/dev/null
        # "decode:   600 frames in   2.229 s =    269.2 fps,   2.61 CPU-s, peak RSS   79 MiB"
        # The peak is the process's high-water mark after that pass (decode runs first).
        for pass in decode decode+present; do
            line=$(grep "^$pass:" "$log") || { say "no $pass line in $log"; exit 2; }
            awk -v p="$pass" '{ printf "player-%s %s %s %s %d\n", p, $8, $5, $10, $14 * 1024 }' <<<"$line" >>"$rows"
        done
        say "  run $run/$runs done"
    done
    pick() { awk -v r="$1" -v c="$2" '$1 == r { print $c }' "$rows" | median; }
    printf '\n%s (%s frames)\n' "$name" "$frames"
    printf '%-46s %9s %9s %9s %10s\n' "what" "fps" "wall s" "CPU-s" "peak RSS"
    for row in ffmpeg ffmpeg-an player-decode player-decode+present; do
        case $row in
            ffmpeg) label="ffmpeg -i clip -f null -  (reference)" ;;
            ffmpeg-an) label="ffmpeg -i clip -an -f null -  (video only)" ;;
            player-decode) label="signage-player bench: decode" ;;
            player-decode+present) label="signage-player bench: decode+present" ;;
        esac
        rss_mib=$(pick "$row" 5 | awk '{ printf "%.0f MiB", $1 / 1024 }')
        printf '%-46s %9s %9s %9s %10s\n' "$label" "$(pick "$row" 2)" "$(pick "$row" 3)" "$(pick "$row" 4)" "$rss_mib"
    done
    reference=$(pick ffmpeg 2)
    for row in player-decode player-decode+present; do
        ratio=$(awk -v a="$(pick "$row" 2)" -v b="$reference" 'BEGIN { printf "%.0f", 100 * a / b }')
        cpu_ratio=$(awk -v a="$(pick "$row" 4)" -v b="$(pick ffmpeg 4)" 'BEGIN { printf "%.0f", 100 * a / b }')
        verdict=pass
        if [[ $row == player-decode+present ]] && ((ratio < goal)); then verdict=FAIL; status=$((status > 1 ? status : 1)); fi
        [[ $row == player-decode ]] && verdict=info
        printf '%-46s %8s%% of ffmpeg fps, %s%% of its CPU-s  (goal fps >= %s%%: %s)\n' "ratio ${row#player-}" "$ratio" "$cpu_ratio" "$goal" "$verdict"
    done
    echo "(one player process runs both passes, decode first: the second peak RSS is the process's"
    echo " high-water mark, in practice the present pass's own; its canvas is the video's size)"
    rm -f "$rows"
done
exit "$status"
