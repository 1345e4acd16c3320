// The subcommands; each returns the process exit status.
#pragma once

#include "player/cli.h"
#include "player/player_setup.h"


namespace signage {

int run_play(const CliOptions& cli, PlayerSetup& setup);
int run_render(const CliOptions& cli, PlayerSetup& setup);
int run_check(const CliOptions& cli, PlayerSetup& setup);
// Sync commands need no display, nor the playlist loaded: they read the config themselves.
int run_sync(const CliOptions& cli);
int run_rollback(const CliOptions& cli);
int run_publish(const CliOptions& cli);
// The sync's media probe, a hidden command of the media module (player/probe_command.cpp).
int run_probe(const CliOptions& cli);

}  // namespace signage
