"""The alerts sync: `sync --once --alerts` takes only the share's alerts/ folder into CACHE/alerts
(folder and HTTP shares), and the background alerts sync of a playing player has a dropped alert
in that cache within 2 s, without a content sync. Showing the alert is the player's, not tested here."""

import json
import os
import shutil
import statistics
import subprocess
import time
import unittest

from helpers import (PLAYER, SYNC, FolderSyncCase, Running, SyncChecks, TempShare, base_env, log_messages,
                     run_player, run_sync)
from share_server import ShareServer

# A dropped alert must be in the alerts cache within this long (docs/sync.md, Urgent alerts).
ALERT_DEADLINE = 2.0


def listing(folder):
    try:
        return sorted(os.listdir(folder))
    except FileNotFoundError:
        return None


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def content_of(path):
    """The file's text, None when it is not there (yet)."""
    try:
        return read(path)
    except OSError:
        return None


class AlertsSyncOnceTest(FolderSyncCase):
    def alerts(self, name=""):
        return os.path.join(self.cache, "alerts", "current", "alerts", name)

    def sync_alerts(self, *extra, program=SYNC):
        return run_player(["sync", "--once", "--alerts", "--config", self.config, *extra], program=program)

    def alerts_summary(self, r):
        return [m for m in log_messages(r.stderr, "info") if m.startswith("alerts sync: ")][-1]

    def test_takes_only_the_alerts_folder_into_its_own_cache(self):
        self.put("alerts/fire.txt", "Fire drill at 10:00")
        self.put("alerts/.fire.txt.part", "half")
        self.put("alerts/archive/old.txt", "last year")
        self.put("videos/big.mp4", os.urandom(4 << 20), age=0)  # still being copied: not the alerts' business
        # No playlist on the share: the alerts sync needs none.
        r = self.sync_alerts()
        self.assert_ok(r)
        self.assertRegex(self.alerts_summary(r), r"^alerts sync: snapshot \S+ is current: 1 files, 1 copied \(19 bytes\)")
        self.assertEqual(listing(self.alerts()), ["fire.txt"])
        self.assertEqual(read(self.alerts("fire.txt")), "Fire drill at 10:00")
        snapshot = os.path.realpath(os.path.join(self.cache, "alerts", "current"))
        self.assertEqual(sorted(os.listdir(snapshot)), [".snapshot-manifest.txt", "alerts"])
        self.assertFalse(os.path.exists(self.current()), "the content cache is not the alerts sync's")
        self.assertFalse(os.path.exists(os.path.join(self.cache, "alerts", "status.json")))
        self.assertLess(r.seconds, 2, "no settle wait for a video elsewhere on the share")

        r = self.sync_alerts()
        self.assert_ok(r)
        self.assertRegex(self.alerts_summary(r), r"^alerts sync: up to date: snapshot \S+, 1 files")

    def test_changed_removed_and_no_folder_at_all(self):
        self.put("playlist.ini", "[a]\ntype = slogan\ntext = a\n")
        self.assert_ok(self.sync_alerts())
        self.assertEqual(listing(self.alerts()), [], "no alerts/ on the share: an empty alerts folder")

        self.put("alerts/storm.txt", "Storm warning", age=60)
        self.assert_ok(self.sync_alerts())
        self.assertEqual(read(self.alerts("storm.txt")), "Storm warning")
        self.put("alerts/storm.txt", "Storm is over!", age=30)
        self.assert_ok(self.sync_alerts())
        self.assertEqual(read(self.alerts("storm.txt")), "Storm is over!")
        os.remove(self.path("alerts/storm.txt"))
        r = self.sync_alerts()
        self.assert_ok(r)
        self.assertIn("0 files, 0 copied (0 bytes), 0 linked, 1 removed", self.alerts_summary(r))
        self.assertEqual(listing(self.alerts()), [])

    def test_the_content_sync_leaves_alerts_out(self):
        self.put("playlist.ini", "[a]\ntype = slogan\ntext = a\n")
        self.put("alerts/fire.txt", "Fire drill")
        self.assert_ok(self.sync())
        self.assert_cache_complete()
        self.assertFalse(os.path.exists(self.current("alerts")))
        self.put("alerts/flood.txt", "Flood")
        r = self.sync()
        self.assert_ok(r)
        self.assertRegex(self.summary(r), r"^sync: up to date: ")

    def test_result_fd_and_signage_player_run_it_the_same(self):
        self.put("alerts/fire.txt", "Fire drill")
        read_end, write_end = os.pipe()
        r = subprocess.run([PLAYER, "sync", "--once", "--alerts", "--config", self.config, "--result-fd",
                            str(write_end)], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
                           env=base_env(), pass_fds=(write_end,))
        os.close(write_end)
        with os.fdopen(read_end, encoding="utf-8") as f:
            result = json.load(f)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(result["result"], "ok")
        self.assertTrue(result["summary"].startswith("alerts sync: snapshot "), result)
        self.assertEqual(listing(self.alerts()), ["fire.txt"])

    def test_an_empty_share_keeps_the_alerts(self):
        self.put("alerts/fire.txt", "Fire drill")
        self.assert_ok(self.sync_alerts())
        shutil.rmtree(self.share)
        os.makedirs(self.share)  # a mount point without its mount
        r = self.sync_alerts()
        self.assert_failed(r, f"alerts sync failed: {self.share}: the share is empty (not mounted?)")
        self.assertEqual(listing(self.alerts()), ["fire.txt"])

    def test_usage(self):
        for program in (SYNC, PLAYER):
            r = run_player(["--help"], program=program)
            self.assertIn("sync --once [--alerts]", r.stdout)
            r = run_player(["rollback", "--alerts", "--config", self.config], program=program)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("--alerts is an option of sync", r.stderr)


