"""A sound device that goes away and comes back, with a real sound server: a private PulseAudio
on a socket of the test's own, whose only sink (a null sink) is unloaded while a video with sound
plays, then loaded again. The pictures do not stop, the player says the device went, and the
sound comes back on the returned sink (PulseAudio lists the player's stream on it again)."""

import json
import os
import shutil
import subprocess
import time
import unittest

from helpers import Running, TempShare, base_env

CONFIG = """\
[display]
width = 320
height = 180

[content]
playlist = playlist.ini

[log]
level = debug
"""

PLAYLIST = """\
[clip]
type = video
file = clip.mp4

[after]
type = slogan
text = 声音设备
duration = 2s
"""


@unittest.skipUnless(shutil.which("pulseaudio") and shutil.which("pactl"), "needs pulseaudio and pactl")
class AudioDevice(TempShare):
    def setUp(self):
        super().setUp()
        self.socket = os.path.join(self.root, "pulse", "native")
        os.makedirs(os.path.dirname(self.socket))
        env = dict(os.environ, HOME=self.root, XDG_RUNTIME_DIR=os.path.dirname(self.socket))
        self.server = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
             "-L", f"module-native-protocol-unix socket={self.socket} auth-anonymous=1",
             "-L", "module-null-sink sink_name=speaker"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(self.stop_server)
        deadline = time.monotonic() + 10
        while not self.sinks():
            if self.server.poll() is not None or time.monotonic() > deadline:
                self.skipTest("cannot start a private PulseAudio here")
            time.sleep(0.1)

    def stop_server(self):
        self.server.terminate()
        try:
            self.server.wait(5)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()

    def pactl(self, *args):
        r = subprocess.run(["pactl", *args], capture_output=True, text=True, timeout=10,
                           env=dict(os.environ, PULSE_SERVER=f"unix:{self.socket}"))
        return r.stdout if r.returncode == 0 else ""

    def sinks(self):
        return [line.split("\t") for line in self.pactl("list", "short", "sinks").splitlines()]

    def streams(self):
        return self.pactl("list", "short", "sink-inputs").splitlines()

    def wait_for(self, predicate, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.1)
        return predicate()

    def test_the_picture_goes_on_and_the_sound_comes_back(self):
        subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        "testsrc=size=320x180:rate=25:duration=8", "-f", "lavfi", "-i", "sine=frequency=440:duration=8",
                        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", self.path("clip.mp4")],
                       check=True, timeout=60)
        config = self.write_setup(PLAYLIST, CONFIG)
        stats = os.path.join(self.root, "stats.json")
        env = base_env(SDL_AUDIODRIVER="pulseaudio", PULSE_SERVER=f"unix:{self.socket}")
        player = Running(["play", "--config", config, "--headless", "--run-for", "18", "--stats", stats],
                         os.path.join(self.root, "play.log"), env=env)
        self.addCleanup(player.stop)
        self.assertTrue(player.wait_for_log("first frame presented", 20), player.log())
        self.assertTrue(self.wait_for(lambda: self.streams(), 5), player.log())  # the sound plays

        module = next(line.split("\t")[0] for line in self.pactl("list", "short", "modules").splitlines()
                      if "module-null-sink" in line)
        time.sleep(1.5)
        self.pactl("unload-module", module)
        self.assertTrue(player.wait_for_log("the sound device went away", 5), player.log())
        time.sleep(3)
        self.pactl("load-module", "module-null-sink", "sink_name=speaker")
        self.assertTrue(player.wait_for_log("the sound device is back", 10), player.log())
        self.assertTrue(self.wait_for(lambda: self.streams(), 5), player.log())  # heard again

        self.assertEqual(player.wait(40), 0, player.log())
        with open(stats) as f:
            total = json.load(f)["total"]
        # 18 s of which 2 s a slide per 10 s loop: about 14 s of 25 fps video, on screen throughout.
        print(f"\naudio device lost and back: {total['frames_presented']} frames presented, "
              f"largest gap {total['max_present_gap_ms']:.0f} ms")
        self.assertGreater(total["frames_presented"], 0.7 * 14 * 25, total)
        self.assertLess(total["max_present_gap_ms"], 1500, total)
        log = player.log()
        self.assertEqual(log.count("the sound device went away"), 1, log)


if __name__ == "__main__":
    unittest.main()
