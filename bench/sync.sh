#!/usr/bin/env bash
# Share sync against rsync: a 1000-file share of about 1 GB with one file changed, synced by
# `signage-player sync --once` into its snapshot cache and by `rsync -a --delete` into a plain
# copy of the same tree; wall time and bytes copied side by side, with the ratio.
#
#   goal: bytes copied <= rsync's; wall time <= 1.2 x rsync's (median of the rounds)
#
# Rows:
#   one file changed       the file was changed a while before the sync (older than [content]
#                          settle, as it is for a poll every minute): the goal applies here
#   first sync (info)      the whole share into an empty cache / an empty folder
#   fresh change (info)    the file changed just before the sync: ours waits the settle time
#                          (2 s by default) before it takes the file, rsync takes it at once
#
# Usage:
#   bench/sync.sh [--rounds N] [--keep]
#       --rounds N   timed rounds per row (default 5), the tools' order alternating
#       --keep       keep the work folder (printed) instead of removing it
#
# Environment: SIGNAGE_BENCH_PLAYER (the player binary; signage-sync beside it is measured when
# there; default: build-bench-sync/, built Release when missing), SIGNAGE_BENCH_TMP (where the 3 GB work folder goes; default /var/tmp;
# share, cache and rsync's copy share one file system, as the issue asks).
# Installs rsync when missing (Debian package; root or sudo). Exit status: 0 when the goals
# pass, 1 when one fails, 2 when the benchmark cannot run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(dirname "$here")
rounds=5
keep=no
while (($#)); do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --keep) keep=yes; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "sync.sh: unknown option \"$1\" (try --help)" >&2; exit 2 ;;
    esac
done

say() { echo "sync.sh: $*" >&2; }
die() { say "$*"; exit 2; }

if ! command -v rsync >/dev/null; then
    say "installing rsync"
    if [[ $(id -u) -eq 0 ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q rsync >&2 || die "cannot install rsync"
    else
        sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q rsync >&2 || die "cannot install rsync"
    fi
fi

player=${SIGNAGE_BENCH_PLAYER:-}
if [[ -z "$player" ]]; then
    build="$source_dir/build-bench-sync"
    say "building $build (Release, signage-player only)"
    cmake -S "$source_dir" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSIGNAGE_TESTS=OFF >/dev/null \
        || die "cmake configure failed"
    cmake --build "$build" -j"$(nproc)" --target signage-player >/dev/null || die "build failed"
    player="$build/player/signage-player"
fi
[[ -x "$player" ]] || die "no player binary at $player"
# The lean sync binary beside the player is what timers and the player's background sync run.
if [[ -x "$(dirname "$player")/signage-sync" ]]; then
    player="$(dirname "$player")/signage-sync"
    say "measuring $player"
fi

tmp_root=${SIGNAGE_BENCH_TMP:-/var/tmp}
free_kb=$(df -Pk "$tmp_root" | awk 'NR == 2 {print $4}')
((free_kb > 4 * 1024 * 1024)) || die "$tmp_root has $((free_kb / 1024)) MB free; 4 GB needed"
work=$(mktemp -d "$tmp_root/signage-sync-bench-XXXXXX")
cleanup() {
    if [[ "$keep" == yes ]]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
share="$work/share"
cache="$work/cache"
copy="$work/rsync-copy"
mkdir -p "$share" "$copy"
cat >"$work/player.ini" <<EOF
[content]
share = $share
cache = $cache
min_free_mb = 512
EOF

# 1000 files, 10 folders, 0.5 to 1.5 MiB each (1 GiB in all), made 10 minutes old.
say "generating the share in $share (1000 files, about 1 GB)"
RANDOM=1
total=0
for ((i = 0; i < 1000; i++)); do
    folder="$share/media/$((i % 10))"
    mkdir -p "$folder"
    size=$((524288 + (RANDOM * 32768 + RANDOM) % 1048576))
    if ((i < 3)); then
        # The playlist's three posters: real images (the sync probes them), ~1 MiB of noise.
        /usr/bin/python3 - "$folder/clip-$i.png" <<'PY'
import os, struct, sys, zlib
w = h = 600
raw = b"".join(b"\0" + os.urandom(w * 3) for _ in range(h))
chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
with open(sys.argv[1], "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b""))
PY
        size=$(stat -c %s "$folder/clip-$i.png")
    else
        head -c "$size" /dev/urandom >"$folder/clip-$i.bin"
    fi
    total=$((total + size))
done
{
    printf '[welcome]\ntype = slogan\ntext = bench\n'
    for i in 0 1 2; do printf '\n[poster-%d]\ntype = image\nfile = media/%d/clip-%d.png\n' "$i" "$i" "$i"; done
} >"$share/playlist.ini"
find "$share" -exec touch -h -d '-10 min' {} +
say "share: $((total / 1024 / 1024)) MiB in 1000 files"

now_ms() { date +%s%3N; }

# Each timed run starts with nothing waiting to be written: our sync ends with syncfs, which
# would otherwise also write out what rsync left dirty (and rsync never waits for the disk).
settle_disk() { sync -f "$work"; }

# Runs our sync; prints "milliseconds bytes engine-milliseconds" (the last from its summary line:
# the sync itself, without starting the process).
ours() {
    local start end out bytes engine
    settle_disk
    start=$(now_ms)
    out=$("$player" sync --once --config "$work/player.ini" 2>&1) || { say "sync failed: $out"; exit 2; }
    end=$(now_ms)
    bytes=$(grep -o 'copied ([0-9]* bytes)' <<<"$out" | grep -o '[0-9]*' || true)
    engine=$(grep -o '([0-9]* ms' <<<"$out" | tail -1 | grep -o '[0-9]*' || true)
    echo "$((end - start)) ${bytes:-0} ${engine:-0}"
}

# Starting the player binary and nothing else (--version); SDL and FFmpeg are not loaded for
# this nor for sync when the binary is signage-sync (player/front/sync_main.cpp).
startup() {
    local start end
    start=$(now_ms)
    "$player" --version >/dev/null
    end=$(now_ms)
    echo "$((end - start))"
}

# Runs rsync; prints "milliseconds bytes".
theirs() {
    local start end out bytes
    settle_disk
    start=$(now_ms)
    out=$(rsync -a --delete --stats "$share/" "$copy/") || { say "rsync failed"; exit 2; }
    end=$(now_ms)
    bytes=$(awk -F': ' '/^Total transferred file size/ {gsub(/[^0-9]/, "", $2); print $2}' <<<"$out")
    echo "$((end - start)) ${bytes:-0}"
}

# Changes one file (same size, new bytes); `age` is how long ago: "-1 min" or "now".
change_one() {
    local n=$1 age=$2 index file
    index=$((3 + n * 37 % 997))  # a payload file, not one of the posters (files 0-2)
    file="$share/media/$((index % 10))/clip-$index.bin"
    head -c "$(stat -c %s "$file")" /dev/urandom >"$file.new"
    mv "$file.new" "$file"
    [[ "$age" == now ]] || touch -d "$age" "$file"
}

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }

declare -A ms bytes
# The first sync: each tool once (a 1 GB copy; one round is enough to show the cost).
say "first sync: signage-player"
read -r ms[first_ours] bytes[first_ours] ms[first_engine] < <(ours)
say "first sync: rsync"
read -r ms[first_theirs] bytes[first_theirs] < <(theirs)

run_rows() {
    local row=$1 age=$2 r a b c offset=0
    [[ "$row" == fresh ]] && offset=100
    local -a ours_ms=() theirs_ms=() ours_b=() theirs_b=() engine_ms=() start_ms=()
    for ((r = 0; r < rounds; r++)); do
        change_one $((r + offset)) "$age"
        # Alternate who goes first: the second one finds the file in the page cache already.
        if ((r % 2 == 0)); then
            read -r a b c < <(ours); ours_ms+=("$a"); ours_b+=("$b"); engine_ms+=("$c")
            read -r a b < <(theirs); theirs_ms+=("$a"); theirs_b+=("$b")
        else
            read -r a b < <(theirs); theirs_ms+=("$a"); theirs_b+=("$b")
            read -r a b c < <(ours); ours_ms+=("$a"); ours_b+=("$b"); engine_ms+=("$c")
        fi
        start_ms+=("$(startup)")
        say "$row round $((r + 1))/$rounds: signage-player ${ours_ms[-1]} ms (sync ${engine_ms[-1]} ms," \
            "process start ${start_ms[-1]} ms) ${ours_b[-1]} B; rsync ${theirs_ms[-1]} ms ${theirs_b[-1]} B"
    done
    ms[${row}_engine]=$(printf '%s\n' "${engine_ms[@]}" | median)
    ms[${row}_start]=$(printf '%s\n' "${start_ms[@]}" | median)
    ms[${row}_ours]=$(printf '%s\n' "${ours_ms[@]}" | median)
    ms[${row}_theirs]=$(printf '%s\n' "${theirs_ms[@]}" | median)
    bytes[${row}_ours]=$(printf '%s\n' "${ours_b[@]}" | median)
    bytes[${row}_theirs]=$(printf '%s\n' "${theirs_b[@]}" | median)
}
run_rows changed "-1 min"
run_rows fresh now

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "-"; else printf "%.2f", a / b}'; }
verdict() { awk -v r="$1" -v g="$2" 'BEGIN {print (r != "-" && r <= g) ? "pass" : "FAIL"}'; }

time_ratio=$(ratio "${ms[changed_ours]}" "${ms[changed_theirs]}")
byte_ratio=$(ratio "${bytes[changed_ours]}" "${bytes[changed_theirs]}")
time_verdict=$(verdict "$time_ratio" 1.2)
byte_verdict=$(verdict "$byte_ratio" 1.0)

echo
echo "Share sync: 1000 files, $((total / 1024 / 1024)) MiB; medians of $rounds rounds ($(uname -r), $(nproc) CPUs)"
printf '%-38s %16s %18s %7s %8s %s\n' "metric" "signage-player" "rsync -a --delete" "ratio" "goal" ""
printf '%-38s %13s ms %15s ms %7s %8s %s\n' "wall time, one file changed" "${ms[changed_ours]}" \
    "${ms[changed_theirs]}" "$time_ratio" "<= 1.2" "$time_verdict"
printf '%-38s %16s %18s %7s %8s %s\n' "bytes copied, one file changed" "${bytes[changed_ours]}" \
    "${bytes[changed_theirs]}" "$byte_ratio" "<= 1.0" "$byte_verdict"
engine_ratio=$(ratio "${ms[changed_engine]}" "${ms[changed_theirs]}")
printf '%-38s %13s ms %15s ms %7s %8s %s\n' "  of which the sync itself" "${ms[changed_engine]}" \
    "${ms[changed_theirs]}" "$engine_ratio" "<= 1.2" "$(verdict "$engine_ratio" 1.2)"
printf '%-38s %13s ms %18s %7s %8s\n' "  of which starting the binary" "${ms[changed_start]}" "-" "-" "info"
printf '%-38s %13s ms %15s ms %7s %8s\n' "wall time, first sync (1 run)" "${ms[first_ours]}" \
    "${ms[first_theirs]}" "$(ratio "${ms[first_ours]}" "${ms[first_theirs]}")" "info"
printf '%-38s %16s %18s %7s %8s\n' "bytes copied, first sync" "${bytes[first_ours]}" "${bytes[first_theirs]}" \
    "$(ratio "${bytes[first_ours]}" "${bytes[first_theirs]}")" "info"
printf '%-38s %13s ms %15s ms %7s %8s\n' "wall time, fresh change (settle wait)" "${ms[fresh_ours]}" \
    "${ms[fresh_theirs]}" "$(ratio "${ms[fresh_ours]}" "${ms[fresh_theirs]}")" "info"

[[ "$time_verdict" == pass && "$byte_verdict" == pass ]]
