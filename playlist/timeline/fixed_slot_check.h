// `check`: fixed-time slots whose reels would overlap (a 19:25 reel of 6 minutes and another at
// 19:30), over the days ahead. Reported, not fixed: the later one cuts the earlier one short.
#pragma once

#include "playlist/timeline/play_plan.h"

#include <vector>

namespace signage {

// `length(item)`: seconds the item plays. Each colliding pair is reported once, at its first
// collision from `from` on, naming both entries' lines.
std::vector<Error> fixed_slot_collisions(const PlayPlan& plan, const std::function<double(size_t)>& length,
                                         WallTime from, int days = 7);

}  // namespace signage
