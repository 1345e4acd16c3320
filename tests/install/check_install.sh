#!/usr/bin/env bash
# ctest (label install): the installed player finds its assets and fonts on its own.
#
#   check_install.sh BUILD_DIR
#
# Installs BUILD_DIR into a temporary prefix, then from an unrelated working directory runs
#   PREFIX/bin/signage-player check             (no --config: the built-in demo)  -> exit 0
#   PREFIX/bin/signage-player render --at 1 ... -> a PNG file
# and checks the demo playlist came from PREFIX/share/signage-player, not from the source tree
# the binary was built in (its last fallback). It also checks the lean sync binary was installed
# beside the player, and that
#   PREFIX/bin/signage-sync --version / publish DIR / sync --once
# load no SDL or FFmpeg library at all (the loader's own trace, LD_DEBUG=files), the sync's media
# probe running the installed player beside it.
set -uo pipefail

build=${1:?usage: check_install.sh BUILD_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
mkdir "$tmp/elsewhere"

fail() {
    echo "FAIL: $*"
    exit 1
}

if [[ -e /etc/signage-player/player.ini ]]; then
    # Without --config the player would use this machine's real configuration instead of the
    # installed demo, and this test would check that configuration.
    echo "SKIP: /etc/signage-player/player.ini exists on this machine"
    exit 77
fi

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; fail "cmake --install $build --prefix $prefix"; }
player="$prefix/bin/signage-player"
[[ -x "$player" ]] || fail "$player was not installed"
for f in share/signage-player/assets/player.ini share/signage-player/assets/playlist.ini \
         share/signage-player/assets/slogans.txt; do
    [[ -f "$prefix/$f" ]] || fail "$prefix/$f was not installed"
done
ls "$prefix"/share/signage-player/fonts/*.otf >/dev/null 2>&1 || fail "no font installed in $prefix/share/signage-player/fonts"
sync="$prefix/bin/signage-sync"
[[ -x "$sync" ]] || fail "$sync was not installed beside the player"
[[ -z "$(find "$prefix" -name '*.so')" ]] || fail "a shared object was installed: $(find "$prefix" -name '*.so')"

# trace_loads ARGS...: runs the installed signage-sync with the loader's trace; writes the objects
# it (not its children) loaded, one a line, to $tmp/loaded.
trace_loads() {
    local status pid
    rm -rf "$tmp/ld" && mkdir "$tmp/ld"
    env -u DISPLAY -u WAYLAND_DISPLAY LD_DEBUG=files LD_DEBUG_OUTPUT="$tmp/ld/trace" "$sync" "$@" \
        >"$tmp/traced.out" 2>&1 &
    pid=$!
    wait "$pid"
    status=$?
    ((status == 0)) || { cat "$tmp/traced.out"; fail "installed signage-sync $* exited $status"; }
    sed -n 's/.*file=\([^ ]*\) \[[0-9]*\];.*/\1/p' "$tmp/ld/trace.$pid" >"$tmp/loaded"
}

cd "$tmp/elsewhere" || fail "cd $tmp/elsewhere"
unset SIGNAGE_DATA_DIR

mkdir "$tmp/share"
printf '[hello]\ntype = slogan\ntext = Hello\n\n[poster]\ntype = image\nfile = poster.png\n' >"$tmp/share/playlist.ini"
# A real image the sync must probe (with the installed signage-player, beside signage-sync).
cp "$prefix"/share/signage-player/assets/posters/*.png "$tmp/share/poster.png" 2>/dev/null ||
    cp "$(find "$prefix/share/signage-player/assets/posters" -type f | head -1)" "$tmp/share/poster.png"
touch -d '10 minutes ago' "$tmp/share"/*
printf '[content]\nshare = %s\ncache = %s\nmin_free_mb = 0\n' "$tmp/share" "$tmp/cache" >"$tmp/sync.ini"
for args in "--version" "publish $tmp/share" "sync --once --config $tmp/sync.ini"; do
    # shellcheck disable=SC2086 # the words of $args are the arguments
    trace_loads $args
    grep -q libcrypto "$tmp/loaded" || fail "no loader trace from signage-sync $args"
    media=$(grep -E 'libSDL2|libav(codec|format|util)|libswscale' "$tmp/loaded" | tr '\n' ' ')
    [[ -z "$media" ]] || fail "installed signage-sync $args loaded media libraries: $media"
done
grep -q "1 media file probed" "$tmp/traced.out" || { cat "$tmp/traced.out"; fail "the installed sync probed no poster"; }
[[ -f "$tmp/cache/current/poster.png" ]] || fail "the installed sync did not take the poster"

env -u DISPLAY -u WAYLAND_DISPLAY "$player" check >"$tmp/check.out" 2>&1
status=$?
cat "$tmp/check.out"
((status == 0)) || fail "installed signage-player check exited $status, expected 0"
grep -qF "$prefix/share/signage-player/assets/playlist.ini" "$tmp/check.out" ||
    fail "check did not report the installed demo playlist ($prefix/share/signage-player/assets/playlist.ini)"

env -u DISPLAY -u WAYLAND_DISPLAY "$player" render --at 1 --out "$tmp/elsewhere/frame.png" >"$tmp/render.out" 2>&1
status=$?
cat "$tmp/render.out"
((status == 0)) || fail "installed signage-player render --at 1 exited $status"
[[ -s frame.png ]] || fail "render --at 1 wrote no frame.png"
[[ "$(head -c 8 frame.png | od -An -tx1 | tr -d ' \n')" == 89504e470d0a1a0a ]] ||
    fail "frame.png is not a PNG file"
echo "PASS: installed player checks the demo (exit 0) and renders a $(stat -c %s frame.png)-byte PNG from $PWD;"
echo "      signage-sync --version, publish and sync load no media library; the sync's probe ran the player"
