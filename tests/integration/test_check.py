"""`check`: exit 0 on clean content, 1 with one `file:line: message` line per problem, 2 on a bad config."""

import os
import re
import shutil
import subprocess
import unittest

from helpers import (DEMO_CONFIG, SYSTEM_CONFIG, TempShare, base_env, make_png, png_header_only, run_player)

# U+E000, the first private-use character: no font has a glyph for it (fontconfig is asked below).
PRIVATE_USE = "\ue000"


def summary(stderr):
    """(items, problems) from check's last line on stderr: "check: FILE, N items, M problems"."""
    m = re.search(r"^check: .*, (\d+) items, (\d+) problems?$", stderr, re.M)
    if not m:
        raise AssertionError(f"no summary line in stderr:\n{stderr}")
    return int(m.group(1)), int(m.group(2))


class DemoCheckTest(unittest.TestCase):
    def test_demo_is_clean(self):
        # Without --config the player reads /etc/signage-player/player.ini when it exists: the demo
        # is checked that way only on a machine without one, else through --config.
        args = ["check"] if not os.path.exists(SYSTEM_CONFIG) else ["check", "--config", DEMO_CONFIG]
        r = run_player(args)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout, "")
        items, problems = summary(r.stderr)
        self.assertEqual(problems, 0)
        self.assertGreaterEqual(items, 20)  # welcome + 4 posters + the 20 campaign slogans

    def test_demo_config_given_explicitly_is_clean(self):
        r = run_player(["check", "--config", DEMO_CONFIG])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(summary(r.stderr)[1], 0)


