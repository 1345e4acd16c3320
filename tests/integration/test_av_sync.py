"""A/V sync on a clip with a flash and a beep each second, played three times in a row (loop = 3).

The clip (made with ffmpeg at test time; 2 s, 320x180, 30 fps H.264 + 48 kHz stereo AAC in MP4):
  picture  black, one white frame at 0.5 s and 1.5 s (frames 15 and 45)
  sound    a quiet 220 Hz hum (amplitude 0.05) all along, so the first non-silent sample marks
           the clip's time 0; a 1 kHz beep (amplitude 0.8) for 40 ms from 0.5 s and from 1.5 s
With loop = 3 the item lasts 6 s: six flashes and six beeps 1.000 s apart, two of the gaps
across a loop boundary. Where the beeps sit in the file is taken from ffmpeg's own decode of it
(`ffmpeg -i clip -f f32le`), not assumed.

Two runs of the real binary, both with SDL's disk audio driver (SDL_AUDIODRIVER=disk,
SDL_DISKAUDIOFILE=...): the device writes what the player mixes to a raw file (float32 stereo,
48 kHz, as the "audio: ..." log line says) and sleeps a whole number of milliseconds (21) per
1024-frame buffer (21.3 ms), so it takes samples 0.2-0.5% faster than real time (measured; the
figures file has it). Like the video tests, both runs go at real-time priority when allowed
(screen_capture.raise_priority).

1. `play --headless --run-for ... --stats`:
   - internal (the player's own comparison): --stats max_av_offset_ms <= 40 (the issue's bound)
     and no audio underruns. At every present the player compares the picture's time span with
     the sound position its HeardClock computes (one device buffer behind the last callback).
     Since the picture is chosen by that same clock a moment before, the figure mostly shows a
     decoder that falls behind; it cannot see an error in the clock itself or in presenting.
   - external, the sound the device got (the raw file): the first beep is 0.5 s (as in the
     reference decode, +-5 ms) after the first non-silent sample, and every beep of the three
     loops lands on first beep + k x 1.000 s (+-5 ms): no gap, overlap or drift at loop boundaries.
     The gap into the next play of the item (the playlist repeating it: a new decoder, its
     sound queued to follow the last one's) is reported and only checked loosely (+-75 ms): a
     play's length is counted on the wall clock while its sound runs on the device's clock, and
     the disk device is fast, so the sound runs out before the next play starts (6 s x 0.5% =
     30 ms, plus up to a buffer; measured 37 ms, and 58.7 ms, one more 21.3 ms buffer, in about a
     third of the runs, with this and the previous release alike). How far depends on the
     machine's timer, so it is no fixed expectation either way. A third run makes the device 4% slow on purpose
     (SDL_DISKAUDIODELAY=22) and expects the beat kept anyway: a sounding video's slot ends when
     its sound has been heard (test_next_play_keeps_the_beat_with_a_slow_sound_card).
2. The same clip in a real X server (Xvfb, fullscreen, software renderer), its screen recorded
   with x11grab (60 captures a second, each stamped with the wall clock; see screen_capture.py)
   while a thread polls the size of the raw audio file every millisecond, stamping each growth
   with the same clock. A beep's write time follows from the poll; the player means it to be
   heard one device buffer after its callback, i.e. write time + (buffer + its place in the
   buffer) / rate. Each flash's first capture is then compared with its beep: external on both
   sides. A flash appeared between the previous capture and its first capture, so the test
   asserts that this interval overlaps beep +-(40 + 10) ms (10 ms for the poll and x11grab
   stamping before it grabs) and reports both ends. Raw write-time offsets are reported too: the
   disk driver writes at the callback, a sound card would play those samples about a buffer
   later, so the picture follows the file by ~21 ms here by design.

Needs ffmpeg (lavfi, libx264, aac); the external picture check needs Xvfb too (skipped without)."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
from array import array

from helpers import Running, Xvfb, base_env, log_messages, missing_programs, output_path, run_player
from screen_capture import mean, raise_priority, start_recording

W, H = 320, 180
CLIP_SECONDS = 2.0
LOOPS = 3
BEEP_AT = 0.5            # within each second of the clip
RATE = 48000
CHANNELS = 2
TOLERANCE = 0.005        # beep placement, s
AV_LIMIT_MS = 40.0
REPEAT_TOLERANCE = 0.075  # the beep gap across a playlist repeat: 30 ms drift + up to two 21.3 ms buffers, s
SILENT = 0.001           # |sample| above this is sound (the hum is 0.05, the 5 ms fade-in ramps it up)
BEEP_LEVEL = 0.3         # |sample| above this is a beep (hum 0.05, beep 0.8)

VIDEO = (f"color=c=black:s={W}x{H}:r=30:d={CLIP_SECONDS},"
         f"drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='between(mod(t,1),{BEEP_AT - 0.01},{BEEP_AT + 0.01})'")
AUDIO = (f"aevalsrc=exprs='0.05*sin(2*PI*220*t)+if(between(mod(t,1),{BEEP_AT},{BEEP_AT + 0.04}),0.8*sin(2*PI*1000*t),0)'"
         f":s={RATE}:d={CLIP_SECONDS}:c=stereo")

PLAYLIST = f"""\
[flash and beep]
type = video
file = av.mp4
loop = {LOOPS}
transition = cut
"""

HEADLESS_CONFIG = f"""\
[display]
width = {W}
height = {H}

