// The `signage-sync` binary: sync, publish and rollback, the share-sync commands of
// signage-player, linking only the pure core and libcurl. SDL2, SDL2_ttf, SDL2_image and FFmpeg
// are ~150 shared libraries that take longer to load than a whole sync of a 1000-file share with
// one file changed (bench/sync.sh), and `play` runs a sync as a child process every poll. The
// media probe a sync needs is signage-player's, run beside this binary (playlist/sync/snapshot_probe.h).
#include "player/front/commands.h"

#include <cstdio>

using namespace signage;

int main(int argc, char** argv)
{
    CliParse parse = parse_cli(argc, argv);
    if (!parse.error.empty()) {
        std::fprintf(stderr, "%s: %s\n\n%s", kSyncProgram, parse.error.c_str(), sync_usage_text());
        return 2;
    }
    const CliOptions& cli = parse.options;
    switch (cli.command) {
    case Command::Help: std::printf("%s", sync_usage_text()); return 0;
    case Command::Version: std::printf("%s %s\n", kSyncProgram, SIGNAGE_VERSION); return 0;
    case Command::Sync: return run_sync(cli);
    case Command::Rollback: return run_rollback(cli);
    case Command::Publish: return run_publish(cli);
    default:
        if (argc > 1 && argv[1][0] != '-')
            std::fprintf(stderr, "%s: runs sync, publish and rollback; `%s %s` runs %s\n\n%s", kSyncProgram,
                         kPlayerProgram, argv[1], argv[1], sync_usage_text());
        else
            std::fprintf(stderr, "%s: which command? sync, publish or rollback\n\n%s", kSyncProgram,
                         sync_usage_text());
        return 2;
    }
}