class BadContentCheckTest(TempShare):
    """Each kind of broken content alone: exit 1 and exactly the expected line(s) on stdout."""

    def check(self, playlist, files=(), config=None):
        for name, content in files:
            self.write(name, content)
        config_path = self.write_setup(playlist, config)
        r = run_player(["check", "--config", config_path])
        self.playlist_path = self.path("playlist.ini")
        return r

    def assert_problems(self, r, expected_lines):
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertEqual(r.stdout.splitlines(), expected_lines)
        self.assertEqual(summary(r.stderr)[1], len(expected_lines))

    def test_missing_image(self):
        r = self.check("[hello]\ntype = slogan\ntext = Hello\n\n[poster]\ntype = image\nfile = missing.png\n")
        self.assert_problems(r, [f"{self.playlist_path}:5: {self.path('missing.png')}: cannot open: file not found"])

    def test_png_header_bomb_refused_without_decoding(self):
        bomb = png_header_only(20000, 20000)
        self.assertEqual(len(bomb), 33)
        r = self.check("[bomb]\ntype = image\nfile = bomb.png\n", files=[("bomb.png", bomb)])
        self.assert_problems(r, [
            f"{self.playlist_path}:1: {self.path('bomb.png')}: image is 20000x20000 (400.0 megapixels), over the "
            "limit of 40 ([limits] max_image_megapixels); refused without decoding"])

    def test_parent_path_refused(self):
        with open(os.path.join(self.root, "outside.png"), "wb") as f:
            f.write(make_png(8, 8, (255, 0, 0)))
        r = self.check("[outside]\ntype = image\nfit = cover\nfile = ../outside.png\n")
        self.assert_problems(r, [f"{self.playlist_path}:4: file: \"../outside.png\" leaves the playlist's folder"])

    def test_absolute_path_refused(self):
        absolute = os.path.join(self.share, "poster.png")
        r = self.check(f"[absolute]\ntype = image\nfile = {absolute}\n",
                       files=[("poster.png", make_png(8, 8, (255, 0, 0)))])
        self.assert_problems(r, [
            f"{self.playlist_path}:3: file: absolute paths are not allowed (\"{absolute}\"); name files relative to "
            "the playlist"])

    def test_symlink_pointing_outside_refused(self):
        outside = os.path.join(self.root, "outside.png")
        with open(outside, "wb") as f:
            f.write(make_png(8, 8, (255, 0, 0)))
        os.symlink(outside, self.path("link.png"))
        r = self.check("[link]\ntype = image\nfile = link.png\n")
        self.assert_problems(r, [
            f"{self.playlist_path}:1: {self.path('link.png')}: is a link to {outside}, outside the playlist's "
            "folder; refused"])

    def test_slogans_file_symlink_pointing_outside_refused(self):
        # Like a poster, a slogans file that is a link out of the share must not be read: the share
        # is edited by content managers, the rest of the disk is not theirs to put on screen.
        outside = os.path.join(self.root, "secret.txt")
        with open(outside, "w", encoding="utf-8") as f:
            f.write("not for the screen\n")
        os.symlink(outside, self.path("slogans.txt"))
        r = self.check("[slogans]\ntype = slogans\nfile = slogans.txt\n")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 1, r.stdout)
        self.assertTrue(lines[0].startswith(f"{self.playlist_path}:1: "), lines[0])
        self.assertIn("slogans.txt", lines[0])
        self.assertIn("outside the playlist's folder", lines[0])

    def test_symlink_inside_share_is_fine(self):
        self.write("posters/real.png", make_png(8, 8, (0, 128, 0)))
        os.symlink("posters/real.png", self.path("link.png"))
        r = self.check("[link]\ntype = image\nfile = link.png\n")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout, "")

    def test_not_an_image(self):
        r = self.check("[text]\ntype = image\nfile = notes.png\n",
                       files=[("notes.png", "This is not a picture, just text.\n")])
        self.assert_problems(r, [f"{self.playlist_path}:1: {self.path('notes.png')}: not an image: unknown signature"])

    def test_unknown_playlist_key_is_a_warning(self):
        r = self.check("[hello]\ntype = slogan\ntext = Hello\ncolour = #FF0000\n")
        self.assert_problems(r, [f"{self.playlist_path}:4: unknown key \"colour\" in [hello]; ignored"])

    def test_broken_video_reported_with_reason(self):
        r = self.check("[clip]\ntype = video\nfile = clip.mp4\n", files=[("clip.mp4", b"\x00\x00\x00\x18ftypmp42")])
        self.assert_problems(r, [
            f"{self.playlist_path}:1: {self.path('clip.mp4')}: cannot open as a video: "
            "Invalid data found when processing input"])

    def test_good_video_passes_and_bad_trim_is_reported(self):
        clip = self.path("psa.mp4")
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                        "testsrc2=size=160x90:rate=10", "-t", "1", "-pix_fmt", "yuv420p", clip], check=True)
        r = self.check("[psa]\ntype = video\nfile = psa.mp4\nstart = 0.5\n")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout, "")
        r = self.check("[psa]\ntype = video\nfile = psa.mp4\nstart = 5\n")
        self.assert_problems(r, [f"{self.playlist_path}:1: start (5s) is past the end of {clip} (1s)"])

    def test_character_no_font_has(self):
        if shutil.which("fc-list"):
            fonts = subprocess.run(["fc-list", ":charset=e000", "file"], capture_output=True, text=True).stdout
            if fonts.strip():
                self.skipTest(f"a font on this machine covers U+E000: {fonts.strip()}")
        r = self.check(f"[odd]\ntype = slogan\ntext = Call 96110 {PRIVATE_USE}\n")
        self.assert_problems(r, [f"{self.playlist_path}:1: no installed font has {PRIVATE_USE} (U+E000)"])

    def test_gb18030_slogans_file_is_a_note_not_a_problem(self):
        slogans = "守护好钱袋子\n不听 不信 不转账\n".encode("gb18030")
        with self.assertRaises(UnicodeDecodeError):
            slogans.decode("utf-8")
        r = self.check("[slogans]\ntype = slogans\nfile = slogans.txt\n", files=[("slogans.txt", slogans)])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout.splitlines(),
                         [f"{self.path('slogans.txt')}: saved as GB18030, not UTF-8; read as GB18030 (note)"])
        self.assertEqual(summary(r.stderr), (2, 0))

    def test_all_problems_together_one_line_each(self):
        outside = os.path.join(self.root, "outside.png")
        with open(outside, "wb") as f:
            f.write(make_png(8, 8, (255, 0, 0)))
        os.symlink(outside, self.path("link.png"))
        playlist = (
            "[missing]\ntype = image\nfile = missing.png\n\n"          # 1
            "[bomb]\ntype = image\nfile = bomb.png\n\n"                # 5
            "[outside]\ntype = image\nfile = ../outside.png\n\n"       # 9
            "[absolute]\ntype = image\nfile = /etc/hostname\n\n"       # 13
            "[link]\ntype = image\nfile = link.png\n\n"                # 17
            "[notimage]\ntype = image\nfile = notes.png\n\n"           # 21
            "[unknown]\ntype = slogan\ntext = Hi\ncolour = #FF0000\n\n"  # 25, key on 28
            "[clip]\ntype = video\nfile = clip.mp4\n\n"                # 30
            f"[odd]\ntype = slogan\ntext = Hi {PRIVATE_USE}\n\n"         # 34
            "[slogans]\ntype = slogans\nfile = slogans.txt\n"          # 38
            "[fine]\ntype = image\nfile = fine.png\n"                  # 41
        )
        r = self.check(playlist, files=[
            ("bomb.png", png_header_only(20000, 20000)), ("notes.png", "text\n"),
            ("clip.mp4", b"\x00\x00\x00\x18ftypmp42"), ("slogans.txt", "守护好钱袋子\n".encode("gb18030")),
            ("fine.png", make_png(16, 16, (0, 0, 255)))])
        pl = self.playlist_path
        expected = {
            f"{pl}:1: {self.path('missing.png')}: cannot open: file not found",
            f"{pl}:5: {self.path('bomb.png')}: image is 20000x20000 (400.0 megapixels), over the limit of 40 "
            "([limits] max_image_megapixels); refused without decoding",
            f"{pl}:11: file: \"../outside.png\" leaves the playlist's folder",
            f"{pl}:15: file: absolute paths are not allowed (\"/etc/hostname\"); name files relative to the playlist",
            f"{pl}:17: {self.path('link.png')}: is a link to {outside}, outside the playlist's folder; refused",
            f"{pl}:21: {self.path('notes.png')}: not an image: unknown signature",
            f"{pl}:28: unknown key \"colour\" in [unknown]; ignored",
            f"{pl}:30: {self.path('clip.mp4')}: cannot open as a video: Invalid data found when processing input",
            f"{pl}:34: no installed font has {PRIVATE_USE} (U+E000)",
        }
        note = f"{self.path('slogans.txt')}: saved as GB18030, not UTF-8; read as GB18030 (note)"
        lines = r.stdout.splitlines()
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertEqual(len(lines), len(set(lines)), "a problem reported twice")
        self.assertEqual(set(lines), expected | {note})
        self.assertEqual(summary(r.stderr)[1], len(expected))
        for line in lines:
            if line != note:
                self.assertRegex(line, "^" + re.escape(pl) + r":\d+: ")


