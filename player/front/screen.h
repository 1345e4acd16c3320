// What a command needs to know about this screen beyond its config keys: the wall clock it reads
// (the system's, or one started at --wall-clock for previews and tests), where its alerts land,
// and a line for the log saying who it is.
#pragma once

#include "player/front/cli.h"
#include "player/front/player_setup.h"
#include "playlist/base/clock.h"
#include "playlist/base/wall_time.h"

#include <memory>

namespace signage {

// The system clock, or with --wall-clock "YYYY-MM-DD HH:MM:SS" (local, [screen] timezone) a clock
// that starts there and runs at the system's pace. With `playback` and play's --time-lapse or
// --clock-jump, a clock that starts there (or now) and runs with playback's clock instead, set
// by the jump once playback has reached it.
Result<std::unique_ptr<WallClock>> wall_clock_for(const CliOptions& cli, const Config& config,
                                                  const Clock* playback = nullptr);

// The folder alert files are read from: `alerts/` beside the playlist, or with [content] share,
// the share's `alerts/` as the fast alerts sync keeps it (CACHE/alerts/current/alerts).
std::string alerts_folder(const PlayerSetup& setup);

// "screen branch-042-lobby (tags bank, lobby), time zone Asia/Shanghai"
std::string describe_screen(const Config& config);

}  // namespace signage
