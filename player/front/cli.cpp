#include "player/front/cli.h"

#include "playlist/base/values.h"

#include <cstdio>
#include <cstring>
#include <string_view>

namespace signage {

const char* usage_text()
{
    return "Usage:\n"
           "  signage-player [play] [--config FILE] [--windowed] [--headless] [--run-for SECONDS]\n"
           "                 [--stats FILE] [--capture-at SECONDS[,SECONDS...] --capture-dir DIR]\n"
           "  signage-player check [--config FILE]\n"
           "  signage-player render [--config FILE] --at SECONDS --out FILE.png [--size WxH]\n"
           "  signage-player sync --once [--config FILE] [--result-fd N]\n"
           "  signage-player publish DIR\n"
           "  signage-player rollback [--config FILE]\n"
           "  signage-player bench FILE...\n"
           "  signage-player config-reference | playlist-reference\n"
           "  signage-player --help | --version\n"
           "\n"
           "play       show the playlist (fullscreen unless --windowed or [display] fullscreen = no);\n"
           "           --headless needs no display; --run-for exits 0 after that many seconds;\n"
           "           --stats writes playback figures (frames, drops, A/V offset) as JSON on exit;\n"
           "           --capture-at writes the frame presented at each instant (seconds after playback\n"
           "           starts, as render --at counts) to DIR/capture-MILLISECONDS.png\n"
           "check      validate the config, the playlist and every file it names; exit 0 when clean,\n"
           "           1 when not, 2 when the config itself is wrong\n"
           "render     write the exact frame on screen SECONDS after playback starts to a PNG\n"
           "sync       copy [content] share into the cache as a new snapshot, once; exit 0 when the\n"
           "           cache is up to date, 1 with the reason when not; --result-fd N also writes the\n"
           "           outcome as JSON to descriptor N (docs/sync.md)\n"
           "publish    write DIR/manifest.txt (size and SHA-256 of every file) for players to verify\n"
           "rollback   make the previous snapshot in the cache current again\n"
           "bench      decode each video and present it (software renderer, offscreen) as fast as it\n"
           "           can; print frames per second and CPU-seconds\n"
           "\n"
           "Without --config: /etc/signage-player/player.ini when it exists, else the built-in demo.\n"
           "signage-sync runs sync, publish and rollback the same, without loading SDL or FFmpeg.\n";
}

const char* sync_usage_text()
{
    return "Usage:\n"
           "  signage-sync sync --once [--config FILE] [--result-fd N]\n"
           "  signage-sync publish DIR\n"
           "  signage-sync rollback [--config FILE]\n"
           "  signage-sync --help | --version\n"
           "\n"
           "sync       copy [content] share into the cache as a new snapshot, once; exit 0 when the\n"
           "           cache is up to date, 1 with the reason when not; --result-fd N also writes the\n"
           "           outcome as JSON to descriptor N (docs/sync.md). New or changed media files are\n"
           "           probed by signage-player (beside this program) in a child process\n"
           "publish    write DIR/manifest.txt (size and SHA-256 of every file) for players to verify\n"
           "rollback   make the previous snapshot in the cache current again\n"
           "\n"
           "The share-sync commands of signage-player, in a program that loads no SDL or FFmpeg: it\n"
           "starts in milliseconds, for timers and for the background sync of `signage-player play`.\n"
           "Without --config: /etc/signage-player/player.ini when it exists, else the built-in demo.\n";
}

CliParse parse_cli(int argc, const char* const* argv)
{
    CliParse parse;
    CliOptions& o = parse.options;
    int i = 1;
    if (i < argc && argv[i][0] != '-') {
        std::string_view word = argv[i++];
        if (word == "play")
            o.command = Command::Play;
        else if (word == "check")
            o.command = Command::Check;
        else if (word == "render")
            o.command = Command::Render;
        else if (word == "sync")
            o.command = Command::Sync;
        else if (word == "publish")
            o.command = Command::Publish;
        else if (word == "rollback")
            o.command = Command::Rollback;
        else if (word == "bench")
            o.command = Command::Bench;
        else if (word == "probe")
            o.command = Command::Probe;  // hidden: the sync's media probe (playlist/sync/snapshot_probe.h)
        else if (word == "config-reference")
            o.command = Command::ConfigReference;
        else if (word == "playlist-reference")
            o.command = Command::PlaylistReference;
        else if (word == "help")
            o.command = Command::Help;
        else {
            parse.error = "unknown command \"" + std::string(word) + "\"";
            return parse;
        }
    }
    auto value = [&](const char* flag) -> const char* {
        if (i + 1 >= argc) {
            parse.error = std::string(flag) + " needs a value";
            return nullptr;
        }
        return argv[++i];
    };
    for (; i < argc && parse.error.empty(); ++i) {
        std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            o.command = Command::Help;
        } else if (arg == "--version" || arg == "-V") {
            o.command = Command::Version;
        } else if (arg == "--config" || arg == "-c") {
            if (const char* v = value("--config"))
                o.config = v;
        } else if (arg == "--windowed") {
            o.windowed = true;
        } else if (arg == "--once") {
            o.once = true;
        } else if (arg == "--result-fd") {
            if (const char* v = value("--result-fd")) {
                long fd = -1;
                ValueError e = parse_int(v, 0, 1 << 20, fd);
                if (!e.empty())
                    parse.error = "--result-fd: " + e;
                o.result_fd = static_cast<int>(fd);
            }
        } else if (o.command == Command::Publish && o.dir.empty() && !arg.empty() && arg[0] != '-') {
            o.dir = std::string(arg);
        } else if ((o.command == Command::Bench || o.command == Command::Probe) && !arg.empty() && arg[0] != '-') {
            o.files.emplace_back(arg);
        } else if (o.command == Command::Probe && arg == "--inside") {
            if (const char* v = value("--inside"))
                o.inside = v;
        } else if (arg == "--headless") {
            o.headless = true;
        } else if (arg == "--run-for" || arg == "--at") {
            bool is_at = arg == "--at";
            if (const char* v = value(is_at ? "--at" : "--run-for")) {
                double seconds = 0;
                ValueError e = parse_seconds(v, 0, 10 * 365 * 86400.0, seconds);
                if (!e.empty())
                    parse.error = std::string(arg) + ": " + e;
                else if (is_at)
                    o.at = seconds;
                else
                    o.run_for = seconds;
            }
        } else if (arg == "--capture-at") {
            if (const char* v = value("--capture-at")) {
                for (const std::string& part : split_list(v)) {
                    double seconds = 0;
                    ValueError e = parse_seconds(part, 0, 10 * 365 * 86400.0, seconds);
                    if (!e.empty())
                        parse.error = "--capture-at: " + e;
                    o.capture_at.push_back(seconds);
                }
            }
        } else if (arg == "--capture-dir") {
            if (const char* v = value("--capture-dir"))
                o.capture_dir = v;
        } else if (arg == "--stats") {
            if (const char* v = value("--stats"))
                o.stats_file = v;
        } else if (arg == "--out" || arg == "-o") {
            if (const char* v = value("--out"))
                o.out = v;
        } else if (arg == "--size") {
            if (const char* v = value("--size")) {
                int w = 0, h = 0;
                char tail = 0;
                if (std::sscanf(v, "%dx%d%c", &w, &h, &tail) != 2 || w < 16 || h < 16 || w > 16384 || h > 16384)
                    parse.error = "--size: expected WxH such as 1920x1080 (16 to 16384), got \"" + std::string(v) + "\"";
                o.width = w;
                o.height = h;
            }
        } else {
            parse.error = "unknown option \"" + std::string(arg) + "\"";
        }
    }
    if (parse.error.empty() && o.command == Command::Render) {
        if (!o.at)
            parse.error = "render needs --at SECONDS";
        else if (o.out.empty())
            parse.error = "render needs --out FILE.png";
    }
    if (parse.error.empty() && o.capture_at.empty() != o.capture_dir.empty())
        parse.error = "--capture-at and --capture-dir go together";
    if (parse.error.empty() && o.command == Command::Sync && !o.once)
        parse.error = "sync needs --once (one sync, for scripts and timers)";
    if (parse.error.empty() && o.command != Command::Sync && o.once)
        parse.error = "--once is an option of sync";
    if (parse.error.empty() && o.command != Command::Sync && o.result_fd >= 0)
        parse.error = "--result-fd is an option of sync";
    if (parse.error.empty() && o.command == Command::Bench && o.files.empty())
        parse.error = "bench needs at least one video: signage-player bench FILE...";
    if (parse.error.empty() && o.command == Command::Probe && o.inside.empty())
        parse.error = "probe needs --inside DIR";
    if (parse.error.empty() && o.command == Command::Publish && o.dir.empty())
        parse.error = "publish needs the folder to publish: signage-player publish DIR";
    return parse;
}

}  // namespace signage