class ConfigCheckTest(TempShare):
    PLAYLIST = "[hello]\ntype = slogan\ntext = Hello\n"

    def test_bad_config_value_exits_2_naming_file_line_key(self):
        cases = [
            ("[display]\nwidth = 320\nheight = 180\nbackground = navy\n", 4,
             'background: expected a colour as #RRGGBB, got "navy"'),
            ("[display]\nwidth = 10\n", 2, "width: must be 64 to 16384, got 10"),
            ("; comment\n[content]\nretry_after = soon\n", 3,
             'retry_after: expected a duration such as 8, 8s, 500ms or 2m, got "soon"'),
            ("[display]\nfullscreen = maybe\n", 2, 'fullscreen: expected yes or no, got "maybe"'),
        ]
        for config, line, reason in cases:
            with self.subTest(reason=reason):
                config_path = self.write_setup(self.PLAYLIST, config)
                r = run_player(["check", "--config", config_path])
                self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
                self.assertEqual(r.stderr, f"{config_path}:{line}: {reason}\n")
                self.assertEqual(r.stdout, "")

    def test_unknown_config_key_is_reported_by_check(self):
        config_path = self.write_setup(self.PLAYLIST, "[display]\nwidth = 320\nheight = 180\nbrightness = 80\n")
        r = run_player(["check", "--config", config_path])
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertEqual(r.stdout, f"{config_path}:4: unknown key \"brightness\" in [display]; ignored\n")

    def test_missing_config_file_exits_2(self):
        config_path = os.path.join(self.share, "nope.ini")
        r = run_player(["check", "--config", config_path])
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertTrue(r.stderr.startswith(config_path + ": "), r.stderr)
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)


if __name__ == "__main__":
    unittest.main()
