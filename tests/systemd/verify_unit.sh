#!/usr/bin/env bash
# ctest (label systemd): `systemd-analyze verify` finds nothing to say about
# systemd/signage-player.service.
#
#   verify_unit.sh UNIT_FILE PLAYER_BINARY
#
# The unit runs /usr/local/bin/signage-player, which verify checks exists and is executable,
# so the unit is checked from a copy in a temporary folder whose ExecStart names the binary
# just built instead. Every other line is verified exactly as shipped.
set -uo pipefail

unit=${1:?usage: verify_unit.sh UNIT_FILE PLAYER_BINARY}
binary=${2:?usage: verify_unit.sh UNIT_FILE PLAYER_BINARY}
installed_binary=/usr/local/bin/signage-player

if ! command -v systemd-analyze >/dev/null; then
    echo "SKIP: systemd-analyze not found (Debian package systemd; scripts/setup.sh installs it)"
    exit 77
fi
[[ -x "$binary" ]] || { echo "FAIL: $binary is not an executable"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
name=$(basename "$unit")
copy="$tmp/$name"

grep -q "^ExecStart=$installed_binary " "$unit" ||
    { echo "FAIL: $unit: expected ExecStart=$installed_binary ..."; exit 1; }
sed "s#^ExecStart=$installed_binary #ExecStart=$binary #" "$unit" >"$copy"

# verify_copy FILE: prints the lines of `systemd-analyze verify FILE` that are about FILE.
#
# The filter: verify also loads the units this one names (graphical.target,
# network-online.target, ...) and, in a container, may print lines that have nothing to do
# with this unit, such as a missing /etc/machine-id or a broken default target or other
# units installed on the machine. Only lines that name the unit file (its path or its name,
# the prefix of every message systemd prints about a unit, e.g. "signage-player.service:12:
# Unknown key ...") or its ExecStart binary are ours; those fail the test, warnings included.
verify_copy() {
    local file=$1 unit_name bin
    unit_name=$(basename "$file")
    bin=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$file" | head -n 1)
    SYSTEMD_LOG_COLOR=0 SYSTEMD_PAGER=cat systemd-analyze verify --man=no "$file" >"$tmp/out" 2>&1
    echo "systemd-analyze verify exit status: $?" >"$tmp/status"
    grep -F -e "$unit_name" -e "$bin" "$tmp/out" || true
}

# 1. The filter must catch a real problem here, or a pass below would prove nothing.
mkdir "$tmp/broken"
{ cat "$copy"; printf '\n[Service]\nNoSuchSetting=1\n'; } >"$tmp/broken/$name"
if [[ -z "$(verify_copy "$tmp/broken/$name")" ]]; then
    echo "FAIL: systemd-analyze verify printed nothing that names a deliberately broken copy of the unit"
    echo "(the filter or systemd-analyze does not work here); its output was:"
    cat "$tmp/out"
    exit 1
fi

# 2. The real unit: no line about it at all.
ours=$(verify_copy "$copy")
cat "$tmp/status"
if [[ -n "$ours" ]]; then
    echo "FAIL: systemd-analyze verify $unit (ExecStart rewritten to $binary):"
    echo "$ours"
    exit 1
fi
if [[ -s "$tmp/out" ]]; then
    echo "Ignored, not about $name:"
    sed 's/^/  /' "$tmp/out"
fi
echo "PASS: systemd-analyze verify has nothing to say about $name"
