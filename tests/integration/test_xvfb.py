"""`play` on a real X server (Xvfb, no window manager, like a bare kiosk): fullscreen fills the screen,
the slogan is on it, stray keys do not end a kiosk, Esc ends a windowed player.

Needs Xvfb (xvfb), xdotool and ffmpeg (x11grab screenshots); skipped without them."""

import os
import shutil
import tempfile
import time
import unittest

from helpers import (Running, Xvfb, close, hex_rgb, log_messages, missing_programs, output_path, read_png)

SCREEN_W, SCREEN_H = 1280, 720
DISPLAY_BACKGROUND = "#123456"
SLIDE_BACKGROUND = "#8A2BE2"
TEXT_COLOR = "#FFEE00"
SAFE_AREA = 5  # percent, the default

# Like the demo's player.ini: width/height are for windowed mode; fullscreen must use the screen's size.
FULLSCREEN_CONFIG = f"""\
[display]
fullscreen = yes
width = 1920
height = 1080
background = {DISPLAY_BACKGROUND}
safe_area = {SAFE_AREA}

[content]
playlist = playlist.ini

[text]
color = {TEXT_COLOR}
"""

PLAYLIST = f"""\
[only]
type = slogan
text = 反诈 STOP
background = {SLIDE_BACKGROUND}
duration = 60s
transition = cut
"""


def setup_share(test_class, config):
    test_class.root = os.path.realpath(tempfile.mkdtemp(prefix="signage-it-xvfb-"))
    with open(os.path.join(test_class.root, "player.ini"), "w", encoding="utf-8") as f:
        f.write(config)
    with open(os.path.join(test_class.root, "playlist.ini"), "w", encoding="utf-8") as f:
        f.write(PLAYLIST)
    return os.path.join(test_class.root, "player.ini")


def require_programs():
    missing = missing_programs("Xvfb", "xdotool", "ffmpeg")
    if missing:
        raise unittest.SkipTest("not installed: " + ", ".join(missing) + " (scripts/setup.sh installs them)")


