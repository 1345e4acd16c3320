"""Shared pieces of the integration tests: run the real signage-player binary from the outside.

Environment (set by tests/CMakeLists.txt through ctest):
  SIGNAGE_PLAYER       path of the signage-player binary under test (signage-sync is beside it)
  SIGNAGE_SOURCE_DIR   the source tree (demo assets, fonts)
  SIGNAGE_TEST_OUTPUT  folder for images the tests write (renders, screenshots)

Standard library only: run with Debian's /usr/bin/python3.
"""

import hashlib
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.realpath(os.environ.get("SIGNAGE_SOURCE_DIR", os.path.join(HERE, "..", "..")))
PLAYER = os.environ.get("SIGNAGE_PLAYER", os.path.join(SOURCE_DIR, "build-int", "player", "signage-player"))
# The ASan + UBSan build (scripts/test.sh runs the integration tests with it too): slower, and it
# keeps shadow memory, so time and memory bounds are wider for it.
SANITIZED = "asan" in PLAYER
# The lean sync binary, built and installed beside the player (player/front/sync_main.cpp).
SYNC = os.path.join(os.path.dirname(PLAYER), "signage-sync")
OUTPUT_DIR = os.environ.get("SIGNAGE_TEST_OUTPUT", os.path.join(SOURCE_DIR, "build-int", "test-output"))
DEMO_CONFIG = os.path.join(SOURCE_DIR, "assets", "player.ini")
SYSTEM_CONFIG = "/etc/signage-player/player.ini"

# The log's own prefix: "2024-01-01 12:00:00.000 signage-player warning: ..." (no timestamp under systemd).
LOG_LINE = re.compile(r"^(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} )?signage-player (error|warning|info|debug): (.*)$")


def output_path(name):
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    return os.path.join(OUTPUT_DIR, name)


def base_env(**overrides):
    """The environment for the player: no display unless a test gives one, no journal, C locale.

    A value of None removes the variable."""
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER", "SDL_RENDER_DRIVER", "JOURNAL_STREAM",
                 "SIGNAGE_DATA_DIR"):
        env.pop(name, None)
    env["LC_ALL"] = "C.UTF-8"
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_player(args, timeout=30, env=None, cwd=None, program=None):
    """Runs signage-player (or `program`) to completion; returns CompletedProcess (text, stdout and
    stderr captured) with an extra attribute `seconds` (wall time)."""
    started = time.monotonic()
    result = subprocess.run([program or PLAYER, *args], stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
                            env=env if env is not None else base_env(), cwd=cwd, encoding="utf-8",
                            errors="replace")
    result.seconds = time.monotonic() - started
    return result


def run_sync(args, **kwargs):
    """Runs a share-sync command (sync, publish, rollback) with signage-sync, as timers and the
    player's background sync do; test_lean.py checks signage-player runs them the same."""
    return run_player(args, program=SYNC, **kwargs)


