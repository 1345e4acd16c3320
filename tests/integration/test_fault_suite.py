"""The standing fault suite: for each kind of outside input, a corpus of bad cases generated at
test time, each run through the real binary the way a screen meets it.

Kinds: config, playlist, slogans files, schedules, layouts, images, videos, the share's file
system (links, FIFOs, sockets, devices, permissions, a file replaced while read), manifests,
alert files (text, image, CAP XML). Cases: cut short at several points, bits flipped, zero bytes,
garbage under a media extension, decompression bombs and absurd sizes and lengths, huge text,
invalid UTF-8, NUL bytes, a 10,000-item playlist, deeply nested groups, paths out of the share.

For every case:
- `check` (or `sync --once` for manifests) ends normally (no signal, no sanitizer report) within
  its time bound: a crash or a hang is counted;
- a case made to be wrong is reported by name (the file, with its line where it has lines);
- nothing outside the share is opened: an inotify watch on a folder of decoys beside it (what
  the path escapes aim at) counts every open;
- memory stays bounded: the peak RSS of the process (VmHWM, sampled) stays under a bound.
And for each kind, the player itself plays the whole corpus headless with one good poster among
the bad: every captured frame is that poster, whole (no part of a bad picture, no black).

The per-kind counts are printed as a table at the end and written to
SIGNAGE_TEST_OUTPUT/fault-suite.md.
"""

import ctypes
import os
import random
import shutil
import socket
import stat
import struct
import subprocess
import tempfile
import time
import unittest
import zlib

from helpers import (PLAYER, SANITIZED, SYNC, _chunk, PNG_SIGNATURE, base_env, make_png, output_path, read_png,
                     missing_programs)

GOOD = (40, 160, 90)         # the good poster's colour
SIZE = (320, 180)            # the screen, small: the suite is about input, not pixels
TIMEOUT = 120 if SANITIZED else 40
# Peak RSS allowed for one run, KiB: a check of a small corpus needs ~60 MB plain; an image or
# video bomb decoded would need hundreds.
RSS_BOUND_KIB = (700 if SANITIZED else 200) * 1024

IN_ACCESS, IN_OPEN = 0x1, 0x20


class OutsideWatch:
    """Every open or read of a file in `folder` (or of the folder itself) while it runs."""

    def __init__(self, folder):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        if self.libc.inotify_add_watch(self.fd, folder.encode(), IN_ACCESS | IN_OPEN) < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch " + folder)

    def events(self):
        """Names opened or read since the last call ('.' for the folder itself)."""
        names = []
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return names
            at = 0
            while at + 16 <= len(data):
                _, mask, _, length = struct.unpack_from("iIII", data, at)
                name = data[at + 16:at + 16 + length].rstrip(b"\0").decode(errors="replace")
                names.append(name or ".")
                at += 16 + length

    def close(self):
        os.close(self.fd)


class Outcome:
    def __init__(self, status, output, seconds, maxrss_kib, hung):
        self.status, self.output, self.seconds, self.maxrss_kib, self.hung = status, output, seconds, maxrss_kib, hung
        self.signalled = status is not None and os.WIFSIGNALED(status)
        self.rc = os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else None
        sanitizer = "ERROR: AddressSanitizer" in output or "runtime error:" in output or \
            "ERROR: LeakSanitizer" in output
        self.crashed = self.signalled or sanitizer or self.rc == 134

    def describe(self):
        tail = "\n".join(self.output.splitlines()[-15:])
        return f"rc={self.rc} signalled={self.signalled} hung={self.hung} {self.seconds:.1f}s " \
               f"maxrss={self.maxrss_kib // 1024} MiB\n{tail}"


def drop_file_permissions_override():
    """For the 'permission denied' case as root: without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
    in the bounding set, root after exec obeys file modes like anyone else."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP


def peak_rss_kib(pid):
    """VmHWM of a live process, KiB (0 once it has exited). wait4's ru_maxrss would not do: it
    keeps the peak of the forking test process too, from before the exec."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(program, args, timeout=TIMEOUT, cwd=None, no_dac_override=False):
    """Runs to completion, sampling its peak RSS; kills it and reports a hang past `timeout`."""
    with tempfile.TemporaryFile() as out:
        started = time.monotonic()
        process = subprocess.Popen([program, *args], stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                   env=base_env(SDL_VIDEODRIVER=None), cwd=cwd,
                                   preexec_fn=drop_file_permissions_override if no_dac_override else None)
        hung = False
        peak = 0
        while True:
            peak = max(peak, peak_rss_kib(process.pid))
            pid, status = os.waitpid(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                hung = True
                process.kill()
                _, status = os.waitpid(process.pid, 0)
                break
            time.sleep(0.01)
        process.returncode = 0  # reaped here; keep Popen from waiting again
        seconds = time.monotonic() - started
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    return Outcome(None if hung else status, text, seconds, peak, hung)


# ---------------------------------------------------------------------------------------------
# Bad bytes.

def cut(data, fraction):
    return data[:max(1, int(len(data) * fraction))]


def flipped(data, at_fraction=0.5, count=64):
    out = bytearray(data)
    start = int(len(data) * at_fraction)
    for i in range(start, min(len(out), start + count)):
        out[i] ^= 0x55
    return bytes(out)


def garbage(size, seed):
    return random.Random(seed).randbytes(size)


HTML_ERROR_PAGE = b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n"


def ffmpeg(out, *arguments):
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *arguments, out], check=True)
    with open(out, "rb") as f:
        return f.read()


def png_claiming(width, height, body_rows=1):
    """A PNG whose header says width x height over a little real data."""
    row = b"\x00" + b"\x00" * 3 * min(width, 64)
    return (PNG_SIGNATURE + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            _chunk(b"IDAT", zlib.compress(row * body_rows)) + _chunk(b"IEND", b""))


