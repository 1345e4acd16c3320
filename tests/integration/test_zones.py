"""A screen laid out in zones ([screen] layout): from the outside, with `render --at` and `play`.

The layout (a bank lobby, smaller) has a main zone, a side column playing the playlist's items
with `zone = side`, a ticker scrolling the slogans meant for it at 200 px/s over a dark red band,
and a clock band. What is checked:
- each zone shows its own item on its own background, where the layout puts it;
- the ticker moves by exactly speed x time between two instants, and is the same at the same
  instant in two runs (its position is a function of the wall clock: screens in step agree);
- the clock band shows text (and the same picture at two instants in one minute);
- `play` with the layout presents the zones too (its own capture of the presented frame);
- a broken layout is reported with file:line and the playlist plays full-screen.
"""

import os
import unittest

from helpers import TempShare, base_env, close, output_path, read_png, run_player

W, H = 640, 360
MAIN_BG, SIDE_BG, BAND_BG, CLOCK_BG = (0x20, 0x40, 0x90), (0x10, 0x80, 0x30), (0x90, 0x10, 0x10), (0x30, 0x30, 0x30)

PLAYLIST = """\
[main-slogan]
type = slogan
text = 你我同心 反诈同行
background = #204090
duration = 60s

[side-slogan]
type = slogan
text = 全民反诈
background = #108030
zone = side
duration = 60s

[tick-1]
type = slogan
text = 不轻信 不透露 不转账
zone = ticker

[tick-2]
type = slogan
text = 陌生来电要警惕 100% 是诈骗
zone = ticker
"""

LAYOUT = """\
[main]
area = 0, 0, 75%, 80%

[side]
area = 75%, 0, 25%, 80%

[ticker]
kind = ticker
area = 0, 80%, 100%, 10%
background = #901010
speed = 200

[clock]
kind = clock
area = 0, 90%, 100%, 10%
background = #303030
format = %H:%M
"""

CONFIG = f"""\
[display]
width = {W}
height = {H}

[content]
playlist = playlist.ini

[screen]
layout = layout.ini
timezone = UTC
"""

WALL = "2026-12-07 10:00:00"


def band_row(image, y, x0=0, x1=None):
    x1 = image.width if x1 is None else x1
    return [sum(image.rgb(x, y)) for x in range(x0, x1)]


def best_shift(before, after, max_shift):
    """The shift s (pixels to the left) for which after[x] best matches before[x + s]."""
    best, best_error = 0, None
    n = len(before)
    for s in range(0, max_shift + 1):
        pairs = [(before[x + s], after[x]) for x in range(0, n - s)]
        error = sum(abs(a - b) for a, b in pairs) / max(1, len(pairs))
        if best_error is None or error < best_error:
            best, best_error = s, error
    return best, best_error


