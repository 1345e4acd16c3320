"""`render --at T --out F --size WxH`: one exact frame as a PNG of that size, the same every time.
`render --contact-sheet`: every item of the screen as a thumbnail, those out of schedule dimmed."""

import os
import unittest

from helpers import TempShare, close, make_png, output_path, png_size, read_png, run_player

RED = (200, 30, 30)
BLUE = (30, 30, 200)

# Two slogans: A cuts in at 0 for 2 s, B fades in over A from 2 s to 3 s and stays until 4 s.
CROSSFADE_PLAYLIST = """\
[a]
type = slogan
text = 不轻信
background = #C81E1E
duration = 2s
transition = cut

[b]
type = slogan
text = 不转账
background = #1E1EC8
duration = 2s
transition = fade
transition_duration = 1s
"""


class RenderTest(TempShare):
    def render(self, at, name, size="640x360", config_path=None):
        out = output_path(name)
        if os.path.exists(out):
            os.remove(out)
        r = run_player(["render", "--config", config_path or self.config_path, "--at", str(at), "--out", out,
                        "--size", size])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.isfile(out), f"render wrote no {out}")
        return out, r

    def setUp(self):
        super().setUp()
        self.config_path = self.write_setup(CROSSFADE_PLAYLIST)

    def test_png_has_requested_size(self):
        for size in ("640x360", "200x300", "1920x1080"):
            with self.subTest(size=size):
                out, _ = self.render(1, f"render-size-{size}.png", size)
                w, h = (int(v) for v in size.split("x"))
                self.assertEqual(png_size(out), (w, h))
                image = read_png(out)
                self.assertEqual((image.width, image.height), (w, h))

    def test_without_size_uses_config_canvas(self):
        out = output_path("render-config-size.png")
        r = run_player(["render", "--config", self.config_path, "--at", "1", "--out", out])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(png_size(out), (320, 180))

    def test_deterministic(self):
        first, _ = self.render(2.5, "render-determinism-1.png")
        second, _ = self.render(2.5, "render-determinism-2.png")
        a, b = read_png(first), read_png(second)
        self.assertEqual((a.width, a.height), (b.width, b.height))
        self.assertTrue(a.rows_rgb() == b.rows_rgb(), "two renders of the same frame differ")

    def test_crossfade_midpoint_differs_from_both_ends(self):
        start, r_start = self.render(1, "render-crossfade-a.png")
        middle, r_middle = self.render(2.5, "render-crossfade-mid.png")
        end, r_end = self.render(3.5, "render-crossfade-b.png")
        a, m, b = read_png(start), read_png(middle), read_png(end)
        self.assertNotEqual(m.rows_rgb(), a.rows_rgb())
        self.assertNotEqual(m.rows_rgb(), b.rows_rgb())
        self.assertNotEqual(a.rows_rgb(), b.rows_rgb())
        # Corners are slide background: pure A, pure B, and half of each at the midpoint.
        for x, y in ((0, 0), (639, 0), (0, 359), (639, 359)):
            self.assertTrue(close(a.rgb(x, y), RED, 2), a.rgb(x, y))
            self.assertTrue(close(b.rgb(x, y), BLUE, 2), b.rgb(x, y))
            half = tuple((p + q) // 2 for p, q in zip(RED, BLUE))
            self.assertTrue(close(m.rgb(x, y), half, 8), f"midpoint corner {m.rgb(x, y)}, expected ~{half}")
        self.assertIn(f"rendered playlist.ini:8 fading in over playlist.ini:1 (50%) at 2.5s to {middle}", r_middle.stderr)
        self.assertIn(f"rendered playlist.ini:1 at 1s to {start}", r_start.stderr)
        self.assertIn(f"rendered playlist.ini:8 at 3.5s to {end}", r_end.stderr)

    def test_loop_repeats(self):
        # The loop lasts 4 s: 5 s is A again (B -> A is a cut).
        first, _ = self.render(1, "render-loop-1s.png")
        again, _ = self.render(5, "render-loop-5s.png")
        self.assertEqual(read_png(first).rows_rgb(), read_png(again).rows_rgb())

    def test_all_items_broken_renders_fallback_slide(self):
        config_path = self.write_setup("[gone]\ntype = image\nfile = gone.png\n\n[bomb]\ntype = image\nfile = b.png\n")
        self.write("b.png", b"\x89PNG\r\n\x1a\n")  # truncated
        out, r = self.render(3, "render-fallback.png", config_path=config_path)
        self.assertIn(f"rendered the fallback slide at 3s to {out}", r.stderr)
        image = read_png(out)
        # [display] background (#0B1F3A) with the campaign slogan and hotline in white.
        self.assertTrue(close(image.rgb(0, 0), (0x0B, 0x1F, 0x3A), 2), image.rgb(0, 0))
        white = sum(1 for y in range(image.height) for x in range(image.width)
                    if close(image.rgb(x, y), (255, 255, 255), 30))
        self.assertGreater(white, 200, "no text on the fallback slide")

    def test_slogans_file_symlink_pointing_outside_is_not_shown(self):
        outside = os.path.join(self.root, "secret.txt")
        with open(outside, "w", encoding="utf-8") as f:
            f.write("not for the screen\n")
        os.symlink(outside, self.path("slogans.txt"))
        config_path = self.write_setup("[slogans]\ntype = slogans\nfile = slogans.txt\n")
        out, r = self.render(1, "render-slogans-link-outside.png", config_path=config_path)
        self.assertIn(f"rendered the fallback slide at 1s to {out}", r.stderr)

    def test_poster_contain_letterboxes(self):
        self.write("poster.png", make_png(100, 100, (0, 200, 0)))
        config_path = self.write_setup("[p]\ntype = image\nfile = poster.png\nfit = contain\n",
                                       "[display]\nbackground = #102030\n")
        out, _ = self.render(1, "render-poster-contain.png", "640x360", config_path)
        image = read_png(out)
        self.assertTrue(close(image.rgb(320, 180), (0, 200, 0), 2), image.rgb(320, 180))
        self.assertTrue(close(image.rgb(10, 180), (0x10, 0x20, 0x30), 2), image.rgb(10, 180))
        self.assertTrue(close(image.rgb(630, 180), (0x10, 0x20, 0x30), 2), image.rgb(630, 180))

    def test_bad_config_value_exits_2(self):
        config_path = self.write("player.ini", "[display]\nwidth = 320\nheight = 180\nsafe_area = 50\n")
        out = output_path("render-bad-config.png")
        if os.path.exists(out):
            os.remove(out)
        r = run_player(["render", "--config", config_path, "--at", "1", "--out", out])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr, f"{config_path}:4: safe_area: must be 0 to 40, got 50\n")
        self.assertFalse(os.path.exists(out))

    def test_unwritable_output_exits_1(self):
        out = os.path.join(self.root, "no-such-folder", "frame.png")
        r = run_player(["render", "--config", self.config_path, "--at", "1", "--out", out])
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(out, r.stderr)