def png_bomb(side):
    """A real PNG of side x side black pixels: a few hundred KB that decode to side² × 3 bytes."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + side * 3)
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (PNG_SIGNATURE + _chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)) +
            _chunk(b"IDAT", body) + _chunk(b"IEND", b""))


def patch_box_durations(mp4, factor):
    """An MP4 whose mvhd/tkhd/mdhd durations claim `factor` times its real length (an absurd length)."""
    data = bytearray(mp4)
    for box, offset_v0, offset_v1 in ((b"mvhd", 16, 24), (b"tkhd", 20, 28), (b"mdhd", 16, 24)):
        at = 0
        while True:
            at = data.find(box, at)
            if at < 0:
                break
            version = data[at + 4]
            if version == 0:
                field = at + 4 + offset_v0
                value = struct.unpack_from(">I", data, field)[0]
                struct.pack_into(">I", data, field, min(value * factor, 0xFFFFFFFF))
            else:
                field = at + 4 + offset_v1
                value = struct.unpack_from(">Q", data, field)[0]
                struct.pack_into(">Q", data, field, value * factor)
            at += 4
    return bytes(data)


class Case:
    """One bad input: files to put on the share, what refers to them, and whether it must be named."""

    def __init__(self, name, must_report=True, files=None, entry=None, special=None):
        self.name = name
        self.must_report = must_report  # False: damage no reader can see (a flipped BMP pixel); still no crash
        self.files = files or {}        # share-relative name -> bytes
        self.entry = entry              # playlist section text (without the [name] line), or None
        self.special = special          # callable(share_dir) making a non-file (FIFO, socket, link ...)


# ---------------------------------------------------------------------------------------------

class FaultSuite(unittest.TestCase):
    table = {}  # kind -> counts

    @classmethod
    def setUpClass(cls):
        missing = missing_programs("ffmpeg", "ffprobe")
        if missing:
            raise unittest.SkipTest("missing: " + ", ".join(missing))
        cls.media = tempfile.mkdtemp(prefix="signage-faults-media-")
        cls._make_media()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.media, ignore_errors=True)
        lines = ["| kind of input | cases | named errors | crashes | hangs | files read outside the share | "
                 "bad pictures shown | peak RSS (MiB) |", "|---|---|---|---|---|---|---|---|"]
        for kind in sorted(cls.table):
            c = cls.table[kind]
            lines.append(f"| {kind} | {c['cases']} | {c['named']} of {c['must_report']} | {c['crashes']} | "
                         f"{c['hangs']} | {c['outside']} | {c['bad_shown']} | {c['rss'] // 1024} |")
        text = "\n".join(lines) + "\n"
        print("\n" + text)
        with open(output_path("fault-suite.md"), "w", encoding="utf-8") as f:
            f.write(text)

    @classmethod
    def _make_media(cls):
        m = lambda name: os.path.join(cls.media, name)
        src = ["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25"]
        cls.images = {
            "png": ffmpeg(m("a.png"), *src, "-frames:v", "1", "-c:v", "png"),
            "jpg": ffmpeg(m("a.jpg"), *src, "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "3"),
            "gif": ffmpeg(m("a.gif"), *src, "-frames:v", "1", "-c:v", "gif"),
            "webp": ffmpeg(m("a.webp"), *src, "-frames:v", "1", "-c:v", "libwebp"),
            "bmp": ffmpeg(m("a.bmp"), *src, "-frames:v", "1", "-c:v", "bmp"),
        }
        tone = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
        cls.videos = {
            "fast.mp4": ffmpeg(m("fast.mp4"), *src, *tone, "-t", "2", "-c:v", "libx264", "-preset", "ultrafast",
                               "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-movflags", "+faststart"),
            "end.mp4": ffmpeg(m("end.mp4"), *src, "-t", "2", "-c:v", "libx264", "-preset", "ultrafast",
                              "-pix_fmt", "yuv420p"),
            "v.webm": ffmpeg(m("v.webm"), *src, "-t", "2", "-c:v", "libvpx-vp9", "-b:v", "200k", "-deadline",
                             "realtime"),
            "v.mkv": ffmpeg(m("v.mkv"), *src, "-t", "2", "-c:v", "mpeg4", "-q:v", "4"),
            "v.ts": ffmpeg(m("v.ts"), *src, "-t", "2", "-c:v", "mpeg2video", "-q:v", "2"),
        }
        # 16 megapixels of one colour: a small file that would decode to 24 MB a frame.
        cls.video_bomb = ffmpeg(m("bomb.mkv"), "-f", "lavfi", "-i", "color=c=black:size=4000x4000:rate=1",
                                "-frames:v", "2", "-c:v", "mjpeg", "-q:v", "31")
        first = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-read_intervals", "%+#1",
                                "-show_entries", "packet=pos,size", "-of", "default=nw=1", m("v.ts")],
                               capture_output=True, text=True, check=True).stdout
        fields = dict(line.split("=", 1) for line in first.split())
        cls.ts_first_packet = (int(fields["pos"]), int(fields["size"]))

    # --- the share, the decoys, the runs ---

    def setUp(self):
        self.root = os.path.realpath(tempfile.mkdtemp(prefix="signage-faults-"))
        self.addCleanup(self._remove_root)
        self.share = os.path.join(self.root, "share")
        self.outside = os.path.join(self.root, "outside")
        os.makedirs(self.share)
        os.makedirs(self.outside)
        # Decoys: what a path out of the share would find, each a file the player could show.
        with open(os.path.join(self.outside, "secret.png"), "wb") as f:
            f.write(make_png(32, 18, (255, 0, 255)))
        with open(os.path.join(self.outside, "secret.txt"), "w") as f:
            f.write("outside the share\n")
        shutil.copy(os.path.join(self.media, "fast.mp4"), os.path.join(self.outside, "secret.mp4"))
        os.chmod(self.root, 0o755)
        self.watch = OutsideWatch(self.outside)
        self.addCleanup(self.watch.close)
        self.counts = None

    def _remove_root(self):
        for folder, dirs, files in os.walk(self.root):
            for name in dirs + files:
                try:
                    os.chmod(os.path.join(folder, name), 0o755, follow_symlinks=False)
                except (OSError, NotImplementedError):
                    pass
        shutil.rmtree(self.root, ignore_errors=True)

    def start_kind(self, kind):
        self.counts = FaultSuite.table.setdefault(kind, dict(cases=0, must_report=0, named=0, crashes=0, hangs=0,
                                                             outside=0, bad_shown=0, rss=0))

    def put(self, name, data):
        path = os.path.join(self.share, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def write_config(self, extra="", playlist="playlist.ini"):
        config = os.path.join(self.root, "player.ini")
        with open(config, "w", encoding="utf-8") as f:
            f.write(f"[display]\nwidth = {SIZE[0]}\nheight = {SIZE[1]}\n[content]\n"
                    f"playlist = share/{playlist}\ncheck_every = 1s\n{extra}")
        return config

    def good_entry(self):
        self.put("good.png", make_png(64, 36, GOOD))
        return "type = image\nfile = good.png\nfit = stretch\nduration = 1.5\ntransition = cut\n"

    def write_playlist(self, cases, with_good=True, name="playlist.ini"):
        """The cases' entries as sections, the good poster first. Returns {case name: line}."""
        text = "[defaults]\nduration = 1.5\ntransition = cut\n"
        if with_good:
            text += "[good]\n" + self.good_entry()
        lines = {}
        for case in cases:
            if case.entry is None:
                continue
            lines[case.name] = text.count("\n") + 1
            text += f"[{case.name}]\n{case.entry}"
        self.put(name, text.encode())
        return lines

    def make_case_files(self, cases):
        for case in cases:
            for name, data in case.files.items():
                self.put(name, data)
            if case.special:
                case.special(self.share)

    def account(self, outcome, what):
        """Counts a run's crash, hang, outside reads and memory; returns the outside names opened."""
        opened = self.watch.events()
        c = self.counts
        c["crashes"] += outcome.crashed
        c["hangs"] += outcome.hung
        c["outside"] += len(opened)
        c["rss"] = max(c["rss"], outcome.maxrss_kib)
        self.assertFalse(outcome.crashed, f"{what}: crashed\n{outcome.describe()}")
        self.assertFalse(outcome.hung, f"{what}: hung\n{outcome.describe()}")
        self.assertEqual(opened, [], f"{what}: opened outside the share: {opened}")
        self.assertLess(outcome.maxrss_kib, RSS_BOUND_KIB, f"{what}: peak RSS\n{outcome.describe()}")
        return opened

    def check_run(self, config, what, no_dac_override=False):
        outcome = run_measured(PLAYER, ["check", "--config", config], no_dac_override=no_dac_override)
        self.account(outcome, what)
        self.assertIn(outcome.rc, (0, 1, 2), f"{what}\n{outcome.describe()}")
        return outcome

    def count_named(self, cases, output, names_for=None):
        """Each case made to be wrong is named in `output`: by its files, or by what
        `names_for(case)` gives, either a list of texts that must all be there or a predicate on
        an output line."""
        for case in cases:
            self.counts["cases"] += 1
            if not case.must_report:
                continue
            self.counts["must_report"] += 1
            needles = names_for(case) if names_for else list(case.files) or [case.name]
            if callable(needles):
                named = any(needles(line) for line in output.splitlines())
            else:
                named = all(any(needle in line for line in output.splitlines()) for needle in needles)
            if named:
                self.counts["named"] += 1
            else:
                self.fail(f"case {case.name}: not reported by name ({needles})\n{output[-3000:]}")

    def in_section(self, lines, case, extent=6):
        """A predicate: an output line naming playlist.ini at a line of `case`'s section."""
        first = lines[case.name]
        wanted = tuple(f"playlist.ini:{n}:" for n in range(first, first + extent))
        return lambda line: any(needle in line for needle in wanted)

    def play_shows_only_good(self, config, what, run_for=4.0, at=(0.7, 2.2, 3.4), cases=None, no_dac_override=False):
        """Plays headless; every captured frame is the good poster, whole. With `cases`, the
        playlist is first rewritten to hold the good poster and those of them that must be
        refused (a damage no reader sees, like a flipped BMP pixel, would show)."""
        if cases is not None:
            self.write_playlist([case for case in cases if case.must_report])
        captures = os.path.join(self.root, "captures")
        os.makedirs(captures, exist_ok=True)
        outcome = run_measured(PLAYER, ["play", "--config", config, "--headless", "--run-for", str(run_for),
                                        "--capture-at", ",".join(str(t) for t in at), "--capture-dir", captures],
                               timeout=TIMEOUT + run_for, no_dac_override=no_dac_override)
        self.account(outcome, what + " (play)")
        self.assertEqual(outcome.rc, 0, f"{what} (play)\n{outcome.describe()}")
        for t in at:
            path = os.path.join(captures, f"capture-{int(round(t * 1000))}.png")
            self.assertTrue(os.path.exists(path), f"{what}: no capture at {t}s\n{outcome.describe()}")
            image = read_png(path)
            wrong = [(x, y, image.rgb(x, y)) for y in range(5, image.height, 20) for x in range(5, image.width, 20)
                     if max(abs(a - b) for a, b in zip(image.rgb(x, y), GOOD)) > 12]
            if wrong:
                self.counts["bad_shown"] += 1
                kept = output_path(f"fault-suite-{what.replace(' ', '-')}-{t}.png")
                shutil.copy(path, kept)
                self.fail(f"{what}: at {t}s the screen is not the good poster at {wrong[:5]} (saved {kept})\n"
                          f"{outcome.describe()}")
        return outcome

    # --- kinds ---

    def test_images(self):
        self.start_kind("images")
        cases = []
        for ext, data in self.images.items():
            for fraction in (0.1, 0.5, 0.9, 0.999):
                cases.append(Case(f"{ext}-cut-{int(fraction * 1000)}", files={f"img/cut{int(fraction * 1000)}.{ext}": cut(data, fraction)}))
            cases.append(Case(f"{ext}-flipped", must_report=ext != "bmp",  # BMP has no check on its pixels
                              files={f"img/flipped.{ext}": flipped(data)}))
            cases.append(Case(f"{ext}-empty", files={f"img/empty.{ext}": b""}))
            cases.append(Case(f"{ext}-garbage", files={f"img/garbage.{ext}": garbage(4096, ext)}))
            cases.append(Case(f"{ext}-html", files={f"img/html.{ext}": HTML_ERROR_PAGE}))
        cases += [
            Case("png-claims-60000x60000", files={"img/huge-header.png": png_claiming(60000, 60000)}),
            Case("png-bomb-8000x8000", files={"img/bomb.png": png_bomb(8000)}),
            Case("png-claims-0x0", files={"img/zero.png": png_claiming(0, 0)}),
            Case("jpg-named-webp", must_report=False, files={"img/really-a-jpeg.webp": self.images["jpg"]}),
            Case("video-named-png", files={"img/really-a-video.png": self.videos["fast.mp4"]}),
        ]
        for case in cases:
            name = next(iter(case.files))
            case.entry = f"type = image\nfile = {name}\n"
        self.make_case_files(cases)
        self.write_playlist(cases)
        config = self.write_config()
        outcome = self.check_run(config, "images")
        self.count_named(cases, outcome.output)
        self.play_shows_only_good(config, "images", cases=cases)

    def test_videos(self):
        self.start_kind("videos")
        cases = []
        for name, data in self.videos.items():
            stem, ext = name.rsplit(".", 1)
            for fraction in (0.1, 0.5, 0.95):
                # A cut MPEG-TS states no length to fall short of: it is a shorter whole file.
                cases.append(Case(f"{stem}-{ext}-cut-{int(fraction * 100)}", must_report=ext != "ts",
                                  files={f"vid/{stem}-cut{int(fraction * 100)}.{ext}": cut(data, fraction)}))
            cases.append(Case(f"{stem}-{ext}-empty", files={f"vid/{stem}-empty.{ext}": b""}))
            cases.append(Case(f"{stem}-{ext}-garbage", files={f"vid/{stem}-garbage.{ext}": garbage(65536, name)}))
        pos, size = self.ts_first_packet
        damaged = bytearray(self.videos["v.ts"])
        for i in range(pos + size // 2, pos + size // 2 + 200):
            damaged[i] ^= 0x55
        cases += [
            Case("ts-first-picture-damaged", files={"vid/first-damaged.ts": bytes(damaged)}),
            Case("mp4-flipped-middle", must_report=False, files={"vid/flipped.mp4": flipped(self.videos["end.mp4"], 0.5, 256)}),
            Case("png-named-mp4", files={"vid/really-a-picture.mp4": self.images["png"]}),
            Case("html-named-mp4", files={"vid/error-page.mp4": HTML_ERROR_PAGE}),
            Case("bomb-4000x4000", files={"vid/bomb.mkv": self.video_bomb}),
            Case("claims-100x-its-length", files={"vid/absurd-length.mp4": patch_box_durations(self.videos["end.mp4"], 100)}),
        ]
        for case in cases:
            case.entry = f"type = video\nfile = {next(iter(case.files))}\n"
        self.make_case_files(cases)
        self.write_playlist(cases)
        config = self.write_config()
        outcome = self.check_run(config, "videos")
        self.count_named(cases, outcome.output)
        self.play_shows_only_good(config, "videos", run_for=5.0, at=(0.7, 2.2, 3.7, 4.6), cases=cases)

    def test_slogans_files(self):
        self.start_kind("slogans files")
        good_line = "反诈防骗，人人有责\n".encode()
        cases = [
            Case("invalid-utf8", files={"txt/invalid.txt": good_line + b"\xff\xfe\xc3\x28 bad\n"}),
            Case("cut-in-a-character", files={"txt/cut-char.txt": good_line + "防骗".encode()[:4]}),
            Case("nul-bytes", files={"txt/nul.txt": good_line + b"abc\x00def\n"}),
            Case("empty", files={"txt/empty.txt": b""}),
            Case("garbage", files={"txt/garbage.txt": garbage(8192, "slogans")}),
            Case("huge-one-line", files={"txt/huge-line.txt": "骗".encode() * 2_000_000}),
            Case("huge-many-lines", must_report=False, files={"txt/many.txt": good_line * 100_000}),
            Case("utf16-with-bom", must_report=False, files={"txt/utf16.txt": "\ufeff反诈防骗\n".encode("utf-16-le")}),
            Case("video-named-txt", files={"txt/video.txt": self.videos["fast.mp4"]}),
        ]
        for case in cases:
            case.entry = f"type = slogans\nfile = {next(iter(case.files))}\n"
        self.make_case_files(cases)
        self.write_playlist(cases)
        config = self.write_config()
        outcome = self.check_run(config, "slogans files")
        self.count_named(cases, outcome.output)

    def test_schedules(self):
        self.start_kind("schedules")
        bad = {
            "days-unknown": "days = mon-xyz", "days-empty-range": "days = -", "hours-25": "hours = 25:00-26:00",
            "hours-garbage": "hours = \x01\x02", "hours-backwards-same": "hours = 10:00-10:00",
            "dates-feb-30": "dates = 2026-02-30", "dates-reversed": "dates = 2026-12-31..2026-01-01",
            "dates-year-0": "dates = 0000-01-01", "at-99": "at = 99:99", "at-huge-list": "at = " + ", ".join(["10:00"] * 5000),
            "hours-many-windows": "hours = " + ", ".join(f"{h:02d}:00-{h:02d}:30" for h in range(24)) * 50,
        }
        cases = [Case(name, entry=f"type = slogan\ntext = 反诈\n{line}\n") for name, line in bad.items()]
        lines = self.write_playlist(cases)
        config = self.write_config()
        outcome = self.check_run(config, "schedules")
        self.count_named(cases, outcome.output, lambda case: self.in_section(lines, case))
        self.play_shows_only_good(config, "schedules", cases=cases)

    def test_share_file_system(self):
        self.start_kind("share file system")

        def fifo(share):
            os.makedirs(os.path.join(share, "fs"), exist_ok=True)
            os.mkfifo(os.path.join(share, "fs", "pipe.png"))

        def sock(share):
            os.makedirs(os.path.join(share, "fs"), exist_ok=True)
            s = socket.socket(socket.AF_UNIX)
            s.bind(os.path.join(share, "fs", "socket.mp4"))
            self.addCleanup(s.close)

        def device(share):
            os.makedirs(os.path.join(share, "fs"), exist_ok=True)
            os.mknod(os.path.join(share, "fs", "zero.mp4"), 0o644 | stat.S_IFCHR, os.makedev(1, 5))

        def link(target, name):
            def make(share):
                os.makedirs(os.path.join(share, "fs"), exist_ok=True)
                os.symlink(target, os.path.join(share, "fs", name))
            return make

        def unreadable(share):
            path = self.put("fs/locked.png", make_png(8, 8, (1, 2, 3)))
            os.chmod(path, 0)

        outside = self.outside
        cases = [
            Case("fifo", special=fifo, entry="type = image\nfile = fs/pipe.png\n"),
            Case("socket", special=sock, entry="type = video\nfile = fs/socket.mp4\n"),
            Case("char-device", special=device, entry="type = video\nfile = fs/zero.mp4\n"),
            Case("link-to-dev-zero", special=link("/dev/zero", "devzero.png"), entry="type = image\nfile = fs/devzero.png\n"),
            Case("link-outside-image", special=link(f"{outside}/secret.png", "out.png"), entry="type = image\nfile = fs/out.png\n"),
            Case("link-outside-video", special=link(f"{outside}/secret.mp4", "out.mp4"), entry="type = video\nfile = fs/out.mp4\n"),
            Case("link-outside-slogans", special=link(f"{outside}/secret.txt", "out.txt"), entry="type = slogans\nfile = fs/out.txt\n"),
            Case("link-folder-outside", special=link(outside, "outdir"), entry="type = image\nfile = fs/outdir/secret.png\n"),
            Case("dotdot-escape", entry="type = image\nfile = ../outside/secret.png\n"),
            Case("deep-dotdot-escape", entry="type = image\nfile = fs/../../outside/secret.png\n"),
            Case("absolute-path", entry=f"type = image\nfile = {outside}/secret.png\n"),
            Case("absolute-etc", entry="type = slogans\nfile = /etc/passwd\n"),
            Case("link-loop", special=link("loop.png", "loop.png"), entry="type = image\nfile = fs/loop.png\n"),
            Case("missing", entry="type = image\nfile = fs/not-there.png\n"),
            Case("a-folder", special=lambda share: os.makedirs(os.path.join(share, "fs", "folder.png")),
                 entry="type = image\nfile = fs/folder.png\n"),
            Case("permission-denied", special=unreadable, entry="type = image\nfile = fs/locked.png\n"),
        ]
        self.make_case_files(cases)
        lines = self.write_playlist(cases)
        config = self.write_config()
        outcome = self.check_run(config, "share file system", no_dac_override=True)
        self.count_named(cases, outcome.output, lambda case: self.in_section(lines, case))
        self.play_shows_only_good(config, "share file system", cases=cases, no_dac_override=True)

    def test_file_replaced_while_read(self):
        """A poster and a video rewritten (cut, grown, swapped) over and over while check and play read them."""
        self.start_kind("share file system")
        image = self.put("live/poster.jpg", self.images["jpg"])
        video = self.put("live/clip.mp4", self.videos["fast.mp4"])
        versions = [(image, self.images["jpg"]), (image, cut(self.images["jpg"], 0.5)), (image, self.images["png"]),
                    (video, self.videos["fast.mp4"]), (video, cut(self.videos["fast.mp4"], 0.3)), (video, b"")]
        playlist = ("[defaults]\nduration = 1.5\ntransition = cut\n[good]\n" + self.good_entry() +
                    "[poster]\ntype = image\nfile = live/poster.jpg\n[clip]\ntype = video\nfile = live/clip.mp4\n")
        self.put("playlist.ini", playlist.encode())
        config = self.write_config()
        import threading
        stop = threading.Event()

        def rewrite():
            n = 0
            while not stop.is_set():
                path, data = versions[n % len(versions)]
                with open(path, "r+b" if os.path.exists(path) else "wb") as f:  # in place, as a copy does
                    f.truncate(0)
                    f.write(data)
                n += 1
                time.sleep(0.003)

        writer = threading.Thread(target=rewrite)
        writer.start()
        try:
            for _ in range(3):
                self.check_run(config, "replaced while read")
            outcome = run_measured(PLAYER, ["play", "--config", config, "--headless", "--run-for", "3"],
                                   timeout=TIMEOUT + 3)
            self.account(outcome, "replaced while read (play)")
            self.assertEqual(outcome.rc, 0, outcome.describe())
        finally:
            stop.set()
            writer.join()
        self.counts["cases"] += 1

    def test_playlist_file(self):
        self.start_kind("playlist")
        good = ("[defaults]\nduration = 1.5\n[good]\n" + self.good_entry()).encode()
        items = "".join(f"[item{i}]\ntype = image\nfile = good.png\n" for i in range(10_000))
        nested = "".join(f"[g{i}]\ntype = group\n" + (f"group = g{i - 1}\n" if i else "") for i in range(1000))
        nested += "[deep]\ntype = image\nfile = good.png\ngroup = g999\n"
        variants = [
            Case("cut-10", must_report=False, files={"playlist.ini": cut(good, 0.1)}),
            Case("cut-50", must_report=False, files={"playlist.ini": cut(good, 0.5)}),
            Case("cut-90", must_report=False, files={"playlist.ini": cut(good, 0.9)}),
            Case("flipped", must_report=False, files={"playlist.ini": flipped(good, 0.3, 16)}),
            Case("empty", files={"playlist.ini": b""}),
            Case("garbage", files={"playlist.ini": garbage(20000, "playlist")}),
            Case("invalid-utf8", files={"playlist.ini": good + b"[bad]\ntype = slogan\ntext = \xff\xfe\n"}),
            Case("nul-bytes", files={"playlist.ini": good + b"[nul]\ntype = slogan\ntext = a\x00b\n"}),
            Case("huge-40mb", files={"playlist.ini": good + b"[huge]\ntype = slogan\ntext = " + b"x" * (40 << 20) + b"\n"}),
            Case("unknown-key", files={"playlist.ini": good + b"[odd]\ntype = slogan\ntext = a\ncolour_of_sky = blue\n"}),
            Case("duplicate-section", files={"playlist.ini": good + b"[good]\ntype = slogan\ntext = again\n"}),
            Case("10000-items", must_report=False, files={"playlist.ini": good + items.encode()}),
            Case("1000-nested-groups", must_report=False, files={"playlist.ini": good + nested.encode()}),
            Case("group-cycle", files={"playlist.ini": good + b"[a]\ntype = group\ngroup = b\n[b]\ntype = group\ngroup = a\n"}),
            Case("a-video-as-playlist", files={"playlist.ini": self.videos["fast.mp4"]}),
        ]
        config = self.write_config()
        for case in variants:
            self.put("playlist.ini", case.files["playlist.ini"])
            outcome = self.check_run(config, f"playlist {case.name}")
            if case.must_report:
                self.assertNotEqual(outcome.rc, 0, f"playlist {case.name}\n{outcome.describe()}")
            self.count_named([case], outcome.output, lambda c: ["playlist.ini"])

        # Playing, the playlist is replaced by broken ones in turn: the working one stays on screen.
        self.put("playlist.ini", good)
        captures = os.path.join(self.root, "captures")
        os.makedirs(captures)
        at = [1.0, 2.5, 4.0, 5.5, 7.0]
        process = subprocess.Popen([PLAYER, "play", "--config", config, "--headless", "--run-for", "8",
                                    "--capture-at", ",".join(map(str, at)), "--capture-dir", captures],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env=base_env(SDL_VIDEODRIVER=None))
        try:
            for case in variants[4:9]:  # empty, garbage, invalid UTF-8, NUL bytes, 40 MB
                time.sleep(1.3)
                self.put("playlist.ini", case.files["playlist.ini"])
            self.assertEqual(process.wait(timeout=TIMEOUT + 8), 0)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        self.assertEqual(self.watch.events(), [])
        for t in at:
            image = read_png(os.path.join(captures, f"capture-{int(t * 1000)}.png"))
            centre = image.rgb(image.width // 2, image.height // 2)
            if max(abs(a - b) for a, b in zip(centre, GOOD)) > 12:
                self.counts["bad_shown"] += 1
                self.fail(f"at {t}s, after broken playlists, the screen shows {centre}, not the good poster")

    def test_config(self):
        self.start_kind("config")
        self.put("playlist.ini", ("[good]\n" + self.good_entry()).encode())
        good = f"[display]\nwidth = {SIZE[0]}\nheight = {SIZE[1]}\n[content]\nplaylist = share/playlist.ini\n".encode()
        variants = [
            Case("cut-30", must_report=False, files={"player.ini": cut(good, 0.3)}),
            Case("cut-70", must_report=False, files={"player.ini": cut(good, 0.7)}),
            Case("flipped", must_report=False, files={"player.ini": flipped(good, 0.5, 8)}),
            Case("empty", must_report=False, files={"player.ini": b""}),
            Case("garbage", files={"player.ini": garbage(4096, "config")}),
            Case("invalid-utf8", files={"player.ini": good + b"[screen]\nid = \xff\xfe\n"}),
            Case("nul-bytes", files={"player.ini": good + b"[screen]\nid = a\x00b\n"}),
            Case("huge-20mb", files={"player.ini": good + b"[screen]\nid = " + b"x" * (20 << 20) + b"\n"}),
            Case("unknown-key", files={"player.ini": good + b"[display]\nsparkle = yes\n"}),
            Case("unknown-section", files={"player.ini": good + b"[sparkles]\nfoo = 1\n"}),
            Case("duplicate-section", files={"player.ini": good + b"[content]\ncheck_every = 5s\n"}),
            Case("absurd-width", files={"player.ini": good.replace(b"width = 320", b"width = 99999999999")}),
            Case("negative-check-every", files={"player.ini": good.replace(b"[content]\n", b"[content]\ncheck_every = -5s\n")}),
            Case("unknown-choice", files={"player.ini": good + b"[log]\nlevel = shouting\n"}),
            Case("missing-playlist", files={"player.ini": good.replace(b"share/playlist.ini", b"share/nope.ini")}),
        ]
        names = {"missing-playlist": ["nope.ini"]}
        config = os.path.join(self.root, "player.ini")
        for case in variants:
            with open(config, "wb") as f:
                f.write(case.files["player.ini"])
            outcome = self.check_run(config, f"config {case.name}")
            if case.must_report:
                self.assertNotEqual(outcome.rc, 0, f"config {case.name}\n{outcome.describe()}")
            self.count_named([case], outcome.output, lambda c: names.get(c.name, ["player.ini"]))

    def test_layout(self):
        self.start_kind("layouts")
        self.put("playlist.ini", ("[good]\n" + self.good_entry()).encode())
        good = b"[main]\nkind = playlist\narea = 0, 0, 100%, 80%\n[ticker]\nkind = ticker\narea = 0, 80%, 100%, 20%\nsource = text\ntext = 96110\n"
        zones = "".join(f"[z{i}]\nkind = text\narea = 0, 0, 10%, 10%\ntext = {i}\n" for i in range(5000))
        variants = [
            Case("cut-40", must_report=False, files={"layout.ini": cut(good, 0.4)}),
            Case("flipped", must_report=False, files={"layout.ini": flipped(good, 0.5, 8)}),
            Case("empty", files={"layout.ini": b""}),
            Case("garbage", files={"layout.ini": garbage(4096, "layout")}),
            Case("invalid-utf8", files={"layout.ini": good + b"[t]\nkind = text\narea = 0, 0, 10%, 10%\ntext = \xff\n"}),
            Case("absurd-area", files={"layout.ini": good + b"[big]\nkind = text\narea = 0, 0, 999999999999px, 5%\ntext = a\n"}),
            Case("negative-area", files={"layout.ini": good + b"[neg]\nkind = text\narea = -50%, 0, 10%, 10%\ntext = a\n"}),
            Case("no-playlist-zone", files={"layout.ini": b"[t]\nkind = ticker\narea = 0, 80%, 100%, 20%\ntext = a\n"}),
            Case("5000-zones", must_report=False, files={"layout.ini": good + zones.encode()}),
            Case("huge-10mb", files={"layout.ini": good + b"[t]\nkind = text\narea = 0, 0, 10%, 10%\ntext = " +
                                     b"x" * (10 << 20) + b"\n"}),
        ]
        config = self.write_config(extra="[screen]\nlayout = layout.ini\n")
        for case in variants:
            with open(os.path.join(self.root, "layout.ini"), "wb") as f:
                f.write(case.files["layout.ini"])
            outcome = self.check_run(config, f"layout {case.name}")
            if case.must_report:
                self.assertNotEqual(outcome.rc, 0, f"layout {case.name}\n{outcome.describe()}")
            self.count_named([case], outcome.output, lambda c: ["layout.ini"])

    def test_alert_files(self):
        self.start_kind("alert files")
        cap = ("<?xml version='1.0' encoding='UTF-8'?>\n<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'>"
               "<identifier>{id}</identifier><sender>test@example.cn</sender><sent>2026-12-24T19:25:03+08:00</sent>"
               "<status>Actual</status><msgType>Alert</msgType><scope>Public</scope>{info}</alert>\n")
        info = ("<info><language>zh-CN</language><category>Safety</category><event>预警</event><urgency>Immediate</urgency>"
                "<severity>Severe</severity><certainty>Observed</certainty><headline>{headline}</headline></info>")
        good_cap = cap.format(id="ok", info=info.format(headline="警惕冒充客服诈骗"))
        laughs = "<!DOCTYPE alert [<!ENTITY a0 'ha'>" + "".join(
            f"<!ENTITY a{i} '&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};'>"
            for i in range(1, 12)) + "]>"
        xxe = f"<!DOCTYPE alert [<!ENTITY secret SYSTEM 'file://{self.outside}/secret.txt'>]>"
        cases = [
            Case("txt-invalid-utf8", files={"alerts/invalid.txt": b"\xc3\x28\xa0\xa1 warning\n"}),
            Case("txt-nul", files={"alerts/nul.txt": b"warn\x00ing\n"}),
            Case("txt-empty", files={"alerts/empty.txt": b""}),
            Case("txt-huge", files={"alerts/huge.txt": "骗".encode() * 3_000_000}),
            Case("image-cut", files={"alerts/cut.png": cut(self.images["png"], 0.5)}),
            Case("image-garbage", files={"alerts/garbage.jpg": garbage(4096, "alert")}),
            Case("image-bomb", files={"alerts/bomb.png": png_bomb(8000)}),
            Case("cap-cut", files={"alerts/cut.xml": cut(good_cap.encode(), 0.6)}),
            Case("cap-garbage", files={"alerts/garbage.xml": garbage(4096, "cap")}),
            Case("cap-not-cap", files={"alerts/html.xml": HTML_ERROR_PAGE}),
            Case("cap-wrong-namespace", files={"alerts/ns.xml": good_cap.replace("cap:1.2", "cap:0.9").encode()}),
            Case("cap-no-info", files={"alerts/noinfo.xml": cap.format(id="n", info="").encode()}),
            Case("cap-bad-time", files={"alerts/time.xml": good_cap.replace("2026-12-24T19:25:03+08:00", "yesterday").encode()}),
            Case("cap-billion-laughs", files={"alerts/laughs.xml": good_cap.replace(
                "<alert ", laughs + "<alert ").replace("警惕冒充客服诈骗", "&a11;").encode()}),
            Case("cap-external-entity", files={"alerts/xxe.xml": good_cap.replace(
                "<alert ", xxe + "<alert ").replace("警惕冒充客服诈骗", "&secret;").encode()}),
            Case("cap-huge", files={"alerts/huge.xml": good_cap.replace(
                "警惕冒充客服诈骗", "x" * (8 << 20)).encode()}),
            Case("cap-nul", files={"alerts/nul.xml": good_cap.replace("警惕", "警\x00惕").encode()}),
            Case("fifo", special=lambda share: os.mkfifo(os.path.join(share, "alerts", "pipe.txt")),
                 files={}),
            Case("link-outside", special=lambda share: os.symlink(f"{self.outside}/secret.txt",
                                                                  os.path.join(share, "alerts", "out.txt"))),
        ]
        os.makedirs(os.path.join(self.share, "alerts"))
        self.make_case_files(cases)
        self.put("alerts/ok.txt", "请勿向陌生人转账\n".encode())
        self.put("playlist.ini", ("[good]\n" + self.good_entry()).encode())
        config = self.write_config()
        outcome = self.check_run(config, "alert files")
        names = {"fifo": ["pipe.txt"], "link-outside": ["out.txt"]}
        self.count_named(cases, outcome.output, lambda case: names.get(case.name) or
                         [os.path.basename(name) for name in case.files])
        self.assertNotIn("ok.txt", outcome.output)
        # The good alert is on screen (fullscreen mode: the whole screen is the alert, not the poster).
        png = os.path.join(self.root, "alert.png")
        rendered = run_measured(PLAYER, ["render", "--config", config, "--at", "1", "--out", png])
        self.account(rendered, "alert files (render)")
        self.assertEqual(rendered.rc, 0, rendered.describe())
        image = read_png(png)
        centre = image.rgb(image.width // 2, image.height // 2)
        self.assertNotEqual(centre, GOOD, "the good alert is not on screen")

    def test_manifest(self):
        self.start_kind("manifest")
        cache = os.path.join(self.root, "cache")
        config = os.path.join(self.root, "sync.ini")
        with open(config, "w") as f:
            f.write(f"[content]\nshare = {self.share}\ncache = {cache}\nsettle = 0s\nmin_free_mb = 0\n")
        self.put("playlist.ini", ("[good]\n" + self.good_entry()).encode())
        old = time.time() - 600
        for name in ("playlist.ini", "good.png"):
            os.utime(os.path.join(self.share, name), (old, old))
        first = run_measured(SYNC, ["sync", "--once", "--config", config])
        self.account(first, "manifest: first sync")
        self.assertEqual(first.rc, 0, first.describe())
        current = os.path.realpath(os.path.join(cache, "current"))

        def entry(path, data):
            import hashlib
            return f"{hashlib.sha256(data).hexdigest()} {len(data)} {path}\n"

        with open(os.path.join(self.share, "good.png"), "rb") as f:
            png = f.read()
        head = "signage-manifest 1\n"
        body = entry("good.png", png)
        whole = head + body + "end 1\n"
        variants = [
            Case("cut-no-end", files={"manifest.txt": (head + body).encode()}),
            Case("cut-mid-line", files={"manifest.txt": cut(whole.encode(), 0.5)}),
            Case("empty", files={"manifest.txt": b""}),
            Case("garbage", files={"manifest.txt": garbage(4096, "manifest")}),
            Case("escape-dotdot", files={"manifest.txt": (head + entry("../outside/secret.png", png) + "end 1\n").encode()}),
            Case("absolute", files={"manifest.txt": (head + entry(f"{self.outside}/secret.png", png) + "end 1\n").encode()}),
            Case("duplicate", files={"manifest.txt": (head + body + body + "end 2\n").encode()}),
            Case("wrong-count", files={"manifest.txt": (head + body + "end 7\n").encode()}),
            Case("invalid-utf8", files={"manifest.txt": (head + body).encode() + b"\xff\xfe 1 x\nend 2\n"}),
            Case("nul-in-path", files={"manifest.txt": (head + body + entry("a\x00b.png", png) + "end 2\n").encode()}),
            Case("size-absurd", files={"manifest.txt": (head + body.replace(f" {len(png)} ", " 99999999999999999999 ") +
                                                        "end 1\n").encode()}),
            Case("huge-65mb", files={"manifest.txt": (head + "# " + "x" * (65 << 20) + "\n" + body + "end 1\n").encode()}),
        ]
        for case in variants:
            self.put("manifest.txt", case.files["manifest.txt"])
            outcome = run_measured(SYNC, ["sync", "--once", "--config", config])
            self.account(outcome, f"manifest {case.name}")
            self.assertIn(outcome.rc, (0, 1), outcome.describe())
            self.assertNotEqual(outcome.rc, 0, f"manifest {case.name} accepted\n{outcome.describe()}")
            self.count_named([case], outcome.output, lambda c: ["manifest.txt"])
            self.assertEqual(os.path.realpath(os.path.join(cache, "current")), current,
                             f"manifest {case.name}: the current snapshot was replaced")
        for folder, _, files in os.walk(cache):
            self.assertNotIn("secret.png", files, f"a file from outside the share was copied into {folder}")


if __name__ == "__main__":
    unittest.main()
