// What a screen will play over a stretch of wall-clock time, one line a play: the timeline
// `play` asks, run with every item ready, so what `schedule` prints is what the screen does
// (as long as every file plays: a broken one is skipped on the screen and not here).
#pragma once

#include "playlist/timeline/timeline.h"

#include <string>
#include <vector>

namespace signage {

struct PlayLine {
    WallTime start = 0;
    WallTime end = 0;
    PlayReason reason = PlayReason::Scheduled;
    std::optional<size_t> item;  // nullopt: an alert file, or nothing (idle screen)
    std::string alert;           // an alert file's name
    bool banner = false;         // an alert shown as a band over the loop
    double offset = 0;           // seconds into the item: a play resumed after a fixed slot
};

struct PreviewSetup {
    std::shared_ptr<const PlayPlan> plan;
    std::vector<ItemTiming> timings;       // per item, videos with their probed length
    WallTime from = 0;
    double seconds = 86400;
    AlertMode alert_mode = AlertMode::Fullscreen;
    double alert_rotate = 10;
    std::vector<AlertSpan> alert_files;    // as Timeline::set_file_alerts
    std::vector<std::string> alert_names;  // the same files' names
    std::vector<char> failed;              // per item: cannot play (a broken file): skipped, as on screen
    bool locked = false;                   // [screen] clock_locked: the loop walked from each local midnight
};

std::vector<PlayLine> preview_schedule(const PreviewSetup& setup);

// ItemTiming of an item as the player's layers declare it, given a video's played length.
ItemTiming item_timing(const PlaylistItem& item, std::optional<double> video_length);

}  // namespace signage