class Running:
    """signage-player started in the background; its standard error goes to a file the test can poll."""

    def __init__(self, args, log_path, env=None, cwd=None):
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.started = time.monotonic()
        self.process = subprocess.Popen([PLAYER, *args], stdin=subprocess.DEVNULL, stdout=self._log,
                                        stderr=subprocess.STDOUT, env=env if env is not None else base_env(),
                                        cwd=cwd)

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_for_log(self, text, timeout):
        """Waits until `text` appears in the log; False if the player exits or time runs out first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log():
                return True
            if self.process.poll() is not None:
                return text in self.log()
            time.sleep(0.05)
        return False

    def running(self):
        return self.process.poll() is None

    def wait(self, timeout):
        """Exit status, or None when the player is still running after `timeout` seconds."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        """Ends the player for good (SIGTERM, then SIGKILL); only this process, by its id."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class TempShare(unittest.TestCase):
    """A test case with its own temporary folder holding player.ini, playlist.ini and media."""

    def setUp(self):
        super().setUp()
        # realpath: messages name resolved paths (symlink targets), /tmp may itself be a link.
        self.root = os.path.realpath(tempfile.mkdtemp(prefix="signage-it-"))
        self.addCleanup(shutil.rmtree, self.root, ignore_errors=True)
        self.share = os.path.join(self.root, "share")
        os.makedirs(self.share)

    def path(self, name):
        return os.path.join(self.share, name)

    def write(self, name, content):
        """Writes a file into the share (str as UTF-8, bytes as they are); returns its path."""
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    def write_setup(self, playlist, config=None):
        """player.ini (headless-friendly defaults unless `config` is given) and playlist.ini."""
        if config is None:
            config = SMALL_CONFIG
        self.write("playlist.ini", playlist)
        return self.write("player.ini", config)

    @staticmethod
    def line_of(text, needle, occurrence=1):
        """1-based number of the line of `text` containing `needle` (the n-th such line)."""
        seen = 0
        for number, line in enumerate(text.splitlines(), start=1):
            if needle in line:
                seen += 1
                if seen == occurrence:
                    return number
        raise AssertionError(f"{needle!r} not in text")


# A small canvas keeps renders fast; everything else at its default.
SMALL_CONFIG = """\
[display]
width = 320
height = 180

[content]
playlist = playlist.ini
"""


def cap_alert(identifier, sent, expires, effective=None,
              headline="冒充公检法诈骗预警", description="接到自称公安的电话要求转账，一律是诈骗"):
    """A CAP 1.2 alert (OASIS Common Alerting Protocol) as an alerts folder takes it: status Actual,
    msgType Alert; times as CAP writes them ("2026-12-21T08:00:00+08:00")."""
    effective_element = f"\n    <effective>{effective}</effective>" if effective else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier>
  <sender>fzb@example.gov.cn</sender>
  <sent>{sent}</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>zh-CN</language>
    <category>Safety</category>
    <event>诈骗预警</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Observed</certainty>{effective_element}
    <expires>{expires}</expires>
    <headline>{headline}</headline>
    <description>{description}</description>
  </info>
</alert>
"""


def log_messages(text, level=None):
    """The messages of the log lines in `text` (without timestamp and level), optionally of one level."""
    out = []
    for line in text.splitlines():
        m = LOG_LINE.match(line)
        if m and (level is None or m.group(1) == level):
            out.append(m.group(2))
    return out


# ---------------------------------------------------------------------------------------------
# Share sync: the manifest format and the checks every sync test ends with.

MANIFEST_HEADER = "signage-manifest 1"


def parse_manifest(path):
    """{path: (size, sha256)} from a manifest file (the format of playlist/share/manifest.h)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    assert lines[0] == MANIFEST_HEADER, lines[0]
    assert lines[-1] == "", "no line end after the last line"
    entries = {}
    for line in lines[1:-1]:
        if line.startswith("#"):
            continue
        if line.startswith("end "):
            assert int(line[4:]) == len(entries)
            return entries
        sha, size, name = line.split(" ", 2)
        entries[name] = (int(size), sha)
    raise AssertionError(f"{path}: no end line")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class SyncChecks:
    """Assertions about `sync --once` runs and the cache they leave, for a TestCase that sets
    `self.cache` (mixed in before TempShare)."""

    def current(self, name=""):
        return os.path.join(self.cache, "current", name)

    def assert_cache_complete(self):
        """`current` names a snapshot holding exactly the files of its record, intact, and the playlist."""
        current = os.path.realpath(self.current())
        self.assertTrue(os.path.isdir(current), "current names no snapshot")
        record = parse_manifest(os.path.join(current, ".snapshot-manifest.txt"))
        held = set()
        for folder, _, files in os.walk(current):
            for name in files:
                held.add(os.path.relpath(os.path.join(folder, name), current))
        held.discard(".snapshot-manifest.txt")
        self.assertEqual(held, set(record))
        for name, (size, digest) in record.items():
            path = os.path.join(current, name)
            self.assertEqual(os.path.getsize(path), size, name)
            self.assertEqual(sha256(path), digest, name)
        self.assertIn("playlist.ini", record)

    def assert_ok(self, r):
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(log_messages(r.stderr, "error"), [])

    def summary(self, r):
        return [m for m in log_messages(r.stderr, "info") if m.startswith("sync: ")][-1]

    def assert_failed(self, r, message_start):
        """Exit 1 and one error line, starting as given."""
        self.assertEqual(r.returncode, 1, r.stderr)
        errors = log_messages(r.stderr, "error")
        self.assertEqual(len(errors), 1, r.stderr)
        self.assertTrue(errors[0].startswith(message_start), errors[0])
        return errors[0]