class AlertsHttpTest(SyncChecks, TempShare):
    """An HTTP share: manifest.txt (written by publish) lists the alerts like any file."""

    def setUp(self):
        super().setUp()
        self.server = ShareServer(self.root)
        self.addCleanup(self.server.stop)
        self.cache = os.path.join(self.root, "cache")
        self.config = os.path.join(self.root, "player.ini")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(f"[content]\nshare = {self.server.url}share/\ncache = {self.cache}\nmin_free_mb = 0\n")

    def publish(self):
        r = run_sync(["publish", self.share])
        self.assertEqual(r.returncode, 0, r.stderr)

    def sync_alerts(self):
        r = run_sync(["sync", "--once", "--alerts", "--config", self.config])
        self.assert_ok(r)
        return r

    def alerts(self):
        return listing(os.path.join(self.cache, "alerts", "current", "alerts"))

    def test_alerts_from_the_manifest_then_a_304_while_nothing_changed(self):
        self.write("playlist.ini", "[a]\ntype = slogan\ntext = a\n")
        self.write("videos/big.mp4", os.urandom(1 << 20))
        self.write("alerts/fire.txt", "Fire drill")
        self.publish()
        self.assertIn("alerts/fire.txt", read(self.path("manifest.txt")))
        self.sync_alerts()
        self.assertEqual(self.alerts(), ["fire.txt"])
        fetched, _ = self.server.take_requests()
        self.assertEqual(sorted(fetched), [("/share/alerts/fire.txt", 200), ("/share/manifest.txt", 200)])

        # The poll: one conditional request, answered 304.
        r = self.sync_alerts()
        self.assertIn("the share's manifest.txt is not modified", r.stderr)
        fetched, records = self.server.take_requests()
        self.assertEqual(fetched, [("/share/manifest.txt", 304)])
        self.assertIn("If-None-Match", records[0].headers)

        # Content changed elsewhere: the manifest is read again, nothing else is fetched.
        self.write("playlist.ini", "[a]\ntype = slogan\ntext = b\n")
        self.publish()
        r = self.sync_alerts()
        self.assertIn("alerts sync: up to date", r.stderr)
        fetched, _ = self.server.take_requests()
        self.assertEqual(fetched, [("/share/manifest.txt", 200)])

        # A new alert, the old one removed, published: the alerts follow.
        os.remove(self.path("alerts/fire.txt"))
        self.write("alerts/flood.txt", "Flood warning")
        self.publish()
        self.sync_alerts()
        self.assertEqual(self.alerts(), ["flood.txt"])
        fetched, _ = self.server.take_requests()
        self.assertEqual(sorted(fetched), [("/share/alerts/flood.txt", 200), ("/share/manifest.txt", 200)])

        # The content sync of the same share leaves them out.
        r = run_sync(["sync", "--once", "--config", self.config])
        self.assert_ok(r)
        self.assertFalse(os.path.exists(self.current("alerts")))
        self.assertTrue(os.path.exists(self.current("videos/big.mp4")))


