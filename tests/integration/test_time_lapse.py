"""A simulated day of real `play` on its injected clock (--time-lapse): a bank's Monday in under a
minute, with opening hours, a night item, a weekend item that must not show, a poster, a video, a
fixed slot, a CAP alert that expires by itself, a text alert dropped and removed, a playlist
rewritten, and the wall clock set back two hours at 14:00. The log says what was shown when on
the screen's clock; file descriptors and threads are sampled from /proc while it runs."""

import os
import re
import subprocess
import threading
import time
import unittest

from helpers import Running, TempShare, base_env, cap_alert, write_png

FACTOR = 2400          # a simulated day in 36 real seconds
START = "2026-12-21 00:00:00"  # a Monday, Asia/Shanghai
JUMP_AT, JUMP_BY = 14 * 3600, -2 * 3600  # at 14:00 the clock is set back to 12:00

CONFIG = """\
[display]
width = 320
height = 180

[screen]
id = bank-042
tags = bank
timezone = Asia/Shanghai

[content]
playlist = playlist.ini
check_every = 1s

[alerts]
mode = fullscreen

[log]
level = debug
"""

PLAYLIST = """\
[defaults]
duration = 5m
transition = fade

[open]
type = slogan
text = 营业时间 谨防诈骗
hours = 09:00-17:00

[night]
type = slogan
text = 夜间 自助服务
hours = 22:00-06:00

[weekend]
type = slogan
text = 周末
days = sat,sun

[poster]
type = image
file = poster.png
duration = 10m

[psa]
type = video
file = psa.mp4

[reel]
type = slogan
text = 映前广告
duration = 10m
at = 19:25
"""

# Up from 08:00 to 09:00 on the screen's clock, by its own times.
CAP = cap_alert("LAPSE-1", sent="2026-12-20T23:00:00+08:00", effective="2026-12-21T08:00:00+08:00",
                expires="2026-12-21T09:00:00+08:00", headline="冒充客服诈骗预警",
                description="自称客服要求退款转账的，一律是诈骗")

STAMP = re.compile(r"\(screen clock (\d{4}-\d\d-\d\d) (\d\d):(\d\d):(\d\d)\)")


def screen_seconds(line):
    """Seconds after the day's local midnight, from the line's '(screen clock …)'."""
    m = STAMP.search(line)
    assert m, line
    return int(m.group(2)) * 3600 + int(m.group(3)) * 60 + int(m.group(4))