[content]
playlist = playlist.ini
"""

SCREEN_CONFIG = f"""\
[display]
fullscreen = yes
width = {W}
height = {H}
renderer = software

[content]
playlist = playlist.ini
"""

AUDIO_LINE = re.compile(r"^audio: (\d+) Hz, (\d+) channels, f32, (\d+)-frame buffer .*driver disk$")


def left_channel(path):
    samples = array("f")
    with open(path, "rb") as f:
        data = f.read()
    samples.frombytes(data[:len(data) // (4 * CHANNELS) * 4 * CHANNELS])
    return samples[0::CHANNELS]


def first_sound(samples):
    return next((i for i, v in enumerate(samples) if abs(v) > SILENT), None)


def beep_onsets(samples):
    """Sample indices where beeps start (first sample above BEEP_LEVEL; a beep is 40 ms, the next
    one 1 s later, so 0.5 s is skipped after each)."""
    onsets = []
    i, n = 0, len(samples)
    while i < n:
        if abs(samples[i]) > BEEP_LEVEL:
            onsets.append(i)
            i += RATE // 2
        else:
            i += 1
    return onsets


def audio_format(log):
    """(rate, channels, buffer frames) from the player's "audio: ..." line."""
    for message in log_messages(log, "info"):
        m = AUDIO_LINE.match(message)
        if m:
            return int(m.group(1)), int(m.group(2)), int(m.group(3))
    raise AssertionError("no 'audio: ... driver disk' line in the log:\n" + log)


