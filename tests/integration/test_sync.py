"""`sync --once`, `publish` and `rollback` from the outside: exit status, one clear line, and a
cache that always holds a complete snapshot, even when the process is killed with SIGKILL."""

import os
import random
import signal
import subprocess
import time
import unittest

from helpers import (PLAYER, FolderSyncCase, base_env, log_messages, parse_manifest, png_of_size, run_player,
                     run_sync, sha256)


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class SyncTest(FolderSyncCase):
    def put_content(self, marker="v1", images=("posters/a.png",), age=600):
        text = f"[hello]\ntype = slogan\ntext = {marker}\n"
        for i, image in enumerate(images):
            text += f"\n[image-{i}]\ntype = image\nfile = {image}\n"
            if not os.path.exists(self.path(image)):
                self.put(image, png_of_size(20000))
        self.put("playlist.ini", text, age=age)

    # ------------------------------------------------------------------------------------------

    def test_sync_copies_the_share_then_reports_up_to_date(self):
        self.put_content()
        r = self.sync()
        self.assert_ok(r)
        self.assertRegex(self.summary(r), r"^sync: snapshot \S+ is current: 2 files, 2 copied \(\d+ bytes\), "
                                          r"0 linked, 0 removed")
        self.assert_cache_complete()
        with open(self.current("posters/a.png"), "rb") as a, open(self.path("posters/a.png"), "rb") as b:
            self.assertEqual(a.read(), b.read())

        r = self.sync()
        self.assert_ok(r)
        self.assertRegex(self.summary(r), r"^sync: up to date: snapshot \S+, 2 files")

        self.put("posters/a.png", png_of_size(12345), age=300)
        r = self.sync()
        self.assert_ok(r)
        self.assertIn("1 copied (12345 bytes), 1 linked, 0 removed", self.summary(r))
        self.assert_cache_complete()
        self.assertTrue(os.path.islink(os.path.join(self.cache, "previous")))

    def test_share_gone_fails_with_one_line_and_keeps_current(self):
        self.put_content()
        self.assert_ok(self.sync())
        before = os.readlink(self.current().rstrip("/"))
        os.rename(self.share, self.share + "-away")
        message = self.assert_failed(self.sync(), f"sync failed: {self.share}: share not reachable")
        self.assertIn("No such file or directory", message)
        self.assertEqual(os.readlink(self.current().rstrip("/")), before)
        self.assert_cache_complete()

    def test_playlist_naming_a_missing_file_fails_the_sync(self):
        self.put_content()
        self.assert_ok(self.sync())
        self.put("playlist.ini", "[p]\ntype = image\nfile = posters/missing.png\n")
        self.assert_failed(self.sync(), f"sync failed: {self.path('playlist.ini')}:1: names posters/missing.png, "
                                        "which is not on the share")

    def test_no_share_set(self):
        with open(self.config, "w", encoding="utf-8") as f:
            f.write("[content]\nplaylist = playlist.ini\n")
        self.assert_failed(self.sync(), "sync: no [content] share set in")

    def test_bad_config_exits_2(self):
        self.write_config("min_free_mb = lots\n")
        r = self.sync()
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("min_free_mb: ", r.stderr)

    def test_usage_errors_exit_2(self):
        for args, message in ((["sync"], "sync needs --once"), (["publish"], "publish needs the folder"),
                              (["check", "--once"], "--once is an option of sync")):
            with self.subTest(args=args):
                r = run_player(args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertTrue(r.stderr.startswith("signage-player: " + message), r.stderr)

    def test_refused_entries_are_warned_and_not_synced(self):
        self.put_content()
        os.symlink("/etc/passwd", self.path("passwd"))
        os.mkfifo(self.path("pipe"))
        r = self.sync()
        self.assert_ok(r)
        warnings = log_messages(r.stderr, "warning")
        self.assertIn(f"{self.path('passwd')}: is a link to an absolute path (/etc/passwd); refused: only relative "
                      "links to files inside the share are followed", warnings)
        self.assertIn(f"{self.path('pipe')}: is a FIFO (named pipe); refused", warnings)
        self.assertFalse(os.path.lexists(self.current("passwd")))
        self.assertFalse(os.path.lexists(self.current("pipe")))

    def test_publish_writes_the_manifest_and_sync_checks_it(self):
        self.put_content()
        self.put("sub/中文 名.txt", "text")
        self.put(".hidden", "skipped")
        r = run_sync(["publish", self.share])
        self.assert_ok(r)
        self.assertIn(f"publish: {self.path('manifest.txt')}: 3 files, ", log_messages(r.stderr, "info")[0])
        entries = parse_manifest(self.path("manifest.txt"))
        self.assertEqual(set(entries), {"playlist.ini", "posters/a.png", "sub/中文 名.txt"})
        for name, (size, digest) in entries.items():
            self.assertEqual(size, os.path.getsize(self.path(name)))
            self.assertEqual(digest, sha256(self.path(name)))
        with open(self.path("manifest.txt"), "rb") as f:
            first = f.read()
        self.assert_ok(run_sync(["publish", self.share]))
        with open(self.path("manifest.txt"), "rb") as f:
            self.assertEqual(f.read(), first)  # the manifest does not list itself
        self.assertEqual([n for n in os.listdir(self.share) if n.startswith(".manifest")], [])

        self.put("manifest.txt", first)  # settled
        self.assert_ok(self.sync())
        with open(self.current("posters/a.png"), "rb") as f:
            published = f.read()
        # Changed on the share, manifest not published again: not taken, the previous version stays.
        self.put("posters/a.png", os.urandom(len(published)), age=300)
        r = self.sync()
        self.assert_ok(r)
        self.assertTrue(any(w.startswith(f"{self.path('posters/a.png')}: does not match manifest.txt")
                            for w in log_messages(r.stderr, "warning")), r.stderr)
        with open(self.current("posters/a.png"), "rb") as f:
            self.assertEqual(f.read(), published)

    def test_publish_of_a_missing_folder_fails(self):
        r = run_sync(["publish", os.path.join(self.root, "nothing")])
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(len(log_messages(r.stderr, "error")), 1, r.stderr)

    def test_rollback(self):
        self.put_content("v1")
        self.assert_ok(self.sync())
        r = run_sync(["rollback", "--config", self.config])
        self.assert_failed(r, "rollback failed: ")
        self.put_content("v2", age=300)
        self.assert_ok(self.sync())
        self.assertIn("v2", read_text(self.current("playlist.ini")))
        r = run_sync(["rollback", "--config", self.config])
        self.assert_ok(r)
        self.assertIn("v1", read_text(self.current("playlist.ini")))

    def test_kill_9_mid_sync_leaves_a_complete_snapshot(self):
        rng = random.Random(4242)
        names = [f"media/{i % 5}/clip-{i}.bin" for i in range(40)]

        def new_version(n):
            for i, name in enumerate(names):
                if n == 0 or i % 2 == n % 2:
                    self.put(name, png_of_size(128 * 1024), age=300 + n)
            self.put_content(f"v{n}", images=names[:3], age=300 - n)

        new_version(0)
        started = time.monotonic()
        self.assert_ok(self.sync())
        seconds = time.monotonic() - started
        killed = 0
        for n in range(1, 7):
            new_version(n)
            process = subprocess.Popen([PLAYER, "sync", "--once", "--config", self.config], env=base_env(),
                                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0, seconds))
            process.send_signal(signal.SIGKILL)
            killed += process.wait() == -signal.SIGKILL
            self.assert_cache_complete()
            r = self.sync()
            self.assert_ok(r)
            self.assert_cache_complete()
            self.assertIn(f"text = v{n}", read_text(self.current("playlist.ini")))
            self.assertFalse([e for e in os.listdir(self.cache) if e.startswith("staging-")])
        self.assertGreaterEqual(killed, 3)


if __name__ == "__main__":
    unittest.main()
