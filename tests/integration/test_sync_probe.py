"""The media probe of `sync --once` (playlist/sync/snapshot_probe.h): new and changed videos and images
the playlist shows are opened with the real decoders in a child process before they are taken.
A file that would not play is not taken (its previous version stays, a new one is left out) and
reported by name; the rest of the snapshot switches; a probe that hangs or crashes costs only
that file. Videos are made with ffmpeg -f lavfi at test time."""

import hashlib
import os
import subprocess
import time
import unittest

from helpers import (FolderSyncCase, base_env, log_messages, make_png, missing_programs, png_header_only,
                     run_player, sha256)


@unittest.skipIf(missing_programs("ffmpeg"), "needs ffmpeg to make the test videos")
class SyncProbeTest(FolderSyncCase):
    def settle(self, name, age=600):
        then = time.time() - age
        os.utime(self.path(name), (then, then))

    def make_video(self, name, colour="testsrc2", age=600, faststart=True):
        """A 1-second 160x90 H.264 (or MPEG-4 Part 2 when libx264 is missing) MP4 on the share."""
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        args = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", f"{colour}=size=160x90:rate=10",
                "-t", "1", "-pix_fmt", "yuv420p"]
        if faststart:
            args += ["-movflags", "+faststart"]
        subprocess.run(args + [path], check=True)
        self.settle(name, age)
        with open(path, "rb") as f:
            return f.read()

    def playlist(self, marker, videos=(), images=(), age=600):
        text = f"[hello]\ntype = slogan\ntext = {marker}\nduration = 1s\n"
        for name in videos:
            text += f"\n[{name}]\ntype = video\nfile = {name}\n"
        for name in images:
            text += f"\n[{name}]\ntype = image\nfile = {name}\nduration = 1s\n"
        self.put("playlist.ini", text, age)

    def warnings(self, r):
        return log_messages(r.stderr, "warning")

    def warning_about(self, r, name):
        found = [w for w in self.warnings(r) if w.startswith(self.path(name) + ": ")]
        self.assertEqual(len(found), 1, r.stderr)
        return found[0]

    # ------------------------------------------------------------------------------------------

    def test_broken_media_is_not_taken_and_the_rest_of_the_snapshot_updates(self):
        good_v1 = self.make_video("videos/psa.mp4")
        self.put("posters/a.png", make_png(64, 36, (200, 30, 30)))
        self.put("notes.txt", "v1")
        self.playlist("v1", videos=["videos/psa.mp4"], images=["posters/a.png"])
        r = self.sync()
        self.assert_ok(r)
        self.assertIn("2 media files probed", self.summary(r))
        self.assert_cache_complete()

        # psa.mp4 replaced by a copy whose moov atom is missing (cut off at the end, where ffmpeg
        # writes it without faststart); a text file renamed .mp4; random bytes; a PNG header
        # claiming 100000x100000 pixels; and a good new video and poster.
        whole = self.make_video("videos/psa.mp4", "smptebars", age=300, faststart=False)
        moov = whole.rfind(b"moov")
        self.assertGreater(moov, len(whole) // 2, "ffmpeg put the moov atom first")
        self.put("videos/psa.mp4", whole[:moov - 4], age=300)
        self.put("videos/notes.mp4", "this is a text file, renamed\n" * 100, age=300)
        self.put("videos/noise.mp4", os.urandom(50000), age=300)
        self.put("posters/bomb.png", png_header_only(100000, 100000), age=300)
        good_new = self.make_video("videos/new.mp4", "mandelbrot", age=300)
        self.put("posters/b.png", make_png(64, 36, (30, 200, 30)), age=300)
        self.put("notes.txt", "v2", age=300)
        self.playlist("v2", videos=["videos/psa.mp4", "videos/notes.mp4", "videos/noise.mp4", "videos/new.mp4"],
                      images=["posters/a.png", "posters/bomb.png", "posters/b.png"], age=300)
        r = self.sync()
        self.assert_ok(r)
        self.assertIn("6 media files probed", self.summary(r))
        self.assertTrue(self.warning_about(r, "videos/psa.mp4").startswith(
            f"{self.path('videos/psa.mp4')}: not taken: not a playable video: "), r.stderr)
        self.assertTrue(self.warning_about(r, "videos/psa.mp4").endswith("; the previous version is kept"))
        for name in ("videos/notes.mp4", "videos/noise.mp4"):
            message = self.warning_about(r, name)
            self.assertTrue(message.startswith(f"{self.path(name)}: not taken: not a playable video: "), message)
            self.assertTrue(message.endswith("; left out for now"), message)
            self.assertNotIn(self.cache, message)  # named as on the share, not in staging
            self.assertFalse(os.path.exists(self.current(name)))
        bomb = self.warning_about(r, "posters/bomb.png")
        self.assertTrue(bomb.startswith(f"{self.path('posters/bomb.png')}: not taken: not a usable image: "), bomb)
        self.assertIn("megapixels", bomb)

        # The previous good psa.mp4 stays; everything else of the share is taken.
        self.assertEqual(sha256(self.current("videos/psa.mp4")), sha256_bytes(good_v1))
        self.assertEqual(sha256(self.current("videos/new.mp4")), sha256_bytes(good_new))
        self.assertTrue(os.path.exists(self.current("posters/b.png")))
        with open(self.current("notes.txt"), encoding="utf-8") as f:
            self.assertEqual(f.read(), "v2")
        with open(self.current("playlist.ini"), encoding="utf-8") as f:
            self.assertIn("text = v2", f.read())
        self.assert_cache_complete()

        # And it plays: the left-out files are skipped with a message, the rest shown.
        self.write_config("\n[display]\nwidth = 320\nheight = 180\n")
        r = run_player(["play", "--headless", "--run-for", "4", "--config", self.config], timeout=40)
        self.assertEqual(r.returncode, 0, r.stderr)
        skipped = [m for m in log_messages(r.stderr) if "skipped" in m and ("notes.mp4" in m or "noise.mp4" in m)]
        self.assertTrue(skipped, r.stderr)
        self.assertFalse([m for m in log_messages(r.stderr) if "psa.mp4" in m and "skipped" in m], r.stderr)

        # The share fixed: the good version is taken.
        good_v2 = self.make_video("videos/psa.mp4", "smptebars", age=200)
        r = self.sync()
        self.assert_ok(r)
        self.assertEqual(sha256(self.current("videos/psa.mp4")), sha256_bytes(good_v2))

    def test_a_truncated_jpeg_is_not_taken(self):
        """libjpeg only warns of a JPEG that ends early; the probe refuses it all the same."""
        whole_path = self.path("posters/whole.jpg")
        os.makedirs(os.path.dirname(whole_path), exist_ok=True)
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180",
                        "-frames:v", "1", "-q:v", "2", whole_path], check=True)
        self.settle("posters/whole.jpg")
        with open(whole_path, "rb") as f:
            whole = f.read()
        self.put("posters/half.jpg", whole[:len(whole) // 2])
        self.playlist("jpeg", images=["posters/whole.jpg", "posters/half.jpg"])
        r = self.sync()
        self.assert_ok(r)
        message = self.warning_about(r, "posters/half.jpg")
        self.assertTrue(message.startswith(f"{self.path('posters/half.jpg')}: not taken: not a usable image: "),
                        message)
        self.assertIn("Premature end of JPEG file", message)
        self.assertFalse(os.path.exists(self.current("posters/half.jpg")))
        self.assertTrue(os.path.exists(self.current("posters/whole.jpg")))

    def test_nothing_media_changed_runs_no_probe(self):
        self.make_video("videos/psa.mp4")
        self.put("notes.txt", "v1")
        self.playlist("v1", videos=["videos/psa.mp4"])
        self.assert_ok(self.sync())
        self.put("notes.txt", "v2", age=300)
        # Were a probe child run, it would crash on psa.mp4; none is, and none is needed.
        r = self.sync(env=base_env(SIGNAGE_PROBE_TEST="crash:videos/psa.mp4"))
        self.assert_ok(r)
        self.assertNotIn("probed", self.summary(r))
        self.assertEqual(self.warnings(r), [])

    def test_a_probe_that_hangs_or_crashes_fails_that_file_only(self):
        self.put("notes.txt", "v1")
        self.playlist("v1")
        self.assert_ok(self.sync())
        self.write_config("\n[limits]\nprobe_timeout = 1s\n")
        self.make_video("videos/a.mp4", age=300)
        self.make_video("videos/slow.mp4", "smptebars", age=300)
        self.make_video("videos/c.mp4", "mandelbrot", age=300)
        self.playlist("v2", videos=["videos/a.mp4", "videos/slow.mp4", "videos/c.mp4"], age=300)
        started = time.monotonic()
        r = self.sync(env=base_env(SIGNAGE_PROBE_TEST="hang:videos/slow.mp4"))
        seconds = time.monotonic() - started
        self.assert_ok(r)
        message = self.warning_about(r, "videos/slow.mp4")
        self.assertIn("not taken: not a playable video: the probe did not finish within", message)
        self.assertIn("[limits] probe_timeout", message)
        self.assertLess(seconds, 25)
        for name in ("videos/a.mp4", "videos/c.mp4"):
            self.assertTrue(os.path.exists(self.current(name)), name)
        self.assertFalse(os.path.exists(self.current("videos/slow.mp4")))
        self.assert_cache_complete()

        # A crash in the middle: the file it crashed on is blamed, the others are probed again.
        self.make_video("videos/d.mp4", "smptebars", age=200)
        self.make_video("videos/e.mp4", "mandelbrot", age=200)
        self.playlist("v3", videos=["videos/d.mp4", "videos/e.mp4"], age=200)
        r = self.sync(env=base_env(SIGNAGE_PROBE_TEST="crash:videos/d.mp4"))
        self.assert_ok(r)
        self.assertIn("not taken: not a playable video: the probe ", self.warning_about(r, "videos/d.mp4"))
        self.assertTrue(os.path.exists(self.current("videos/e.mp4")))
        self.assertFalse(os.path.exists(self.current("videos/d.mp4")))
        self.assert_cache_complete()


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


if __name__ == "__main__":
    unittest.main()
