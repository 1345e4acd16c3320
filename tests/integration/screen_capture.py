"""The screen of a private X server as it really was, frame by frame, for the video tests: ffmpeg's
x11grab records it while the player runs, each capture stamped with the wall-clock time it was
taken (CLOCK_REALTIME, what Python's time.time() reads), then the frames come back as 8-bit grey.

Why these ffmpeg options:
  -t before -i        a cap on the input; the test normally ends the recording earlier with SIGINT
                      (ffmpeg then finishes the file properly)
  -copyts             keeps x11grab's own timestamps (wall-clock microseconds) instead of starting at 0
  -fps_mode passthrough, -enc_time_base -1
                      one stored frame per capture, stamped with its capture time; without them the
                      encoder's 1/framerate time base rounds every stamp onto a grid and duplicates
                      or drops captures to fake a constant rate
  format=gray, rawvideo in Matroska
                      lossless; Matroska stores times in milliseconds. Grey is full range here:
                      RGB (0,0,0) is 0, (255,255,255) is 255, #0B1F3A is 28.

The player draws with SDL's software renderer on X11: a present is one XPutImage, which the X
server applies atomically, so a capture never shows half of one frame and half of the next.

XScreen (below) reads single screenshots of the screen in this process through libX11 (ctypes),
each bracketed by monotonic timestamps taken just before and after the X server's reply: the
picture was taken inside that bracket (one XGetImage, which the server answers atomically), so a
test knows each shot's time to the length of one round trip, not of a program's start (xwd and a
one-frame ffmpeg take tens to hundreds of milliseconds to start on a loaded box).

Standard library only."""

import ctypes
import os
import signal
import subprocess
import time
import unittest

# Round-robin real-time priority for the test process and so for everything it starts (Xvfb,
# ffmpeg, the player); low among real-time priorities (1..99), above every ordinary process.
REALTIME_PRIORITY = 10


def raise_priority():
    """Runs this process, and the processes it starts from now on, ahead of the machine's other
    work: SCHED_RR when allowed (root or CAP_SYS_NICE), else nice -20 when allowed.

    The timing tests measure the player, not the other tenants of a shared build machine: on a
    2-core box running a dozen compilers the player, the X server and the recorder otherwise
    wait tens of milliseconds for a core (measured here: 100+ ms holds and gaps with the recorder
    itself stalled for 200 ms, even at nice -20), and a held frame would say nothing about the
    player. A signage box runs the player alone; this gives it the cores when it asks, and never
    more CPU than it uses. (The kernel's real-time throttling keeps 5% for everyone else even if
    the player spun.) Returns a note for the test's figures."""
    try:
        os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(REALTIME_PRIORITY))
        return f"SCHED_RR {REALTIME_PRIORITY}"
    except (PermissionError, AttributeError):
        pass
    try:
        os.setpriority(os.PRIO_PROCESS, 0, -20)
        return "nice -20 (real-time priority not allowed)"
    except PermissionError:
        return f"nice {os.getpriority(os.PRIO_PROCESS, 0)} (raising the priority was not allowed)"


class ScreenRecording:
    """x11grab of `display` (the whole WIDTHxHEIGHT screen) into `path` until stop()."""

    def __init__(self, display, width, height, path, fps=60, max_seconds=30):
        self.width, self.height, self.path = width, height, path
        self.log_path = path + ".log"
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
             "-f", "x11grab", "-draw_mouse", "0", "-framerate", str(fps), "-video_size", f"{width}x{height}",
             "-t", str(max_seconds), "-i", display,
             "-copyts", "-fps_mode", "passthrough", "-enc_time_base", "-1",
             "-vf", "format=gray", "-c:v", "rawvideo", path],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            env=dict(os.environ, DISPLAY=display))

    def stop(self):
        """Ends the recording (SIGINT: ffmpeg closes the file cleanly); only this process, by its id."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def frames(self):
        """[(capture time in wall-clock seconds, grey bytes width*height)], in capture order."""
        times = subprocess.run(
            ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time",
             "-of", "csv=p=0", self.path],
            check=True, capture_output=True, text=True, timeout=60).stdout.split()
        raw = subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-i", self.path, "-fps_mode", "passthrough",
             "-f", "rawvideo", "-pix_fmt", "gray", "-"],
            check=True, capture_output=True, timeout=60).stdout
        size = self.width * self.height
        if len(raw) != size * len(times):
            raise AssertionError(f"{self.path}: {len(raw)} bytes of pictures for {len(times)} timestamps")
        return [(float(t), raw[i * size:(i + 1) * size]) for i, t in enumerate(times)]


def start_recording(xvfb, width, height, path, fps=60, max_seconds=30, settle=0.7):
    """Starts a recording and gives x11grab `settle` seconds to connect before the caller starts
    the player (tests check afterwards that the first capture predates the player's picture)."""
    if os.path.exists(path):
        os.remove(path)
    recording = ScreenRecording(xvfb.display, width, height, path, fps=fps, max_seconds=max_seconds)
    time.sleep(settle)
    if recording.process.poll() is not None:
        recording.stop()
        raise AssertionError("ffmpeg x11grab ended at once:\n" + recording.log())
    return recording


# ---------------------------------------------------------------------------------------------
# Single screenshots through libX11.

class _XImage(ctypes.Structure):
    # The head of Xlib's XImage (X11/Xlib.h), up to the colour masks; the function table after them
    # is not needed (XDestroyImage is also exported as a function).
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
                ("format", ctypes.c_int), ("data", ctypes.c_void_p), ("byte_order", ctypes.c_int),
                ("bitmap_unit", ctypes.c_int), ("bitmap_bit_order", ctypes.c_int), ("bitmap_pad", ctypes.c_int),
                ("depth", ctypes.c_int), ("bytes_per_line", ctypes.c_int), ("bits_per_pixel", ctypes.c_int),
                ("red_mask", ctypes.c_ulong), ("green_mask", ctypes.c_ulong), ("blue_mask", ctypes.c_ulong)]


