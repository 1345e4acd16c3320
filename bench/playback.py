#!/usr/bin/python3
"""Video playback cost: signage-player against ffmpeg, ffplay and mpv (issue 3, Performance).

Called by bench/playback.sh, which installs the tools and builds the player first; run that.
Standard library only. Linux only (reads /proc, uses wait4).

For each clip (the issue's 20 s 1080p30 H.264 + AAC from lavfi testsrc2 + sine, and a 4K30 one)
every program plays the whole clip in real time, one at a time, and is measured the way GNU time
measures (wait4: user + system CPU of all its threads, peak RSS):

  headless   signage-player play --headless      (SDL dummy video, software renderer)
             ffplay                              (SDL_VIDEODRIVER=dummy: decodes AND renders)
             mpv --vo=null --ao=null
             ffmpeg -re -i clip -f null -        (decode only at real-time speed: the floor)
  window     signage-player play (fullscreen)    in Xvfb 1920x1080x24, each run its own server
             mpv --vo=x11 --fs, ffplay -fs, mpv --vo=sdl --fs
  throughput signage-player bench CLIP  vs  ffmpeg -i CLIP -f null -  (as fast as they can)
  loop       signage-player play --headless through two plays and a switch (peak RSS: the next
             play's decoder is opened while the current one plays; the others have no switch)

SDL programs (ours, ffplay) send their sound to SDL's disk driver writing /dev/null, which paces
the sound card's clock like a real device; mpv uses --ao=null (also paced). The player's own
--stats JSON gives its presented, dropped and late frames, underruns and A/V offset.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import CLK_TCK, Xvfb, cpu_ticks, loadavg, log, median  # noqa: E402  (bench/bench.py)

SCREEN = (1920, 1080)
# The clip; the 4K one is shorter (it takes a while to encode, and plays 4x the pixels).
CLIPS = {
    "1080p": ("clip-1080p30-20s.mp4", "1920x1080", 20),
    "4k": ("clip-2160p30-10s.mp4", "3840x2160", 10),
}
BENCH_LINE_RE = re.compile(r"^(decode|decode\+present):\s+(\d+) frames in\s+([\d.]+) s =\s+([\d.]+) fps,\s+([\d.]+) CPU-s,"
                           r" peak RSS\s+(\d+) MiB")

# Processes started by this run that must not outlive it (ids only; killed by id).
_live_groups: set[int] = set()
_live_xvfb: list[Xvfb] = []
# Xvfb servers of a run that was killed before it could stop them: their ids, one a line.
_xvfb_pidfile = ""


def kill_stray_xvfb(pidfile: str) -> None:
    """Stops X servers a previous, killed run left behind (by id, and only if still an Xvfb)."""
    try:
        with open(pidfile) as f:
            pids = [int(line) for line in f if line.strip().isdigit()]
    except OSError:
        return
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if os.path.basename(argv[0]) == b"Xvfb" and b"-displayfd" in argv:
            log(f"stopping a stray Xvfb (pid {pid}) left by an earlier run")
            os.kill(pid, signal.SIGTERM)
    os.unlink(pidfile)


def note_xvfb_pids() -> None:
    with open(_xvfb_pidfile, "w") as f:
        f.write("".join(f"{server.pid}\n" for server in _live_xvfb))


def cleanup(*_):
    for pgid in list(_live_groups):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    for server in list(_live_xvfb):
        server.stop()


# ----------------------------------------------------------------------------------------
# clips and configs


def make_clip(media: str, key: str) -> str:
    name, size, seconds = CLIPS[key]
    path = os.path.join(media, name)
    if os.path.getsize(path) if os.path.exists(path) else 0:
        return path
    log(f"making {path} ({size}, {seconds} s, H.264 + AAC; once)")
    tmp = path + ".tmp.mp4"
    # The same command as bench/video.sh, so both benchmarks share the clips.
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=30",
                    "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", str(seconds),
                    "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", tmp],
                   check=True)
    os.replace(tmp, path)
    return path


def count_frames(clip: str) -> int:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries",
                          "stream=nb_read_packets", "-of", "csv=p=0", clip], check=True, capture_output=True, text=True)
    return int(out.stdout.strip())


def clip_seconds(clip: str) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", clip],
                         check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def write_config(media: str, clip: str, looping: bool = False) -> str:
    """A player config next to the clip (items may not point outside the playlist's folder):
    one video item, fullscreen 1920x1080, sound on, default decoder choice.

    Played once (the headless and window rows), the item is cut in, like the reference players
    play a file: nothing of its next play overlaps the measurement. `looping` keeps the default
    transition (a 0.5 s crossfade into the next play, both decoding meanwhile): the loop row."""
    stem = os.path.splitext(os.path.basename(clip))[0] + ("-loop" if looping else "")
    playlist = os.path.join(media, f"playback-{stem}-playlist.ini")
    config = os.path.join(media, f"playback-{stem}-player.ini")
    transition = "" if looping else "transition = cut\n"
    with open(playlist, "w") as f:
        f.write(f"; bench/playback.py: the clip alone, looping\n[clip]\ntype = video\n"
                f"file = {os.path.basename(clip)}\n{transition}")
    with open(config, "w") as f:
        f.write("; bench/playback.py: fullscreen 1920x1080, sound on\n"
                f"[display]\nfullscreen = yes\nwidth = {SCREEN[0]}\nheight = {SCREEN[1]}\nbackground = #000000\n\n"
                f"[content]\nplaylist = {os.path.basename(playlist)}\n\n[log]\nlevel = info\n")
    return config


# ----------------------------------------------------------------------------------------
# running and measuring


def sdl_sound_env(env: dict) -> dict:
    env = dict(env)
    env["SDL_AUDIODRIVER"] = "disk"
    env["SDL_DISKAUDIOFILE"] = "/dev/null"
    return env


def no_display_env() -> dict:
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def measure(cmd: list[str], env: dict, log_path: str, timeout: float, xserver: Xvfb | None = None) -> dict:
    """Runs cmd to its end; user/system CPU and peak RSS from wait4 (what GNU time reports)."""
    x_before = cpu_ticks(xserver.pid) if xserver else None
    load = loadavg()[0]
    started = time.monotonic()
    with open(log_path, "wb") as out:
        out.write(("$ " + " ".join(cmd) + "\n").encode())
        out.flush()
        proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    _live_groups.add(proc.pid)
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
        _live_groups.discard(proc.pid)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    result = {
        "cmd": cmd,
        "exit": proc.returncode,
        "timed_out": timed_out.is_set(),
        "wall_s": round(wall, 3),
        "user_s": usage.ru_utime,
        "sys_s": usage.ru_stime,
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "rss_kib": usage.ru_maxrss,
        "load_before": load,
        "log": log_path,
    }
    if xserver:
        x_after = cpu_ticks(xserver.pid)
        if x_before is not None and x_after is not None:
            result["xserver_cpu_s"] = (x_after - x_before) / CLK_TCK
    if result["exit"] != 0 or result["timed_out"]:
        log(f"  WARNING: {os.path.basename(cmd[0])} exited with {result['exit']}"
            f"{' (killed: timeout)' if result['timed_out'] else ''}; see {log_path}")
    return result


class Programs:
    """The command lines, per scenario: (key, label, command, environment)."""

    def __init__(self, args):
        self.player = args.player
        self.mpv = ["mpv", "--no-config", "--really-quiet", "--input-terminal=no", "--terminal=no"]
        self.ffplay = ["ffplay", "-hide_banner", "-loglevel", "error", "-nostats", "-autoexit"]

    def headless(self, clip: str, config: str, seconds: float, stats: str) -> list[tuple]:
        sdl = sdl_sound_env(no_display_env())
        sdl["SDL_VIDEODRIVER"] = "dummy"
        plain = no_display_env()
        return [
            ("ours", "signage-player play --headless",
             [self.player, "play", "--config", config, "--headless", "--run-for", f"{seconds:g}", "--stats", stats], sdl),
            ("ffplay", "ffplay, SDL_VIDEODRIVER=dummy", self.ffplay + [clip], sdl),
            ("mpv-null", "mpv --vo=null --ao=null", self.mpv + ["--vo=null", "--ao=null", clip], plain),
            ("ffmpeg-re", "ffmpeg -re -i clip -f null - (floor)",
             ["ffmpeg", "-nostdin", "-v", "error", "-re", "-i", clip, "-f", "null", "-"], plain),
        ]

    def loop(self, clip: str, config: str, seconds: float, stats: str) -> list[tuple]:
        sdl = sdl_sound_env(no_display_env())
        sdl["SDL_VIDEODRIVER"] = "dummy"
        run_for = 2 * seconds + 2  # the switch to the second play, and two seconds of it
        return [
            ("ours", "signage-player play --headless, 2 plays",
             [self.player, "play", "--config", config, "--headless", "--run-for", f"{run_for:g}", "--stats", stats],
             sdl),
        ]

    def window(self, clip: str, config: str, seconds: float, stats: str) -> list[tuple]:
        # The DISPLAY is filled in per run (each run gets its own Xvfb).
        sdl = sdl_sound_env(no_display_env())
        plain = no_display_env()
        return [
            ("ours", "signage-player play (fullscreen)",
             [self.player, "play", "--config", config, "--run-for", f"{seconds:g}", "--stats", stats], sdl),
            ("mpv-x11", "mpv --vo=x11 --fs", self.mpv + ["--vo=x11", "--fs", "--ao=null", clip], plain),
            ("ffplay", "ffplay -fs", self.ffplay + ["-fs", clip], sdl),
            ("mpv-sdl", "mpv --vo=sdl --fs", self.mpv + ["--vo=sdl", "--fs", "--ao=null", clip], plain),
        ]


def read_stats(path: str) -> dict | None:
    try:
        with open(path) as f:
            return json.load(f)["total"]
    except (OSError, ValueError, KeyError):
        return None


def run_playback(programs: Programs, clip: str, config: str, scenario: str, runs: int, logs: str) -> dict:
    seconds = clip_seconds(clip)
    stem = os.path.splitext(os.path.basename(clip))[0]
    stats_path = os.path.join(logs, f"stats-{stem}-{scenario}.json")
    specs = getattr(programs, scenario)(clip, config, seconds, stats_path)
    results: dict[str, dict] = {key: {"label": label, "runs": []} for key, label, _, _ in specs}
    timeout = seconds * 6 + 60
    for run in range(runs):
        # Rotating order: slow drift of the machine's load spreads over every program.
        order = specs[run % len(specs):] + specs[:run % len(specs)]
        for key, label, cmd, env in order:
            log_path = os.path.join(logs, f"{stem}-{scenario}-{key}-{run + 1}.log")
            if os.path.exists(stats_path):
                os.unlink(stats_path)
            if scenario == "window":
                server = Xvfb(*SCREEN)
                _live_xvfb.append(server)
                note_xvfb_pids()
                try:
                    env = dict(env, DISPLAY=server.display)
                    r = measure(cmd, env, log_path, timeout, server)
                finally:
                    server.stop()
                    _live_xvfb.remove(server)
                    note_xvfb_pids()
            else:
                r = measure(cmd, env, log_path, timeout)
            if key == "ours":
                r["stats"] = read_stats(stats_path)
                if r["stats"] is None:
                    log(f"  WARNING: no --stats output from the player ({stats_path}); see {log_path}")
            results[key]["runs"].append(r)
            extra = ""
            if "xserver_cpu_s" in r:
                extra += f" + X server {r['xserver_cpu_s']:.2f}"
            if r.get("stats"):
                s = r["stats"]
                extra += f", presented {s['frames_presented']} dropped {s['frames_dropped']} late {s['late_frames']}"
            log(f"  {stem} {scenario} run {run + 1}/{runs} {label}: {r['cpu_s']:.2f} CPU-s{extra},"
                f" {r['rss_kib'] / 1024:.0f} MiB, {r['wall_s']:.1f} s wall (load {r['load_before']:.1f})")
    return results


def run_throughput(player: str, clip: str, runs: int, logs: str) -> dict:
    frames = count_frames(clip)
    stem = os.path.splitext(os.path.basename(clip))[0]
    out = {"frames": frames, "ffmpeg": [], "decode": [], "decode+present": []}
    for run in range(runs):
        r = measure(["ffmpeg", "-nostdin", "-v", "error", "-i", clip, "-f", "null", "-"], no_display_env(),
                    os.path.join(logs, f"{stem}-throughput-ffmpeg-{run + 1}.log"), 600)
        r["fps"] = frames / r["wall_s"] if r["wall_s"] > 0 else None
        out["ffmpeg"].append(r)
        log_path = os.path.join(logs, f"{stem}-throughput-bench-{run + 1}.log")
        r = measure([player, "bench", clip], no_display_env(), log_path, 600)
        with open(log_path) as f:
            for line in f:
                m = BENCH_LINE_RE.match(line.strip())
                if m:
                    out[m.group(1)].append({"frames": int(m.group(2)), "wall_s": float(m.group(3)),
                                            "fps": float(m.group(4)), "cpu_s": float(m.group(5)),
                                            "rss_mib": int(m.group(6))})
        log(f"  {stem} throughput run {run + 1}/{runs}: ffmpeg {out['ffmpeg'][-1]['fps']:.0f} fps,"
            f" bench decode+present {out['decode+present'][-1]['fps'] if out['decode+present'] else float('nan'):.0f} fps")
    return out


# ----------------------------------------------------------------------------------------
# the table


def med(runs: list[dict], field: str) -> float | None:
    values = [r[field] for r in runs if r.get(field) is not None and not r.get("timed_out")]
    return median(values)


def fmt(value, digits=2, unit="") -> str:
    return "-" if value is None else f"{value:.{digits}f}{unit}"


def ratio(a, b) -> str:
    return "-" if a is None or not b else f"{a / b:.2f}"


def worst_stats(runs: list[dict]) -> dict | None:
    stats = [r["stats"] for r in runs if r.get("stats")]
    if not stats:
        return None
    return {
        "frames_presented": min(s["frames_presented"] for s in stats),
        "frames_dropped": max(s["frames_dropped"] for s in stats),
        "late_frames": max(s["late_frames"] for s in stats),
        "audio_underruns": max(s["audio_underruns"] for s in stats),
        "max_av_offset_ms": max(s["max_av_offset_ms"] for s in stats),
        "max_present_gap_ms": max(s["max_present_gap_ms"] for s in stats),
        "runs": len(stats),
    }


SCENARIO_TITLES = {
    "headless": "headless, real time (SDL dummy video; SDL sound to the disk driver -> /dev/null)",
    "loop": "headless, looping: two plays of the clip and the switch between them (peak RSS)",
    "window": f"in a window: Xvfb {SCREEN[0]}x{SCREEN[1]}x24, fullscreen, a fresh X server per run",
}
REFERENCE = {"headless": "ffplay", "window": "mpv-x11"}


def print_table(res: dict, args) -> list[tuple]:
    """Prints the table; returns the goals as (text, value, verdict)."""
    goals = []
    w = 40
    print()
    print(f"Video playback, {res['machine']['cpus']} CPUs, {res['machine']['date']}; median of {args.runs} runs;"
          f" load average {res['load_start']:.1f} at the start, {res['load_end']:.1f} at the end")
    print("CPU-s = user + system seconds of every thread of the program (wait4, as GNU time); peak RSS in MiB.")
    print("'ours/x' = signage-player's figure divided by this program's (below 1: ours is lighter).")
    for clip_key, clip_res in res["clips"].items():
        print()
        print(f"== {clip_res['name']}: {clip_res['frames']} frames, {clip_res['seconds']:g} s ==")
        for scenario in ("headless", "loop", "window"):
            if scenario not in clip_res["playback"]:
                continue
            progs = clip_res["playback"][scenario]
            print(f"-- {SCENARIO_TITLES[scenario]}")
            header = f"  {'program':{w}} {'CPU-s':>7} {'ours/x':>7} {'peak RSS':>9} {'ours/x':>7}"
            if scenario == "window":
                header += f" {'X server CPU-s':>15} {'ours/x (sum)':>13}"
            print(header)
            ours = progs["ours"]["runs"]
            ours_cpu, ours_rss = med(ours, "cpu_s"), med(ours, "rss_kib")
            ours_x = med(ours, "xserver_cpu_s")
            for key, prog in progs.items():
                cpu, rss = med(prog["runs"], "cpu_s"), med(prog["runs"], "rss_kib")
                line = (f"  {prog['label']:{w}} {fmt(cpu):>7} {ratio(ours_cpu, cpu):>7}"
                        f" {fmt(rss / 1024 if rss else None, 0):>9} {ratio(ours_rss, rss):>7}")
                if scenario == "window":
                    xs = med(prog["runs"], "xserver_cpu_s")
                    both = (cpu + xs) if cpu is not None and xs is not None else None
                    ours_both = (ours_cpu + ours_x) if ours_cpu is not None and ours_x is not None else None
                    line += f" {fmt(xs):>15} {ratio(ours_both, both):>13}"
                failed = [r for r in prog["runs"] if r["exit"] != 0 or r["timed_out"]]
                if failed:
                    line += f"  ({len(failed)} run(s) failed: {failed[0]['log']})"
                print(line)
            ws = worst_stats(ours)
            if ws:
                print(f"  ours, worst of {ws['runs']} runs (--stats): presented {ws['frames_presented']},"
                      f" dropped {ws['frames_dropped']}, late {ws['late_frames']}, underruns {ws['audio_underruns']},"
                      f" max A/V offset {ws['max_av_offset_ms']:.0f} ms, max present gap {ws['max_present_gap_ms']:.0f} ms")
            ref = REFERENCE.get(scenario)
            ref_cpu = med(progs[ref]["runs"], "cpu_s") if ref in progs else None
            if clip_key == "1080p" and ours_cpu is not None and ref_cpu:
                r = ours_cpu / ref_cpu
                if scenario == "headless":
                    ok = r <= 1.0 and ws is not None and ws["frames_dropped"] == 0
                    goals.append((f"1080p headless CPU <= ffplay's, 0 dropped", f"{r:.2f}x, dropped "
                                  f"{ws['frames_dropped'] if ws else '?'}", "pass" if ok else "FAIL"))
                else:
                    goals.append(("1080p in Xvfb CPU <= mpv --vo=x11's", f"{r:.2f}x", "pass" if r <= 1.0 else "FAIL"))
            if clip_key == "1080p" and ours_rss is not None:
                peak = max(r["rss_kib"] for r in ours if not r.get("timed_out")) / 1024
                if scenario == "loop":
                    # No reference program crossfades one video into another: this row informs
                    # (two 1080p decoders during the 0.5 s fade), the goal is the clip's playback.
                    goals.append(("1080p peak RSS, looping with crossfades (info)", f"{peak:.0f} MiB (max of runs)",
                                  "info"))
                else:
                    goals.append((f"1080p peak RSS <= 100 MiB ({scenario})", f"{peak:.0f} MiB (max of runs)",
                                  "pass" if peak <= 100 else "FAIL"))
        t = clip_res.get("throughput")
        if t:
            print("-- throughput, as fast as possible (decode; decode + YUV upload + present on the software renderer)")
            print(f"  {'program':{w}} {'fps':>7} {'CPU-s':>7} {'peak RSS':>9} {'% of ffmpeg fps':>16}")
            ref_fps = median([r["fps"] for r in t["ffmpeg"] if r.get("fps")])
            rows = [("ffmpeg -i clip -f null -", ref_fps, med(t["ffmpeg"], "cpu_s"),
                     (med(t["ffmpeg"], "rss_kib") or 0) / 1024)]
            for key in ("decode", "decode+present"):
                rows.append((f"signage-player bench: {key}", med(t[key], "fps"), med(t[key], "cpu_s"),
                             med(t[key], "rss_mib")))
            for label, fps, cpu, rss in rows:
                pct = f"{100 * fps / ref_fps:.0f} %" if fps and ref_fps else "-"
                print(f"  {label:{w}} {fmt(fps, 1):>7} {fmt(cpu):>7} {fmt(rss, 0):>9} {pct:>16}")
            fps = med(t["decode+present"], "fps")
            if fps and ref_fps:
                pct = 100 * fps / ref_fps
                goals.append((f"{clip_key} bench decode+present >= 85 % of ffmpeg fps", f"{pct:.0f} %",
                              "pass" if pct >= 85 else "FAIL"))
    if goals:
        print()
        print("== goals (issue 3) ==")
        for text, value, verdict in goals:
            print(f"  {text:50} {value:>28}  {verdict}")
    return goals


def machine_info() -> dict:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass

    def version(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "?"

    return {
        "date": datetime.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "kernel": platform.release(),
        "ffmpeg": version(["ffmpeg", "-version"]),
        "mpv": version(["mpv", "--version"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--player", required=True)
    parser.add_argument("--media", required=True, help="folder for the clips and their configs")
    parser.add_argument("--results", required=True, help="folder for playback.json and the logs")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clips", default="1080p,4k", help="comma-separated: 1080p,4k")
    parser.add_argument("--only", default="headless,loop,window,throughput",
                        help="comma-separated: headless,loop,window,throughput")
    parser.add_argument("--max-load", type=float, default=0,
                        help="before starting, wait (up to 10 min) until the 1-minute load average is below this")
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: (cleanup(), sys.exit(130)))
    os.makedirs(args.media, exist_ok=True)
    logs = os.path.join(args.results, "playback-logs")
    os.makedirs(logs, exist_ok=True)
    global _xvfb_pidfile
    _xvfb_pidfile = os.path.join(args.results, "playback-xvfb.pids")
    kill_stray_xvfb(_xvfb_pidfile)
    wanted = set(args.only.split(","))
    unknown = wanted - {"headless", "loop", "window", "throughput"} | set(args.clips.split(",")) - set(CLIPS)
    if unknown:
        log(f"unknown --only/--clips value(s): {', '.join(sorted(unknown))}")
        return 2
    if args.max_load > 0:
        deadline = time.monotonic() + 600
        while loadavg()[0] >= args.max_load and time.monotonic() < deadline:
            log(f"load average {loadavg()[0]:.1f} >= {args.max_load}: waiting for the machine to calm down")
            time.sleep(20)

    programs = Programs(args)
    res = {"machine": machine_info(), "load_start": loadavg()[0], "clips": {}}
    try:
        for key in args.clips.split(","):
            clip = make_clip(args.media, key)
            config = write_config(args.media, clip)
            clip_res = {"name": os.path.basename(clip), "frames": count_frames(clip), "seconds": clip_seconds(clip),
                        "playback": {}}
            res["clips"][key] = clip_res
            for scenario in ("headless", "loop", "window"):
                if scenario in wanted and (scenario != "loop" or key == "1080p"):
                    log(f"{clip_res['name']}: {scenario}, {args.runs} run(s) of each program")
                    scenario_config = write_config(args.media, clip, looping=True) if scenario == "loop" else config
                    clip_res["playback"][scenario] = run_playback(programs, clip, scenario_config, scenario, args.runs,
                                                                  logs)
            if "throughput" in wanted:
                log(f"{clip_res['name']}: throughput, {args.runs} run(s)")
                clip_res["throughput"] = run_throughput(args.player, clip, args.runs, logs)
    except KeyboardInterrupt:
        cleanup()
        log("interrupted")
        return 130
    finally:
        cleanup()
    res["load_end"] = loadavg()[0]
    out = os.path.join(args.results, "playback.json")
    with open(out, "w") as f:
        json.dump(res, f, indent=1)
    goals = print_table(res, args)
    print(f"\n(raw figures: {out}; logs: {logs})")
    return 1 if any(v == "FAIL" for _, _, v in goals) else 0


if __name__ == "__main__":
    sys.exit(main())