def player_window(xvfb):
    """The id of the player's window (waits up to 10 s for it to be mapped)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        r = xvfb.xdotool("search", "--onlyvisible", "--name", "^signage-player$")
        ids = r.stdout.split()
        if ids:
            return ids[0]
        time.sleep(0.1)
    raise AssertionError("no visible signage-player window")


class FullscreenKioskTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_programs()
        config_path = setup_share(cls, FULLSCREEN_CONFIG)
        cls.xvfb = Xvfb(SCREEN_W, SCREEN_H)
        cls.player = Running(["play", "--config", config_path], os.path.join(cls.root, "play.log"),
                             env=cls.xvfb.env())
        started = cls.player.wait_for_log("first frame presented", 15)
        time.sleep(2 if started else 0)
        cls.screenshot = output_path("xvfb-fullscreen.png")
        if os.path.exists(cls.screenshot):
            os.remove(cls.screenshot)
        cls.xvfb.screenshot(cls.screenshot, SCREEN_W, SCREEN_H)
        cls.image = read_png(cls.screenshot)

    @classmethod
    def tearDownClass(cls):
        cls.player.stop()
        cls.xvfb.stop()
        shutil.rmtree(cls.root, ignore_errors=True)

    def test_player_runs_fullscreen_on_x11(self):
        self.assertTrue(self.player.running(), self.player.log())
        display_lines = [m for m in log_messages(self.player.log(), "info") if m.startswith("display: ")]
        self.assertEqual(len(display_lines), 1, self.player.log())
        self.assertIn("video driver x11", display_lines[0])
        self.assertTrue(display_lines[0].endswith(f", {SCREEN_W}x{SCREEN_H}, fullscreen"), display_lines[0])
        self.assertEqual(log_messages(self.player.log(), "warning") + log_messages(self.player.log(), "error"), [])

    def test_screenshot_is_screen_size(self):
        self.assertEqual((self.image.width, self.image.height), (SCREEN_W, SCREEN_H))

    def test_slide_background_fills_the_whole_screen(self):
        # Every corner and the middle of every edge: the window covers the screen, the slide the window.
        expected = hex_rgb(SLIDE_BACKGROUND)
        w, h = SCREEN_W, SCREEN_H
        points = [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1), (w // 2, 0), (w // 2, h - 1), (0, h // 2),
                  (w - 1, h // 2), (4, 4), (w - 5, 4), (4, h - 5), (w - 5, h - 5)]
        wrong = {p: self.image.rgb(*p) for p in points if not close(self.image.rgb(*p), expected, 6)}
        self.assertEqual(wrong, {}, f"not {SLIDE_BACKGROUND} at these points (see {self.screenshot}); "
                                    f"player log:\n{self.player.log()}")

    def test_slogan_text_inside_safe_area_near_centre(self):
        text = hex_rgb(TEXT_COLOR)
        xs, ys = [], []
        for y in range(0, SCREEN_H):
            for x in range(0, SCREEN_W):
                if close(self.image.rgb(x, y), text, 40):
                    xs.append(x)
                    ys.append(y)
        self.assertGreater(len(xs), 2000, f"hardly any {TEXT_COLOR} text pixels in {self.screenshot}")
        margin_x, margin_y = SCREEN_W * SAFE_AREA // 100, SCREEN_H * SAFE_AREA // 100
        box = (min(xs), min(ys), max(xs), max(ys))
        self.assertGreaterEqual(box[0], margin_x, f"text box {box} outside the safe area")
        self.assertGreaterEqual(box[1], margin_y, f"text box {box} outside the safe area")
        self.assertLess(box[2], SCREEN_W - margin_x, f"text box {box} outside the safe area")
        self.assertLess(box[3], SCREEN_H - margin_y, f"text box {box} outside the safe area")
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        self.assertLess(abs(centre[0] - SCREEN_W / 2), SCREEN_W * 0.05, f"text box {box} not centred")
        self.assertLess(abs(centre[1] - SCREEN_H / 2), SCREEN_H * 0.08, f"text box {box} not centred")

    def test_stray_keys_do_not_end_the_kiosk_but_sigterm_does(self):
        self.assertTrue(self.player.running(), self.player.log())
        window = player_window(self.xvfb)
        self.xvfb.xdotool("windowfocus", "--sync", window)
        for key in ("a", "Escape", "q", "alt+F4", "ctrl+c", "ctrl+q"):
            r = self.xvfb.xdotool("key", key)
            self.assertEqual(r.returncode, 0, r.stderr)
        time.sleep(1)
        self.assertTrue(self.player.running(), f"a key press ended the kiosk:\n{self.player.log()}")
        sent = time.monotonic()
        self.player.process.terminate()
        self.assertEqual(self.player.wait(5), 0, self.player.log())
        self.assertLess(time.monotonic() - sent, 2.0)


class WindowedTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_programs()
        cls.config_path = setup_share(cls, FULLSCREEN_CONFIG.replace("width = 1920", "width = 640")
                                      .replace("height = 1080", "height = 360"))
        cls.xvfb = Xvfb(SCREEN_W, SCREEN_H)

    @classmethod
    def tearDownClass(cls):
        cls.xvfb.stop()
        shutil.rmtree(cls.root, ignore_errors=True)

    def start(self):
        player = Running(["play", "--windowed", "--config", self.config_path],
                         os.path.join(self.root, f"play-{time.monotonic_ns()}.log"), env=self.xvfb.env())
        self.addCleanup(player.stop)
        self.assertTrue(player.wait_for_log("first frame presented", 15), player.log())
        self.assertIn("640x360, windowed", player.log())
        return player

    def test_escape_quits_with_exit_0(self):
        player = self.start()
        window = player_window(self.xvfb)
        self.xvfb.xdotool("windowfocus", "--sync", window)
        r = self.xvfb.xdotool("key", "Escape")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(player.wait(3), 0, player.log())
        self.assertEqual(log_messages(player.log())[-1], "stopped")

    def test_q_quits_with_exit_0(self):
        player = self.start()
        window = player_window(self.xvfb)
        self.xvfb.xdotool("windowfocus", "--sync", window)
        self.xvfb.xdotool("key", "q")
        self.assertEqual(player.wait(3), 0, player.log())

    def test_other_keys_do_not_quit(self):
        player = self.start()
        window = player_window(self.xvfb)
        self.xvfb.xdotool("windowfocus", "--sync", window)
        self.xvfb.xdotool("key", "a")
        self.xvfb.xdotool("key", "space")
        time.sleep(0.5)
        self.assertTrue(player.running(), player.log())


if __name__ == "__main__":
    unittest.main()
