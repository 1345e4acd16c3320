"""Two executables instead of two dlopens: `signage-sync` (sync, publish, rollback) links the
core and libcurl and no SDL or FFmpeg library, whose ~150 shared libraries take longer to load
than a whole sync (player/front/sync_main.cpp); `signage-player` links everything and runs every
command, the sync commands too. `play` runs its background sync as `signage-sync sync --once
--result-fd 3`, and a sync runs its media probe as `signage-player probe`, each found beside the
other.

Checked three ways: `ldd` (what the binary links), the dynamic loader's own trace of every object
a process loads (LD_DEBUG=files, written to files of our own with LD_DEBUG_OUTPUT; children
inherit it), and /proc/PID/maps of the running background sync."""

import glob
import json
import os
import re
import subprocess
import tempfile
import time
import unittest

from helpers import (DEMO_CONFIG, PLAYER, SYNC, Running, TempShare, base_env, children_of, cmdline, missing_programs,
                     run_player)
from share_server import ShareServer

# Sonames (prefixes) that only signage-player may load.
MEDIA_LIBRARIES = ("libSDL2", "libavcodec", "libavformat", "libavutil", "libswscale", "libswresample",
                   "libfontconfig", "libfreetype", "libva")
LOADED = re.compile(r"\bfile=(\S+) \[\d+\];\s+(needed by|dynamically loaded by) (\S+)")


def is_media(name):
    return any(os.path.basename(name).startswith(lib) for lib in MEDIA_LIBRARIES)


def linked_libraries(binary):
    """The shared objects `ldd` says `binary` loads, as paths (or names when not found)."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def traced_env(work):
    """An environment with the loader's trace on, and the folder its files (ld.<pid>) go to."""
    trace_dir = tempfile.mkdtemp(dir=work)
    return base_env(LD_DEBUG="files", LD_DEBUG_OUTPUT=os.path.join(trace_dir, "ld")), trace_dir


def read_traces(trace_dir):
    """{pid: [(object, why, by)]} for every process traced (children inherit the trace)."""
    loaded = {}
    for path in glob.glob(os.path.join(trace_dir, "ld.*")):
        with open(path, encoding="utf-8", errors="replace") as f:
            loaded[int(path.rsplit(".", 1)[1])] = [m.groups() for m in LOADED.finditer(f.read())]
    return loaded


def run_traced(program, args, work):
    """Runs `program` with the loader's trace; returns (CompletedProcess, [(object, why, by)])."""
    env, trace_dir = traced_env(work)
    r = subprocess.run([program, *args], stdin=subprocess.DEVNULL, capture_output=True, timeout=60, env=env,
                       encoding="utf-8", errors="replace")
    return r, [entry for entries in read_traces(trace_dir).values() for entry in entries]


def media_among(loaded):
    """The media objects among `loaded`, as (file name, "needed by X" or "dynamically loaded by X")."""
    return [(os.path.basename(name), f"{why} {by}") for name, why, by in loaded if is_media(name)]


