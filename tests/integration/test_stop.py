"""SIGTERM (systemctl stop) ends a playing player within 2 s whatever it is in the middle of: a
share on a network mount that hangs (a real FUSE mount, hung_mount.py), a download from an HTTP
share that crawls, and a long decode (a 36-megapixel poster, a 1080p video).

Not here: a playlist read straight off a mount that hangs, without [content] share. A thread in
a FUSE or hard NFS request already sent waits for its answer even through SIGKILL, and a process
is not gone until all its threads are; only the share's sync, a child process, may touch the
mount for `play` to stop at once (README, "Network shares")."""

import importlib.util
import os
import signal
import subprocess
import sys
import time
import unittest

from helpers import Running, TempShare, children_of, cmdline, run_sync, write_png
from share_server import ShareServer

HERE = os.path.dirname(os.path.abspath(__file__))

CONFIG = """\
[display]
width = 320
height = 180

[content]
playlist = {playlist}
check_every = 1s
{content}
[log]
level = debug
"""

SLIDES = "".join(f"[s{i}]\ntype = slogan\ntext = 第{i}条\nduration = 1s\ntransition = cut\n\n" for i in range(3))


def gone_or_killed(pid):
    """Gone, a zombie (init reaps it), or killed while in a request to a hung mount: SIGKILL is
    pending and it dies when the mount answers (the kernel holds it till then)."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
    except OSError:
        return True
    state = fields.get("State", "").split()[0:1]
    pending = int(fields.get("ShdPnd", "0").strip(), 16) | int(fields.get("SigPnd", "0").strip(), 16)
    return state == ["Z"] or bool(pending & (1 << (signal.SIGKILL - 1)))


def fuse_usable():
    if not os.path.exists("/dev/fuse") or os.geteuid() != 0:
        return False
    return importlib.util.find_spec("fusepy") is not None  # Debian's python3-fusepy


class StopTest(TempShare):
    def stop_and_time(self, player):
        """SIGTERM; the seconds until the player is gone and its exit status."""
        sent = time.monotonic()
        player.process.send_signal(signal.SIGTERM)
        status = player.wait(10)
        return time.monotonic() - sent, status

    def assert_quick_stop(self, player):
        pid = player.process.pid
        children = children_of(pid)
        elapsed, status = self.stop_and_time(player)
        print(f"\nstopped in {elapsed:.2f} s (status {status})")
        self.assertEqual(status, 0, player.log())
        self.assertLessEqual(elapsed, 2.0, player.log())
        for child in children:  # a sync child goes with it
            deadline = time.monotonic() + 3
            while not gone_or_killed(child) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertTrue(gone_or_killed(child), f"{cmdline(child)} left running")
        return elapsed

    def mount_hanging(self, root):
        """`root` mirrored at a new mount point that hangs while the returned flag file exists."""
        mountpoint = os.path.join(self.root, "mnt")
        os.makedirs(mountpoint)
        flag = os.path.join(self.root, "hang")
        fs = subprocess.Popen([sys.executable, os.path.join(HERE, "hung_mount.py"), root, mountpoint, flag],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def unmount():
            if os.path.exists(flag):
                os.unlink(flag)  # let blocked callers go first
            subprocess.run(["umount", "-l", mountpoint], capture_output=True)
            fs.terminate()
            try:
                fs.wait(5)
            except subprocess.TimeoutExpired:
                fs.kill()
                fs.wait()
        self.addCleanup(unmount)
        deadline = time.monotonic() + 10
        while not os.path.ismount(mountpoint):
            if fs.poll() is not None or time.monotonic() > deadline:
                self.skipTest("cannot mount a FUSE file system here")
            time.sleep(0.05)
        return mountpoint, flag

    @unittest.skipUnless(fuse_usable(), "needs /dev/fuse, root and python3-fusepy")
    def test_a_share_on_a_mount_that_hangs(self):
        self.write("playlist.ini", SLIDES)
        mountpoint, flag = self.mount_hanging(self.share)
        cache = os.path.join(self.root, "cache")
        config = os.path.join(self.root, "player.ini")
        with open(config, "w") as f:
            f.write(CONFIG.format(playlist="playlist.ini",
                                  content=f"share = {mountpoint}\ncache = {cache}\nsync_every = 5s\n"
                                          "settle = 0s\nmin_free_mb = 0\n"))
        player = Running(["play", "--config", config, "--headless"], os.path.join(self.root, "play.log"))
        self.addCleanup(player.stop)
        self.assertTrue(player.wait_for_log("first frame presented", 20), player.log())
        open(flag, "w").close()
        self.write("playlist.ini", SLIDES + "[more]\ntype = slogan\ntext = 新\n")  # a change to sync
        # The next syncs (content every 5 s, alerts every 1 s) walk into the hung mount.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not [c for c in children_of(player.process.pid)
                                                   if "--once" in cmdline(c)]:
            time.sleep(0.1)
        time.sleep(1)
        self.assertTrue(player.running(), player.log())
        self.assert_quick_stop(player)

    def test_a_download_that_crawls(self):
        server = ShareServer(self.root)
        self.addCleanup(server.stop)
        write_png(self.path("big.png"), 600, 600, os.urandom(600 * 600 * 3))  # ~1 MB, incompressible
        self.write("playlist.ini", SLIDES + "[big]\ntype = image\nfile = big.png\n")
        self.assertEqual(run_sync(["publish", self.share]).returncode, 0)
        server.trickle["/share/big.png"] = 2000  # 2 kB/s: the download takes minutes
        cache = os.path.join(self.root, "cache")
        config = os.path.join(self.root, "player.ini")
        with open(config, "w") as f:
            f.write(CONFIG.format(playlist="playlist.ini",
                                  content=f"share = {server.url}share/\ncache = {cache}\nmin_free_mb = 0\n"))
        player = Running(["play", "--config", config, "--headless"], os.path.join(self.root, "play.log"))
        self.addCleanup(player.stop)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(r.path == "/share/big.png" for r in server.requests):
            time.sleep(0.1)
        self.assertTrue(any(r.path == "/share/big.png" for r in server.requests), player.log())
        time.sleep(1)  # well into the download
        self.assert_quick_stop(player)

    def test_a_long_decode(self):
        # A 36-megapixel poster of noise (a second or more to decode), then a 1080p video.
        poster = self.path("huge.png")
        subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        "color=c=gray:s=6000x6000,noise=alls=100:allf=t", "-frames:v", "1", poster],
                       check=True, timeout=120)
        subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        "testsrc2=size=1920x1080:rate=30:duration=6", "-c:v", "libx264", "-preset", "ultrafast",
                        "-pix_fmt", "yuv420p", self.path("hd.mp4")], check=True, timeout=120)
        for item, wait_for in (("[huge]\ntype = image\nfile = huge.png\n", "display: "),
                               ("[hd]\ntype = video\nfile = hd.mp4\n", "first frame presented")):
            with self.subTest(item=item.split("]")[0][1:]):
                config = self.write_setup(item, CONFIG.format(playlist="playlist.ini", content=""))
                player = Running(["play", "--config", config, "--headless"], os.path.join(self.root, "play.log"))
                self.addCleanup(player.stop)
                self.assertTrue(player.wait_for_log(wait_for, 20), player.log())
                time.sleep(0.3)  # decoding now
                self.assert_quick_stop(player)


if __name__ == "__main__":
    unittest.main()
