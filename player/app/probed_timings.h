// The items' timings as the screen learns them: a video without `duration` lasts its file's
// length (times `loop`, trims applied), read by probing the file as the player opens it.
// `schedule` lays out its preview with them; the contact sheet prints each item's length.
#pragma once

#include "playlist/timeline/play_plan.h"
#include "playlist/timeline/sequencer.h"

#include <string>
#include <vector>

namespace signage {

struct ProbedTimings {
    std::vector<ItemTiming> timings;  // per item
    std::vector<char> failed;         // per item: a video whose length could not be learnt
    std::vector<std::string> errors;  // per item: why it failed ("" when it did not)
};

// Probes only the videos this screen shows (plan.targeted), each file once however many items
// name it.
ProbedTimings probe_timings(const Playlist& playlist, const PlayPlan& plan);

}  // namespace signage
