// The media module, signage-player-media.so: play, render, check and bench, the commands that
// need SDL and FFmpeg, and the hidden `probe` a sync runs as a child (playlist/snapshot_probe.h).
// The front binary (main.cpp) parses the command line and loads this module for them only
// (media_module.h says why).
#include "player/bench_command.h"
#include "player/commands.h"
#include "player/log.h"
#include "player/media_module.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <chrono>
#include <cstdio>
#include <type_traits>

namespace signage {
// `play` logs its first frame relative to this: static initialisation of the media code, after
// the dynamic loader is done, as when the player was one binary (bench/README.md: the "logged"
// figure; the "observed" one, from spawn, includes the front and loading this module).
std::chrono::steady_clock::time_point g_process_start = std::chrono::steady_clock::now();
}  // namespace signage

using namespace signage;

#define SIGNAGE_MEDIA_EXPORT extern "C" __attribute__((visibility("default")))

SIGNAGE_MEDIA_EXPORT const char signage_media_version[] = SIGNAGE_VERSION;

SIGNAGE_MEDIA_EXPORT int signage_media_main(const CliOptions& cli)
{
    if (cli.command == Command::Bench)
        return run_bench(cli);
    if (cli.command == Command::Probe)
        return run_probe(cli);

    SetupLoad load = load_setup(cli.config);
    if (!load.setup) {
        for (const auto& error : load.config_errors)
            std::fprintf(stderr, "%s\n", error.to_string().c_str());
        return 2;
    }
    PlayerSetup& setup = *load.setup;
    log::set_level(setup.config.log_level);
    if (cli.command != Command::Check) {
        // `check` prints these itself, as its findings; `play` and `render` log them and go on.
        for (const auto& w : setup.config_warnings)
            log::warn(w.to_string());
        log_playlist_problems(setup.playlist);
    }
    int status = 0;
    switch (cli.command) {
    case Command::Play: status = run_play(cli, setup); break;
    case Command::Render: status = run_render(cli, setup); break;
    case Command::Check: status = run_check(cli, setup); break;
    default: log::error("the media module does not run this command"); status = 2; break;
    }
    TTF_Quit();
    SDL_Quit();
    return status;
}

static_assert(std::is_same_v<decltype(&signage_media_main), MediaEntry>, "the entry the front looks up");
