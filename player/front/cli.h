// The command line: `signage-player [play|check|render|…] [options]`.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace signage {

enum class Command { Play, Check, Render, Schedule, Sync, Publish, Rollback, Bench, Probe, ConfigReference, PlaylistReference, LayoutReference, Help, Version };

struct CliOptions {
    Command command = Command::Play;
    std::string config;  // --config FILE ("" = look it up)
    bool windowed = false;
    bool headless = false;
    std::optional<double> run_for;
    std::string stats_file;    // play --stats FILE: playback figures as JSON when it stops
    std::vector<double> capture_at;  // play --capture-at T[,T…]: the frame at T written as PNG,
    std::string capture_dir;         // into --capture-dir DIR as capture-T.png (T in ms)
    std::optional<double> at;  // render --at SECONDS
    std::string at_wall;       // render --at "YYYY-MM-DD HH:MM[:SS]": a wall-clock instant
    std::string wall_clock;    // play/render --wall-clock "YYYY-MM-DD HH:MM[:SS]": the wall clock starts there
    double time_lapse = 1;     // play --time-lapse N: playback and the wall clock run N times as fast
    std::optional<std::pair<double, double>> clock_jump;  // play --clock-jump AT,BY: the wall clock set BY s at AT s
    std::string from;          // schedule --from "YYYY-MM-DD HH:MM" ("" = now)
    double hours = 24;         // schedule --hours N
    std::optional<std::vector<std::string>> tags;  // schedule/render --tags a,b: instead of [screen] tags
    std::string format = "text";                   // schedule --format text|json
    std::string out;           // render --out FILE.png
    bool contact_sheet = false;  // render --contact-sheet: every item as a thumbnail (--at optional)
    int width = 0, height = 0; // render --size WxH (0 = from the config)
    bool once = false;         // sync --once
    bool alerts = false;       // sync --alerts: the alerts sync (the share's alerts/ folder only)
    int result_fd = -1;        // sync --result-fd N: the outcome as JSON there (playlist/sync/sync_result.h)
    std::string dir;           // publish DIR
    std::vector<std::string> files;  // bench FILE…; probe video:FILE… image:FILE…
    std::string inside;        // probe --inside DIR: the files are below it, and read only there
};

struct CliParse {
    CliOptions options;
    std::string error;  // non-empty: print with the usage and exit 2
};

CliParse parse_cli(int argc, const char* const* argv);
// signage-player's: every command.
const char* usage_text();
// signage-sync's: sync, publish and rollback (player/front/sync_main.cpp).
const char* sync_usage_text();

}  // namespace signage
