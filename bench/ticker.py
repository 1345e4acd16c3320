#!/usr/bin/python3
"""CPU of a scrolling ticker band over a static slide, in a real X window (issue 13).

Called by bench/ticker.sh, which installs the tools and builds the player first; run that.
Standard library only; it borrows the measuring pieces of bench.py (its own Xvfb per program
with -displayfd, utime + stime from /proc/PID/stat, the X server's CPU apart).

Each row runs one program fullscreen on its own Xvfb (1920x1080x24), one at a time (a row that
redraws the whole screen every frame would disturb the cheap ones side by side), interleaved
over the repeats in rotating order; CPU is counted over a window that starts after the warm-up,
as % of one core, for the program and for its X server. The player keeps its
own choice of renderer: SDL_RENDER_DRIVER and SDL_FRAMEBUFFER_ACCELERATION are removed from the
environment (the player picks the software renderer itself when there is no GPU and then turns
framebuffer acceleration off; setting the variable would defeat that).

Rows:
  static        bench/configs/static: one slogan slide, no layout
  ticker        the same slide in the main zone of a layout, an opaque ticker band (#901010) at
                the bottom 10% scrolling 4 slogans at 120 px/s: only the band is redrawn and sent
  translucent   the same band at #90101080: the whole screen is redrawn every frame
  ticker_clock  the opaque ticker with a clock (%H:%M) over its right end, as the bank lobby
  ticker_clock_apart  the same with the clock in the top right corner, away from the ticker
  mpv           mpv --vo=x11 --fs showing the static slide as a PNG (rendered by `render`)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (bench.py beside this file)
from bench import log, loadavg, machine_info, run_sessions, summarize_sessions  # noqa: E402

# The player's own renderer choice is what is measured (see the docstring).
for _name in ("SDL_RENDER_DRIVER", "SDL_FRAMEBUFFER_ACCELERATION"):
    if os.environ.pop(_name, None) is not None:
        print(f"[ticker] note: {_name} was set; removed, the player chooses its renderer itself", file=sys.stderr)


def rows(args) -> list[dict]:
    configs = os.path.join(args.bench_dir, "configs")
    player = [args.player, "play", "--config"]
    mpv = ["mpv", "--no-config", "--really-quiet", "--input-terminal=no", "--vo=x11", "--no-audio", "--fs",
           "--image-display-duration=inf"]
    return [
        {"name": "static", "label": "a. static slide, no layout",
         "cmd": player + [os.path.join(configs, "static", "player.ini")]},
        {"name": "ticker", "label": "b. + opaque ticker (#901010), 120 px/s",
         "cmd": player + [os.path.join(configs, "ticker", "player-opaque.ini")]},
        {"name": "translucent", "label": "c. + translucent ticker (#90101080), full redraw",
         "cmd": player + [os.path.join(configs, "ticker", "player-translucent.ini")]},
        {"name": "ticker_clock", "label": "d. b + clock (%H:%M) over the ticker's right end",
         "cmd": player + [os.path.join(configs, "ticker", "player-clock.ini")]},
        {"name": "ticker_clock_apart", "label": "d'. b + clock (%H:%M) in its own corner",
         "cmd": player + [os.path.join(configs, "ticker", "player-clock-apart.ini")]},
        {"name": "mpv", "label": "e. mpv --vo=x11 --fs, the static slide as a PNG (reference)",
         "cmd": mpv + [args.slide_png]},
    ]


def render_slide(args) -> None:
    """The static slide as a 1920x1080 PNG, for mpv to show: the same picture as row a."""
    cmd = [args.player, "render", "--config", os.path.join(args.bench_dir, "configs", "static", "player.ini"),
           "--at", "1", "--size", f"{args.width}x{args.height}", "--out", args.slide_png]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if r.returncode != 0 or not os.path.exists(args.slide_png):
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{r.stderr}")


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--player", required=True, help="the signage-player binary")
    ap.add_argument("--src", default=os.path.dirname(here))
    ap.add_argument("--bench-dir", default=here)
    ap.add_argument("--out", default=os.path.join(here, "results", "ticker.json"))
    ap.add_argument("--logs", default=os.path.join(here, "results", "ticker-logs"))
    ap.add_argument("--repeats", type=int, default=3, help="runs of each row (default 3)")
    ap.add_argument("--window", type=float, default=12, help="CPU window, seconds (default 12)")
    ap.add_argument("--warmup", type=float, default=4, help="seconds after start before the window (default 4)")
    ap.add_argument("--only", default="", help="comma-separated row names (default: all)")
    ap.add_argument("--width", type=int, default=1920)
    ap.add_argument("--height", type=int, default=1080)
    args = ap.parse_args()

    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    os.makedirs(args.logs, exist_ok=True)
    for f in os.listdir(args.logs):  # logs of the previous run
        if f.endswith((".log", ".time", ".png")):
            os.unlink(os.path.join(args.logs, f))
    args.slide_png = os.path.join(args.logs, "static-slide.png")

    variants = rows(args)
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {v["name"] for v in variants}
        if unknown:
            log(f"unknown rows: {', '.join(sorted(unknown))}")
            return 2
        variants = [v for v in variants if v["name"] in wanted]
    if any(v["name"] == "mpv" for v in variants):
        render_slide(args)

    res = {"machine": machine_info(args), "settings": {k: v for k, v in vars(args).items()}}
    log(f"load average before: {res['machine']['loadavg_before']} on {res['machine']['cpus']} CPUs")
    log(f"{len(variants)} rows x {args.repeats} runs, one at a time, each its own Xvfb {args.width}x{args.height}: "
        f"CPU over {args.window:g} s from {args.warmup:g} s after start")
    started = time.monotonic()
    runs = {v["name"]: [] for v in variants}
    for r in range(args.repeats):
        order = variants[r % len(variants):] + variants[:r % len(variants)]  # rotate the order
        for v in order:
            out = run_sessions([(v["name"], v["cmd"], True)], args, args.logs, args.warmup, args.window,
                               stop_by_signal=True)[v["name"]]
            runs[v["name"]].append(out)
            log(f"   run {r + 1}: {v['name']}: {out.get('cpu_pct', float('nan')):.2f} % "
                f"+ X server {out.get('xserver_cpu_pct', float('nan')):.2f} % of one core")
    res["rows"] = summarize_sessions(runs)
    for v in variants:
        res["rows"][v["name"]]["label"] = v["label"]
        res["rows"][v["name"]]["command"] = v["cmd"]
    res["machine"]["loadavg_after"] = loadavg()
    res["duration_s"] = time.monotonic() - started
    with open(args.out, "w") as f:
        json.dump(res, f, indent=1, ensure_ascii=False)

    print_table(res, variants, args)
    print(f"raw numbers: {os.path.relpath(args.out)}   logs: {os.path.relpath(args.logs)}/   "
          f"took {res['duration_s'] / 60:.1f} min; load average before {res['machine']['loadavg_before']}, "
          f"after {res['machine']['loadavg_after']}")
    return 0


def print_table(res: dict, variants: list[dict], args) -> None:
    def med(row, key):
        return row[key]["median"]

    def fmt(v):
        return "n/a" if v is None else f"{v:.2f} %"

    def spread(row, key):
        s = row[key]
        return "" if not s["n"] else f"{s['min']:.2f}-{s['max']:.2f}"

    base = res["rows"].get("static")
    heads = ["row", "player (or mpv)", "X server", "sum", "sum - row a", "runs (sum, min-max)"]
    table = []
    for v in variants:
        row = res["rows"][v["name"]]
        total = med(row, "client_plus_xserver_cpu_pct")
        extra = "—"
        if base and v["name"] not in ("static", "mpv") and total is not None:
            b = med(base, "client_plus_xserver_cpu_pct")
            extra = "n/a" if b is None else f"{total - b:+.2f} %"
        table.append([v["label"], fmt(med(row, "cpu_pct")), fmt(med(row, "xserver_cpu_pct")), fmt(total), extra,
                      spread(row, "client_plus_xserver_cpu_pct")])
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(heads)]
    print()
    print("| " + " | ".join(h.ljust(w) for h, w in zip(heads, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for t in table:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(t, widths)) + " |")
    print()
    print(f"  * CPU as % of one core, median of {args.repeats} windows of {args.window:g} s from {args.warmup:g} s "
          f"after start; utime + stime of the whole process (all threads) and of its own Xvfb "
          f"{args.width}x{args.height}x24")
    displays = {r.get("display") for name, row in res["rows"].items() if name != "mpv" for r in row["runs"]}
    for d in sorted(x for x in displays if x):
        print(f"  * player: {d}")
    print()


if __name__ == "__main__":
    sys.exit(main())
