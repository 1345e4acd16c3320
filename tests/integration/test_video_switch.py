"""Switching between videos and posters on a real screen: no black frame, no frame held too long.

The issue's promise: "switching video->video, video->poster, poster->video, and looping one file
shows no black frame and no frame held longer than one frame period beyond the intended
transition". Checked from the outside, on the frames as they really reached a screen: the real
binary plays fullscreen in its own Xvfb (320x180, software renderer, sound muted) while ffmpeg's
x11grab records the screen 60 times a second, each capture stamped with its wall-clock time
(screen_capture.py). No hooks in the player.

Fixtures, made with ffmpeg at test time (320x180, 30 fps, 1 s each, H.264):
  A       testsrc2 with white squares in the two top corners and, along the bottom (rows 150-179),
          a black strip with a white bar moving 10 px a frame: every frame differs from the last
  B       testsrc2 turned by hue=h=90, black corner squares, a flat grey bottom strip
  poster  smptebars (PNG) with a white top-left and a black top-right square
The corner squares tell every capture apart: A (white, white), B (black, black), poster (white,
black); anything else is a crossfade mix (A->B passes through equal greys, never white/black).

Two runs, one Xvfb:
  switches  A | B (cut) | poster 1.5 s (cut) | A (cut) | B (fade 0.5 s) | round again to A (cut):
            video->video cut, video->poster, poster->video, crossfade video->video
  looping   one item, A with loop = 3, repeated by the playlist: loop boundaries inside one
            decoder at 1 s and 2 s, the playlist repeat (a new decoder for the same file) at 3 s

What each capture is checked for:
  * black or empty: more than 90% of its pixels darker than grey 40. The player's own background
    (#0B1F3A, what shows when no picture is drawn) is grey 28 and black is 0, so both count; every
    real picture here has at most ~40% such pixels (A ~35%, B ~25%, poster ~35%, fades between).
    Black frames (mean below 20) are also counted on their own for the message. A blank present
    lasting one 30 fps period is caught by a recorder capturing every 16.7 ms.
  * held frames: a run of byte-identical captures while a video plays. The picture was on screen
    at least from the first to the last capture of the run, so (last - first) is a lower bound of
    how long it stayed: a stalled recorder can hide a hold, not invent one. A 30 fps frame is due
    for 33.3 ms; "one frame period beyond the intended transition" allows 66.7 ms. HOLD_LIMIT is
    90 ms: 66.7 ms plus 23 ms for x11grab's stamps (each taken just before it asks the X server,
    which answers a few ms later). A frame held three periods (100 ms) shows as 67-100 ms and is
    caught when the captures fall late in its time; one held four (133 ms) is always caught.
    Measured here on good runs: 17-50 ms.
  * the poster: shown for its 1.5 s and not more than HOLD_LIMIT - one period beyond.
  * the crossfade: the mix gets darker capture by capture at a speed that makes it 0.5 s long;
    the outgoing video's bar keeps moving while it fades out (the fade overlaps the last half
    second of the video: test_crossfade_outgoing_video_keeps_playing).

From the player's --stats (internal): frames_dropped <= 3 per run, and max_present_gap_ms (the
largest gap between two presents while one video plays) <= STATS_GAP_LIMIT_MS = 85 ms: 2 frame
periods (66.7 ms) plus 18 ms; nominal is 33.3 ms, measured here 34-49 ms on good runs.

The machine: timings are only meaningful when the player gets a core when it asks. The test runs
itself, and so Xvfb, the recorder and the player, at real-time round-robin priority when allowed
(screen_capture.raise_priority: on this shared 2-core box, with a dozen compilers running, plain
priority gave 100-150 ms holds and a recorder stalled for 200 ms; SCHED_RR gave the figures
above). When the recorder still went more than DISTURBED_GAP (50 ms) without a capture, the
machine stalled us anyway and the run is recorded once more; the second attempt counts, and
failure messages name the attempt and the recorder's largest gap.

Figures of each run go to test-output/video-switch-*.json; captures around a failure are saved
there as PGM images.

Needs Xvfb and ffmpeg (x11grab, lavfi, libx264); skipped without them."""

import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from helpers import Running, Xvfb, log_messages, missing_programs, output_path
from screen_capture import block_mean, fraction_below, mean, raise_priority, start_recording