class LeanSyncBinaryTest(TempShare):
    def setUp(self):
        super().setUp()
        self.assertTrue(os.access(SYNC, os.X_OK), f"no signage-sync beside {PLAYER}")
        self.cache = os.path.join(self.root, "cache")
        self.config = os.path.join(self.root, "player.ini")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(f"[content]\nshare = {self.share}\ncache = {self.cache}\nsettle = 0s\nmin_free_mb = 0\n")
        self.put("playlist.ini", "[hello]\ntype = slogan\ntext = Hello\n")

    def put(self, name, content):
        """A share file ten minutes old: settled, taken by the next sync."""
        path = self.write(name, content)
        then = time.time() - 600
        os.utime(path, (then, then))

    def assert_lean(self, args, stdout_start=None):
        r, loaded = run_traced(SYNC, args, self.root)
        self.assertEqual(r.returncode, 0, r.stderr)
        if stdout_start is not None:
            self.assertTrue(r.stdout.startswith(stdout_start), r.stdout[:200])
        # The trace worked for this run: the core's own libraries are in it.
        names = [os.path.basename(name) for name, _, _ in loaded]
        self.assertTrue(any(n.startswith("libcrypto") for n in names), f"no loader trace for {args}: {names}")
        media = media_among(loaded)
        self.assertFalse(media, f"`signage-sync {' '.join(args)}` loaded media libraries: " +
                         ", ".join(f"{name} ({how})" for name, how in media))
        return r

    def test_signage_sync_links_no_media_library_and_signage_player_does(self):
        sync = linked_libraries(SYNC)
        self.assertFalse([lib for lib in sync if is_media(lib)], f"signage-sync links media libraries: {sync}")
        self.assertTrue([lib for lib in sync if os.path.basename(lib).startswith("libcurl")],
                        f"signage-sync does not link libcurl: {sync}")
        player = linked_libraries(PLAYER)
        self.assertTrue([lib for lib in player if os.path.basename(lib).startswith("libavcodec")], player)
        self.assertTrue([lib for lib in player if os.path.basename(lib).startswith("libSDL2")], player)

    def test_no_dlopen_left(self):
        """Both binaries link what they use: neither imports dlopen."""
        for binary in (SYNC, PLAYER):
            symbols = subprocess.run(["nm", "-D", "--undefined-only", binary], capture_output=True, text=True,
                                     check=True).stdout
            self.assertNotRegex(symbols, r"\bdlopen\b", binary)

    def test_version_and_help(self):
        self.assert_lean(["--version"], "signage-sync ")
        r = self.assert_lean(["--help"], "Usage:")
        self.assertIn("signage-sync sync --once", r.stdout)

    def test_other_commands_are_signage_players(self):
        for args in (["play", "--headless"], ["check"], ["render", "--at", "1", "--out", "x.png"]):
            r = subprocess.run([SYNC, *args], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=10,
                               env=base_env())
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("runs sync, publish and rollback", r.stderr)
        r = subprocess.run([SYNC], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=10, env=base_env())
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("which command?", r.stderr)

    def test_publish_sync_and_rollback_load_no_media_library(self):
        self.assert_lean(["publish", self.share])
        r = self.assert_lean(["sync", "--once", "--config", self.config])
        self.assertIn("sync: snapshot ", r.stderr)
        self.put("news.ini", "; a second snapshot to roll back from\n")
        self.assert_lean(["sync", "--once", "--config", self.config])
        r = self.assert_lean(["rollback", "--config", self.config])
        self.assertIn("is the current snapshot again", r.stderr)

    def test_the_player_runs_the_sync_commands_too(self):
        """The README's `signage-player sync --once` / `publish` / `rollback` keep working."""
        self.assertEqual(run_player(["publish", self.share]).returncode, 0)
        r = run_player(["sync", "--once", "--config", self.config])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.cache, "current", "playlist.ini")))

    def test_result_fd_answers_json(self):
        read_end, write_end = os.pipe()
        r = subprocess.run([SYNC, "sync", "--once", "--config", self.config, "--result-fd", str(write_end)],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, env=base_env(),
                           pass_fds=(write_end,))
        os.close(write_end)
        with os.fdopen(read_end, encoding="utf-8") as f:
            result = json.load(f)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(result["signage_sync_result"], 1)
        self.assertEqual(result["result"], "ok")
        self.assertTrue(result["summary"].startswith("sync: snapshot "), result)
        self.assertEqual(result["warnings"], [])

    def test_an_http_share_syncs_through_the_linked_libcurl(self):
        server = ShareServer(self.root)
        self.addCleanup(server.stop)
        self.assert_lean(["publish", self.share])
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(f"[content]\nshare = {server.url}share/\ncache = {self.cache}\nmin_free_mb = 0\n")
        self.assert_lean(["sync", "--once", "--config", self.config])
        self.assertTrue(os.path.exists(os.path.join(self.cache, "current", "playlist.ini")))

    @unittest.skipIf(missing_programs("ffmpeg"), "needs ffmpeg to make a test video")
    def test_sync_probes_a_new_video_in_a_signage_player_child_and_stays_lean_itself(self):
        video = os.path.join(self.share, "psa.mp4")
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10",
                        "-t", "1", "-pix_fmt", "yuv420p", video], check=True)
        then = time.time() - 600
        os.utime(video, (then, then))
        self.put("playlist.ini", "[psa]\ntype = video\nfile = psa.mp4\n")
        env, trace_dir = traced_env(self.root)
        sync = subprocess.Popen([SYNC, "sync", "--once", "--config", self.config], env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _, stderr = sync.communicate(timeout=60)
        self.assertEqual(sync.returncode, 0, stderr)
        self.assertIn("1 media file probed", stderr)
        self.assertTrue(os.path.exists(os.path.join(self.cache, "current", "psa.mp4")), stderr)
        traces = read_traces(trace_dir)
        own = traces.pop(sync.pid)
        self.assertTrue(own, "no loader trace for the sync itself")
        media = media_among(own)
        self.assertFalse(media, "the sync loaded media libraries: " + ", ".join(f"{n} ({how})" for n, how in media))
        probes = [pid for pid, loaded in traces.items()
                  if any(name.startswith("libavcodec") for name, _ in media_among(loaded))]
        self.assertEqual(len(probes), 1, f"expected one probe child loading FFmpeg: {sorted(traces)}")

    def test_plays_background_sync_is_signage_sync_with_a_result_fd(self):
        """The child `play` runs for each sync is the lean binary: its command line and its maps."""
        # A fresh file and settle = 10 s: the sync waits to take a second look, long enough to be seen.
        self.write("playlist.ini", "[hello]\ntype = slogan\ntext = Hello\n")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(f"[content]\nshare = {self.share}\ncache = {self.cache}\nsettle = 10s\nmin_free_mb = 0\n"
                    "sync_every = 60s\n[display]\nfullscreen = no\n")
        player = Running(["play", "--headless", "--config", self.config], os.path.join(self.root, "play.log"))
        self.addCleanup(player.stop)
        child = None
        deadline = time.monotonic() + 10
        while child is None and time.monotonic() < deadline:
            for pid in children_of(player.process.pid):
                args = cmdline(pid)
                # Once exec'd and its libraries loaded (libcrypto is the core's own).
                mapped = maps(pid)
                if args and "--once" in args and any("libcrypto" in m for m in mapped):
                    child = (pid, args, mapped)
            time.sleep(0.05)
        self.assertIsNotNone(child, player.log())
        pid, args, mapped = child
        self.assertEqual(os.path.basename(args[0]), "signage-sync", args)
        self.assertEqual(os.path.realpath(os.path.dirname(args[0])), os.path.realpath(os.path.dirname(PLAYER)))
        self.assertIn("--result-fd", args)
        self.assertFalse([m for m in mapped if is_media(m)], f"the background sync maps media libraries: {mapped}")

    def test_check_loads_media_libraries(self):
        """The other side, and proof that the trace sees the media libraries."""
        r, loaded = run_traced(PLAYER, ["check", "--config", DEMO_CONFIG], self.root)
        self.assertEqual(r.returncode, 0, r.stderr)
        names = [name for name, _ in media_among(loaded)]
        self.assertTrue(any(n.startswith("libavcodec") for n in names), names)
        self.assertTrue(any(n.startswith("libSDL2") for n in names), names)


def maps(pid):
    """The files mapped into process `pid`."""
    try:
        with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as f:
            return sorted({line.split()[-1] for line in f if len(line.split()) >= 6})
    except OSError:
        return []


if __name__ == "__main__":
    unittest.main()