# Two slides of plain colours, one for the day and one for the evening, and one for cinemas.
SHEET_PLAYLIST = """\
[day]
type = slogan
text = 白天
background = #C81E1E
hours = 08:00-18:00

[evening]
type = slogan
text = 晚上
background = #1E1EC8
hours = 20:00-23:00

[cinema]
type = slogan
text = 影院
tags = cinema
"""

SHEET_CONFIG = """\
[display]
width = 960
height = 540

[content]
playlist = playlist.ini

[screen]
tags = bank
timezone = Asia/Shanghai
"""


def box_of(image, rgb, tolerance=6):
    """The bounding box (x0, y0, x1, y1) of pixels close to `rgb`."""
    xs, ys = [], []
    for y in range(0, image.height, 2):
        for x in range(0, image.width, 2):
            if close(image.rgb(x, y), rgb, tolerance):
                xs.append(x)
                ys.append(y)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def mean_brightness(image, box):
    x0, y0, x1, y1 = box
    total = count = 0
    for y in range(y0, y1 + 1, 3):
        for x in range(x0, x1 + 1, 3):
            total += sum(image.rgb(x, y))
            count += 1
    return total / count


class ContactSheetTest(TempShare):
    def sheet(self, name, *extra, config_path=None):
        out = output_path(name)
        if os.path.exists(out):
            os.remove(out)
        r = run_player(["render", "--contact-sheet", "--config", config_path or self.config_path, "--out", out,
                        *extra])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.isfile(out), f"render --contact-sheet wrote no {out}")
        return out, r

    def setUp(self):
        super().setUp()
        self.config_path = self.write_setup(SHEET_PLAYLIST, SHEET_CONFIG)

    def test_sheet_is_as_wide_as_the_screen_and_grows_with_rows(self):
        out, r = self.sheet("sheet-size-1920.png", "--size", "1920x1080")
        width, one_row = png_size(out)
        self.assertEqual(width, 1920)
        self.assertIn(f"contact sheet of 2 items (0 cannot show, 1 for other screens left out), 1920x{one_row}, "
                      f"to {out}", r.stderr)
        many = "".join(f"[s{i}]\ntype = slogan\ntext = 不转账\n\n" for i in range(6))
        config_path = self.write_setup(many, SHEET_CONFIG)
        out, _ = self.sheet("sheet-size-two-rows.png", "--size", "1920x1080", config_path=config_path)
        width, two_rows = png_size(out)
        self.assertEqual(width, 1920)
        # Four 16:9 columns of 446 px: the second row adds at least a thumbnail's height.
        self.assertGreater(two_rows - one_row, 446 * 9 // 16)

    def test_tags_choose_the_items(self):
        _, r = self.sheet("sheet-tags-cinema.png", "--tags", "cinema")
        self.assertIn("contact sheet of 3 items (0 cannot show, 0 for other screens left out)", r.stderr)

    def test_at_dims_items_out_of_schedule(self):
        bright, _ = self.sheet("sheet-no-instant.png")
        dimmed, _ = self.sheet("sheet-at-10.png", "--at", "2026-12-24 10:00")
        a, b = read_png(bright), read_png(dimmed)
        self.assertEqual((a.width, a.height), (b.width, b.height))
        day, evening = box_of(a, (0xC8, 0x1E, 0x1E)), box_of(a, (0x1E, 0x1E, 0xC8))
        self.assertIsNotNone(day, "no day tile")
        self.assertIsNotNone(evening, "no evening tile")
        # At 10:00 the day slide is in schedule, the evening one not: only it is darker.
        self.assertAlmostEqual(mean_brightness(b, day), mean_brightness(a, day), delta=5)
        self.assertLess(mean_brightness(b, evening), 0.5 * mean_brightness(a, evening))


if __name__ == "__main__":
    unittest.main()
