"""The commands that need no display (version, help, the references, publish, sync --once,
rollback) must not load SDL or FFmpeg: those ~150 shared libraries take ~200 ms to load, more
than a whole sync (player/media_module.h). play, render, check and bench load them, through the
media module. Nor libcurl and its ~30 libraries: only the sync of an http(s) share loads it
(playlist/curl_library.h).

Timing-free: the dynamic loader itself lists every object it loads (LD_DEBUG=files, written to
files of our own with LD_DEBUG_OUTPUT), whether linked into the binary or dlopened later."""

import glob
import os
import re
import subprocess
import tempfile
import time
import unittest

from helpers import DEMO_CONFIG, PLAYER, TempShare, base_env, missing_programs, run_player
from share_server import ShareServer

# Sonames (prefixes) that only the media side may load; the module itself is the first.
MEDIA_LIBRARIES = ("signage-player-media.so", "libSDL2", "libavcodec", "libavformat", "libavutil",
                   "libswscale", "libswresample", "libfontconfig", "libfreetype", "libva")
# Loaded by HTTP(S) share syncs only.
CURL_LIBRARY = "libcurl."
LOADED = re.compile(r"\bfile=(\S+) \[\d+\];\s+(needed by|dynamically loaded by) (\S+)")


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


def run_traced(args, work):
    """Runs the player with the loader's trace; returns (CompletedProcess, [(object, why, by)])."""
    env, trace_dir = traced_env(work)
    r = run_player(args, env=env)
    return r, [entry for entries in read_traces(trace_dir).values() for entry in entries]


def media_among(loaded):
    """The media objects among `loaded`, as (file name, "needed by X" or "dynamically loaded by X")."""
    return [(os.path.basename(name), f"{why} {by}") for name, why, by in loaded
            if any(os.path.basename(name).startswith(lib) for lib in MEDIA_LIBRARIES)]


class LeanCommandsTest(TempShare):
    def setUp(self):
        super().setUp()
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

    def assert_lean(self, args, stdout_start=None, loads_curl=False):
        r, loaded = run_traced(args, self.root)
        self.assertEqual(r.returncode, 0, r.stderr)
        if stdout_start is not None:
            self.assertTrue(r.stdout.startswith(stdout_start), r.stdout[:200])
        # The trace worked for this run: the core's own libraries are in it.
        names = [os.path.basename(name) for name, _, _ in loaded]
        self.assertTrue(any(n.startswith("libcrypto") for n in names), f"no loader trace for {args}: {names}")
        media = media_among(loaded)
        self.assertFalse(media, f"`signage-player {' '.join(args)}` loaded media libraries: " +
                         ", ".join(f"{name} ({how})" for name, how in media))
        curl = [n for n in names if n.startswith(CURL_LIBRARY)]
        if loads_curl:
            self.assertTrue(curl, f"`signage-player {' '.join(args)}` did not load libcurl: {names}")
        else:
            self.assertFalse(curl, f"`signage-player {' '.join(args)}` loaded libcurl")
        return r

    def test_version_help_and_references_load_no_media_library(self):
        self.assert_lean(["--version"], "signage-player ")
        self.assert_lean(["help"], "Usage:")
        self.assert_lean(["config-reference"], "#")
        self.assert_lean(["playlist-reference"], "#")

    def test_publish_sync_and_rollback_load_no_media_library(self):
        self.assert_lean(["publish", self.share])
        self.assert_lean(["sync", "--once", "--config", self.config])
        self.put("news.ini", "; a second snapshot to roll back from\n")
        self.assert_lean(["sync", "--once", "--config", self.config])
        self.assert_lean(["rollback", "--config", self.config])

    def test_only_an_http_share_sync_loads_libcurl(self):
        """The other side of the libcurl check above (a folder share's sync does not load it)."""
        server = ShareServer(self.root)
        self.addCleanup(server.stop)
        self.assert_lean(["publish", self.share])
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(f"[content]\nshare = {server.url}share/\ncache = {self.cache}\nmin_free_mb = 0\n")
        self.assert_lean(["sync", "--once", "--config", self.config], loads_curl=True)
        self.assertTrue(os.path.exists(os.path.join(self.cache, "current", "playlist.ini")))

    @unittest.skipIf(missing_programs("ffmpeg"), "needs ffmpeg to make a test video")
    def test_sync_probes_a_new_video_in_a_child_and_stays_lean_itself(self):
        """The media probe (playlist/snapshot_probe.h) loads the media module in a child process only."""
        video = os.path.join(self.share, "psa.mp4")
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10",
                        "-t", "1", "-pix_fmt", "yuv420p", video], check=True)
        then = time.time() - 600
        os.utime(video, (then, then))
        self.put("playlist.ini", "[psa]\ntype = video\nfile = psa.mp4\n")
        env, trace_dir = traced_env(self.root)
        sync = subprocess.Popen([PLAYER, "sync", "--once", "--config", self.config], env=env,
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
                  if any(name.startswith("signage-player-media.so") for name, _ in media_among(loaded))]
        self.assertEqual(len(probes), 1, f"expected one probe child loading the media module: {sorted(traces)}")

    def test_check_loads_the_media_module(self):
        """The other side, and proof that the trace sees a dlopened module and its libraries."""
        r, loaded = run_traced(["check", "--config", DEMO_CONFIG], self.root)
        self.assertEqual(r.returncode, 0, r.stderr)
        names = [name for name, _ in media_among(loaded)]
        self.assertTrue(any(n.startswith("signage-player-media.so") for n in names), names)
        self.assertTrue(any(n.startswith("libavcodec") for n in names), names)
        self.assertTrue(any(n.startswith("libSDL2") for n in names), names)


if __name__ == "__main__":
    unittest.main()
