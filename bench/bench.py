#!/usr/bin/python3
"""Performance benchmark of signage-player against mpv (the reference tool).

Called by bench/run.sh, which installs the tools and builds the player first; run that.
Standard library only. Linux only (reads /proc).

What it measures (see bench/README.md for the why and how):
  1. process start -> first frame presented, headless and in an X window (Xvfb), N runs
     each: observed (spawn -> the "first frame presented" log line), logged by the player,
     and the wall time of the whole process; mpv: wall time showing one poster, 1 frame.
  2. CPU while one static slogan slide is shown, % of one core over a window that starts
     after the warm-up; headless and under Xvfb fullscreen; mpv showing a still image.
  3. peak RSS while playing the demo (GNU time -v "Maximum resident set size").
  4. CPU while playing the demo (crossfades), for information.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import re
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
FIRST_FRAME_RE = re.compile(r"first frame presented (\d+) ms after start")
DISPLAY_RE = re.compile(r"display: (.*)")

# ----------------------------------------------------------------------------------------
# small helpers


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100): an actual sample, no interpolation."""
    if not values:
        return None
    s = sorted(values)
    k = max(0, math.ceil(p / 100 * len(s)) - 1)
    return s[k]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "median": median(values),
        "p90": percentile(values, 90),
        "min": min(values) if values else None,
        "max": max(values) if values else None,
        "values": values,
    }


