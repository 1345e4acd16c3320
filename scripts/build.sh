#!/usr/bin/env bash
# Configures and builds the player and its tests (RelWithDebInfo, all cores).
#
#   scripts/build.sh            into build/       (build/player/signage-player)
#   scripts/build.sh --asan     into build-asan/  with -DSIGNAGE_SANITIZE=ON (ASan + UBSan, -O1)
#
# Extra arguments after the options are passed to the CMake configure step, e.g.
#   scripts/build.sh -DSIGNAGE_TESTS=OFF
# SIGNAGE_BUILD_DIR / SIGNAGE_ASAN_BUILD_DIR choose other build folders (relative to the repo).
# Run scripts/setup.sh first on a new machine (demo.sh and test.sh do).
set -euo pipefail
cd "$(dirname "$0")/.."

asan=no
cmake_args=()
for arg in "$@"; do
    case "$arg" in
        --asan) asan=yes ;;
        -h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
        -D*) cmake_args+=("$arg") ;;
        *) echo "build.sh: unknown argument \"$arg\" (try --help)" >&2; exit 2 ;;
    esac
done

if [[ "$asan" == yes ]]; then
    dir=${SIGNAGE_ASAN_BUILD_DIR:-build-asan}
    # -O1 instead of RelWithDebInfo's -O2 (the level the AddressSanitizer documentation
    # suggests): the instrumented code compiles in about half the time and still runs fast.
    cmake_args=(-DSIGNAGE_SANITIZE=ON "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g -DNDEBUG"
                "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g -DNDEBUG" "${cmake_args[@]}")
else
    dir=${SIGNAGE_BUILD_DIR:-build}
fi
jobs=$(nproc 2>/dev/null || echo 2)

if [[ "$asan" == yes ]]; then
    echo "build.sh: configuring $dir/ (RelWithDebInfo, ASan + UBSan)"
else
    echo "build.sh: configuring $dir/ (RelWithDebInfo)"
fi
if ! cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${cmake_args[@]}"; then
    echo "build.sh: configure failed (missing packages? run scripts/setup.sh)" >&2
    exit 1
fi
echo "build.sh: building $dir/ with $jobs jobs"
cmake --build "$dir" -j "$jobs"
echo "build.sh: built $dir/player/signage-player"