class FolderSyncCase(SyncChecks, TempShare):
    """A folder share, a cache beside it and a player.ini syncing one into the other, no settle wait."""

    def setUp(self):
        super().setUp()
        self.cache = os.path.join(self.root, "cache")
        self.config = os.path.join(self.root, "player.ini")
        self.write_config()

    def write_config(self, extra=""):
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(f"[content]\nshare = {self.share}\ncache = {self.cache}\nsettle = 0s\nmin_free_mb = 0\n{extra}")

    def put(self, name, content, age=600):
        """A share file, `age` seconds old (settled) unless age is 0."""
        path = self.write(name, content)
        if age:
            then = time.time() - age
            os.utime(path, (then, then))
        return path

    def sync(self, *extra, env=None):
        return run_sync(["sync", "--once", "--config", self.config, *extra], env=env)


# ---------------------------------------------------------------------------------------------
# PNG, standard library only.

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_header_only(width, height):
    """The 33-byte 'decompression bomb': PNG signature and an IHDR claiming width x height RGB, no pixels."""
    data = PNG_SIGNATURE + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    assert len(data) == 33
    return data


def make_png(width, height, rgb):
    """A complete, valid RGB PNG of one colour."""
    row = b"\x00" + bytes(rgb) * width
    return (PNG_SIGNATURE + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            _chunk(b"IDAT", zlib.compress(row * height)) + _chunk(b"IEND", b""))


def write_png(path, width, height, rgb):
    """Writes packed RGB rows (3 bytes a pixel) as a PNG."""
    stride = width * 3
    raw = b"".join(b"\x00" + rgb[y * stride:(y + 1) * stride] for y in range(height))
    with open(path, "wb") as f:
        f.write(PNG_SIGNATURE + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
                _chunk(b"IDAT", zlib.compress(raw, 6)) + _chunk(b"IEND", b""))


def png_of_size(size):
    """A valid PNG of exactly `size` bytes (at least 100), different at every call: a 2x2 picture
    of random colours and a private ancillary chunk of random bytes, which decoders skip. For
    sync tests that need real images of a given size: a sync probes new images before taking them."""
    pixels = os.urandom(12)
    raw = b"\x00" + pixels[:6] + b"\x00" + pixels[6:]
    head = PNG_SIGNATURE + _chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)) + \
        _chunk(b"IDAT", zlib.compress(raw))
    filler = size - len(head) - 12 - 12
    if filler < 0:
        raise ValueError(f"a PNG needs at least {len(head) + 24} bytes")
    data = head + _chunk(b"prVt", os.urandom(filler)) + _chunk(b"IEND", b"")
    assert len(data) == size
    return data


def png_size(path):
    """(width, height) from the IHDR of a PNG file; checks the signature and the chunk's CRC."""
    with open(path, "rb") as f:
        head = f.read(33)
    if head[:8] != PNG_SIGNATURE or head[12:16] != b"IHDR":
        raise ValueError(f"{path}: not a PNG")
    if struct.unpack(">I", head[29:33])[0] != zlib.crc32(head[12:29]) & 0xFFFFFFFF:
        raise ValueError(f"{path}: IHDR CRC mismatch")
    return struct.unpack(">II", head[16:24])