class ZonesTest(TempShare):
    def setUp(self):
        super().setUp()
        self.write("layout.ini", LAYOUT)
        self.config = self.write_setup(PLAYLIST, CONFIG)

    def render(self, at, name):
        out = output_path(name)
        if os.path.exists(out):
            os.remove(out)
        r = run_player(["render", "--config", self.config, "--wall-clock", WALL, "--at", str(at), "--out", out],
                       timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return read_png(out), r

    def test_each_zone_shows_its_own_item_where_the_layout_puts_it(self):
        image, _ = self.render(5, "zones-lobby.png")
        # Corners of each zone: its own background (text is centred, away from the corners).
        self.assertTrue(close(image.rgb(4, 4), MAIN_BG, 8), image.rgb(4, 4))
        self.assertTrue(close(image.rgb(int(W * 0.75) + 4, 4), SIDE_BG, 8), image.rgb(int(W * 0.75) + 4, 4))
        self.assertTrue(close(image.rgb(int(W * 0.75) - 4, int(H * 0.8) - 4), MAIN_BG, 8))
        self.assertTrue(close(image.rgb(W - 4, int(H * 0.8) - 4), SIDE_BG, 8))
        self.assertTrue(close(image.rgb(W - 2, int(H * 0.8) + 1), BAND_BG, 8), image.rgb(W - 2, int(H * 0.8) + 1))
        self.assertTrue(close(image.rgb(2, H - 2), CLOCK_BG, 8), image.rgb(2, H - 2))
        # Text in each: bright pixels in the middle rows of the main and side zones, the ticker, the clock.
        def bright(y0, y1, x0, x1):
            return sum(1 for y in range(y0, y1, 2) for x in range(x0, x1, 2) if sum(image.rgb(x, y)) > 600)
        self.assertGreater(bright(100, 190, 20, 460), 50, "the main zone's slogan")
        self.assertGreater(bright(100, 190, 490, 630), 20, "the side zone's slogan")
        self.assertGreater(bright(int(H * 0.8) + 4, int(H * 0.9) - 4, 0, W), 20, "the ticker's text")
        self.assertGreater(bright(int(H * 0.9) + 4, H - 4, 0, W), 10, "the clock's text")

    def test_the_ticker_moves_speed_times_time_and_is_a_function_of_the_wall_clock(self):
        y = int(H * 0.85)
        first, _ = self.render(5, "zones-ticker-a.png")
        again, _ = self.render(5, "zones-ticker-a2.png")
        later, _ = self.render(5.25, "zones-ticker-b.png")
        self.assertEqual(first.rows_rgb(), again.rows_rgb(), "the same instant twice: the same picture")
        rows = [band_row(img, yy) for img in (first, later) for yy in (y - 3, y, y + 3)]
        before = rows[0] + rows[1] + rows[2]
        self.assertGreater(max(before) - min(before), 100, "text in the ticker's rows")
        for yy in (y - 3, y, y + 3):
            before_row, after_row = band_row(first, yy), band_row(later, yy)
            shift, error = best_shift(before_row, after_row, 120)
            _, unmoved = best_shift(before_row, after_row, 0)
            # The glyphs land on whole pixels, so a shift of 50 px may read 49 or 51 by edge pixels.
            self.assertAlmostEqual(shift, 50, delta=1, msg=f"0.25 s at 200 px/s (row {yy})")
            self.assertLess(error, unmoved / 3, f"row {yy}: the shifted text matches, the unshifted does not")
        # The clock shows the minute: the same picture within it.
        clock_rows = [band_row(img, yy) for img in (first, later) for yy in range(int(H * 0.9) + 2, H - 2, 4)]
        half = len(clock_rows) // 2
        self.assertEqual(clock_rows[:half], clock_rows[half:])

    def test_play_presents_the_zones(self):
        capture_dir = output_path("zones-play")
        os.makedirs(capture_dir, exist_ok=True)
        for name in os.listdir(capture_dir):
            os.remove(os.path.join(capture_dir, name))
        r = run_player(["play", "--headless", "--config", self.config, "--run-for", "2.5", "--wall-clock", WALL,
                        "--capture-at", "1.5", "--capture-dir", capture_dir], timeout=60,
                       env=base_env(SDL_AUDIODRIVER="dummy"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("layout", r.stderr)
        captures = [n for n in os.listdir(capture_dir) if n.endswith(".png")]
        self.assertEqual(len(captures), 1, r.stderr)
        image = read_png(os.path.join(capture_dir, captures[0]))
        self.assertTrue(close(image.rgb(4, 4), MAIN_BG, 8))
        self.assertTrue(close(image.rgb(W - 4, 4), SIDE_BG, 8))
        self.assertTrue(close(image.rgb(W - 2, int(H * 0.8) + 1), BAND_BG, 8))
        self.assertTrue(close(image.rgb(2, H - 2), CLOCK_BG, 8))

    def test_a_broken_layout_is_reported_and_the_playlist_takes_the_whole_screen(self):
        self.write("layout.ini", "[main]\narea = 0, 0, 75%\nwhat = 1\n")
        image, r = self.render(5, "zones-broken.png")
        self.assertIn("layout.ini:", r.stderr)
        self.assertTrue(close(image.rgb(W - 4, 4), MAIN_BG, 8), "the main item over the whole screen")
        self.assertTrue(close(image.rgb(2, H - 2), MAIN_BG, 8))
        check = run_player(["check", "--config", self.config])
        self.assertIn("layout.ini:", check.stdout)


if __name__ == "__main__":
    unittest.main()
