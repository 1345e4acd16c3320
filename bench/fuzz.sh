#!/usr/bin/env bash
# Runs the libFuzzer targets (tests/fuzz/fuzz_*.cpp) for a fixed time each and prints one table:
# target, seconds run, executions, exec/s, corpus entries at the end, coverage (cov: and ft:
# from libFuzzer's first and last status lines, so what the run found is start -> end), peak
# RSS, and findings (crash-, leak-, timeout-, oom- files written; 0 expected).
#
#   build    $FUZZ_BUILD_DIR (default build-fuzz): CC=clang CXX=clang++, -DSIGNAGE_FUZZ=ON,
#            RelWithDebInfo; only the fuzz targets are built (incremental)
#   run      each target on a scratch copy of its seed corpus (tests/fuzz/corpus/<target>/, never
#            written to) plus a work corpus where libFuzzer adds what it finds, with
#            -max_total_time=SECONDS -timeout=25 -rss_limit_mb=2048 -print_final_stats=1;
#            UBSan halts on its first report, so undefined behaviour is a crash- file too
#   results  bench/results/fuzz-<date-time>/: per target its log, work corpus and findings
#            (artifacts/), and table.md; a finding's file replays with `BIN FILE`
#
# Usage:
#   bench/fuzz.sh                      every target, 600 s each, 2 at a time (13 targets: ~70 min)
#   bench/fuzz.sh fuzz_poster ...      only these targets
#   bench/fuzz.sh --no-build           run the binaries already in the build dir
#   FUZZ_SECONDS=60 FUZZ_JOBS=1 bench/fuzz.sh fuzz_manifest
#
# Environment: FUZZ_SECONDS (default 600), FUZZ_JOBS (default 2), FUZZ_BUILD_DIR (default
# build-fuzz), FUZZ_RESULTS (default bench/results/fuzz-<date-time>). Needs clang with its
# libFuzzer runtime (Debian: clang). Exit status: 0 when no target found anything, 1 when one
# did (or died without a finding file), 2 when the run could not start.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$bench_dir/.." && pwd)
seconds=${FUZZ_SECONDS:-600}
jobs=${FUZZ_JOBS:-2}
build_dir=${FUZZ_BUILD_DIR:-$src/build-fuzz}
[[ "$build_dir" = /* ]] || build_dir=$src/$build_dir
results=${FUZZ_RESULTS:-$bench_dir/results/fuzz-$(date +%Y%m%d-%H%M%S)}
[[ "$results" = /* ]] || results=$src/$results

build=yes
targets=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) build=no ;;
        -h|--help) sed -n '2,27s/^# \{0,1\}//p' "$0"; exit 0 ;;
        -*) echo "fuzz.sh: unknown option \"$1\" (try --help)" >&2; exit 2 ;;
        *) targets+=("$1") ;;
    esac
    shift
done

say() { printf '[bench/fuzz] %s\n' "$*" >&2; }
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]] || { say "FUZZ_SECONDS must be a positive number"; exit 2; }
[[ "$jobs" =~ ^[0-9]+$ && "$jobs" -gt 0 ]] || { say "FUZZ_JOBS must be a positive number"; exit 2; }

if [[ ${#targets[@]} -eq 0 ]]; then
    for file in "$src"/tests/fuzz/fuzz_*.cpp; do
        name=$(basename "$file" .cpp)
        targets+=("$name")
    done
fi
for name in "${targets[@]}"; do
    [[ -f "$src/tests/fuzz/$name.cpp" ]] || { say "no such target: $name (tests/fuzz/$name.cpp)"; exit 2; }
done
mkdir -p "$results"

# --- build ---------------------------------------------------------------------------------
if [[ "$build" == yes ]]; then
    command -v clang++ >/dev/null || { say "clang++ is missing (Debian package: clang)"; exit 2; }
    if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
        say "configuring $build_dir"
        CC=clang CXX=clang++ cmake -S "$src" -B "$build_dir" -DSIGNAGE_FUZZ=ON \
            -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$results/configure.log" 2>&1 ||
            { say "configure failed (see $results/configure.log)"; exit 2; }
    fi
    grep -q '^SIGNAGE_FUZZ:BOOL=ON' "$build_dir/CMakeCache.txt" ||
        { say "$build_dir is not a SIGNAGE_FUZZ build"; exit 2; }
    say "building ${#targets[@]} targets in $build_dir (log: $results/build.log)"
    cmake --build "$build_dir" -j "$jobs" --target "${targets[@]}" >"$results/build.log" 2>&1 ||
        { say "build failed (see $results/build.log)"; exit 2; }
fi
for name in "${targets[@]}"; do
    [[ -x "$build_dir/tests/fuzz/$name" ]] || { say "no binary $build_dir/tests/fuzz/$name"; exit 2; }
done

# --- run -----------------------------------------------------------------------------------
# One target: scratch seed copy, work corpus, artifacts; wall seconds into its folder.
fuzz_one() {
    local name=$1 dir=$results/$1
    rm -rf "$dir"
    mkdir -p "$dir/seed" "$dir/work" "$dir/artifacts"
    if [[ -d "$src/tests/fuzz/corpus/$name" ]]; then
        cp -R "$src/tests/fuzz/corpus/$name/." "$dir/seed/"
    fi
    local start end status=0
    start=$(date +%s)
    ( cd "$dir" &&
      UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      "$build_dir/tests/fuzz/$name" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
          -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "$dir/work" "$dir/seed" \
          >"$dir/fuzz.log" 2>&1 ) || status=$?
    end=$(date +%s)
    echo "$((end - start)) $status" >"$dir/wall"
    say "$name done after $((end - start)) s (exit $status)"
}

say "${#targets[@]} targets, $seconds s each, $jobs at a time; results in $results"
running=0
for name in "${targets[@]}"; do
    if [[ $running -ge $jobs ]]; then
        wait -n || true
        running=$((running - 1))
    fi
    say "$name started"
    fuzz_one "$name" &
    running=$((running + 1))
done
wait || true

# --- table ---------------------------------------------------------------------------------
# The last libFuzzer status line ("#N ... cov: C ft: F corp: E/S ...") of a log, or of its
# INITED line when $2 is "INITED".
status_field() {  # log field [INITED]
    local line
    if [[ "${3:-}" == INITED ]]; then
        line=$(grep -a -E '^#[0-9]+[[:space:]]+INITED' "$1" | tail -n 1 || true)
    else
        line=$(grep -a -E '^#[0-9]+[[:space:]]' "$1" | tail -n 1 || true)
    fi
    awk -v key="$2:" '{ for (i = 1; i < NF; ++i) if ($i == key) { split($(i + 1), a, "/"); print a[1]; exit } }' <<<"$line"
}
stat_value() {  # log name
    awk -v key="stat::$2:" '$1 == key { print $2 }' "$1" | tail -n 1
}

table=$results/table.md
failed=0
{
    printf '| target | seconds | executions | exec/s | corpus | cov (start → end) | ft (start → end) | peak RSS MiB | findings |\n'
    printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
    for name in "${targets[@]}"; do
        dir=$results/$name
        log=$dir/fuzz.log
        read -r wall status <"$dir/wall"
        findings=$(find "$dir/artifacts" -maxdepth 1 -type f \
            \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
        note=$findings
        if [[ "$findings" -gt 0 ]]; then
            note="$findings ($(find "$dir/artifacts" -maxdepth 1 -type f -printf '%f\n' | sed 's/-.*//' | sort | uniq -c |
                awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }'))"
            failed=1
        elif [[ "$status" != 0 ]]; then
            note="exit $status, no file (see $name/fuzz.log)"
            failed=1
        fi
        printf '| %s | %s | %s | %s | %s | %s → %s | %s → %s | %s | %s |\n' "$name" "$wall" \
            "$(stat_value "$log" number_of_executed_units)" "$(stat_value "$log" average_exec_per_sec)" \
            "$(status_field "$log" corp)" \
            "$(status_field "$log" cov INITED)" "$(status_field "$log" cov)" \
            "$(status_field "$log" ft INITED)" "$(status_field "$log" ft)" \
            "$(stat_value "$log" peak_rss_mb)" "$note"
    done
} >"$table"
cat "$table"
say "table: $table"
exit $failed