def cpu_ticks(pid: int) -> int | None:
    """utime + stime of the whole process (all its threads), in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rindex(")") + 2 :].split()
    # fields[0] is field 3 (state); utime is field 14, stime field 15
    return int(fields[11]) + int(fields[12])


def proc_status(pid: int) -> dict:
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS", "Threads", "RssAnon", "RssFile", "RssShmem"):
                    out[key] = value.strip()
    except OSError:
        pass
    return out


def child_of(pid: int, timeout: float = 5.0) -> int | None:
    """The first child of pid (GNU time's child is the measured program)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                kids = f.read().split()
            if kids:
                return int(kids[0])
        except OSError:
            return None
        time.sleep(0.005)
    return None


def parse_gnu_time(path: str) -> dict:
    out = {}
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return out
    for line in text.splitlines():
        key, _, value = line.strip().rpartition(": ")
        if key == "Maximum resident set size (kbytes)":
            out["max_rss_kb"] = int(value)
        elif key == "User time (seconds)":
            out["user_s"] = float(value)
        elif key == "System time (seconds)":
            out["system_s"] = float(value)
        elif key == "Elapsed (wall clock) time (h:mm:ss or m:ss)":
            out["elapsed"] = value
        elif key == "Exit status":
            out["exit_status"] = int(value)
        elif key == "Voluntary context switches":
            out["voluntary_ctx_switches"] = int(value)
        elif key == "Involuntary context switches":
            out["involuntary_ctx_switches"] = int(value)
    if "Command terminated by signal" in text:
        out["terminated_by_signal"] = text.split("Command terminated by signal", 1)[1].split()[0]
    return out


def loadavg() -> list[float]:
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


class Xvfb:
    """A private X server (its own display number, chosen by Xvfb itself with -displayfd)."""

    def __init__(self, width: int, height: int):
        r, w = os.pipe()
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(w), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp", "-noreset"],
            pass_fds=(w,),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(w)
        number = b""
        deadline = time.monotonic() + 15
        while not number.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([r], [], [], 0.5)
            if ready:
                chunk = os.read(r, 64)
                if not chunk:
                    break
                number += chunk
        os.close(r)
        if not number.strip():
            self.proc.kill()
            raise RuntimeError("Xvfb did not start (is the xvfb package installed?)")
        self.display = ":" + number.decode().strip()
        self.pid = self.proc.pid

    def env(self) -> dict:
        env = dict(os.environ)
        env["DISPLAY"] = self.display
        env.pop("WAYLAND_DISPLAY", None)
        return env

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def headless_env() -> dict:
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


# Diagnostic variant: under X, SDL's software renderer presenting through X11 shared memory,
# with no OpenGL at all (under Xvfb SDL's default is OpenGL on Mesa's llvmpipe, a software GL).
SOFTWARE_NO_GL = {"SDL_RENDER_DRIVER": "software", "SDL_FRAMEBUFFER_ACCELERATION": "0"}


# ----------------------------------------------------------------------------------------
# the commands under test


class Commands:
    def __init__(self, args):
        self.player = args.player
        self.demo_config = os.path.join(args.src, "assets", "player.ini")
        self.static_config = os.path.join(args.bench_dir, "configs", "static", "player.ini")
        posters = os.path.join(args.src, "assets", "posters")
        self.poster = os.path.join(posters, "01-shuadan-order-brushing.png")
        self.all_posters = sorted(
            os.path.join(posters, p) for p in os.listdir(posters) if p.endswith((".png", ".jpg", ".webp"))
        )
        self.mpv = ["mpv", "--no-config", "--really-quiet", "--input-terminal=no"]

    # The demo: the brief's command is `play` without --config, which plays the built-in demo
    # unless /etc/signage-player/player.ini exists; the explicit --config makes it the demo always.
    def player_demo(self, headless: bool, run_for: float | None) -> list[str]:
        cmd = [self.player, "play", "--config", self.demo_config]
        if headless:
            cmd.append("--headless")
        if run_for is not None:
            cmd += ["--run-for", f"{run_for:g}"]
        return cmd

    def player_static(self, headless: bool) -> list[str]:
        cmd = [self.player, "play", "--config", self.static_config]
        if headless:
            cmd.append("--headless")
        return cmd

    # mpv: time to first frame of one poster. --image-display-duration=0 so mpv exits right
    # after the frame instead of holding the image for its default 1 s.
    def mpv_first_frame(self, headless: bool) -> list[str]:
        vo = ["--vo=null", "--ao=null"] if headless else ["--vo=x11", "--no-audio", "--fs"]
        return self.mpv + vo + ["--frames=1", "--image-display-duration=0", self.poster]

    def mpv_still(self, headless: bool) -> list[str]:
        vo = ["--vo=null", "--ao=null"] if headless else ["--vo=x11", "--no-audio", "--fs"]
        return self.mpv + vo + ["--image-display-duration=inf", self.poster]

    # Loose reference for the demo: mpv as a slideshow of the demo's posters (no crossfades,
    # no text). For information only.
    def mpv_slideshow(self, headless: bool) -> list[str]:
        vo = ["--vo=null", "--ao=null"] if headless else ["--vo=x11", "--no-audio", "--fs"]
        return self.mpv + vo + ["--image-display-duration=6", "--loop-playlist=inf"] + self.all_posters


# ----------------------------------------------------------------------------------------
# 1. first frame


def first_frame_once(cmd: list[str], env: dict, log_path: str, timeout: float = 30) -> dict:
    """Spawn, read stderr line by line (timestamping the "first frame" line), reap with wait4."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    observed_ms = None
    logged_ms = None
    display = None
    lines = []
    watchdog = threading.Timer(timeout, proc.kill)  # a hung run must not hang the benchmark
    watchdog.start()
    for raw in proc.stderr:
        now = time.perf_counter()
        line = raw.decode(errors="replace").rstrip("\n")
        lines.append(f"+{(now - t0) * 1000:8.1f}ms {line}")
        m = FIRST_FRAME_RE.search(line)
        if m and observed_ms is None:
            observed_ms = (now - t0) * 1000
            logged_ms = float(m.group(1))
        m = DISPLAY_RE.search(line)
        if m:
            display = m.group(1)
    _, status, rusage = os.wait4(proc.pid, 0)
    watchdog.cancel()
    wall_ms = (time.perf_counter() - t0) * 1000
    proc.returncode = os.waitstatus_to_exitcode(status)
    with open(log_path, "a") as f:
        f.write(f"$ {' '.join(cmd)}\n" + "\n".join(lines) + f"\nexit {proc.returncode}, wall {wall_ms:.1f} ms\n\n")
    return {
        "wall_ms": wall_ms,
        "observed_first_frame_ms": observed_ms,
        "logged_first_frame_ms": logged_ms,
        "exit": proc.returncode,
        "max_rss_kb": rusage.ru_maxrss,
        "cpu_s": rusage.ru_utime + rusage.ru_stime,
        "display": display,
    }


def bench_first_frame(cmds: Commands, args, logs: str) -> dict:
    runs = args.runs
    variants = {
        "player_headless": (cmds.player_demo(True, 0), False, {}),
        "mpv_null": (cmds.mpv_first_frame(True), False, {}),
        "player_x11": (cmds.player_demo(False, 0), True, {}),
        "mpv_x11": (cmds.mpv_first_frame(False), True, {}),
    }
    if args.diag:
        variants["player_x11_software_no_gl"] = (cmds.player_demo(False, 0), True, SOFTWARE_NO_GL)
    results = {name: [] for name in variants}
    log(f"1. first frame: {runs} runs of each of {', '.join(variants)} (interleaved, one at a time)")
    with Xvfb(args.width, args.height) as xvfb:
        # one untimed warm-up of each: page cache, fontconfig cache
        def env_for(x, extra):
            return {**(xvfb.env() if x else headless_env()), **extra}

        for name, (cmd, x, extra) in variants.items():
            first_frame_once(cmd, env_for(x, extra), os.path.join(logs, "first-frame-warmup.log"))
        order = list(variants)
        for i in range(runs):
            for name in order[i % len(order) :] + order[: i % len(order)]:  # rotate the order
                cmd, x, extra = variants[name]
                r = first_frame_once(cmd, env_for(x, extra), os.path.join(logs, f"first-frame-{name}.log"))
                if r["exit"] != 0:
                    log(f"   {name}: exit status {r['exit']} (see {logs}/first-frame-{name}.log)")
                results[name].append(r)
    out = {}
    for name, rs in results.items():
        ok = [r for r in rs if r["exit"] == 0]
        out[name] = {
            "command": variants[name][0],
            "x11": variants[name][1],
            "extra_env": variants[name][2],
            "runs": rs,
            "failures": len(rs) - len(ok),
            "wall_ms": summary([r["wall_ms"] for r in ok]),
            "observed_first_frame_ms": summary([r["observed_first_frame_ms"] for r in ok if r["observed_first_frame_ms"] is not None]),
            "logged_first_frame_ms": summary([r["logged_first_frame_ms"] for r in ok if r["logged_first_frame_ms"] is not None]),
            "max_rss_kb": summary([r["max_rss_kb"] for r in ok]),
            "display": next((r["display"] for r in rs if r["display"]), None),
        }
        s = out[name]
        extra = ""
        if s["observed_first_frame_ms"]["n"]:
            extra = f", first frame observed median {s['observed_first_frame_ms']['median']:.0f} ms"
        log(f"   {name}: wall median {s['wall_ms']['median'] or float('nan'):.0f} ms{extra}")
    return out


# ----------------------------------------------------------------------------------------
# 2-4. CPU and RSS over a window


class Session:
    """One program under GNU time -v, optionally in its own Xvfb, sampled over a CPU window."""

    def __init__(self, name: str, cmd: list[str], x11: bool, args, logs: str, stop_by_signal: bool = True,
                 extra_env: dict | None = None):
        self.name = name
        self.cmd = cmd
        self.x11 = x11
        self.stop_by_signal = stop_by_signal
        self.extra_env = extra_env or {}
        self.xvfb = Xvfb(args.width, args.height) if x11 else None
        env = {**(self.xvfb.env() if x11 else headless_env()), **(extra_env or {})}
        fd, self.time_path = tempfile.mkstemp(prefix=f"{name}-", suffix=".time", dir=logs)
        os.close(fd)
        self.log_path = os.path.join(logs, f"{name}.log")
        self.log_file = open(self.log_path, "a")
        self.log_file.write(f"$ {' '.join(cmd)}\n")
        self.log_file.flush()
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(
            ["/usr/bin/time", "-v", "-o", self.time_path] + cmd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log_file,
            stderr=self.log_file,
        )
        self.pid = child_of(self.proc.pid)
        self.samples = []

    def sample(self) -> dict:
        s = {
            "t": time.monotonic() - self.t0,
            "ticks": cpu_ticks(self.pid) if self.pid else None,
            "x_ticks": cpu_ticks(self.xvfb.pid) if self.xvfb else None,
            "status": proc_status(self.pid) if self.pid else {},
        }
        self.samples.append(s)
        return s

    def finish(self, wait_timeout: float) -> dict:
        if self.stop_by_signal and self.pid and self.proc.poll() is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(wait_timeout)
        except subprocess.TimeoutExpired:
            log(f"   {self.name}: still running {wait_timeout:.0f} s after it should have ended; killing it")
            if self.pid:
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self.proc.wait()
        if self.xvfb:
            self.xvfb.stop()
        self.log_file.close()
        gt = parse_gnu_time(self.time_path)
        os.unlink(self.time_path)
        with open(self.log_path) as f:
            text = f.read()
        display = DISPLAY_RE.findall(text)
        if not self.samples:
            self.samples = [{"t": 0.0, "ticks": None, "x_ticks": None, "status": {}}]
        a, b = self.samples[0], self.samples[-1]
        out = {
            "command": self.cmd,
            "x11": self.x11,
            "extra_env": self.extra_env,
            "gnu_time": gt,
            "window_s": b["t"] - a["t"],
            "window_start_s": a["t"],
            "status_at_window_end": b["status"],
            "display": display[-1] if display else None,
        }
        if a["ticks"] is not None and b["ticks"] is not None:
            out["cpu_s"] = (b["ticks"] - a["ticks"]) / CLK_TCK
            out["cpu_pct"] = 100 * out["cpu_s"] / out["window_s"]
        if self.xvfb and a["x_ticks"] is not None and b["x_ticks"] is not None:
            out["xserver_cpu_s"] = (b["x_ticks"] - a["x_ticks"]) / CLK_TCK
            out["xserver_cpu_pct"] = 100 * out["xserver_cpu_s"] / out["window_s"]
        return out


def run_sessions(specs: list[tuple], args, logs: str, warmup: float, window: float, stop_by_signal: bool) -> dict:
    """Start the sessions together, sample each at warmup and warmup+window after its start."""
    sessions = []
    for name, cmd, x11, *extra in specs:
        sessions.append(Session(name, cmd, x11, args, logs, stop_by_signal, extra[0] if extra else None))
    for point in (warmup, warmup + window):
        for s in sessions:
            delay = s.t0 + point - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            s.sample()
    return {s.name: s.finish(wait_timeout=30) for s in sessions}


def groups(specs: list[tuple], serial: bool) -> list[list[tuple]]:
    return [[s] for s in specs] if serial else [specs]


def bench_static(cmds: Commands, args, logs: str) -> dict:
    specs = [
        ("static_player_headless", cmds.player_static(True), False),
        ("static_mpv_null", cmds.mpv_still(True), False),
        ("static_player_x11", cmds.player_static(False), True),
        ("static_mpv_x11", cmds.mpv_still(False), True),
    ]
    how = "one at a time" if args.serial else "the four side by side (each X client on its own Xvfb)"
    log(f"2. static slide CPU: {args.repeats} x a {args.window:g} s window after {args.warmup:g} s, {how}")
    runs = {spec[0]: [] for spec in specs}
    for r in range(args.repeats):
        for group in groups(specs, args.serial):
            res = run_sessions(group, args, logs, args.warmup, args.window, stop_by_signal=True)
            for name, v in res.items():
                runs[name].append(v)
                log(f"   run {r + 1}: {name}: {v.get('cpu_pct', float('nan')):.3f} % of one core"
                    + (f" (+ X server {v['xserver_cpu_pct']:.3f} %)" if "xserver_cpu_pct" in v else ""))
    return summarize_sessions(runs)


def bench_demo(cmds: Commands, args, logs: str) -> dict:
    # The player exits by itself after --run-for; the CPU window ends 1 s before that.
    run_for = args.demo_seconds
    window = max(1.0, run_for - args.warmup - 1)
    specs = [
        ("demo_player_headless", cmds.player_demo(True, run_for), False),
        ("demo_player_x11", cmds.player_demo(False, run_for), True),
        ("demo_mpv_slideshow_null", cmds.mpv_slideshow(True), False),
        ("demo_mpv_slideshow_x11", cmds.mpv_slideshow(False), True),
    ]
    if args.diag:
        specs.append(("demo_player_x11_software_no_gl", cmds.player_demo(False, run_for), True, SOFTWARE_NO_GL))
    how = "one at a time" if args.serial else "side by side"
    log(f"3+4. demo: {args.demo_repeats} x `play --run-for {run_for:g}` (peak RSS, CPU from {args.warmup:g} s to {args.warmup + window:g} s), {how}")
    runs = {spec[0]: [] for spec in specs}
    for r in range(args.demo_repeats):
        for group in groups(specs, args.serial):
            # the players stop themselves; mpv is stopped (SIGTERM) when the window ends
            sessions = [Session(n, c, x, args, logs, stop_by_signal=n.startswith("demo_mpv"), extra_env=e[0] if e else None)
                        for n, c, x, *e in group]
            for point in (args.warmup, args.warmup + window):
                for s in sessions:
                    delay = s.t0 + point - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                    s.sample()
            for s in sessions:
                v = s.finish(wait_timeout=run_for + 60)
                runs[s.name].append(v)
                log(f"   run {r + 1}: {s.name}: peak RSS {v['gnu_time'].get('max_rss_kb', 0) / 1024:.1f} MiB, "
                    f"CPU {v.get('cpu_pct', float('nan')):.2f} %"
                    + (f" (+ X server {v['xserver_cpu_pct']:.2f} %)" if "xserver_cpu_pct" in v else "")
                    + ("" if v["gnu_time"].get("exit_status", 0) == 0 or s.name.startswith("demo_mpv")
                       else f"  EXIT STATUS {v['gnu_time'].get('exit_status')}"))
    return summarize_sessions(runs)


def summarize_sessions(runs: dict) -> dict:
    out = {}
    for name, rs in runs.items():
        out[name] = {
            "runs": rs,
            "cpu_pct": summary([r["cpu_pct"] for r in rs if "cpu_pct" in r]),
            "xserver_cpu_pct": summary([r["xserver_cpu_pct"] for r in rs if "xserver_cpu_pct" in r]),
            "client_plus_xserver_cpu_pct": summary(
                [r["cpu_pct"] + r["xserver_cpu_pct"] for r in rs if "cpu_pct" in r and "xserver_cpu_pct" in r]
            ),
            "max_rss_mib": summary([r["gnu_time"]["max_rss_kb"] / 1024 for r in rs if "max_rss_kb" in r["gnu_time"]]),
            "display": next((r["display"] for r in rs if r["display"]), None),
        }
    return out


# ----------------------------------------------------------------------------------------
# the table


def fmt(v, unit="", digits=0):
    if v is None:
        return "n/a"
    return f"{v:.{digits}f}{unit}"


def ratio(a, b):
    if a is None or b is None:
        return "n/a"
    if b == 0:
        return "n/a (ref 0)" if a > 0 else "1.00x"
    return f"{a / b:.2f}x"


def verdict(value, goal):
    if goal is None:
        return "info"
    if value is None:
        return "FAIL (no data)"
    return "pass" if value <= goal else "FAIL"


def build_rows(res: dict, args) -> list[dict]:
    rows = []

    def add(metric, player, ref, unit, digits, goal=None, goal_text="", ref_note="", player_text=None, ref_text=None,
            info=False):
        p_med = player["median"] if player else None
        r_med = ref["median"] if ref else None
        result = verdict(p_med, goal)
        if info and goal is not None:  # shown against the goal, but the goal is not about this case
            result = "info" + ("" if p_med is None else " (within)" if p_med <= goal else " (over)")
        rows.append({
            "metric": metric,
            "player": player_text or (fmt(p_med, unit, digits) if player else "n/a"),
            "reference": ref_text or ((fmt(r_med, unit, digits) + ref_note) if ref else "—"),
            "ratio": ratio(p_med, r_med) if ref else "—",
            "goal": goal_text or ("—" if goal is None else f"<= {goal:g}{unit}"),
            "result": result,
            "player_median": p_med,
            "reference_median": r_med,
        })

    def mp(s, key):
        x = s[key]
        return f"{fmt(x['median'], ' ms')} / {fmt(x['p90'], ' ms')}" if x["n"] else "n/a"

    ff = res.get("first_frame")
    if ff:
        goal = args.goal_first_frame_ms
        for mode, ref, label in (("headless", "mpv_null", "mpv --vo=null"), ("x11", "mpv_x11", "mpv --vo=x11")):
            p = ff[f"player_{mode}"]
            r = ff[ref]
            x = mode == "x11"
            where = "Xvfb fullscreen" if x else "headless"
            goal_text = f"({goal:g} ms is the headless goal)" if x else ""
            add(f"1 first frame, {where}: spawn -> frame (observed), median / p90", p["observed_first_frame_ms"],
                r["wall_ms"], " ms", 0, goal=goal, goal_text=goal_text, info=x,
                player_text=mp(p, "observed_first_frame_ms"), ref_text=f"{mp(r, 'wall_ms')} ({label}, wall)")
            add(f"1 first frame, {where}: logged by the player, median / p90", p["logged_first_frame_ms"], r["wall_ms"],
                " ms", 0, goal=goal, goal_text=goal_text, info=x, player_text=mp(p, "logged_first_frame_ms"),
                ref_text=f"{mp(r, 'wall_ms')} (wall)")
            add(f"1 first frame, {where}: whole process wall (to exit), median / p90", p["wall_ms"], r["wall_ms"],
                " ms", 0, player_text=mp(p, "wall_ms"), ref_text=f"{mp(r, 'wall_ms')} (wall)")

    st = res.get("static")
    if st:
        goal = args.goal_static_cpu_pct
        add(f"2 CPU, static slide, headless (% of one core, {args.window:g} s)", st["static_player_headless"]["cpu_pct"],
            st["static_mpv_null"]["cpu_pct"], " %", 3, goal=goal, ref_note=" (mpv --vo=null still)")
        add(f"2 CPU, static slide, Xvfb fullscreen (% of one core, {args.window:g} s)", st["static_player_x11"]["cpu_pct"],
            st["static_mpv_x11"]["cpu_pct"], " %", 3, goal=goal, ref_note=" (mpv --vo=x11 still)")
        add("2   same, client + X server", st["static_player_x11"]["client_plus_xserver_cpu_pct"],
            st["static_mpv_x11"]["client_plus_xserver_cpu_pct"], " %", 3)

    dm = res.get("demo")
    if dm:
        goal = args.goal_rss_mib
        if st:
            ref_h, ref_x, note = st["static_mpv_null"]["max_rss_mib"], st["static_mpv_x11"]["max_rss_mib"], "1 poster"
        else:
            ref_h, ref_x = dm["demo_mpv_slideshow_null"]["max_rss_mib"], dm["demo_mpv_slideshow_x11"]["max_rss_mib"]
            note = "slideshow"
        add(f"3 peak RSS, demo {args.demo_seconds:g} s, headless", dm["demo_player_headless"]["max_rss_mib"], ref_h,
            " MiB", 1, goal=goal, ref_note=f" (mpv null, {note})")
        add(f"3 peak RSS, demo {args.demo_seconds:g} s, Xvfb fullscreen", dm["demo_player_x11"]["max_rss_mib"], ref_x,
            " MiB", 1, goal=goal, ref_note=f" (mpv x11, {note})")
        lp = res.get("loop")
        if lp:
            add(f"3 peak RSS, whole demo loop ({args.loop_seconds:g} s), headless",
                lp["loop_player_headless"]["max_rss_mib"], ref_h, " MiB", 1, goal=goal, ref_note=f" (mpv null, {note})")
        add("4 CPU, demo with crossfades, headless (% of one core)", dm["demo_player_headless"]["cpu_pct"],
            dm["demo_mpv_slideshow_null"]["cpu_pct"], " %", 2, ref_note=" (mpv slideshow)")
        add("4 CPU, demo with crossfades, Xvfb fullscreen (% of one core)", dm["demo_player_x11"]["cpu_pct"],
            dm["demo_mpv_slideshow_x11"]["cpu_pct"], " %", 2, ref_note=" (mpv slideshow)")
        add("4   same, client + X server", dm["demo_player_x11"]["client_plus_xserver_cpu_pct"],
            dm["demo_mpv_slideshow_x11"]["client_plus_xserver_cpu_pct"], " %", 2)

    # Diagnostics: the same player under Xvfb with SDL's software renderer and no OpenGL.
    if ff and "player_x11_software_no_gl" in ff:
        p = ff["player_x11_software_no_gl"]
        add("diag: first frame, Xvfb, software renderer without GL (observed)", p["observed_first_frame_ms"],
            ff["mpv_x11"]["wall_ms"], " ms", 0, goal=args.goal_first_frame_ms, info=True,
            goal_text=f"({args.goal_first_frame_ms:g} ms is the headless goal)",
            player_text=mp(p, "observed_first_frame_ms"), ref_text=f"{mp(ff['mpv_x11'], 'wall_ms')} (wall)")
    if dm and "demo_player_x11_software_no_gl" in dm:
        p = dm["demo_player_x11_software_no_gl"]
        ref_x = st["static_mpv_x11"]["max_rss_mib"] if st else dm["demo_mpv_slideshow_x11"]["max_rss_mib"]
        add(f"diag: peak RSS, demo {args.demo_seconds:g} s, Xvfb, software renderer without GL", p["max_rss_mib"], ref_x,
            " MiB", 1, goal=args.goal_rss_mib, info=True)
        add("diag: CPU, demo, Xvfb, software renderer without GL (client + X server)", p["client_plus_xserver_cpu_pct"],
            dm["demo_mpv_slideshow_x11"]["client_plus_xserver_cpu_pct"], " %", 2)
    return rows


def print_table(rows: list[dict], res: dict, args) -> None:
    cols = ["metric", "player", "reference", "ratio", "goal", "result"]
    heads = ["metric", "signage-player", "reference (mpv)", "ratio", "goal", "pass/fail"]
    widths = [max(len(h), *(len(r[c]) for r in rows)) for c, h in zip(cols, heads)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(heads, widths)) + " |"
    print()
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(r[c].ljust(w) for c, w in zip(cols, widths)) + " |")
    print()
    notes = [
        "figures are medians over the repeats (first frame: median / p90, nearest rank); ratio = signage-player / mpv",
        f"repeats: first frame {args.runs} runs each; static CPU {args.repeats} x {args.window:g} s windows "
        f"(from {args.warmup:g} s after start); demo {args.demo_repeats} x {args.demo_seconds:g} s",
        "CPU % = (utime+stime of the whole process, all threads) / window; the X server's own CPU is listed separately",
        "mpv first frame = wall time of `mpv --frames=1 --image-display-duration=0 poster.png` (it includes mpv's exit)",
        "peak RSS = GNU time -v 'Maximum resident set size'; MiB = 1024 KiB",
    ]
    ff = res.get("first_frame", {})
    for k in ("player_headless", "player_x11"):
        if ff.get(k, {}).get("display"):
            notes.append(f"{k}: {ff[k]['display']}")
    for n in notes:
        print("  * " + n)
    print()


# ----------------------------------------------------------------------------------------


def machine_info(args) -> dict:
    info = {
        "time": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "host": platform.node(),
        "kernel": platform.release(),
        "cpus": os.cpu_count(),
        "loadavg_before": loadavg(),
    }
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    for key, cmd in (("git_rev", ["git", "rev-parse", "HEAD"]), ("git_status", ["git", "status", "--porcelain"])):
        try:
            info[key] = subprocess.run(cmd, cwd=args.src, capture_output=True, text=True, timeout=10).stdout.strip()
        except Exception:
            pass
    if "git_status" in info:
        info["git_dirty_files"] = [l[3:] for l in info.pop("git_status").splitlines()]
    try:
        info["mpv_version"] = subprocess.run(["mpv", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except Exception:
        pass
    try:
        info["player_version"] = subprocess.run([args.player, "--version"], capture_output=True, text=True).stdout.strip()
    except Exception:
        pass
    return info


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--player", required=True, help="the signage-player binary")
    ap.add_argument("--src", default=os.path.dirname(here), help="the source tree (assets/)")
    ap.add_argument("--bench-dir", default=here)
    ap.add_argument("--out", default=os.path.join(here, "results", "latest.json"))
    ap.add_argument("--logs", default=os.path.join(here, "results", "logs"))
    ap.add_argument("--runs", type=int, default=15, help="first-frame runs per variant (default 15)")
    ap.add_argument("--repeats", type=int, default=3, help="static-slide CPU windows per variant (default 3)")
    ap.add_argument("--window", type=float, default=30, help="static-slide CPU window, seconds (default 30)")
    ap.add_argument("--warmup", type=float, default=3, help="seconds after start before a CPU window (default 3)")
    ap.add_argument("--demo-seconds", type=float, default=60, help="demo --run-for (default 60)")
    ap.add_argument("--demo-repeats", type=int, default=1, help="demo runs per variant (default 1)")
    ap.add_argument("--loop-seconds", type=float, default=150,
                    help="a headless run this long (a whole demo loop is ~137 s) for peak RSS; 0 skips it")
    ap.add_argument("--no-diag", dest="diag", action="store_false",
                    help="skip the diagnostic rows (player under Xvfb with software rendering, no OpenGL)")
    ap.add_argument("--serial", action="store_true", help="run the CPU/RSS programs one at a time, not side by side")
    ap.add_argument("--only", default="first_frame,static,demo", help="comma-separated subset of first_frame,static,demo")
    ap.add_argument("--width", type=int, default=1920)
    ap.add_argument("--height", type=int, default=1080)
    ap.add_argument("--goal-first-frame-ms", type=float, default=300)
    ap.add_argument("--goal-static-cpu-pct", type=float, default=1.0)
    ap.add_argument("--goal-rss-mib", type=float, default=80)
    args = ap.parse_args()

    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    os.makedirs(args.logs, exist_ok=True)
    for f in os.listdir(args.logs):  # logs of the previous run
        if f.endswith((".log", ".time")):
            os.unlink(os.path.join(args.logs, f))

    cmds = Commands(args)
    only = set(args.only.split(","))
    res = {"machine": machine_info(args), "settings": {k: v for k, v in vars(args).items()}}
    log(f"load average before: {res['machine']['loadavg_before']} on {res['machine']['cpus']} CPUs")
    started = time.monotonic()
    if "first_frame" in only:
        res["first_frame"] = bench_first_frame(cmds, args, args.logs)
    # A whole demo loop (headless) runs in the background through the static and demo phases:
    # 60 s of demo never reach posters 2-4, which is where the memory peak is.
    loop = None
    if "demo" in only and args.loop_seconds > 0:
        log(f"3b. peak RSS over a whole demo loop: `play --headless --run-for {args.loop_seconds:g}` starts now, "
            "in the background")
        loop = Session("loop_player_headless", cmds.player_demo(True, args.loop_seconds), False, args, args.logs,
                       stop_by_signal=False)
        loop.sample()
    if "static" in only:
        res["static"] = bench_static(cmds, args, args.logs)
    if "demo" in only:
        res["demo"] = bench_demo(cmds, args, args.logs)
    if loop:
        remaining = loop.t0 + args.loop_seconds - time.monotonic()
        if remaining > 0:
            log(f"   waiting {remaining:.0f} s for the whole-loop run to end")
        time.sleep(max(0.0, remaining - 1))
        loop.sample()
        v = loop.finish(wait_timeout=remaining + 60)
        res["loop"] = summarize_sessions({loop.name: [v]})
        log(f"   whole loop: peak RSS {v['gnu_time'].get('max_rss_kb', 0) / 1024:.1f} MiB")
    res["machine"]["loadavg_after"] = loadavg()
    res["duration_s"] = time.monotonic() - started

    rows = build_rows(res, args)
    res["table"] = rows
    with open(args.out, "w") as f:
        json.dump(res, f, indent=1, ensure_ascii=False)
    print_table(rows, res, args)
    print(f"raw numbers: {os.path.relpath(args.out)}   logs: {os.path.relpath(args.logs)}/   "
          f"took {res['duration_s'] / 60:.1f} min; load average after: {res['machine']['loadavg_after']}")
    return 1 if any(r["result"].startswith("FAIL") for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
