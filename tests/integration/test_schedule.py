"""Schedules, fixed slots and alerts, from the outside: `schedule`, `render --at` a wall-clock
instant, and a real headless `play` with an alert dropped into its alerts folder."""

import datetime
import json
import os
import time
import unittest

from helpers import Running, TempShare, base_env, cap_alert, log_messages, output_path, read_png, run_player

CONFIG = """\
[display]
width = 320
height = 180

[screen]
id = cinema-7
tags = cinema
timezone = Asia/Shanghai

[content]
playlist = playlist.ini

[log]
level = debug
"""

PLAYLIST = """\
[defaults]
duration = 10s
transition = cut

[evening]
type = slogan
text = 晚上好
hours = 18:00-23:00

[always]
type = slogan
text = 全民反诈

[bank-only]
type = slogan
text = 银行卡不出租
tags = bank

[reel]
type = slogan
text = 映前广告
duration = 30s
at = 19:25, 21:55
"""

def cap_time(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


class ScheduleCommand(TempShare):
    def test_schedule_prints_the_screens_day(self):
        config = self.write_setup(PLAYLIST, CONFIG)
        result = run_player(["schedule", "--config", config, "--from", "2026-12-24 19:24", "--hours", "0.05",
                             "--format", "json"])
        self.assertEqual(result.returncode, 0, result.stderr)
        doc = json.loads(result.stdout)
        self.assertEqual(doc["screen"], "cinema-7")
        self.assertEqual(doc["timezone"], "Asia/Shanghai")
        plays = [(p["start"][11:], p["item"], p["reason"]) for p in doc["plays"]]
        # The reel starts on its second, cutting the slogan that started at 19:24:50; that one
        # then gets the rest of its time; the bank's slogan never shows on a cinema screen.
        self.assertIn(("19:25:00", "reel", "fixed slot"), plays)
        self.assertEqual(plays[:6], [("19:24:00", "evening", "scheduled"), ("19:24:10", "always", "scheduled"),
                                     ("19:24:20", "evening", "scheduled"), ("19:24:30", "always", "scheduled"),
                                     ("19:24:40", "evening", "scheduled"), ("19:24:50", "always", "scheduled")])
        self.assertNotIn("bank-only", [p[1] for p in plays])
        # With --tags bank the bank's screen's day instead.
        bank = run_player(["schedule", "--config", config, "--from", "2026-12-24 12:00", "--hours", "0.01",
                           "--tags", "bank"])
        self.assertEqual(bank.returncode, 0, bank.stderr)
        self.assertIn("bank-only", bank.stdout)
        self.assertNotIn("evening", bank.stdout)

    def test_render_at_a_wall_clock_instant_shows_the_reel(self):
        config = self.write_setup(PLAYLIST, CONFIG)
        out = output_path("schedule-reel.png")
        result = run_player(["render", "--config", config, "--at", "2026-12-24 19:25:03", "--out", out])
        self.assertEqual(result.returncode, 0, result.stderr)
        line = self.line_of(PLAYLIST, "[reel]")
        self.assertIn(f"rendered playlist.ini:{line} at 2026-12-24 19:25:03", result.stderr)
        before = run_player(["render", "--config", config, "--at", "2026-12-24 19:24:59", "--out", out])
        self.assertNotIn(f"rendered playlist.ini:{line}", before.stderr)

    def test_schedule_predicts_play(self):
        """A real headless play from a given wall-clock time shows what `schedule` says, when it says."""
        config = self.write_setup(PLAYLIST, CONFIG)
        start = "2026-12-24 19:24:52"
        predicted = json.loads(run_player(["schedule", "--config", config, "--from", start, "--hours", "0.01",
                                           "--format", "json"]).stdout)["plays"]
        player = Running(["play", "--config", config, "--headless", "--run-for", "12", "--wall-clock", start],
                         os.path.join(self.root, "play.log"))
        self.addCleanup(player.stop)
        self.assertEqual(player.wait(40), 0, player.log())
        shown = [m[len("showing "):] for m in log_messages(player.log(), "debug") if m.startswith("showing ")]
        expected = [f"playlist.ini:{self.line_of(PLAYLIST, '[' + p['item'] + ']')}" for p in predicted]
        self.assertEqual(shown[:2], expected[:2], player.log())
        # And when: the reel shows as many seconds after the first picture as schedule says.
        times = {}
        for line in player.log().splitlines():
            if " debug: showing " in line and line[:4].isdigit():
                stamp = datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S.%f").timestamp()
                times.setdefault(line.split(" debug: showing ", 1)[1], stamp)
        reel = f"playlist.ini:{self.line_of(PLAYLIST, '[reel]')}"
        predicted_reel = next(p for p in predicted if p["item"] == "reel")
        predicted_after = predicted_reel["start_unix"] - predicted[0]["start_unix"]
        self.assertAlmostEqual(times[reel] - times[expected[0]], predicted_after, delta=0.3)


class ClockSanity(TempShare):
    def test_an_unset_clock_plays_only_unscheduled_items_and_says_why_once(self):
        config = self.write_setup(PLAYLIST, CONFIG)
        player = Running(["play", "--config", config, "--headless", "--run-for", "4", "--wall-clock",
                          "1970-01-02 20:00:00"], os.path.join(self.root, "play.log"))
        self.addCleanup(player.stop)
        self.assertEqual(player.wait(30), 0, player.log())
        warnings = [m for m in log_messages(player.log(), "warning") if "looks unset" in m]
        self.assertEqual(len(warnings), 1, player.log())
        shown = [m for m in log_messages(player.log(), "debug") if m.startswith("showing ")]
        # 20:00 would be in "evening"'s hours; with the clock unset only "always" plays.
        self.assertEqual(set(shown), {f"showing playlist.ini:{self.line_of(PLAYLIST, '[always]')}"}, player.log())


class Alerts(TempShare):
    def drop(self, name, content):
        """Writes the alert under a hidden name, then renames it in: it lands whole, as a copy tool does."""
        os.makedirs(self.path("alerts"), exist_ok=True)
        hidden = self.path("alerts/." + name)
        with open(hidden, "wb") as f:
            f.write(content.encode("utf-8"))
        landed = time.time()
        os.rename(hidden, self.path("alerts/" + name))
        return landed

    def shown_at(self, log_text, needle):
        """The wall-clock time of the first log line whose message contains `needle`."""
        for line in log_text.splitlines():
            if needle in line and line[:4].isdigit():
                stamp = datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S.%f")
                return stamp.timestamp()
        return None

    def test_an_alert_dropped_into_the_folder_shows_within_2_s_then_goes(self):
        config = self.write_setup(PLAYLIST, CONFIG)
        player = Running(["play", "--config", config, "--headless"], os.path.join(self.root, "play.log"),
                         env=base_env(TZ="UTC"))
        self.addCleanup(player.stop)
        self.assertTrue(player.wait_for_log("first frame presented", 20), player.log())
        landed = self.drop("typhoon.txt", "台风红色预警\n请勿外出\n")
        self.assertTrue(player.wait_for_log("showing alert typhoon.txt", 10), player.log())
        delay = self.shown_at(player.log(), "showing alert typhoon.txt") - landed
        print(f"\nalert on screen {delay:.2f} s after it landed")
        self.assertLess(delay, 2.0, player.log())
        self.assertIn("alert up: typhoon.txt", player.log())
        # Removed: it goes, and the loop is back.
        os.remove(self.path("alerts/typhoon.txt"))
        self.assertTrue(player.wait_for_log("alert gone: typhoon.txt", 5), player.log())

        # A CAP alert that expires by itself three seconds after it lands.
        now = time.time()
        self.drop("warning.xml", cap_alert("TEST-1", cap_time(now - 1), cap_time(now + 4)))
        self.assertTrue(player.wait_for_log("showing alert warning.xml", 5), player.log())
        self.assertTrue(player.wait_for_log("alert gone: warning.xml", 10), player.log())
        gone = self.shown_at(player.log(), "alert gone: warning.xml")
        self.assertAlmostEqual(gone, now + 4, delta=1.0)
        player.stop()
        self.assertEqual([m for m in log_messages(player.log(), "error")], [])

    def test_render_shows_the_alerts_up_at_that_instant(self):
        config = self.write_setup(PLAYLIST, CONFIG)
        self.drop("notice.txt", "停水通知\n今晚 20:00 停水检修\n")
        out = output_path("schedule-alert.png")
        result = run_player(["render", "--config", config, "--at", "2", "--out", out])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("rendered alert notice.txt", result.stderr)
        image = read_png(out)
        # The alert's red fills the screen.
        r, g, b = image.rgb(image.width // 10, image.height // 10)
        self.assertGreater(r, 150)
        self.assertLess(g, 40)


if __name__ == "__main__":
    unittest.main()