class PlayAlertsTest(TempShare):
    """The background alerts sync of `play --headless` on a local folder share."""

    def setUp(self):
        super().setUp()
        self.cache = os.path.join(self.root, "cache")
        self.config = os.path.join(self.root, "player.ini")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write("[display]\nwidth = 320\nheight = 180\n\n"
                    f"[content]\nshare = {self.share}\ncache = {self.cache}\nplaylist = playlist.ini\n"
                    "sync_every = 60s\nmin_free_mb = 0\n\n[log]\nlevel = debug\n")
        path = self.write("playlist.ini", "[s]\ntype = slogan\ntext = hello\nduration = 1s\n")
        then = time.time() - 600
        os.utime(path, (then, then))
        os.makedirs(self.path("alerts"))
        r = run_sync(["sync", "--once", "--config", self.config])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.content = os.path.realpath(os.path.join(self.cache, "current"))
        self.player = Running(["play", "--headless", "--config", self.config], os.path.join(self.root, "play.log"))
        self.addCleanup(self.player.stop)
        self.assertTrue(self.player.wait_for_log("share watch:", 10), self.player.log())
        self.assertTrue(self.wait_for(lambda: listing(self.alerts()) == [], 5), self.player.log())

    def alerts(self, name=""):
        return os.path.join(self.cache, "alerts", "current", "alerts", name)

    @staticmethod
    def wait_for(condition, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.01)
        return condition()

    def seconds_until(self, condition, timeout=10):
        started = time.monotonic()
        self.assertTrue(self.wait_for(condition, timeout), self.player.log())
        return time.monotonic() - started

    def times(self, drop, drops=5):
        """Seconds from each drop (drop(i) writes alert i) until the alerts cache holds it."""
        out = []
        for i in range(drops):
            name = f"alert-{i}.txt"
            text = f"Alert {i}: leave the building"
            drop(i, name, text)
            out.append(self.seconds_until(lambda: content_of(self.alerts(name)) == text))
            time.sleep(0.3)  # not in step with the poll
        return out

    def assert_quick(self, seconds, what):
        median = statistics.median(seconds)
        print(f"\n{what}: median {median:.2f} s, each {', '.join(f'{s:.2f}' for s in seconds)} s")
        self.assertLessEqual(median, ALERT_DEADLINE, f"{what}: {seconds}\n{self.player.log()}")

    def assert_no_content_sync_followed(self):
        self.assertEqual(os.path.realpath(os.path.join(self.cache, "current")), self.content)
        messages = log_messages(self.player.log())
        self.assertFalse([m for m in messages if m.startswith("snapshot ")], "an alert made a content snapshot")
        self.assertTrue([m for m in messages if m.startswith("alerts: snapshot ")], self.player.log())
        self.assertEqual(log_messages(self.player.log(), "error"), [], self.player.log())
        # What PlayerSync::alerts_folder() hands the alert display: CACHE/alerts/current resolved
        # (logged by the player just after the sync process that switched it has ended).
        current = os.path.join(os.path.realpath(os.path.join(self.cache, "alerts", "current")), "alerts")

        def handed():
            return [m.removeprefix("alerts: read from ") for m in log_messages(self.player.log())
                    if m.startswith("alerts: read from ")][-1:] == [current]

        self.assertTrue(self.wait_for(handed, 2), self.player.log())

    def test_a_dropped_alert_is_in_the_alerts_cache_within_2_seconds(self):
        def copy_tool(i, name, text):
            # As copy tools and editors do: a hidden temporary renamed into place.
            temporary = self.path(f"alerts/.{name}.tmp")
            with open(temporary, "w", encoding="utf-8") as f:
                f.write(text)
            os.rename(temporary, self.path(f"alerts/{name}"))

        self.assert_quick(self.times(copy_tool), "renamed into alerts/")
        # Removed from the share, gone from the alerts.
        os.remove(self.path("alerts/alert-0.txt"))
        gone = self.seconds_until(lambda: not os.path.exists(self.alerts("alert-0.txt")))
        self.assertLessEqual(gone, ALERT_DEADLINE + 1, self.player.log())
        self.assert_no_content_sync_followed()

    def test_written_in_place_without_an_event_the_poll_finds_it_within_2_seconds(self):
        # Rewritten by a writer that has not closed it yet: inotify reports nothing we watch, as
        # on a network mount, where another machine writes. Only the poll ([alerts] poll_every,
        # 1 s) finds it, then takes it after [alerts] settle (0.5 s).
        self.write("alerts/standing.txt", "x")
        self.assertTrue(self.wait_for(lambda: os.path.exists(self.alerts("standing.txt")), 5), self.player.log())
        writers = []
        self.addCleanup(lambda: [w.close() for w in writers])

        def in_place(i, name, text):
            writer = open(self.path("alerts/standing.txt"), "r+", encoding="utf-8")
            writers.append(writer)
            writer.truncate(0)
            writer.write(text)
            writer.flush()

        out = []
        for i in range(4):
            text = f"Alert {i}: the standing alert, rewritten"
            in_place(i, "standing.txt", text)
            out.append(self.seconds_until(lambda: content_of(self.alerts("standing.txt")) == text))
            time.sleep(0.3)
        self.assert_quick(out, "rewritten in place, polled")
        self.assert_no_content_sync_followed()


if __name__ == "__main__":
    unittest.main()
