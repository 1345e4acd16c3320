#!/usr/bin/python3
"""Real-time soak of the player (issue 14): RSS, fds, threads and CPU over a long run, and their slopes.

Called by bench/soak.sh, which checks the tools and picks the player; run that.
Standard library only. Linux only (reads /proc).

The player plays fullscreen on its own Xvfb 1920x1080x24 (`-displayfd`, so the server picks a
free display) a share that a simulated content manager changes every --change-every seconds:

  playlist   slogan, poster, a slogans file (4 lines), a 20 s 1080p30 H.264 + AAC video,
             posters, slogan; every item fades in (`transition = fade`, the player's crossfade)
  changes    in turn: add a new poster (a different picture each time, JPEG or PNG) and name it
             in the playlist; rewrite a line of the slogans file; take the oldest added poster
             out of the playlist and delete it; touch the playlist, or (every other time)
             rewrite it with another duration. Files are written where they end up, in pieces
             at --copy-rate KiB/s, as a copy onto a share does (no rename): the sync's settle
             must keep a file still being written off the screen.

Every --sample-every seconds the player process is read from /proc: VmRSS and RssAnon, open fds,
threads, utime + stime; its descendants (the sync children, their probe) summed apart; its X
server too (X resources a player forgets grow the server, not the player). At the end: for each
figure the first value after the warm-up, the last, min, max and the least-squares slope per
hour over the samples after the warm-up; CPU as % of one core (average and slope); the player's
warnings and errors, its exit status and its --stats. Files, all named soak-DATE-Nmin.*:
.csv (the samples), .txt (the summary, also printed), .changes.csv, .player.log, .stats.json.
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import CLK_TCK, Xvfb  # noqa: E402  (bench/bench.py)

WIDTH, HEIGHT = 1920, 1080
VIDEO = "soak-1080p30-20s-6M.mp4"
FIELDS = ["time_s", "rss_kib", "rss_anon_kib", "fds", "threads", "cpu_s", "children", "children_rss_kib",
          "children_cpu_s", "xserver_rss_kib", "xserver_cpu_s", "cache_mib", "snapshots", "changes"]
LOG_LINE_RE = re.compile(r"signage-player (warning|error): (.*)")


def log(msg: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- /proc -----------------------------------------------------------------------------------


def read_stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat from field 3 (state) on: [1] ppid, [11] utime ... [14] cstime."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    return data[data.rindex(")") + 2:].split()


def read_status(pid: int) -> dict:
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "RssAnon", "Threads"):
                    out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


def count_fds(pid: int) -> int | None:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None


def descendants(pid: int) -> list[int]:
    """Every living process below pid (the sync children and whatever they start)."""
    children = collections.defaultdict(list)
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = read_stat(int(name))
            if st:
                children[int(st[1])].append(int(name))
    out, todo = [], [pid]
    while todo:
        for kid in children.get(todo.pop(), []):
            out.append(kid)
            todo.append(kid)
    return out


def cache_usage(cache: str) -> tuple[float, int]:
    """Disk used by the cache (hard links counted once), MiB, and the number of snapshots."""
    seen, blocks = set(), 0
    for top, dirs, files in os.walk(cache):
        for name in files + dirs:
            try:
                st = os.lstat(os.path.join(top, name))
            except OSError:
                continue
            if st.st_ino not in seen:
                seen.add(st.st_ino)
                blocks += st.st_blocks
    try:
        snapshots = len(os.listdir(os.path.join(cache, "snapshots")))
    except OSError:
        snapshots = 0
    return blocks * 512 / 2**20, snapshots


def sample(t: float, player: int, xserver: int, cache: str, changes: int) -> dict | None:
    st, status, fds = read_stat(player), read_status(player), count_fds(player)
    if st is None or "VmRSS" not in status or fds is None:
        return None  # the player is gone
    kids = descendants(player)
    xst = read_stat(xserver)
    cache_mib, snapshots = cache_usage(cache)
    return {
        "time_s": round(t, 1),
        "rss_kib": status["VmRSS"],
        "rss_anon_kib": status.get("RssAnon", 0),
        "fds": fds,
        "threads": status.get("Threads", 0),
        "cpu_s": (int(st[11]) + int(st[12])) / CLK_TCK,
        "children": len(kids),
        "children_rss_kib": sum(read_status(k).get("VmRSS", 0) for k in kids),
        # Children the player has waited for (cutime + cstime): the sync processes' CPU.
        "children_cpu_s": (int(st[13]) + int(st[14])) / CLK_TCK,
        "xserver_rss_kib": read_status(xserver).get("VmRSS", 0),
        "xserver_cpu_s": (int(xst[11]) + int(xst[12])) / CLK_TCK if xst else 0.0,
        "cache_mib": round(cache_mib, 1),
        "snapshots": snapshots,
        "changes": changes,
    }


# --- content ---------------------------------------------------------------------------------


def ffmpeg(*args: str) -> None:
    cmd = ["ffmpeg", "-nostdin", "-v", "error", "-y", *args]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{r.stderr}")


def make_video(media: str) -> str:
    """The issue's 1080p video: 20 s of testsrc2 at 30 fps with a little noise (so the encoder
    spends the bitrate it is given, as on real footage), H.264 at about 6 Mbit/s, AAC stereo."""
    path = os.path.join(media, VIDEO)
    if not os.path.exists(path):
        os.makedirs(media, exist_ok=True)
        log(f"making {path} (20 s 1080p30 H.264 6 Mbit/s + AAC; once, about a minute)")
        tmp = path + ".tmp.mp4"
        ffmpeg("-f", "lavfi", "-i", f"testsrc2=size={WIDTH}x{HEIGHT}:rate=30,noise=alls=6:allf=t",
               "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "20",
               "-c:v", "libx264", "-preset", "veryfast", "-b:v", "6M", "-maxrate", "8M", "-bufsize", "12M",
               "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-shortest",
               "-movflags", "+faststart", tmp)
        os.rename(tmp, path)
    return path


def make_poster(path: str, n: int) -> None:
    """A 1920x1080 picture unlike any other n: a test pattern turned by hue, a box placed by n,
    grain seeded by n (so a JPEG or PNG has a photo's size)."""
    base = ["testsrc2", "smptehdbars", "rgbtestsrc", "yuvtestsrc"][n % 4]
    colour = f"0x{(n * 2654435761) % 0xFFFFFF:06X}"
    graph = (f"{base}=size={WIDTH}x{HEIGHT}:rate=1,format=yuv444p,hue=h={n * 47 % 360},"
             f"drawbox=x={n * 97 % 1600}:y={n * 53 % 800}:w=320:h=240:color={colour}:t=fill,"
             f"noise=alls=10:all_seed={n}")
    quality = ["-q:v", "3"] if path.endswith(".jpg") else []
    ffmpeg("-f", "lavfi", "-i", graph, "-frames:v", "1", "-pix_fmt", "yuvj444p" if quality else "rgb24",
           *quality, path)


def copy_slowly(src: str, dst: str, rate_kib: float) -> None:
    """Writes dst in 64 KiB pieces at rate_kib, under its final name, as cp onto a share does."""
    piece = 64 * 1024
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        while chunk := fin.read(piece):
            fout.write(chunk)
            fout.flush()
            time.sleep(len(chunk) / (rate_kib * 1024))


def write_slowly(path: str, text: str, pause: float = 0.3) -> None:
    """A text file rewritten in place in two writes, a moment apart (an editor over SMB)."""
    data = text.encode()
    half = len(data) // 2
    with open(path, "wb") as f:
        f.write(data[:half])
        f.flush()
        time.sleep(pause)
        f.write(data[half:])


class Share:
    """The share's content and what a content manager does to it."""

    def __init__(self, root: str, gen: str, video: str, slogans: list[str], copy_rate: float):
        self.root, self.gen, self.copy_rate = root, gen, copy_rate
        self.slogans_pool = slogans
        self.slogans = slogans[:4]
        self.next_slogan = 4
        self.added: collections.deque[str] = collections.deque()  # added posters, oldest first
        self.poster_n = 3
        self.version = 0
        self.welcome_s = 5
        self.touches = 0
        os.makedirs(os.path.join(root, "posters"))
        os.makedirs(os.path.join(root, "videos"))
        for n, ext in ((1, "jpg"), (2, "png"), (3, "jpg")):
            make_poster(os.path.join(root, "posters", f"poster-{n}.{ext}"), n)
        shutil.copy(video, os.path.join(root, "videos", VIDEO))
        self.write_slogans(slowly=False)
        self.write_playlist(slowly=False)

    def playlist_text(self) -> str:
        def item(name, **keys):
            return f"[{name}]\n" + "".join(f"{k} = {v}\n" for k, v in keys.items()) + "\n"

        text = (f"; bench/soak.py playlist, version {self.version}\n\n"
                "[defaults]\ntransition = fade\ntransition_duration = 0.8s\n\n")
        # The video comes second: a new playlist starts its loop from the top, so with a change
        # every minute (or every 30 s) an item late in the loop would never be reached.
        text += item("welcome", type="slogan", text="全民反诈 你我同行", duration=f"{self.welcome_s}s")
        text += item("video", type="video", file=f"videos/{VIDEO}")
        text += item("poster-1", type="image", file="posters/poster-1.jpg", duration="8s")
        text += item("slogans", type="slogans", file="slogans.txt", duration="5s")
        text += item("poster-2", type="image", file="posters/poster-2.png", duration="8s")
        for name in self.added:
            text += item(name.split(".")[0], type="image", file=f"posters/{name}", duration="6s")
        text += item("poster-3", type="image", file="posters/poster-3.jpg", duration="8s", fit="cover")
        text += item("closing", type="slogan", text="反诈知识要了解 别等被骗才后悔", duration="6s")
        return text

    def write_playlist(self, slowly: bool = True) -> None:
        self.version += 1
        path = os.path.join(self.root, "playlist.ini")
        if slowly:
            write_slowly(path, self.playlist_text())
        else:
            with open(path, "w") as f:
                f.write(self.playlist_text())

    def write_slogans(self, slowly: bool = True) -> None:
        path = os.path.join(self.root, "slogans.txt")
        text = "".join(line + "\n" for line in self.slogans)
        if slowly:
            write_slowly(path, text)
        else:
            with open(path, "w") as f:
                f.write(text)

    # The changes, in turn. Each returns what it did, for the changes log.
    def add_poster(self) -> str:
        self.poster_n += 1
        name = f"added-{self.poster_n}.{'jpg' if self.poster_n % 2 == 0 else 'png'}"
        made = os.path.join(self.gen, name)
        make_poster(made, self.poster_n)
        size = os.path.getsize(made)
        copy_slowly(made, os.path.join(self.root, "posters", name), self.copy_rate)
        os.unlink(made)
        self.added.append(name)
        self.write_playlist()
        return f"added posters/{name} ({size / 2**20:.1f} MiB) and named it in the playlist"

    def rewrite_slogan(self) -> str:
        line = self.next_slogan % len(self.slogans)
        self.slogans[line] = self.slogans_pool[self.next_slogan % len(self.slogans_pool)]
        self.next_slogan += 1
        self.write_slogans()
        return f"slogans.txt line {line + 1} is now: {self.slogans[line]}"

    def remove_poster(self) -> str:
        if not self.added:
            return self.rewrite_slogan()
        name = self.added.popleft()
        self.write_playlist()
        os.unlink(os.path.join(self.root, "posters", name))
        return f"took posters/{name} out of the playlist and deleted it"

    def replace_playlist(self) -> str:
        self.touches += 1
        path = os.path.join(self.root, "playlist.ini")
        if self.touches % 2:
            os.utime(path)
            return "touched playlist.ini (same content, new modification time)"
        self.welcome_s = 6 if self.welcome_s == 5 else 5
        self.write_playlist()
        return f"rewrote playlist.ini (version {self.version}: welcome lasts {self.welcome_s} s)"

    def actions(self):
        return [self.add_poster, self.rewrite_slogan, self.remove_poster, self.replace_playlist]


class ContentManager(threading.Thread):
    """Changes the share every `every` seconds (from `every` after the player starts)."""

    def __init__(self, share: Share, every: float, t0: float, end: float, out_csv: str):
        super().__init__(daemon=True)
        self.share, self.every, self.t0, self.end = share, every, t0, end
        self.stop_event = threading.Event()
        self.count = 0
        self.failures = 0
        self.file = open(out_csv, "w", newline="")
        self.writer = csv.writer(self.file)
        self.writer.writerow(["time_s", "took_s", "change"])

    def run(self) -> None:
        actions = self.share.actions()
        k = 0
        while not self.stop_event.wait(max(0.0, self.t0 + (k + 1) * self.every - time.monotonic())):
            started = time.monotonic()
            if started - self.t0 >= self.end:
                break
            try:
                what = actions[k % len(actions)]()
            except Exception as e:  # a failed change is reported, the soak goes on
                what = f"FAILED: {e}"
                self.failures += 1
            k += 1
            self.count += 1
            self.writer.writerow([round(started - self.t0, 1), round(time.monotonic() - started, 1), what])
            self.file.flush()
            log(f"change {self.count}: {what}")

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=120)
        self.file.close()