class Sampler(threading.Thread):
    """Open file descriptors and threads of a process, every 0.2 s, until it exits."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.samples = pid, []

    def run(self):
        while True:
            try:
                fds = len(os.listdir(f"/proc/{self.pid}/fd"))
                threads = len(os.listdir(f"/proc/{self.pid}/task"))
            except OSError:
                return
            self.samples.append((time.monotonic(), fds, threads))
            time.sleep(0.2)


class TimeLapse(TempShare):
    def test_a_simulated_day_plays_the_schedule_alerts_and_a_clock_jump(self):
        write_png(self.path("poster.png"), 64, 36, bytes((200, 30, 30)) * (64 * 36))
        subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi",
                        "-i", "testsrc=size=160x90:rate=25:duration=3", "-c:v", "libx264",
                        "-pix_fmt", "yuv420p", self.path("psa.mp4")], check=True, timeout=60)
        self.write("alerts/cap.xml", CAP)
        config = self.write_setup(PLAYLIST, CONFIG)
        env = base_env(TZ="Asia/Shanghai")
        player = Running(["play", "--config", config, "--headless", "--time-lapse", str(FACTOR),
                          "--wall-clock", START, "--clock-jump", f"{JUMP_AT},{JUMP_BY}",
                          "--run-for", "86400"], os.path.join(self.root, "play.log"), env=env)
        self.addCleanup(player.stop)
        sampler = Sampler(player.process.pid)
        sampler.start()

        # The text alert lands at about 05:00 on the screen's clock and is removed two real
        # seconds (80 simulated minutes) later; the playlist gains an item at about 10:00.
        self.assertTrue(player.wait_for_log("(screen clock 2026-12-21 05:", 60), player.log())
        self.write("alerts/warn.txt", "接到陌生来电要求转账 立即挂断")
        time.sleep(2)
        os.unlink(self.path("alerts/warn.txt"))
        self.assertTrue(player.wait_for_log("(screen clock 2026-12-21 10:", 60), player.log())
        self.write("playlist.ini", PLAYLIST + "\n[added]\ntype = slogan\ntext = 新增标语\n")

        self.assertEqual(player.wait(120), 0, player.log())
        sampler.join(5)
        log = player.log()
        self.assertNotIn(" error: ", log)
        self.assertNotIn("  error: ", log)

        line = {name: f"playlist.ini:{self.line_of(PLAYLIST, f'[{name}]')}"
                for name in ("open", "night", "weekend", "poster", "psa", "reel")}
        shown = {}
        for text in log.splitlines():
            if " debug: showing " in text and "(screen clock" in text:
                what = text.split(" debug: showing ", 1)[1]
                for name, source in line.items():
                    if what.startswith(source + " ") or what.startswith(source + "\n"):
                        shown.setdefault(name, []).append(screen_seconds(text))
        for name in ("open", "night", "poster", "psa", "reel"):
            self.assertIn(name, shown, log)
        self.assertNotIn("weekend", shown)  # a Monday
        # Opening hours and the night window, on the screen's clock (a slot starts inside them).
        for t in shown["open"]:
            self.assertTrue(9 * 3600 <= t < 17 * 3600, f"open shown at {t / 3600:.2f} h")
        for t in shown["night"]:
            self.assertTrue(t >= 22 * 3600 or t < 6 * 3600, f"night shown at {t / 3600:.2f} h")
        # The reel starts on its second; the log line comes with the next real wake (a loaded
        # box may be late by some real milliseconds, each 2.4 simulated seconds).
        reel = [t for t in shown["reel"] if t >= 19 * 3600]
        self.assertEqual(len(reel), 1, shown["reel"])
        self.assertLess(abs(reel[0] - (19 * 3600 + 25 * 60)), 120, reel)

        # The clock set back at 14:00: said once, and the schedule read again at 12:00.
        moves = [t for t in log.splitlines() if "the wall clock moved by" in t]
        self.assertEqual(len(moves), 1, moves)
        self.assertRegex(moves[0], r"moved by -7[12]\d\d(\.\d+)?s; the schedule is read again at 2026-12-21 1[12]:[05]")

        # The CAP alert is up from 08:00 to 09:00 by its own times; the text alert came and went.
        def alert_times(kind, name):
            return [screen_seconds(t) for t in log.splitlines() if f"alert {kind}: {name}" in t]
        up, gone = alert_times("up", "cap.xml"), alert_times("gone", "cap.xml")
        self.assertEqual(len(up), 1, log)
        self.assertEqual(len(gone), 1, log)
        self.assertLess(abs(up[0] - 8 * 3600), 120)
        self.assertLess(abs(gone[0] - 9 * 3600), 120)
        self.assertEqual(len(alert_times("up", "warn.txt")), 1, log)
        self.assertEqual(len(alert_times("gone", "warn.txt")), 1, log)
        self.assertIn("items (screen clock 2026-12-21 1", log)  # the rewritten playlist taken

        # Descriptors and threads: nothing piles up. After a warm-up third, the last third's
        # highest counts are no higher than the middle third's.
        s = sampler.samples
        self.assertGreater(len(s), 30)
        middle, last = s[len(s) // 3: 2 * len(s) // 3], s[2 * len(s) // 3:]
        print(f"\ntime lapse: {len(s)} samples; fds {min(x[1] for x in s)}-{max(x[1] for x in s)}, "
              f"threads {min(x[2] for x in s)}-{max(x[2] for x in s)}")
        self.assertLessEqual(max(x[1] for x in last), max(x[1] for x in middle))
        self.assertLessEqual(max(x[2] for x in last), max(x[2] for x in middle))


if __name__ == "__main__":
    unittest.main()
