// The `signage-player` binary: every command. play, render, check, bench and the sync's media
// probe need SDL and FFmpeg; sync, publish and rollback run the same code as the lean
// `signage-sync` binary (player/front/sync_main.cpp), which `play` runs for its background sync.
#include "player/app/bench_command.h"
#include "player/front/commands.h"
#include "playlist/base/log.h"
#include "playlist/layout/screen_layout.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <chrono>
#include <cstdio>
#include <malloc.h>

namespace signage {
// `play` logs its first frame relative to this: static initialisation, after the dynamic loader
// is done (bench/README.md: the "logged" figure; the "observed" one, from spawn, includes it).
std::chrono::steady_clock::time_point g_process_start = std::chrono::steady_clock::now();
}  // namespace signage

using namespace signage;

namespace {

// play, render and check: the config and the playlist loaded first.
int run_with_setup(const CliOptions& cli)
{
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
        for (const auto& e : setup.layout_errors)
            log::warn("layout " + e.to_string());
        log_playlist_problems(setup.playlist);
    }
    int status = 0;
    switch (cli.command) {
    case Command::Play: status = run_play(cli, setup); break;
    case Command::Render: status = run_render(cli, setup); break;
    case Command::Schedule: status = run_schedule(cli, setup); break;
    default: status = run_check(cli, setup); break;
    }
    TTF_Quit();
    SDL_Quit();
    return status;
}

}  // namespace

int main(int argc, char** argv)
{
    // Slides are full-screen buffers (8 MB at 1080p) allocated and freed all day. glibc's adaptive
    // threshold would keep freed ones in the heap (RSS 81 MB over a demo loop, 26 MB in use); a
    // fixed threshold hands every large buffer back to the system when it is freed.
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    CliParse parse = parse_cli(argc, argv);
    if (!parse.error.empty()) {
        std::fprintf(stderr, "signage-player: %s\n\n%s", parse.error.c_str(), usage_text());
        return 2;
    }
    const CliOptions& cli = parse.options;
    switch (cli.command) {
    case Command::Help: std::printf("%s", usage_text()); return 0;
    case Command::Version: std::printf("signage-player %s\n", SIGNAGE_VERSION); return 0;
    case Command::ConfigReference: std::printf("%s", config_reference_markdown().c_str()); return 0;
    case Command::PlaylistReference: std::printf("%s", playlist_reference_markdown().c_str()); return 0;
    case Command::LayoutReference: std::printf("%s", layout_reference_markdown().c_str()); return 0;
    case Command::Sync: return run_sync(cli);
    case Command::Rollback: return run_rollback(cli);
    case Command::Publish: return run_publish(cli);
    case Command::Bench: return run_bench(cli);
    case Command::Probe: return run_probe(cli);
    case Command::Play:
    case Command::Render:
    case Command::Schedule:
    case Command::Check: return run_with_setup(cli);
    }
    return 2;
}
