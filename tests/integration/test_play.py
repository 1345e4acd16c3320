"""`play --headless`: run-for timing, signals, broken content, config errors, no display."""

import os
import signal
import subprocess
import time
import unittest

from helpers import PLAYER, Running, TempShare, base_env, log_messages, make_png, run_player

ONE_SLOGAN = "[hello]\ntype = slogan\ntext = 全民反诈 96110\nduration = 5s\n"
SMALL_CONFIG_CHECKING = """\
[display]
width = 320
height = 180

[content]
playlist = playlist.ini
check_every = 1s
"""
TWO_SLOGANS_FADING = """\
[defaults]
duration = 4s
transition = fade
transition_duration = 2s

[one]
type = slogan
text = 全民反诈 96110

[two]
type = slogan
text = 陌生来电要警惕
"""


class PlayTest(TempShare):
    def setUp(self):
        super().setUp()
        self.config_path = self.write_setup(ONE_SLOGAN)

    def start(self, *args, config_path=None, env=None):
        player = Running(["play", "--config", config_path or self.config_path, *args],
                         os.path.join(self.root, f"play-{len(os.listdir(self.root))}.log"), env=env)
        self.addCleanup(player.stop)
        return player

    def test_run_for_3_exits_0_after_3_to_6_seconds(self):
        r = run_player(["play", "--headless", "--run-for", "3", "--config", self.config_path], timeout=20)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertGreaterEqual(r.seconds, 3.0, r.stderr)
        self.assertLessEqual(r.seconds, 6.0, r.stderr)
        messages = log_messages(r.stderr)
        self.assertTrue(any(m.startswith("first frame presented") for m in messages), r.stderr)
        self.assertEqual(messages[-1], "stopped")
        self.assertEqual(log_messages(r.stderr, "warning") + log_messages(r.stderr, "error"), [])

    def test_run_for_0_exits_after_the_first_frame(self):
        r = run_player(["play", "--headless", "--run-for", "0", "--config", self.config_path], timeout=20)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertLess(r.seconds, 2.5, r.stderr)
        messages = log_messages(r.stderr)
        first = [i for i, m in enumerate(messages) if m.startswith("first frame presented")]
        self.assertEqual(len(first), 1, r.stderr)
        self.assertEqual(messages[first[0] + 1:], ["stopped"])

    def test_a_crossfade_is_paced_not_spun(self):
        # Two slogans crossfading for 2 s of every 4 s: the loop draws a fade at the display's
        # pace and sleeps between frames. Measured over the 8 s: paced 0.15 CPU-s (0.47 under
        # ASan); a loop that spun through its fades (a wait of 0 while animating) took 2.5 CPU-s
        # under ASan, more without it.
        config = self.write_setup(TWO_SLOGANS_FADING)
        started = time.monotonic()
        process = subprocess.Popen([PLAYER, "play", "--headless", "--run-for", "8", "--config", config],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   env=base_env())
        _, status, usage = os.wait4(process.pid, 0)
        stderr = process.stderr.read().decode(errors="replace")
        process.stderr.close()
        process.returncode = os.waitstatus_to_exitcode(status)
        self.assertEqual(process.returncode, 0, stderr)
        cpu = usage.ru_utime + usage.ru_stime
        wall = time.monotonic() - started
        self.assertLess(cpu, 1.5, f"{cpu:.2f} CPU-s in {wall:.1f} s of play with fades:\n{stderr}")

    def test_sigterm_ends_play_within_2_seconds_with_exit_0(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            with self.subTest(signal=sig.name):
                player = self.start("--headless")
                self.assertTrue(player.wait_for_log("first frame presented", 10), player.log())
                time.sleep(0.3)
                self.assertTrue(player.running(), player.log())
                sent = time.monotonic()
                player.process.send_signal(sig)
                status = player.wait(5)
                elapsed = time.monotonic() - sent
                self.assertEqual(status, 0, player.log())
                self.assertLessEqual(elapsed, 2.0)
                self.assertEqual(log_messages(player.log())[-1], "stopped")

    def test_every_item_broken_still_runs_and_exits_0(self):
        self.write("broken.png", b"\x89PNG\r\n\x1a\n\x00\x00")
        self.write("bomb.png", b"\x89PNG\r\n\x1a\n")
        config_path = self.write_setup(
            "[missing]\ntype = image\nfile = missing.png\n\n[broken]\ntype = image\nfile = broken.png\n\n"
            "[outside]\ntype = image\nfile = ../outside.png\n\n[clip]\ntype = video\nfile = clip.mp4\n")
        r = run_player(["play", "--headless", "--run-for", "2", "--config", config_path], timeout=20)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertGreaterEqual(r.seconds, 2.0)
        # The fallback slide may wait for the first item's patience (3 s) before it is shown.
        self.assertLessEqual(r.seconds, 5.5, r.stderr)
        messages = log_messages(r.stderr)
        self.assertTrue(any(m.startswith("first frame presented") for m in messages), r.stderr)
        self.assertEqual(messages[-1], "stopped")
        warnings = "\n".join(log_messages(r.stderr, "warning"))
        for name in ("missing.png", "broken.png", "../outside.png", "clip.mp4"):
            self.assertIn(name, warnings)

    def test_every_item_failed_shows_fallback_at_once(self):
        # Every item fails within milliseconds: nothing can come, so the fallback slide belongs on
        # screen right away (the first-item patience is for items still loading), and --run-for 1
        # ends the run after about 1 s, not after the patience.
        config_path = self.write_setup("[missing]\ntype = image\nfile = missing.png\n\n"
                                       "[gone]\ntype = image\nfile = gone.png\n")
        r = run_player(["play", "--headless", "--run-for", "1", "--config", config_path], timeout=20)
        self.assertEqual(r.returncode, 0, r.stderr)
        first = [m for m in log_messages(r.stderr) if m.startswith("first frame presented")]
        self.assertEqual(len(first), 1, r.stderr)
        ms = int(first[0].split()[3])
        self.assertLess(ms, 1500, r.stderr)
        self.assertLess(r.seconds, 2.5, r.stderr)

    def test_a_fixed_playlist_replaces_one_whose_every_item_failed(self):
        # Nothing is on screen but the fallback slide: no slot to wait for, so the fixed playlist
        # takes over at its first check.
        self.write("playlist.ini", "[missing]\ntype = image\nfile = missing.png\n")
        config_path = self.write("player.ini", SMALL_CONFIG_CHECKING)
        player = self.start("--headless", config_path=config_path)
        self.assertTrue(player.wait_for_log("first frame presented", 10), player.log())
        time.sleep(1.2)  # a new modification time for the watcher
        self.write("playlist.ini", ONE_SLOGAN)
        self.assertTrue(player.wait_for_log("changed: 1 -> 1 items", 8), player.log())

    def test_broken_video_item_is_one_clean_warning(self):
        self.write("clip.mp4", b"\x00\x00\x00\x18ftypmp42")
        config_path = self.write_setup("[clip]\ntype = video\nfile = clip.mp4\n\n" + ONE_SLOGAN.replace("[hello]", "[hi]"))
        r = run_player(["play", "--headless", "--run-for", "0.5", "--config", config_path], timeout=20)
        self.assertEqual(r.returncode, 0, r.stderr)
        # FFmpeg's own detail lines name the file too; ours says what happens to the item.
        lines = [m for m in log_messages(r.stderr) if "clip.mp4" in m and "ffmpeg" not in m]
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertTrue(lines[0].startswith(f"playlist.ini:1: {self.path('clip.mp4')}: cannot open as a video: "),
                        lines[0])
        self.assertEqual(lines[0].count("skipped"), 1, f"'skipped' said twice: {lines[0]}")

    def assert_logged_once(self, config):
        self.write("good.png", make_png(32, 32, (0, 160, 0)))
        self.write("broken.png", b"\x89PNG\r\n\x1a\nnot really")
        playlist = ("[defaults]\nduration = 0.5s\ntransition = cut\n\n"
                    "[slogan]\ntype = slogan\ntext = 不转账\n\n"
                    "[missing]\ntype = image\nfile = posters/missing.png\n\n"
                    "[good]\ntype = image\nfile = good.png\n\n"
                    "[broken]\ntype = image\nfile = broken.png\n")
        config_path = self.write_setup(playlist, config)
        r = run_player(["play", "--headless", "--run-for", "4", "--config", config_path], timeout=20)
        self.assertEqual(r.returncode, 0, r.stderr)
        for name in ("posters/missing.png", "broken.png"):
            path = self.path(name)
            lines = [line for line in r.stderr.splitlines() if os.path.basename(name) in line]
            self.assertEqual(len(lines), 1, f"{name} logged {len(lines)} times:\n{r.stderr}")
            self.assertIn(path, lines[0])
            self.assertIn("signage-player warning: ", lines[0])
        # The good items really looped: 2 good items of 0.5 s in 4 s.
        self.assertGreaterEqual(r.seconds, 4.0)

    def test_broken_file_logged_once_while_looping(self):
        self.assert_logged_once("[display]\nwidth = 320\nheight = 180\n")

    def test_broken_file_logged_once_even_when_retried(self):
        # retry_after = 1s: the files are tried again several times; the same failure is not news.
        self.assert_logged_once("[display]\nwidth = 320\nheight = 180\n[content]\nretry_after = 1s\n")

    def test_bad_config_value_exits_2(self):
        config_path = self.write("player.ini", "[display]\nwidth = 320\nheight = 180\nrotation = 45\n")
        r = run_player(["play", "--headless", "--run-for", "1", "--config", config_path])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr, f'{config_path}:4: rotation: expected one of 0,90,180,270, got "45"\n')
        self.assertLess(r.seconds, 2)

    def test_bad_config_values_each_exit_2_with_file_line_key(self):
        cases = [
            ("[display]\nbackground = #12345\n", 2, 'background: expected a colour as #RRGGBB, got "#12345"'),
            ("[text]\nline_spacing = 9\n", 2, "line_spacing: must be 1 to 3, got 9"),
            ("\n\n[content]\nretry_after = 0\n", 4, "retry_after: must be 1 to 86400 seconds, got 0s"),
        ]
        for config, line, reason in cases:
            with self.subTest(reason=reason):
                config_path = self.write("player.ini", config)
                r = run_player(["play", "--headless", "--run-for", "1", "--config", config_path])
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(r.stderr, f"{config_path}:{line}: {reason}\n")

    def test_unknown_config_key_warns_and_still_plays(self):
        config_path = self.write("player.ini", "[display]\nwidth = 320\nheight = 180\nbrightness = 80\n")
        r = run_player(["play", "--headless", "--run-for", "0.5", "--config", config_path])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f'{config_path}:4: unknown key "brightness" in [display]; ignored',
                      log_messages(r.stderr, "warning"))
        self.assertTrue(any(m.startswith("first frame presented") for m in log_messages(r.stderr)), r.stderr)

    def test_no_display_fails_with_one_clear_line(self):
        env = base_env(DISPLAY=None, WAYLAND_DISPLAY=None, SDL_VIDEODRIVER=None)
        r = run_player(["play", "--run-for", "1", "--config", self.config_path], env=env, timeout=20)
        self.assertNotEqual(r.returncode, 0, r.stderr)
        self.assertLess(r.seconds, 5)
        mentions = [line for line in r.stderr.splitlines() if "--headless" in line]
        self.assertEqual(len(mentions), 1, r.stderr)
        self.assertIn("signage-player error: ", mentions[0])
        self.assertIn("no display found", mentions[0])
        self.assertEqual(log_messages(r.stderr, "error"), [mentions[0].split("signage-player error: ", 1)[1]])
        self.assertNotIn("first frame presented", r.stderr)


if __name__ == "__main__":
    unittest.main()
