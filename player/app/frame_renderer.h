// Draws the frame `play` shows `at` seconds after it starts, without a display: the same
// sequencer, loader and drawing code, on a software renderer, with the clock set to `at`.
#pragma once

#include "player/front/player_setup.h"
#include "player/media/sdl_handles.h"
#include "playlist/base/wall_time.h"

namespace signage {

struct RenderedFrame {
    SurfacePtr image;
    std::string description;  // what is on it, for the log
};

// `at` seconds after playback started at the wall-clock instant `wall_start` (schedules, fixed
// slots and alerts are read in wall time); the alerts folder is read as it is now.
Result<RenderedFrame> render_frame(const PlayerSetup& setup, double at, WallTime wall_start, int width, int height);

}  // namespace signage