_ALL_PLANES = 0xFFFFFFFF
_Z_PIXMAP = 2


class Shot:
    """One screenshot: `before`/`after` monotonic seconds around the X server's reply, pixels as
    packed RGB rows (3 bytes a pixel)."""

    def __init__(self, before, after, x, y, width, height, rgb):
        self.before, self.after = before, after
        self.x, self.y, self.width, self.height, self.rgb = x, y, width, height, rgb

    @property
    def time(self):
        return (self.before + self.after) / 2

    @property
    def uncertainty(self):
        """Half the bracket: the picture was taken within time +- this."""
        return (self.after - self.before) / 2

    def pixel(self, x, y):
        i = ((y - self.y) * self.width + (x - self.x)) * 3
        return tuple(self.rgb[i:i + 3])


class XScreen:
    """A connection to an X display for screenshots of its root window (XGetImage)."""

    def __init__(self, display):
        try:
            self._x = ctypes.CDLL("libX11.so.6")
        except OSError as e:
            raise unittest.SkipTest(f"libX11 not loadable: {e}")
        x = self._x
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XGetImage.restype = ctypes.POINTER(_XImage)
        x.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_uint,
                                ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
        x.XDestroyImage.argtypes = [ctypes.POINTER(_XImage)]
        x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self._display = x.XOpenDisplay(display.encode())
        if not self._display:
            raise RuntimeError(f"cannot open X display {display}")
        self._root = x.XDefaultRootWindow(self._display)

    def shot(self, x, y, width, height):
        """The rectangle (x, y, width, height) of the screen as it is now."""
        before = time.monotonic()
        image = self._x.XGetImage(self._display, self._root, x, y, width, height, _ALL_PLANES, _Z_PIXMAP)
        after = time.monotonic()
        if not image:
            raise RuntimeError("XGetImage failed")
        try:
            im = image.contents
            if im.bits_per_pixel != 32 or (im.red_mask, im.green_mask, im.blue_mask) != (0xFF0000, 0xFF00, 0xFF) \
                    or im.byte_order != 0:
                raise RuntimeError(f"unexpected X image format: {im.bits_per_pixel} bpp, masks "
                                   f"{im.red_mask:x}/{im.green_mask:x}/{im.blue_mask:x}, byte order {im.byte_order}")
            raw = ctypes.string_at(im.data, im.bytes_per_line * im.height)
            stride = im.bytes_per_line
        finally:
            self._x.XDestroyImage(image)
        # BGRX rows (least significant byte first) -> packed RGB.
        rgb = bytearray(width * height * 3)
        for row in range(height):
            line = raw[row * stride:row * stride + width * 4]
            out = row * width * 3
            rgb[out:out + width * 3:3] = line[2::4]
            rgb[out + 1:out + width * 3:3] = line[1::4]
            rgb[out + 2:out + width * 3:3] = line[0::4]
        return Shot(before, after, x, y, width, height, bytes(rgb))

    def close(self):
        if self._display:
            self._x.XCloseDisplay(self._display)
            self._display = None


# ---------------------------------------------------------------------------------------------
# Pixel statistics on grey frames, at C speed (bytes.translate / count / slicing).

def _table(predicate):
    return bytes(1 if predicate(v) else 0 for v in range(256))


_TABLES = {}


def fraction_below(frame, level):
    """Share of the pixels darker than `level`."""
    table = _TABLES.get(level)
    if table is None:
        table = _TABLES[level] = _table(lambda v: v < level)
    return frame.translate(table).count(1) / len(frame)


def mean(frame):
    return sum(frame) / len(frame)


def block_mean(frame, width, x, y, w, h):
    """Mean grey of the rectangle (x, y, w, h) of a frame `width` pixels wide."""
    total = 0
    for row in range(y, y + h):
        total += sum(frame[row * width + x:row * width + x + w])
    return total / (w * h)