W, H = 320, 180
FPS = 30
PERIOD = 1.0 / FPS
CAPTURE_FPS = 60
HOLD_LIMIT = 0.090
STATS_GAP_LIMIT_MS = 85.0
DISTURBED_GAP = 0.050
MAX_DROPPED = 3
POSTER_SECONDS = 1.5
FADE_SECONDS = 0.5

CONFIG = f"""\
[display]
fullscreen = yes
width = {W}
height = {H}
renderer = software

[content]
playlist = playlist.ini

[audio]
mute = yes
"""

SWITCH_PLAYLIST = f"""\
[a]
type = video
file = a.mp4
transition = cut

[b]
type = video
file = b.mp4
transition = cut

[poster]
type = image
file = poster.png
duration = {POSTER_SECONDS}s
transition = cut

[a again]
type = video
file = a.mp4
transition = cut

[b fading in]
type = video
file = b.mp4
transition = fade
transition_duration = {FADE_SECONDS}s
"""

LOOP_PLAYLIST = """\
[a three times]
type = video
file = a.mp4
loop = 3
transition = cut
"""

# Corner squares (40x40) and the bottom strip with A's moving bar; see the module docstring.
CLIP_A = ("[0]drawbox=x=0:y=0:w=40:h=40:color=white:t=fill,drawbox=x=280:y=0:w=40:h=40:color=white:t=fill,"
          "drawbox=x=0:y=150:w=320:h=30:color=black:t=fill[base];[base][1]overlay=x='mod(n*10,300)':y=150")
CLIP_B = ("hue=h=90,drawbox=x=0:y=0:w=40:h=40:color=black:t=fill,drawbox=x=280:y=0:w=40:h=40:color=black:t=fill,"
          "drawbox=x=0:y=150:w=320:h=30:color=0x808080:t=fill")
POSTER = "drawbox=x=0:y=0:w=40:h=40:color=white:t=fill,drawbox=x=280:y=0:w=40:h=40:color=black:t=fill"
BAR_ROW = 165


def make_fixtures(folder):
    """a.mp4, b.mp4 and poster.png in `folder`, made in parallel."""
    h264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-an"]
    commands = [
        ["-f", "lavfi", "-i", f"testsrc2=s={W}x{H}:r={FPS}:d=1", "-f", "lavfi", "-i", f"color=white:s=20x30:r={FPS}:d=1",
         "-filter_complex", CLIP_A, *h264, "a.mp4"],
        ["-f", "lavfi", "-i", f"testsrc2=s={W}x{H}:r={FPS}:d=1", "-vf", CLIP_B, *h264, "b.mp4"],
        ["-f", "lavfi", "-i", f"smptebars=s={W}x{H}", "-vf", POSTER, "-frames:v", "1", "poster.png"],
    ]
    jobs = [subprocess.Popen(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *c], cwd=folder,
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for c in commands]
    for job, command in zip(jobs, commands):
        out, _ = job.communicate(timeout=60)
        if job.returncode != 0:
            raise AssertionError(f"ffmpeg {' '.join(command)} failed:\n{out.decode(errors='replace')}")


def classify(frame):
    """'empty' (black or bare background), 'A', 'B', 'poster' or 'mix' (a crossfade)."""
    if fraction_below(frame, 40) > 0.9:
        return "empty"
    left = block_mean(frame, W, 4, 4, 32, 32)
    right = block_mean(frame, W, W - 36, 4, 32, 32)
    if left > 200 and right > 200:
        return "A"
    if left < 40 and right < 40:
        return "B"
    if left > 200 and right < 40:
        return "poster"
    return "mix"


def bar_position(frame):
    """Where A's moving bar is in the bottom strip (its centre column), or None when the strip has
    too little contrast to tell (B alone, or the end of a fade)."""
    row = frame[BAR_ROW * W:(BAR_ROW + 1) * W]
    low, high = min(row), max(row)
    if high - low < 40:
        return None
    middle = (low + high) / 2
    columns = [x for x, v in enumerate(row) if v > middle]
    return sum(columns) / len(columns)


def segments(classes):
    """[(class, first index, last index)] of consecutive equal classes."""
    out = []
    for i, c in enumerate(classes):
        if out and out[-1][0] == c:
            out[-1] = (c, out[-1][1], i)
        else:
            out.append((c, i, i))
    return out


def save_pgm(path, frame):
    with open(path, "wb") as f:
        f.write(f"P5 {W} {H} 255\n".encode() + frame)


