"""The commands that need no display (version, help, the references, publish, sync --once,
rollback) must not load SDL or FFmpeg: those ~150 shared libraries take ~200 ms to load, more
than a whole sync (player/media_module.h). play, render, check and bench load them, through the
media module.

Timing-free: the dynamic loader itself lists every object it loads (LD_DEBUG=files, written to
files of our own with LD_DEBUG_OUTPUT), whether linked into the binary or dlopened later."""

import glob
import os
import re
import tempfile
import time
import unittest

from helpers import DEMO_CONFIG, TempShare, base_env, run_player

# Sonames (prefixes) that only the media side may load; the module itself is the first.
MEDIA_LIBRARIES = ("signage-player-media.so", "libSDL2", "libavcodec", "libavformat", "libavutil",
                   "libswscale", "libswresample", "libfontconfig", "libfreetype", "libva")
LOADED = re.compile(r"\bfile=(\S+) \[\d+\];\s+(needed by|dynamically loaded by) (\S+)")


def run_traced(args, work):
    """Runs the player with the loader's trace; returns (CompletedProcess, [(object, why, by)])."""
    trace_dir = tempfile.mkdtemp(dir=work)
    r = run_player(args, env=base_env(LD_DEBUG="files", LD_DEBUG_OUTPUT=os.path.join(trace_dir, "ld")))
    loaded = []
    for path in glob.glob(os.path.join(trace_dir, "ld.*")):
        with open(path, encoding="utf-8", errors="replace") as f:
            loaded += [m.groups() for m in LOADED.finditer(f.read())]
    return r, loaded


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

    def assert_lean(self, args, stdout_start=None):
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