class Image:
    """Decoded 8-bit PNG (grey, RGB, grey+alpha or RGBA; not interlaced) as RGB triples."""

    def __init__(self, width, height, channels, pixels):
        self.width, self.height, self.channels, self.pixels = width, height, channels, pixels

    def rgb(self, x, y):
        i = (y * self.width + x) * self.channels
        p = self.pixels[i:i + self.channels]
        if self.channels in (1, 2):
            return (p[0], p[0], p[0])
        return (p[0], p[1], p[2])

    def rows_rgb(self):
        """The whole image as bytes, 3 per pixel (for comparisons independent of the PNG encoding)."""
        if self.channels == 3:
            return bytes(self.pixels)
        out = bytearray()
        for y in range(self.height):
            for x in range(self.width):
                out += bytes(self.rgb(x, y))
        return bytes(out)


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != PNG_SIGNATURE:
        raise ValueError(f"{path}: not a PNG")
    pos, idat, ihdr, palette = 8, bytearray(), None, None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = ihdr
    if depth != 8 or interlace != 0 or colour not in (0, 2, 3, 4, 6):
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(bytes(idat))
    stride = width * channels
    out = bytearray(stride * height)
    prev = bytearray(stride)
    pos = 0
    for y in range(height):
        kind = raw[pos]
        line = bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 0xFF
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                upleft = prev[i - channels] if i >= channels else 0
                line[i] = (line[i] + _paeth(left, prev[i], upleft)) & 0xFF
        elif kind != 0:
            raise ValueError(f"{path}: bad filter type {kind} on row {y}")
        out[y * stride:(y + 1) * stride] = line
        prev = line
    if colour == 3:
        rgb = bytearray()
        for index in out:
            rgb += palette[index * 3:index * 3 + 3]
        return Image(width, height, 3, rgb)
    return Image(width, height, channels, out)


def close(rgb, expected, tolerance):
    return all(abs(a - b) <= tolerance for a, b in zip(rgb, expected))


def hex_rgb(text):
    text = text.lstrip("#")
    return tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))


# ---------------------------------------------------------------------------------------------
# A private X server.

class Xvfb:
    """Xvfb on a display number it picks itself (-displayfd: no race with other X servers)."""

    def __init__(self, width, height, depth=24):
        read_fd, write_fd = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x{depth}", "-nolisten", "tcp"],
            pass_fds=(write_fd,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_fd)
        number = b""
        deadline = time.monotonic() + 10
        with os.fdopen(read_fd, "rb") as pipe:
            while not number.endswith(b"\n") and time.monotonic() < deadline:
                byte = pipe.read(1)
                if not byte:
                    break
                number += byte
        if not number.strip().isdigit():
            self.stop()
            raise RuntimeError("Xvfb did not start (no display number on -displayfd)")
        self.display = ":" + number.strip().decode()

    def env(self, **overrides):
        return base_env(DISPLAY=self.display, **overrides)

    def screenshot(self, path, width, height):
        """The root window as an RGB PNG (ffmpeg's x11grab)."""
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "x11grab", "-video_size", f"{width}x{height}",
                        "-i", self.display, "-frames:v", "1", "-pix_fmt", "rgb24", path],
                       check=True, stdin=subprocess.DEVNULL, timeout=20, env=self.env())

    def xdotool(self, *args, timeout=10):
        return subprocess.run(["xdotool", *args], capture_output=True, text=True, timeout=timeout, env=self.env())

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def children_of(pid):
    """Process ids whose parent is `pid` (from /proc/*/stat)."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="utf-8", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after its closing parenthesis.
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            out.append(int(name))
    return out


def cmdline(pid):
    """The arguments of process `pid` ([] once it is gone)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return [a.decode("utf-8", "replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return []


def missing_programs(*names):
    return [name for name in names if shutil.which(name) is None]