class Run:
    """One player run, recorded: the captures from the player's first picture on, their classes,
    the player's log and its --stats."""

    def __init__(self, name, captures, log, stats, seconds, attempt):
        self.name, self.log, self.stats, self.seconds, self.attempt = name, log, stats, seconds, attempt
        self.all_captures = captures
        classes = [classify(frame) for _, frame in captures]
        first = next((i for i, c in enumerate(classes) if c != "empty"), None)
        self.started_before_picture = first is not None and first > 0
        self.captures = captures[first:] if first is not None else []
        self.classes = classes[first:] if first is not None else []
        self.segments = segments(self.classes)

    def time(self, i):
        return self.captures[i][0]

    def largest_capture_gap(self):
        return max((self.time(i) - self.time(i - 1) for i in range(1, len(self.captures))), default=0.0)

    def disturbed(self):
        """The recorder, at the same priority as the player, went without a capture for longer
        than DISTURBED_GAP: the machine itself stalled us during the run."""
        return self.largest_capture_gap() > DISTURBED_GAP

    def note(self):
        return (f"[attempt {self.attempt}; the recorder's largest gap between captures was "
                f"{self.largest_capture_gap() * 1000:.0f} ms]")

    def holds(self, classes=("A", "B")):
        """[(lower bound of the time on screen, first index, last index)] of every run of identical
        captures of a playing video."""
        out = []
        start = 0
        for i in range(1, len(self.captures) + 1):
            if i < len(self.captures) and self.captures[i][1] == self.captures[start][1]:
                continue
            if self.classes[start] in classes:
                out.append((self.time(i - 1) - self.time(start), start, i - 1))
            start = i
        return out

    def save(self, indices, label):
        """Saves the captures around `indices` as PGM images; returns the folder."""
        folder = output_path(f"video-switch-{self.name}-{label}")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        for i in sorted({j for i in indices for j in range(max(0, i - 3), min(len(self.captures), i + 4))}):
            t, frame = self.captures[i]
            save_pgm(os.path.join(folder, f"{i:04d}-{t - self.time(0):07.3f}s-{self.classes[i]}.pgm"), frame)
        return folder

    def figures(self):
        holds = self.holds()
        return {
            "attempt": self.attempt,
            "captures": len(self.captures),
            "seconds": round(self.time(len(self.captures) - 1) - self.time(0), 3) if self.captures else 0,
            "largest_capture_gap_ms": round(self.largest_capture_gap() * 1000, 1),
            "segments": [(c, round(self.time(a) - self.time(0), 3), round(self.time(b) - self.time(0), 3))
                         for c, a, b in self.segments],
            "empty_captures": self.classes.count("empty"),
            "longest_video_hold_ms": round(max(h[0] for h in holds) * 1000, 1) if holds else None,
            "stats_total": self.stats.get("total"),
        }


def record_run(test_class, name, playlist, seconds, attempt):
    """Plays `playlist` in the class's Xvfb for `seconds` after the first picture, recorded."""
    folder = os.path.join(test_class.root, f"{name}-{attempt}")
    os.makedirs(folder)
    for fixture in ("a.mp4", "b.mp4", "poster.png"):
        os.link(os.path.join(test_class.root, fixture), os.path.join(folder, fixture))
    with open(os.path.join(folder, "player.ini"), "w", encoding="utf-8") as f:
        f.write(CONFIG)
    with open(os.path.join(folder, "playlist.ini"), "w", encoding="utf-8") as f:
        f.write(playlist)
    stats_path = os.path.join(folder, "stats.json")
    recording = start_recording(test_class.xvfb, W, H, os.path.join(folder, "screen.mkv"), fps=CAPTURE_FPS,
                                max_seconds=seconds + 20)
    player = Running(["play", "--config", os.path.join(folder, "player.ini"), "--stats", stats_path],
                     os.path.join(folder, "play.log"), env=test_class.xvfb.env())
    try:
        if not player.wait_for_log("first frame presented", 20):
            raise AssertionError(f"{name}: no first frame:\n{player.log()}")
        time.sleep(seconds)
    finally:
        recording.stop()
        player.stop()
    log = player.log()
    if player.process.returncode != 0 or not os.path.exists(stats_path):
        raise AssertionError(f"{name}: the player exited {player.process.returncode}, stats written: "
                             f"{os.path.exists(stats_path)}\n{log}")
    with open(stats_path, encoding="utf-8") as f:
        stats = json.load(f)
    run = Run(name, recording.frames(), log, stats, seconds, attempt)
    with open(output_path(f"video-switch-{name}.json"), "w", encoding="utf-8") as f:
        json.dump({"priority": test_class.priority, **run.figures()}, f, indent=1)
    return run


