#!/usr/bin/env bash
# Installs the Debian 12 packages this project needs to build, test and demo the player.
#
# Idempotent: asks dpkg which packages are missing and installs only those; `apt-get update`
# runs only when something has to be installed, so a second run touches nothing and takes
# well under a second. Works as root, or through sudo for an ordinary user.
#
#   scripts/setup.sh            install whatever is missing
#   scripts/setup.sh --check    only list what is missing (exit 1 if anything is)
set -euo pipefail

# The one list of packages. One per line: name, then why the project needs it.
PACKAGES=$(cat <<'EOF'
build-essential      # C/C++ compiler (g++ with C++20), make
cmake                # the build system (3.22 or newer)
pkg-config           # CMake finds inih and fontconfig through it
libsdl2-dev          # window, renderer, events: the player itself
libsdl2-ttf-dev      # slogan text rendering
libsdl2-image-dev    # posters: PNG, JPEG, WebP, BMP decoding
libjpeg-dev          # JPEG posters decoded strictly first: a truncated or corrupt one is refused, not shown half grey
libgif-dev           # GIF posters read strictly first (giflib): SDL_image shows a cut GIF's rows that arrived
libavformat-dev      # video items (FFmpeg): container demuxing
libavcodec-dev       # video items (FFmpeg): decoding
libswscale-dev       # video items (FFmpeg): pixel format conversion
libswresample-dev    # video items (FFmpeg): audio resampling
libavutil-dev        # video items (FFmpeg): common utilities
libva-dev            # hardware decoding: which codec profiles a VAAPI driver decodes
libinih-dev          # player.ini / playlist.ini parsing
libhowardhinnant-date-dev # schedules: time zones and DST from the system's tz database (date/tz.h)
tzdata               # the tz database itself (/usr/share/zoneinfo) that schedules are evaluated in
libxml2-dev          # urgent alerts: CAP 1.2 XML files read with libxml2
libicu-dev           # Chinese word boundaries for line breaking: ICU's dictionary segmenter
libssl-dev           # SHA-256 (OpenSSL EVP) for share sync manifests
libcurl4-openssl-dev # shares served over HTTP(S): manifest and file downloads (libcurl4 is loaded at run time)
openssl              # the HTTPS sync tests make a private CA and server certificates with it
catch2               # unit and render tests (Catch2 v2)
libfontconfig-dev    # finding Noto Sans CJK when no font is configured
fonts-noto-cjk       # system CJK fallback font for Chinese slogans
fonts-dejavu-core    # Latin fallback font
xvfb                 # a virtual X display for windowed tests and the demo without a screen
xauth                # xvfb-run needs it
xdotool              # sends keys (Esc, q) to the player window in integration tests
x11-apps             # xwd: screenshots of the player window under Xvfb
ffmpeg               # makes and inspects test videos
python3              # helper scripts (posters, fixtures)
python3-pil          # helper scripts draw the campaign posters and test images
python3-jieba        # the line-break tests check slogan breaks against jieba's dictionary segmentation
python3-fusepy       # the stop tests mount a FUSE file system that hangs, as a dead network share does
pulseaudio           # a real sound server whose sink the audio-device test takes away and brings back
pulseaudio-utils     # pactl: unloads and loads that sink
systemd              # systemd-analyze verify: the ctest check of systemd/signage-player.service
clang                # libFuzzer builds (-DSIGNAGE_FUZZ=ON) and clang sanitizer builds
libclang-rt-14-dev   # clang's sanitizer and libFuzzer runtimes
EOF
)

check_only=no
case "${1:-}" in
    --check) check_only=yes ;;
    "") ;;
    -h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option \"$1\" (try --help)" >&2; exit 2 ;;
esac

wanted=()
while read -r name _; do
    [[ -n "$name" ]] && wanted+=("$name")
done <<<"$PACKAGES"

if [[ -r /etc/os-release ]]; then
    # shellcheck disable=SC1091
    os_id=$(. /etc/os-release && echo "${ID:-}:${VERSION_ID:-}")
    if [[ "$os_id" != "debian:12" ]]; then
        echo "setup.sh: note: written for Debian 12, this is ${os_id:-unknown}; package names may differ" >&2
    fi
fi
if ! command -v dpkg-query >/dev/null; then
    echo "setup.sh: dpkg-query not found: this script needs Debian 12 (or install the packages listed in it by hand)" >&2
    exit 1
fi

# One dpkg-query call for all packages. Unknown packages are reported on stderr and left out
# of stdout, so anything not printed as "install ok installed" is missing.
declare -A installed=()
while read -r name status; do
    [[ "$status" == "install ok installed" ]] && installed["${name%%:*}"]=1
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null || true)

missing=()
for name in "${wanted[@]}"; do
    [[ -n "${installed[$name]:-}" ]] || missing+=("$name")
done

if ((${#missing[@]} == 0)); then
    echo "setup.sh: all ${#wanted[@]} packages are installed"
    exit 0
fi
echo "setup.sh: missing: ${missing[*]}"
if [[ "$check_only" == yes ]]; then
    exit 1
fi

if [[ $(id -u) -eq 0 ]]; then
    as_root=(env DEBIAN_FRONTEND=noninteractive)
elif command -v sudo >/dev/null; then
    # env passes DEBIAN_FRONTEND through sudo, which would drop it from the environment.
    as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
    echo "setup.sh: installing with sudo (it may ask for your password)"
else
    echo "setup.sh: not root and no sudo: run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
fi

apt_options=(-y -q -o DPkg::Lock::Timeout=300)
echo "setup.sh: apt-get update"
"${as_root[@]}" apt-get "${apt_options[@]}" update
echo "setup.sh: installing: ${missing[*]}"
"${as_root[@]}" apt-get "${apt_options[@]}" install --no-install-recommends "${missing[@]}"
echo "setup.sh: installed ${#missing[@]} package(s): ${missing[*]}"
