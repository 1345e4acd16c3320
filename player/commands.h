// The subcommands; each returns the process exit status.
#pragma once

#include "player/cli.h"
#include "player/player_setup.h"

namespace signage {

int run_play(const CliOptions& cli, PlayerSetup& setup);
int run_render(const CliOptions& cli, PlayerSetup& setup);
int run_check(const CliOptions& cli, PlayerSetup& setup);

// The canvas is the picture before screen rotation: portrait for a 90/270 screen.
inline std::pair<int, int> canvas_for(int output_w, int output_h, int rotation)
{
    return rotation == 90 || rotation == 270 ? std::pair{output_h, output_w} : std::pair{output_w, output_h};
}

}  // namespace signage