# --- summary ---------------------------------------------------------------------------------


def slope_per_hour(ts: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of ys against ts (seconds), per hour."""
    n = len(ts)
    if n < 2:
        return None
    mt, my = sum(ts) / n, sum(ys) / n
    var = sum((t - mt) ** 2 for t in ts)
    if var == 0:
        return None
    return sum((t - mt) * (y - my) for t, y in zip(ts, ys)) / var * 3600


def fmt(v, digits=1) -> str:
    return "n/a" if v is None else f"{v:.{digits}f}"


def fmt_slope(v, digits=2) -> str:
    return "n/a" if v is None else f"{v:+.{digits}f}"


def table(heads: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
    out = ["| " + " | ".join(h.ljust(w) for h, w in zip(heads, widths)) + " |",
           "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    return out


def read_log(path: str, scratch: str) -> dict:
    counts = {"warning": 0, "error": 0}
    kinds = {"warning": collections.Counter(), "error": collections.Counter()}
    playlist_changes = snapshots = 0
    settle = 0
    with open(path, errors="replace") as f:
        for line in f:
            m = LOG_LINE_RE.search(line)
            if m:
                counts[m.group(1)] += 1
                if "still being written" in m.group(2):
                    settle += 1
                # One kind per message with its numbers and file names blurred.
                kind = re.sub(r"\d+(\.\d+)?", "N", m.group(2).replace(scratch, "SCRATCH"))
                kind = re.sub(r"added-N\.(jpg|png)", "added-N", kind)
                kinds[m.group(1)][kind[:160]] += 1
            if re.search(r"signage-player info: playlist .* changed: ", line):
                playlist_changes += 1
            if re.search(r"signage-player info: sync: snapshot .* is current", line):
                snapshots += 1
    return {"counts": counts, "kinds": kinds, "playlist_changes": playlist_changes, "snapshots": snapshots,
            "settle": settle}


def summarize(rows: list[dict], args, info: dict) -> list[str]:
    warm = args.warmup
    post = [r for r in rows if r["time_s"] >= warm] or rows[-1:]
    lines = [f"soak of {info['player']} (fullscreen, Xvfb {info['display']} {WIDTH}x{HEIGHT}x24): "
             f"{info['elapsed_min']:.1f} min of {args.minutes:g} planned, "
             f"{len(rows)} samples every {args.sample_every:g} s, warm-up {warm:g} s skipped "
             f"({len(post)} samples after it); {info['changes']} share changes every {args.change_every:g} s"
             + (f" ({info['change_failures']} failed)" if info["change_failures"] else ""),
             ""]

    def row(label, key, scale=1.0, digits=1, slope_digits=2):
        ys = [r[key] * scale for r in post]
        ts = [r["time_s"] for r in post]
        return [label, fmt(ys[0], digits), fmt(ys[-1], digits), fmt(min(ys), digits), fmt(max(ys), digits),
                fmt_slope(slope_per_hour(ts, ys), slope_digits)]

    mib = 1 / 1024
    heads = ["figure", "first", "last", "min", "max", "slope /h"]
    body = [row("player RSS (MiB)", "rss_kib", mib),
            row("player RssAnon (MiB)", "rss_anon_kib", mib),
            row("player fds", "fds", digits=0),
            row("player threads", "threads", digits=0),
            row("children alive", "children", digits=0),
            row("children RSS (MiB)", "children_rss_kib", mib),
            row("X server RSS (MiB)", "xserver_rss_kib", mib),
            row("cache on disk (MiB)", "cache_mib"),
            row("cache snapshots", "snapshots", digits=0)]
    # RSS rises and falls with what plays (a video's decoder and frames come and go): the slope
    # of each window's peak shows a leak sooner than the slope of every sample.
    window = 300
    peaks = collections.defaultdict(int)
    for r in post:
        i = int((r["time_s"] - post[0]["time_s"]) // window)
        peaks[i] = max(peaks[i], r["rss_kib"])
    full = sorted(peaks)[:-1] if len(peaks) > 1 else []  # the last window is cut short
    if len(full) >= 2:
        ys = [peaks[i] * mib for i in full]
        ts = [post[0]["time_s"] + (i + 0.5) * window for i in full]
        body.insert(1, ["player RSS, 5-min peaks", fmt(ys[0]), fmt(ys[-1]), fmt(min(ys)), fmt(max(ys)),
                        fmt_slope(slope_per_hour(ts, ys))])
    lines += table(heads, body)
    lines.append("")

    def cpu_row(label, key):
        last = rows[-1]
        avg = last[key] / last["time_s"] * 100 if last["time_s"] else None
        pts = [(b["time_s"] + a["time_s"]) / 2 for a, b in zip(post, post[1:])]
        pct = [(b[key] - a[key]) / (b["time_s"] - a["time_s"]) * 100 for a, b in zip(post, post[1:])
               if b["time_s"] > a["time_s"]]
        after = (post[-1][key] - post[0][key]) / (post[-1]["time_s"] - post[0]["time_s"]) * 100 \
            if len(post) > 1 and post[-1]["time_s"] > post[0]["time_s"] else None
        return [label, fmt(avg, 2), fmt(after, 2), fmt(min(pct), 1) if pct else "n/a",
                fmt(max(pct), 1) if pct else "n/a", fmt_slope(slope_per_hour(pts, pct), 3)]

    lines += table(["CPU, % of one core", "whole run", "after warm-up", "min", "max", "slope %/h"],
                   [cpu_row("player (all threads)", "cpu_s"),
                    cpu_row("sync children (reaped)", "children_cpu_s"),
                    cpu_row("X server", "xserver_cpu_s")])
    lines.append("  (min and max: over single sample intervals; slope: of those intervals' CPU %)")
    lines.append("")

    lg = info["log"]
    status = info["exit"]
    lines.append(f"player exit: {status}")
    lines.append(f"player log: {lg['counts']['warning']} warnings ({lg['settle']} of them a file still being "
                 f"written, kept out by the settle), {lg['counts']['error']} errors; {lg['snapshots']} content "
                 f"snapshots synced, {lg['playlist_changes']} playlist changes taken")
    for level in ("error", "warning"):
        for kind, n in lg["kinds"][level].most_common(8):
            lines.append(f"  {n:5d} x {level}: {kind}")
    total = (info.get("stats") or {}).get("total")
    if total:
        lines.append("player --stats, video: " + ", ".join(
            f"{k.replace('_', ' ')} {v:.0f}" for k, v in total.items() if isinstance(v, (int, float))))
    lines.append(f"load average at the start {info['load_start']}, at the end {info['load_end']}")
    return lines


# --- main ------------------------------------------------------------------------------------


class Stop(Exception):
    pass


def on_signal(signum, frame):
    raise Stop(signal.Signals(signum).name)


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--player", required=True, help="the signage-player binary")
    ap.add_argument("--minutes", type=float, default=30, help="length of the soak (default 30)")
    ap.add_argument("--change-every", type=float, default=60, help="seconds between share changes (default 60)")
    ap.add_argument("--sample-every", type=float, default=10, help="seconds between samples (default 10)")
    ap.add_argument("--warmup", type=float, default=None,
                    help="seconds left out of the table (default 180, or 10%% of a shorter run)")
    ap.add_argument("--out", default=os.path.join(here, "results"), help="folder for the results")
    ap.add_argument("--media", default=os.path.join(os.path.dirname(here), "build-bench", "bench-media"),
                    help="where the video is made once and kept")
    ap.add_argument("--copy-rate", type=float, default=1024, help="KiB/s files are copied onto the share")
    ap.add_argument("--margin", type=float, default=30, help="seconds the player's --run-for exceeds the soak")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder (share and cache)")
    ap.add_argument("--pidfile", default="", help="ids of the processes started, for soak.sh's trap")
    args = ap.parse_args()
    soak_s = args.minutes * 60
    if args.warmup is None:
        args.warmup = min(180.0, soak_s * 0.1)

    os.makedirs(args.out, exist_ok=True)
    stem = os.path.join(args.out, f"soak-{datetime.datetime.now():%Y%m%d-%H%M}-{args.minutes:g}min")
    paths = {k: stem + ext for k, ext in (("csv", ".csv"), ("txt", ".txt"), ("changes", ".changes.csv"),
                                          ("log", ".player.log"), ("stats", ".stats.json"))}
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        if signal.getsignal(sig) != signal.SIG_IGN:
            signal.signal(sig, on_signal)

    scratch = tempfile.mkdtemp(prefix="signage-soak-")
    share_dir, cache, gen = (os.path.join(scratch, d) for d in ("share", "cache", "gen"))
    os.makedirs(share_dir)
    os.makedirs(gen)
    xserver = player = manager = None
    rc = 2
    try:
        # --- the share, the config, a first sync --------------------------------------------
        video = make_video(args.media)
        with open("/work/shared/seed/slogans.txt" if os.path.exists("/work/shared/seed/slogans.txt")
                  else os.path.join(here, "configs", "ticker", "slogans.txt")) as f:
            slogans = [line.strip() for line in f if line.strip()]
        log(f"scratch folder {scratch}: share, cache, 3 posters")
        share = Share(share_dir, gen, video, slogans, args.copy_rate)
        ini = os.path.join(scratch, "player.ini")
        with open(ini, "w") as f:
            f.write(f"""; bench/soak.py: a share synced every few seconds, settled quickly
[display]
fullscreen = yes
width = {WIDTH}
height = {HEIGHT}

[content]
share = {share_dir}
cache = {cache}
playlist = playlist.ini
sync_every = 5s
check_every = 2s
settle = 2s
min_free_mb = 64

[log]
level = info
""")
        sync = os.path.join(os.path.dirname(args.player), "signage-sync")
        sync_cmd = [sync] if os.access(sync, os.X_OK) else [args.player]
        r = subprocess.run(sync_cmd + ["sync", "--once", "--config", ini], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"the first sync failed:\n{r.stdout}{r.stderr}")
        r = subprocess.run([args.player, "check", "--config", ini], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"signage-player check --config {ini} exited {r.returncode}:\n{r.stdout}{r.stderr}")
        log(f"check --config {ini}: clean")

        # --- X and the player ----------------------------------------------------------------
        xserver = Xvfb(WIDTH, HEIGHT)
        env = xserver.env()
        env["SDL_AUDIODRIVER"] = "dummy"
        for name in ("SDL_RENDER_DRIVER", "SDL_FRAMEBUFFER_ACCELERATION", "SDL_VIDEODRIVER"):
            env.pop(name, None)
        run_for = soak_s + args.margin
        cmd = [args.player, "play", "--config", ini, "--run-for", f"{run_for:g}", "--stats", paths["stats"]]
        log(f"X server {xserver.display} (pid {xserver.pid}); {' '.join(cmd)}")
        player_log = open(paths["log"], "w")
        load_start = open("/proc/loadavg").read().split()[:3]
        player = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=player_log,
                                  stderr=subprocess.STDOUT, start_new_session=True)
        t0 = time.monotonic()
        if args.pidfile:
            with open(args.pidfile, "w") as f:
                f.write(f"{xserver.pid} Xvfb\n{player.pid} signage-player\n")
        manager = ContentManager(share, args.change_every, t0, soak_s, paths["changes"])
        manager.start()

        # --- sampling ------------------------------------------------------------------------
        rows: list[dict] = []
        died = False
        interrupted = ""  # a signal stops the sampling; what was sampled is still summarized
        with open(paths["csv"], "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=FIELDS)
            writer.writeheader()
            k = 1
            try:
                time.sleep(args.sample_every)
                while True:
                    t = time.monotonic() - t0
                    if player.poll() is not None:
                        died = True
                        break
                    s = sample(t, player.pid, xserver.pid, cache, manager.count)
                    if s is None:  # gone between poll() and the reading
                        died = True
                        player.wait(5)
                        break
                    rows.append(s)
                    writer.writerow(s)
                    f.flush()
                    if k % max(1, round(300 / args.sample_every)) == 0:
                        log(f"{t / 60:5.1f} min: RSS {s['rss_kib'] / 1024:.1f} MiB, {s['fds']} fds, "
                            f"{s['threads']} threads, CPU {s['cpu_s']:.1f} s, {s['changes']} changes")
                    if t >= soak_s:
                        break
                    k += 1
                    time.sleep(max(0.0, min(t0 + k * args.sample_every, t0 + soak_s) - time.monotonic()))
            except Stop as e:
                interrupted = str(e)
        manager.stop()

        # --- the end -------------------------------------------------------------------------
        if interrupted:
            log(f"stopped by {interrupted}; stopping the player")
            exit_text = (f"INTERRUPTED by {interrupted} after {(time.monotonic() - t0) / 60:.1f} min; "
                         f"the player was stopped (SIGTERM)")
            os.killpg(player.pid, signal.SIGTERM)
            player.wait(10)
        elif died:
            how = (f"killed by {signal.Signals(-player.returncode).name}" if player.returncode < 0
                   else f"exit status {player.returncode}")
            exit_text = f"DIED after {(time.monotonic() - t0) / 60:.1f} min: {how}"
            log(f"the player {exit_text}; the end of its log:")
            player_log.flush()
            with open(paths["log"], errors="replace") as lf:
                for line in lf.readlines()[-25:]:
                    print("    " + line.rstrip(), file=sys.stderr)
        else:
            try:
                player.wait(timeout=args.margin + 30)
                exit_text = f"exit status {player.returncode} (--run-for {run_for:g})"
            except subprocess.TimeoutExpired:
                exit_text = f"still running {args.margin + 30:g} s after its --run-for: stopped with SIGTERM"
                player.terminate()
                player.wait(10)
        player_log.close()
        stats = None
        try:
            with open(paths["stats"]) as sf:
                stats = json.load(sf)
        except (OSError, ValueError):
            pass
        info = {"player": args.player, "elapsed_min": (rows[-1]["time_s"] if rows else 0) / 60,
                "changes": manager.count, "change_failures": manager.failures, "exit": exit_text,
                "log": read_log(paths["log"], scratch), "display": xserver.display, "stats": stats,
                "load_start": " ".join(load_start), "load_end": " ".join(open("/proc/loadavg").read().split()[:3])}
        if not rows:
            log("no samples: the player died at once")
            return 1
        lines = summarize(rows, args, info)
        lines += ["", "files: " + ", ".join(paths[k] for k in ("csv", "txt", "changes", "log", "stats"))]
        with open(paths["txt"], "w") as f:
            f.write("\n".join(lines) + "\n")
        print("\n".join(lines))
        rc = 2 if interrupted else 0 if not died and player.returncode == 0 else 1
    except Stop as e:
        log(f"stopped by {e}")
        rc = 2
    except RuntimeError as e:
        log(str(e))
        rc = 2
    finally:
        if manager and manager.is_alive():
            manager.stop_event.set()
        if player and player.poll() is None:
            # The player's process group: the player and its sync children.
            try:
                os.killpg(player.pid, signal.SIGTERM)
                player.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(player.pid, signal.SIGKILL)
                player.wait()
            except ProcessLookupError:
                pass
        if xserver:
            xserver.stop()
        if args.keep:
            log(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