def record_scenario(test_class, name, playlist, seconds):
    """record_run(), once more when the machine stalled the first attempt (see Run.disturbed);
    the second attempt counts whatever happens."""
    run = record_run(test_class, name, playlist, seconds, 1)
    if run.disturbed():
        run = record_run(test_class, name, playlist, seconds, 2)
    return run


class VideoSwitchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        missing = missing_programs("Xvfb", "ffmpeg", "ffprobe")
        if missing:
            raise unittest.SkipTest("not installed: " + ", ".join(missing) + " (scripts/setup.sh installs them)")
        cls.root = os.path.realpath(tempfile.mkdtemp(prefix="signage-it-switch-"))
        try:
            make_fixtures(cls.root)
            cls.priority = raise_priority()  # after the encoding: only the runs need it
            cls.xvfb = Xvfb(W, H)
        except BaseException:
            shutil.rmtree(cls.root, ignore_errors=True)
            raise
        try:
            # One cycle is 5.5 s (1 + 1 + 1.5 + 1 + 1); 6.4 s sees the wrap to A as well.
            cls.switches = record_scenario(cls, "switches", SWITCH_PLAYLIST, 6.4)
            # Three loops of 1 s, then the playlist repeats the item (at 3 s).
            cls.looping = record_scenario(cls, "looping", LOOP_PLAYLIST, 3.8)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.xvfb.stop()
        shutil.rmtree(cls.root, ignore_errors=True)

    # --- what each run showed ---

    def assert_recorded_from_the_start(self, run):
        self.assertTrue(run.started_before_picture,
                        f"{run.name}: the recording began after the player's first picture (or saw none)")
        self.assertGreater(len(run.captures), run.seconds * CAPTURE_FPS * 0.5,
                           f"{run.name}: x11grab took too few captures: {run.figures()}")

    def test_switch_run_shows_every_transition_in_order(self):
        run = self.switches
        self.assert_recorded_from_the_start(run)
        order = [c for c, _, _ in run.segments if c != "empty"]
        self.assertEqual(order[:7], ["A", "B", "poster", "A", "mix", "B", "A"],
                         f"segments (class, from s, to s): {run.figures()['segments']}")

    def test_loop_run_shows_only_a(self):
        run = self.looping
        self.assert_recorded_from_the_start(run)
        self.assertEqual({c for c, _, _ in run.segments if c != "empty"}, {"A"}, run.figures()["segments"])
        # The playlist's repeat came: the player counted a second play of the item.
        self.assertGreaterEqual(run.stats["total"]["plays"], 2, run.stats)

    # --- no black frame ---

    def assert_no_empty_capture(self, run):
        empty = [i for i, c in enumerate(run.classes) if c == "empty"]
        if empty:
            black = [i for i in empty if mean(run.captures[i][1]) < 20]
            folder = run.save(empty, "empty")
            self.fail(f"{run.name}: {len(empty)} of {len(run.captures)} captures after the first picture show "
                      f"no picture ({len(black)} of them black), at "
                      f"{[round(run.time(i) - run.time(0), 3) for i in empty][:20]} s (see {folder}); "
                      f"segments {run.figures()['segments']}")

    def test_no_black_frame_switching_video_and_poster(self):
        self.assert_no_empty_capture(self.switches)

    def test_no_black_frame_looping_one_file(self):
        self.assert_no_empty_capture(self.looping)

    # --- no frame held too long ---

    def assert_no_hold(self, run):
        holds = run.holds()
        # Most of the run's video frames (30 a second) must have been captured.
        self.assertGreater(len(holds), 0.7 * FPS * (run.seconds - 1), f"{run.name}: too few distinct video frames seen")
        long = [h for h in holds if h[0] > HOLD_LIMIT]
        if long:
            folder = run.save([h[1] for h in long] + [h[2] for h in long], "held")
            self.fail(f"{run.name}: video frames on screen for at least "
                      f"{[(round(h[0] * 1000), run.classes[h[1]], round(run.time(h[1]) - run.time(0), 3)) for h in long]}"
                      f" (ms, clip, at s) > {HOLD_LIMIT * 1000:.0f} ms (see {folder}) {run.note()}")

    def test_no_video_frame_held_switching(self):
        self.assert_no_hold(self.switches)

    def test_no_video_frame_held_looping_one_file(self):
        self.assert_no_hold(self.looping)

    def test_poster_shown_for_its_duration_not_longer(self):
        run = self.switches
        posters = [(a, b) for c, a, b in run.segments if c == "poster"]
        self.assertTrue(posters, run.figures()["segments"])
        first, last = posters[0]
        shown = run.time(last) - run.time(first)  # a lower bound again
        self.assertLessEqual(shown, POSTER_SECONDS + HOLD_LIMIT - PERIOD,
                             f"the poster stayed at least {shown:.3f} s (of {POSTER_SECONDS} s) {run.note()}")

    # --- the crossfade ---

    def fade(self):
        run = self.switches
        mixes = [(a, b) for c, a, b in run.segments if c == "mix"]
        self.assertTrue(mixes, run.figures()["segments"])
        return run, mixes[0]

    def test_crossfade_is_a_gradual_mix(self):
        # A's white corner turns into B's black one: grey = 255 x (1 - progress). The captures
        # classed as a mix are the middle of the fade (progress ~0.2 to ~0.85); a straight line
        # fitted through their progress over time gives the fade's speed, so its length.
        run, (first, last) = self.fade()
        points = [(run.time(i), 1 - block_mean(run.captures[i][1], W, 4, 4, 32, 32) / 255)
                  for i in range(first, last + 1)]
        self.assertGreater(len(points), 8, f"only {len(points)} captures of the crossfade")
        progress = [p for _, p in points]
        self.assertTrue(all(b >= a - 0.02 for a, b in zip(progress, progress[1:])),
                        f"the mix goes back and forth: {[round(p, 2) for p in progress]}")
        n = len(points)
        mt, mp = sum(t for t, _ in points) / n, sum(p for _, p in points) / n
        slope = sum((t - mt) * (p - mp) for t, p in points) / sum((t - mt) ** 2 for t, _ in points)
        self.assertAlmostEqual(1 / slope, FADE_SECONDS, delta=0.1,
                               msg=f"the crossfade runs at {slope:.2f}/s, so lasts {1 / slope:.3f} s")

    def test_crossfade_outgoing_video_keeps_playing(self):
        # The next item's fade overlaps the last seconds of a video (ItemTiming::fade_over_end):
        # the outgoing video plays on under the fade. Were the fade to follow its end, the video
        # would stand frozen on its last frame for the whole fade (0.5 s here, 15 periods).
        run, (first, last) = self.fade()
        positions = [(run.time(i), bar_position(run.captures[i][1])) for i in range(first - 1, last + 1)]
        positions = [(t, x) for t, x in positions if x is not None]
        self.assertGreater(len(positions), 5, "the outgoing bar is not visible in the fade")
        still_since, longest = positions[0], 0.0
        for t, x in positions[1:]:
            if abs(x - still_since[1]) > 2:
                still_since = (t, x)
            longest = max(longest, t - still_since[0])
        self.assertLessEqual(longest, HOLD_LIMIT, f"the outgoing video stood still for at least {longest:.3f} s "
                                                  f"during the crossfade")

    # --- the player's own figures ---

    def assert_stats(self, run, plays, frames):
        total = run.stats["total"]
        message = f"{run.stats} {run.note()}"
        self.assertLessEqual(total["frames_dropped"], MAX_DROPPED, message)
        self.assertLessEqual(total["max_present_gap_ms"], STATS_GAP_LIMIT_MS, message)
        self.assertGreaterEqual(total["plays"], plays, message)
        self.assertGreaterEqual(total["frames_presented"], frames, message)

    def test_stats_switching(self):
        # Four whole plays of 30 frames, then A again.
        self.assert_stats(self.switches, plays=5, frames=4 * FPS)

    def test_stats_looping(self):
        # One whole play of three loops (90 frames), then the next play begins.
        self.assert_stats(self.looping, plays=2, frames=3 * FPS)

    def test_no_warnings(self):
        for run in (self.switches, self.looping):
            self.assertEqual(log_messages(run.log, "warning") + log_messages(run.log, "error"), [], run.log)


if __name__ == "__main__":
    unittest.main()
