#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every test, then runs the tests
# again on an AddressSanitizer + UndefinedBehaviorSanitizer build.
#
#   1. scripts/setup.sh                       Debian packages (only the missing ones)
#   2. scripts/build.sh                       build/
#   3. ctest --test-dir build                 all labels (unit render fuzz integration systemd install ...)
#   4. scripts/build.sh --asan                build-asan/ (-DSIGNAGE_SANITIZE=ON)
#   5. ctest --test-dir build-asan            labels unit, render, fuzz (leak checking on)
#   6. ctest --test-dir build-asan            label integration (leak checking off, see below)
#
# Exits non-zero on any failure and ends with a summary line ("summary: N passed, N failed, N
# skipped"). Environment: SIGNAGE_BUILD_DIR, SIGNAGE_ASAN_BUILD_DIR (other build folders),
# SIGNAGE_NO_ASAN=1 (skip steps 4 to 6).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

build=${SIGNAGE_BUILD_DIR:-build}
asan_build=${SIGNAGE_ASAN_BUILD_DIR:-build-asan}
jobs=$(nproc 2>/dev/null || echo 2)
started=$SECONDS

total_passed=0
total_failed=0
total_skipped=0
details=()
failed_steps=()

elapsed() {
    local s=$((SECONDS - started))
    printf '%dm%02ds' $((s / 60)) $((s % 60))
}

section() {
    echo
    echo "==== test.sh: $* ($(elapsed))"
}

finish() {
    echo
    echo "==== test.sh: done in $(elapsed)"
    local d
    for d in "${details[@]}"; do
        echo "  $d"
    done
    if ((${#failed_steps[@]})); then
        echo "  FAILED: ${failed_steps[*]}"
    fi
    echo "summary: $total_passed passed, $total_failed failed, $total_skipped skipped"
    if ((${#failed_steps[@]})); then
        exit 1
    fi
    exit 0
}

# run_ctest NAME DIR [ctest args...]: runs ctest, adds its counts to the totals.
run_ctest() {
    local name=$1 dir=$2
    shift 2
    local log="$dir/test.sh-ctest.log"
    ctest --test-dir "$dir" --output-on-failure --no-tests=error -j "$jobs" --timeout 600 "$@" </dev/null 2>&1 |
        tee "$log"
    local status=${PIPESTATUS[0]}
    # ctest's closing line: "95% tests passed, 2 tests failed out of 40"; skipped tests count
    # as passed there and are listed under "The following tests did not run:".
    local line total failed skipped passed
    line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
    if [[ -z "$line" ]]; then
        details+=("$name: ctest exited $status without a result line")
        failed_steps+=("$name")
        return
    fi
    total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
    failed=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
    skipped=$(sed -n '/^The following tests did not run:/,/^$/p' "$log" | grep -cE '^[[:space:]]+[0-9]+ - ' || true)
    passed=$((total - failed - skipped))
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    total_skipped=$((total_skipped + skipped))
    details+=("$name: $passed passed, $failed failed, $skipped skipped")
    if ((status != 0 || failed != 0)); then
        failed_steps+=("$name")
        # CI shows only the tail of the output: name the failed tests there.
        local t
        while IFS= read -r t; do
            [[ -n "$t" ]] && details+=("  failed in $name: ${t#"${t%%[![:space:]]*}"}")
        done < <(sed -n '/^The following tests FAILED:/,/^$/p' "$log" | grep -E '^[[:space:]]+[0-9]+ - ')
    fi
}

section "setup"
if ! bash scripts/setup.sh </dev/null; then
    failed_steps+=("setup")
    finish
fi

section "build $build/"
if ! SIGNAGE_BUILD_DIR=$build bash scripts/build.sh; then
    failed_steps+=("build $build/")
    finish
fi

section "ctest $build/ (all labels)"
run_ctest "$build/ (all labels)" "$build"

if [[ "${SIGNAGE_NO_ASAN:-}" == 1 ]]; then
    details+=("$asan_build/: skipped (SIGNAGE_NO_ASAN=1)")
    finish
fi

section "build $asan_build/ (ASan + UBSan)"
if ! SIGNAGE_ASAN_BUILD_DIR=$asan_build bash scripts/build.sh --asan; then
    failed_steps+=("build $asan_build/")
    finish
fi

# Sanitizer failures are fatal: the first ASan or UBSan report aborts the test with a stack.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if [[ -z "${ASAN_SYMBOLIZER_PATH:-}" && -x /usr/bin/llvm-symbolizer ]]; then
    export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer  # file:line in the stacks
fi

section "ctest $asan_build/ (labels unit, render, fuzz; ASan + UBSan + leaks)"
run_ctest "$asan_build/ (unit, render, fuzz)" "$asan_build" -L '^(unit|render|fuzz)$'

# The integration tests run the sanitized signage-player binary itself, under Xvfb too: memory
# errors and undefined behaviour still abort it, but its leak report at exit is not ours to fix.
# It lists what system libraries keep until exit: SDL's D-Bus connection (libdbus), fontconfig's
# parsed configuration, Mesa's GL driver (loaded with dlopen, so LeakSanitizer cannot even name
# it). The player's own code is leak-checked above: the unit and render tests run it in-process.
integration_tests=$(ctest --test-dir "$asan_build" -N -L '^integration$' 2>/dev/null)
if grep -qE '^ *Test +#' <<<"$integration_tests"; then
    section "ctest $asan_build/ (label integration; ASan + UBSan, no leak check)"
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
        run_ctest "$asan_build/ (integration)" "$asan_build" -L '^integration$'
else
    details+=("$asan_build/ (integration): no integration tests found")
fi

finish
