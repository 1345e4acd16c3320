// Draws the frame `play` shows `at` seconds after it starts, without a display: the same
// sequencer, loader and drawing code, on a software renderer, with the clock set to `at`.
#pragma once

#include "player/front/player_setup.h"
#include "player/media/sdl_handles.h"

namespace signage {

struct RenderedFrame {
    SurfacePtr image;
    std::string description;  // what is on it, for the log
};

Result<RenderedFrame> render_frame(const PlayerSetup& setup, double at, int width, int height);

}  // namespace signage
