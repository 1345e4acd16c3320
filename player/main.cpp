// The `signage-player` binary: parses the command line (player/cli.cpp) and runs the commands
// that need no display itself; play, render, check and bench run in the media module it loads
// only for them (media_module.h), so a `sync --once` from a timer starts in milliseconds.
#include "player/commands.h"
#include "player/media_module.h"

#include <cstdio>
#include <malloc.h>

using namespace signage;

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
    case Command::Sync: return run_sync(cli);
    case Command::Rollback: return run_rollback(cli);
    case Command::Publish: return run_publish(cli);
    case Command::Play:
    case Command::Render:
    case Command::Check:
    case Command::Bench:
    case Command::Probe: return run_media_command(cli);
    }
    return 2;
}
