// `bench FILE…`: the player's own video path as fast as it goes — decode, upload, draw, present
// on the software renderer into an offscreen surface (no display, no clock) — in frames per
// second and CPU-seconds, for comparing with `ffmpeg -i FILE -f null -` (bench/video.sh).
#pragma once

#include "player/front/cli.h"

namespace signage {

int run_bench(const CliOptions& cli);

}  // namespace signage
