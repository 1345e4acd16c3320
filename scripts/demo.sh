#!/usr/bin/env bash
# The first command to run: installs what is missing, builds, and plays the built-in demo
# (the campaign's slogans and posters from assets/).
#
#   scripts/demo.sh [play options...]     e.g. scripts/demo.sh --config my/player.ini
#
# With a display (DISPLAY or WAYLAND_DISPLAY set) the demo plays in a window: Esc or q quits.
# Without one it renders a few frames to out/demo-*.png and plays headless for 20 seconds,
# printing the player's log. Extra arguments are passed to `signage-player play`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh </dev/null
bash scripts/build.sh
player=${SIGNAGE_BUILD_DIR:-build}/player/signage-player
echo

if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
    echo "demo.sh: playing the demo in a window: press Esc or q (or close the window) to quit"
    echo "demo.sh: $player play --windowed $*"
    exec "$player" play --windowed "$@"
fi

echo "demo.sh: no display (DISPLAY and WAYLAND_DISPLAY are unset): rendering frames to out/, then playing headless"
mkdir -p out
rm -f out/demo-*.png
# Seconds into the demo playlist (assets/playlist.ini): the welcome slogan, the first poster,
# the first campaign slogan, a later one, and two more posters.
for at in 2.5 9 15.5 43 117 125; do
    png=$(printf 'out/demo-%05.1fs.png' "$at")
    if ! "$player" render --at "$at" --out "$png" 2>out/demo-render.log; then
        cat out/demo-render.log >&2
        echo "demo.sh: render --at $at failed" >&2
        exit 1
    fi
done
rm -f out/demo-render.log
frames=(out/demo-*.png)
echo "demo.sh: wrote ${#frames[@]} frames (PNG) to $PWD/out/:"
printf '  %s\n' "${frames[@]}"

# The demo's player.ini with [log] level = debug, so that the log shows each item as it comes
# on screen (at the default level, info, a healthy player says little).
sed -e "s|^playlist *=.*|playlist = $PWD/assets/playlist.ini|" -e "s|^level *=.*|level = debug|" \
    assets/player.ini >out/demo-player.ini
echo "demo.sh: now playing headless for 20 s; the log shows each item as it comes on screen:"
echo "demo.sh: $player play --headless --run-for 20 --config out/demo-player.ini $*"
exec "$player" play --headless --run-for 20 --config out/demo-player.ini "$@"
