"""Command line: help, version, usage errors (exit 2 with the usage text)."""

import os
import re
import unittest

from helpers import PLAYER, SOURCE_DIR, run_player

USAGE_FIRST_LINE = "Usage:"
USAGE_LINES = [
    "  signage-player [play] [--config FILE] [--windowed] [--headless] [--run-for SECONDS]",
    "  signage-player check [--config FILE]",
    '  signage-player render [--config FILE] --at SECONDS|"YYYY-MM-DD HH:MM:SS" --out FILE.png [--size WxH]',
    '  signage-player schedule [--config FILE] [--from "YYYY-MM-DD HH:MM"] [--hours N] [--tags a,b]',
    "  signage-player render --contact-sheet --out FILE.png [--config FILE] [--tags a,b]",
]


class CliTest(unittest.TestCase):
    def setUp(self):
        self.assertTrue(os.access(PLAYER, os.X_OK), f"no player binary at {PLAYER} (set SIGNAGE_PLAYER)")

    def assert_usage(self, text):
        lines = text.splitlines()
        self.assertIn(USAGE_FIRST_LINE, lines)
        for line in USAGE_LINES:
            self.assertIn(line, lines)

    def assert_usage_error(self, args, message):
        """Exit 2, `signage-player: message` as the first line of stderr, then the usage; nothing on stdout."""
        r = run_player(args)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr.splitlines()[0], "signage-player: " + message)
        self.assert_usage(r.stderr)

    def test_help_exits_0_with_usage_on_stdout(self):
        for args in (["--help"], ["-h"], ["help"]):
            with self.subTest(args=args):
                r = run_player(args)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertTrue(r.stdout.startswith(USAGE_FIRST_LINE + "\n"), r.stdout)
                self.assert_usage(r.stdout)
                self.assertEqual(r.stderr, "")

    def test_version_exits_0_with_project_version(self):
        with open(os.path.join(SOURCE_DIR, "CMakeLists.txt"), encoding="utf-8") as f:
            version = re.search(r"project\(signage_player VERSION ([0-9.]+)", f.read()).group(1)
        for args in (["--version"], ["-V"]):
            with self.subTest(args=args):
                r = run_player(args)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout, f"signage-player {version}\n")
                self.assertEqual(r.stderr, "")

    def test_unknown_option_exits_2_with_usage(self):
        self.assert_usage_error(["--bogus"], 'unknown option "--bogus"')
        self.assert_usage_error(["check", "--fullscreen"], 'unknown option "--fullscreen"')

    def test_unknown_command_exits_2_with_usage(self):
        self.assert_usage_error(["bogus"], 'unknown command "bogus"')

    def test_render_without_at_exits_2(self):
        self.assert_usage_error(["render", "--out", "/nonexistent/x.png"],
                                'render needs --at SECONDS or --at "YYYY-MM-DD HH:MM:SS" (or --contact-sheet)')

    def test_schedule_options_belong_to_schedule(self):
        self.assert_usage_error(["play", "--from", "2026-12-24 19:00"],
                                "--from, --hours and --format are options of schedule")
        self.assert_usage_error(["check", "--wall-clock", "2026-12-24 19:00"],
                                "--wall-clock is an option of play and render")

    def test_time_lapse_and_clock_jump_belong_to_play_and_are_checked(self):
        self.assert_usage_error(["render", "--at", "1", "--out", "/nonexistent/x.png", "--time-lapse", "10"],
                                "--time-lapse and --clock-jump are options of play")
        self.assert_usage_error(["play", "--time-lapse", "0.5"], "--time-lapse: must be 1 to 100000, got 0.5")
        self.assert_usage_error(["play", "--clock-jump", "60"], "--clock-jump: expected AT,BY (seconds)")
        self.assert_usage_error(["play", "--clock-jump", "60,soon"], "--clock-jump: expected a number, got \"soon\"")

    def test_contact_sheet_is_an_option_of_render_with_a_wall_clock_at(self):
        self.assert_usage_error(["play", "--contact-sheet"], "--contact-sheet is an option of render")
        self.assert_usage_error(["render", "--contact-sheet", "--at", "5", "--out", "/nonexistent/x.png"],
                                'render --contact-sheet takes --at as a wall-clock instant "YYYY-MM-DD HH:MM"')
        self.assert_usage_error(["render", "--contact-sheet"], "render needs --out FILE.png")

    def test_render_without_out_exits_2(self):
        self.assert_usage_error(["render", "--at", "1"], "render needs --out FILE.png")

    def test_flag_without_value_exits_2(self):
        self.assert_usage_error(["play", "--run-for"], "--run-for needs a value")
        self.assert_usage_error(["check", "--config"], "--config needs a value")

    def test_bad_size_exits_2(self):
        self.assert_usage_error(["render", "--at", "1", "--out", "/nonexistent/x.png", "--size", "1920"],
                                '--size: expected WxH such as 1920x1080 (16 to 16384), got "1920"')

    def test_bad_seconds_exits_2(self):
        r = run_player(["play", "--headless", "--run-for", "soon"])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertTrue(r.stderr.startswith("signage-player: --run-for: "), r.stderr)
        self.assert_usage(r.stderr)

    def test_references_print_markdown_matching_docs(self):
        for command, doc in (("config-reference", "config.md"), ("playlist-reference", "playlist.md"),
                             ("layout-reference", "layout.md")):
            with self.subTest(command=command):
                r = run_player([command])
                self.assertEqual(r.returncode, 0, r.stderr)
                with open(os.path.join(SOURCE_DIR, "docs", doc), encoding="utf-8") as f:
                    self.assertEqual(r.stdout, f.read())


if __name__ == "__main__":
    unittest.main()