class SizePoller(threading.Thread):
    """Stamps every growth of a file with the wall clock: [(time.time(), size in bytes)]."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path, self.growth, self.halt = path, [], threading.Event()

    def run(self):
        last = -1
        while not self.halt.is_set():
            try:
                size = os.stat(self.path).st_size
            except FileNotFoundError:
                size = 0
            if size != last:
                self.growth.append((time.time(), size))
                last = size
            time.sleep(0.001)


class AvSyncTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        missing = missing_programs("ffmpeg")
        if missing:
            raise unittest.SkipTest("not installed: ffmpeg (scripts/setup.sh installs it)")
        cls.root = os.path.realpath(tempfile.mkdtemp(prefix="signage-it-avsync-"))
        try:
            cls.clip = os.path.join(cls.root, "av.mp4")
            subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                            "-f", "lavfi", "-i", VIDEO, "-f", "lavfi", "-i", AUDIO,
                            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                            "-c:a", "aac", "-b:a", "128k", "-shortest", cls.clip],
                           check=True, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
            reference = os.path.join(cls.root, "reference.raw")
            subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", cls.clip, "-f", "f32le", "-ac", "2",
                            "-ar", str(RATE), reference], check=True, capture_output=True, timeout=60)
            samples = left_channel(reference)
            cls.ref_first = first_sound(samples)
            cls.ref_beeps = beep_onsets(samples)
            # The file's own placement of the first beep after its first sound (about 0.5 s).
            cls.ref_lead = (cls.ref_beeps[0] - cls.ref_first) / RATE
            cls.priority = raise_priority()  # after the encoding: only the runs need it
            cls.headless = cls.play_headless()
        except BaseException:
            shutil.rmtree(cls.root, ignore_errors=True)
            raise

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.root, ignore_errors=True)

    @classmethod
    def share(cls, name, config):
        folder = os.path.join(cls.root, name)
        os.makedirs(folder)
        os.link(cls.clip, os.path.join(folder, "av.mp4"))
        with open(os.path.join(folder, "playlist.ini"), "w", encoding="utf-8") as f:
            f.write(PLAYLIST)
        with open(os.path.join(folder, "player.ini"), "w", encoding="utf-8") as f:
            f.write(config)
        return folder

    @classmethod
    def play_headless(cls):
        folder = cls.share("headless", HEADLESS_CONFIG)
        raw, stats = os.path.join(folder, "out.raw"), os.path.join(folder, "stats.json")
        # 6 s of the item after start-up, then the first beep of its next play (at +0.5 s).
        r = run_player(["play", "--headless", "--run-for", "8.8", "--stats", stats,
                        "--config", os.path.join(folder, "player.ini")],
                       timeout=40, env=base_env(SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=raw))
        if r.returncode != 0:
            raise AssertionError(f"play --headless exited {r.returncode}:\n{r.stderr}")
        with open(stats, encoding="utf-8") as f:
            figures = json.load(f)
        result = {"log": r.stderr, "stats": figures, "format": audio_format(r.stderr), "samples": left_channel(raw)}
        samples = result["samples"]
        result["first"] = first_sound(samples)
        result["beeps"] = beep_onsets(samples)
        first, beeps = result["first"], result["beeps"]
        with open(output_path("av-sync-headless.json"), "w", encoding="utf-8") as f:
            json.dump({"priority": cls.priority, "stats_total": figures["total"], "first_sound_s": first / RATE if first is not None else None,
                       "beeps_s": [b / RATE for b in beeps],
                       "beep_gaps_ms": [round((b - a) / RATE * 1000, 2) for a, b in zip(beeps, beeps[1:])],
                       "reference_lead_s": cls.ref_lead}, f, indent=1)
        return result

    # --- the headless run ---

    def test_audio_went_to_the_disk_driver_as_float_stereo_48k(self):
        rate, channels, _ = self.headless["format"]
        self.assertEqual((rate, channels), (RATE, CHANNELS), "the raw file is read as 48 kHz stereo float")

    def test_reference_clip_has_its_beeps_where_made(self):
        # The fixture itself: AAC's priming and padding handled by ffmpeg, beeps at 0.5 and 1.5 s.
        self.assertLess(self.ref_first, 0.002 * RATE)
        self.assertEqual(len(self.ref_beeps), 2, self.ref_beeps)
        self.assertAlmostEqual(self.ref_lead, BEEP_AT, delta=0.002)
        self.assertAlmostEqual((self.ref_beeps[1] - self.ref_beeps[0]) / RATE, 1.0, delta=0.001)

    def test_stats_av_offset_within_40_ms_and_no_underruns(self):
        total = self.headless["stats"]["total"]
        self.assertGreaterEqual(total["plays"], 1, self.headless["stats"])
        self.assertGreater(total["frames_presented"], LOOPS * CLIP_SECONDS * 30 * 0.9, self.headless["stats"])
        self.assertLessEqual(total["max_av_offset_ms"], AV_LIMIT_MS, self.headless["stats"])
        self.assertEqual(total["audio_underruns"], 0, self.headless["stats"])

    def test_first_beep_half_a_second_after_the_first_sound(self):
        first, beeps = self.headless["first"], self.headless["beeps"]
        self.assertIsNotNone(first, "the raw audio file is silent")
        self.assertTrue(beeps, "no beep in the raw audio file")
        lead = (beeps[0] - first) / RATE
        self.assertAlmostEqual(lead, self.ref_lead, delta=TOLERANCE,
                               msg=f"first beep {lead * 1000:.1f} ms after the first sound, the file has "
                                   f"{self.ref_lead * 1000:.1f} ms")

    def test_beeps_one_second_apart_across_loop_boundaries(self):
        beeps = self.headless["beeps"]
        count = int(LOOPS * CLIP_SECONDS)
        self.assertGreaterEqual(len(beeps), count, f"beeps at {[b / RATE for b in beeps]} s")
        # Against first beep + k s, not beep to beep: a drift of 1 ms per loop would add up here.
        errors = [(beeps[k] - beeps[0]) / RATE - k for k in range(count)]
        self.assertLessEqual(max(abs(e) for e in errors), TOLERANCE,
                             f"beep k lands at first + k s + {[round(e * 1000, 2) for e in errors]} ms")

    def test_next_play_of_the_item_keeps_the_beat_loosely(self):
        # The playlist repeats the item: a new play, a new decoder, its sound queued after the
        # last one's; the gap is the device's clock against the wall clock's (see the docstring).
        beeps = self.headless["beeps"]
        count = int(LOOPS * CLIP_SECONDS)
        if len(beeps) <= count:
            self.skipTest(f"the run ended before the next play's first beep (beeps at {[b / RATE for b in beeps]} s)")
        gap = (beeps[count] - beeps[count - 1]) / RATE
        self.assertAlmostEqual(gap, 1.0, delta=REPEAT_TOLERANCE, msg=f"beep gap into the next play {gap:.4f} s")

    def test_next_play_keeps_the_beat_with_a_slow_sound_card(self):
        # A video item's picture and sound run on the sound card's clock, its slot on the wall
        # clock. Real cards run 0.01-0.1% off the system clock; SDL_DISKAUDIODELAY=22 (ms per
        # 1024-frame buffer, 21.3 ms due) makes the disk device ~4% slow, so the 6 s item shows
        # the effect of ~4 min of a 0.1% card within this test. Were the slot to end on the wall
        # clock, ~0.24 s of its sound (and picture) would be cut and the next play's first beep
        # would come ~0.76 s after the last one. The player ends a sounding video's slot when its
        # sound has been heard (less the 0.1 s in which the next sound is queued behind it), so
        # the beat goes on: VideoLayers::end_delay.
        folder = self.share("slow-card", HEADLESS_CONFIG)
        raw = os.path.join(folder, "out.raw")
        r = run_player(["play", "--headless", "--run-for", "8.8", "--config", os.path.join(folder, "player.ini")],
                       timeout=40, env=base_env(SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=raw, SDL_DISKAUDIODELAY="22"))
        self.assertEqual(r.returncode, 0, r.stderr)
        beeps = beep_onsets(left_channel(raw))
        count = int(LOOPS * CLIP_SECONDS)
        self.assertGreater(len(beeps), count, f"beeps at {[b / RATE for b in beeps]} s")
        gap = (beeps[count] - beeps[count - 1]) / RATE
        self.assertAlmostEqual(gap, 1.0, delta=TOLERANCE, msg=f"beep gap into the next play {gap:.4f} s")

    def test_beep_level_is_the_files(self):
        # Volume 100 %, no resampling: the beep's peak is the file's 0.8 (+ the hum), not scaled.
        samples, beeps = self.headless["samples"], self.headless["beeps"]
        self.assertTrue(beeps)
        peak = max(abs(v) for v in samples[beeps[0]:beeps[0] + int(0.04 * RATE)])
        self.assertGreater(peak, 0.75)
        self.assertLess(peak, 0.95)

    def test_crossfade_between_videos_crossfades_their_sound(self):
        # The clip once (cut in), then again with a 0.6 s fade: the second play starts 0.6 s
        # before the first ends (at 1.4 s), so the first play's beep at 1.5 s falls inside the
        # fade. The old sound goes on under the new one, fading out: that beep is there, at about
        # (1 - 0.1 / 0.6) of its level; a sound cut at the switch would have lost it, one not
        # faded would be at full level. The second play's first beep comes 0.5 s after its start.
        folder = os.path.join(self.root, "sound-crossfade")
        os.makedirs(folder)
        os.link(self.clip, os.path.join(folder, "av.mp4"))
        with open(os.path.join(folder, "playlist.ini"), "w", encoding="utf-8") as f:
            f.write("[first]\ntype = video\nfile = av.mp4\ntransition = cut\n\n"
                    "[second]\ntype = video\nfile = av.mp4\ntransition = fade\ntransition_duration = 0.6\n")
        with open(os.path.join(folder, "player.ini"), "w", encoding="utf-8") as f:
            f.write(HEADLESS_CONFIG)
        raw = os.path.join(folder, "out.raw")
        r = run_player(["play", "--headless", "--run-for", "3.5", "--config", os.path.join(folder, "player.ini")],
                       timeout=40, env=base_env(SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=raw))
        self.assertEqual(r.returncode, 0, r.stderr)
        samples = left_channel(raw)
        # Onsets with a short hold-off (beeps are 40 ms; two come 0.4 s apart here).
        onsets, i = [], 0
        while i < len(samples):
            if abs(samples[i]) > BEEP_LEVEL:
                onsets.append(i)
                i += RATE // 10
            else:
                i += 1
        self.assertGreaterEqual(len(onsets), 3, f"beeps at {[round(b / RATE, 3) for b in onsets]} s")
        in_fade = onsets[1]
        gap_in, gap_next = (onsets[1] - onsets[0]) / RATE, (onsets[2] - onsets[1]) / RATE
        self.assertAlmostEqual(gap_in, 1.0, delta=TOLERANCE, msg="the first play's second beep")
        # The fade starts on the wall clock, the old sound plays on the sound card's: the disk
        # device is a slow card under load (35 ms behind after 1.4 s seen under ASan on a busy
        # 2-core box), and a lag under kSoundHandover is not waited for. A sound started at the
        # wrong place would be off by a beep's spacing or the 0.6 s fade, far beyond this bound.
        self.assertAlmostEqual(gap_next, 0.4, delta=0.07, msg="the second play's first beep, 0.5 s after its start")
        peak = max(abs(v) for v in samples[in_fade:in_fade + int(0.04 * RATE)])
        # 0.8 x (1 - 0.1 / 0.6) = 0.67, give or take the device's buffer (21 ms: +-0.03) and the hum.
        self.assertGreater(peak, 0.55, "the old sound is cut, not faded, at the crossfade")
        self.assertLess(peak, 0.78, "the old sound is not faded out during the crossfade")

    # --- the picture, measured on a real screen ---

    def test_flash_on_screen_with_its_beep(self):
        missing = missing_programs("Xvfb")
        if missing:
            self.skipTest("not installed: Xvfb")
        folder = self.share("screen", SCREEN_CONFIG)
        raw, stats = os.path.join(folder, "out.raw"), os.path.join(folder, "stats.json")
        xvfb = Xvfb(W, H)
        self.addCleanup(xvfb.stop)
        poller = SizePoller(raw)
        poller.start()
        recording = start_recording(xvfb, W, H, os.path.join(folder, "screen.mkv"), fps=60, max_seconds=30)
        player = Running(["play", "--run-for", "7.5", "--stats", stats, "--config", os.path.join(folder, "player.ini")],
                         os.path.join(folder, "play.log"), env=xvfb.env(SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=raw))
        try:
            status = player.wait(30)
        finally:
            recording.stop()
            player.stop()
            poller.halt.set()
            poller.join()
        self.assertEqual(status, 0, player.log())
        rate, channels, buffer_frames = audio_format(player.log())
        self.assertEqual((rate, channels), (RATE, CHANNELS))
        with open(stats, encoding="utf-8") as f:
            total = json.load(f)["total"]

        # Beeps: sample index -> the write that carried it (wall clock) -> when the player means it heard.
        samples = left_channel(raw)
        frame_bytes = 4 * CHANNELS
        writes = [(t, size // frame_bytes) for t, size in poller.growth if size > 0]
        beeps = []
        for onset in beep_onsets(samples):
            i = next((i for i, (_, frames) in enumerate(writes) if frames > onset), None)
            if i is None or i == 0:
                continue
            written, chunk_start = writes[i][0], writes[i - 1][1]
            beeps.append((written + (onset - chunk_start) / RATE, written + (buffer_frames + onset - chunk_start) / RATE))
        # Flashes: (previous capture, first capture showing it).
        captures = recording.frames()
        flashes = [(captures[i - 1][0], t) for i, (t, frame) in enumerate(captures)
                   if i > 0 and mean(frame) > 128 and mean(captures[i - 1][1]) <= 128]
        pairs = []
        for written, heard in beeps:
            near = [f for f in flashes if abs(f[1] - heard) < 0.3]
            if near:
                pairs.append((heard, written, near[0]))
        figures = {
            "priority": self.priority,
            "stats_total": total,
            "beeps": len(beeps), "flashes": len(flashes),
            "flash_minus_heard_ms": [(round((f[0] - h) * 1000, 1), round((f[1] - h) * 1000, 1)) for h, _, f in pairs],
            "flash_minus_written_ms": [round((f[1] - w) * 1000, 1) for _, w, f in pairs],
            "largest_capture_gap_ms": round(max(b[0] - a[0] for a, b in zip(captures, captures[1:])) * 1000, 1),
            # Frames the disk device took per second of wall clock (48000 would be real time).
            "disk_device_rate": round((writes[-1][1] - writes[0][1]) / (writes[-1][0] - writes[0][0])),
        }
        with open(output_path("av-sync-screen.json"), "w", encoding="utf-8") as f:
            json.dump(figures, f, indent=1)
        self.assertGreaterEqual(len(pairs), 4, f"too few flash/beep pairs seen: {figures}\n{player.log()}")
        slack = 0.010
        limit = AV_LIMIT_MS / 1000 + slack
        outside = [(f[0] - h, f[1] - h) for h, _, f in pairs if f[1] - h < -limit or f[0] - h > limit]
        self.assertEqual(outside, [], f"flashes off their beeps by more than {AV_LIMIT_MS} ms: {figures}")
        # The player's own figure is the worst over every present: a present the box itself held
        # back (another process on a loaded 2-core machine: a 118 ms gap gave 54 ms once) counts
        # against it by the time it was held beyond two frames. The flashes above are the bound.
        stall_ms = max(0.0, total["max_present_gap_ms"] - 2 * 1000 / 60)
        self.assertLessEqual(total["max_av_offset_ms"], AV_LIMIT_MS + stall_ms, figures)
        self.assertEqual(total["audio_underruns"], 0, figures)


if __name__ == "__main__":
    unittest.main()
