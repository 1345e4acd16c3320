"""`render --at T` shows what `play` presented at T: both ask the same timeline and paint with the
same layers (player/render/show.h), so the frames must match.

One headless `play` (SDL's dummy video driver, its software renderer, the sound to SDL's disk audio
driver) writes the frames it presents at chosen instants (`--capture-at`, counted from the first
item's start as `render --at` counts), then `render --at` draws each instant; the images are
compared pixel by pixel.

The playlist has slogans, a poster, a video with sound and a muted one, fades and cuts:

    item           from   to     comes in
    slogan-a       0      2      (first)
    poster         2      4      cut
    video-sound    4      7      0.5 s fade over the poster (a slide keeps its full time)
    slogan-b       7      9      cut
    video-muted    9      12     0.5 s fade over slogan-b
    slogan-a       11.5   13.5   0.5 s fade over the muted video's last half second

Instants: inside each fade, right at each switch (a cut's first frame, a fade's first frame where
the incoming item is still transparent) and in the middle of items, the videos included.

The videos hold each picture for a whole second (a 1 fps test pattern at 25 fps), and every
instant of a video is mid-second: the sound card's clock, which leads a sounding video in `play`,
runs a device buffer (~21 ms) behind the wall clock, and must not change the picture compared.
The two paths scale and convert video differently (play: swscale straight into the window
surface; render: a texture), so video frames may differ by rounding; slides must be identical.

Needs ffmpeg (lavfi, libx264, aac)."""

import os
import shutil
import subprocess
import tempfile
import unittest

from helpers import TempShare, base_env, log_messages, make_png, missing_programs, output_path, read_png, run_player

W, H = 320, 180

PLAYLIST = """\
[defaults]
duration = 2s
transition = fade
transition_duration = 0.5s

[slogan-a]
type = slogan
text = 你我同心 反诈同行

[poster]
type = image
file = poster.png
transition = cut

[video-sound]
type = video
file = sound.mp4

[slogan-b]
type = slogan
text = 陌生来电要警惕
color = #FFD54A
transition = cut

[video-muted]
type = video
file = muted.mp4
muted = yes
"""

CONFIG = f"""\
[display]
width = {W}
height = {H}

[content]
playlist = playlist.ini
"""

# (instant, what is on screen, whether a video is in the picture)
INSTANTS = [
    (1.0, "slogan-a", False),
    (2.0, "the cut to the poster", False),
    (4.0, "the first frame of the video's fade (still the poster)", True),
    (4.25, "video-sound fading in over the poster", True),
    (5.5, "video-sound", True),
    (7.0, "the cut to slogan-b", False),
    (9.25, "video-muted fading in over slogan-b", True),
    (10.3, "video-muted", True),
    (11.5, "slogan-a's fade starting over the muted video", True),
    (11.75, "slogan-a fading in over the muted video's end", True),
]

# Per pixel, the sum of |R|+|G|+|B| differences allowed; and how many pixels may exceed it.
VIDEO_PIXEL_TOLERANCE = 24
VIDEO_PIXELS_OVER = 0.01
SLIDE_PIXEL_TOLERANCE = 3


def make_video(folder, name, seconds):
    # A 1 fps test pattern (a new picture each second) at 25 fps, with a tone.
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
               "-f", "lavfi", "-i", f"testsrc=size={W}x{H}:rate=1:duration={seconds},fps=25",
               "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
               "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "25", "-c:a", "aac", "-shortest",
               os.path.join(folder, name)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def differing(a, b, tolerance):
    """How many pixels differ by more than `tolerance` (sum over the channels), and the largest."""
    pa, pb = a.rows_rgb(), b.rows_rgb()
    over, largest = 0, 0
    for i in range(0, len(pa), 3):
        d = abs(pa[i] - pb[i]) + abs(pa[i + 1] - pb[i + 1]) + abs(pa[i + 2] - pb[i + 2])
        largest = max(largest, d)
        if d > tolerance:
            over += 1
    return over, largest


@unittest.skipIf(missing_programs("ffmpeg"), "needs ffmpeg")
class RenderEqualsPlay(TempShare):
    def test_render_at_t_is_what_play_presented_at_t(self):
        make_video(self.share, "sound.mp4", 3)
        make_video(self.share, "muted.mp4", 3)
        self.write("poster.png", make_png(W, H, (200, 40, 40)))
        config = self.write_setup(PLAYLIST, CONFIG)
        captures = os.path.join(self.root, "captures")
        os.makedirs(captures)
        audio_file = os.path.join(self.root, "sound.raw")
        env = base_env(SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=audio_file)
        instants = ",".join(f"{t:g}" for t, _, _ in INSTANTS)
        played = run_player(["play", "--config", config, "--headless", "--run-for", "15",
                             "--capture-at", instants, "--capture-dir", captures], timeout=90, env=env)
        self.assertEqual(played.returncode, 0, played.stderr)
        self.assertIn("audio:", played.stderr, "the video with sound must play through a sound device")
        problems = [m for m in log_messages(played.stderr, "warning") + log_messages(played.stderr, "error")]
        self.assertEqual(problems, [], played.stderr)

        report = []
        failures = []
        for at, what, has_video in INSTANTS:
            captured = os.path.join(captures, f"capture-{round(at * 1000)}.png")
            self.assertTrue(os.path.exists(captured), f"play wrote no frame for {at} s:\n{played.stderr}")
            rendered = os.path.join(self.root, f"render-{round(at * 1000)}.png")
            r = run_player(["render", "--config", config, "--at", f"{at:g}", "--out", rendered,
                            "--size", f"{W}x{H}"], timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            a, b = read_png(captured), read_png(rendered)
            self.assertEqual((a.width, a.height), (b.width, b.height))
            tolerance = VIDEO_PIXEL_TOLERANCE if has_video else SLIDE_PIXEL_TOLERANCE
            over, largest = differing(a, b, tolerance)
            allowed = int(W * H * VIDEO_PIXELS_OVER) if has_video else 0
            report.append(f"{at:6.2f} s {what}: {over} pixels over {tolerance}, largest difference {largest}")
            if over > allowed:
                # render's own warnings say which item it left out, if it did (play's must be none).
                said = log_messages(r.stderr, "warning") + log_messages(r.stderr, "error")
                failures.append(f"{at} s ({what}): {over} pixels differ by more than {tolerance} (allowed {allowed})"
                                + (f"; render said: {said}" if said else ""))
                for name, path in (("play", captured), ("render", rendered)):
                    shutil.copy(path, output_path(f"render-equals-play-{round(at * 1000)}-{name}.png"))
        print("\n".join(report))
        self.assertEqual(failures, [], "\n".join(report))


if __name__ == "__main__":
    unittest.main()
