// The subcommands; each returns the process exit status.
#pragma once

#include "player/front/cli.h"
#include "player/front/player_setup.h"


namespace signage {

// The two programs, built into one folder and installed into one: each finds the other beside
// itself (playlist/base/child_process.h, program_beside_me).
// signage-player: every command, SDL and FFmpeg linked (player/app/main.cpp).
inline constexpr const char* kPlayerProgram = "signage-player";
// signage-sync: sync, publish and rollback only, linking the core and libcurl and nothing of SDL
// or FFmpeg (player/front/sync_main.cpp): the background sync `play` runs as a child every poll, and
// timers' syncs, start in milliseconds.
inline constexpr const char* kSyncProgram = "signage-sync";

int run_play(const CliOptions& cli, PlayerSetup& setup);
int run_render(const CliOptions& cli, PlayerSetup& setup);
int run_check(const CliOptions& cli, PlayerSetup& setup);
int run_schedule(const CliOptions& cli, PlayerSetup& setup);
// Sync commands need no display, nor the playlist loaded: they read the config themselves.
int run_sync(const CliOptions& cli);
int run_rollback(const CliOptions& cli);
int run_publish(const CliOptions& cli);
// The sync's media probe, a hidden command of signage-player (player/app/probe_command.cpp).
int run_probe(const CliOptions& cli);

}  // namespace signage
