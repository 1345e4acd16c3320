#include "player/front/cli.h"

#include "playlist/base/values.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <optional>
#include <cstring>
#include <string_view>

namespace signage {

const char* usage_text()
{
    return "Usage:\n"
           "  signage-player [play] [--config FILE] [--windowed] [--headless] [--run-for SECONDS]\n"
           "                 [--stats FILE] [--capture-at SECONDS[,SECONDS...] --capture-dir DIR]\n"
           "                 [--wall-clock \"YYYY-MM-DD HH:MM:SS\"] [--time-lapse N] [--clock-jump AT,BY]\n"
           "  signage-player check [--config FILE]\n"
           "  signage-player render [--config FILE] --at SECONDS|\"YYYY-MM-DD HH:MM:SS\" --out FILE.png [--size WxH]\n"
           "                 [--tags a,b] [--wall-clock \"YYYY-MM-DD HH:MM:SS\"]\n"
           "  signage-player render --contact-sheet --out FILE.png [--config FILE] [--tags a,b]\n"
           "                 [--at \"YYYY-MM-DD HH:MM\"] [--size WxH]\n"
           "  signage-player schedule [--config FILE] [--from \"YYYY-MM-DD HH:MM\"] [--hours N] [--tags a,b]\n"
           "                 [--format text|json]\n"
           "  signage-player sync --once [--alerts] [--config FILE] [--result-fd N]\n"
           "  signage-player publish DIR\n"
           "  signage-player rollback [--config FILE]\n"
           "  signage-player bench FILE...\n"
           "  signage-player config-reference | playlist-reference | layout-reference\n"
           "  signage-player --help | --version\n"
           "\n"
           "play       show the playlist (fullscreen unless --windowed or [display] fullscreen = no);\n"
           "           --headless needs no display; --run-for exits 0 after that many seconds;\n"
           "           --stats writes playback figures (frames, drops, A/V offset) as JSON on exit;\n"
           "           --capture-at writes the frame presented at each instant (seconds after playback\n"
           "           starts, as render --at counts) to DIR/capture-MILLISECONDS.png;\n"
           "           --wall-clock runs the schedules from that local time instead of the system's\n"
           "           (a preview of an evening, a test); --time-lapse N runs playback and the wall\n"
           "           clock N times as fast, without sound (days of schedules, alerts and share changes\n"
           "           in minutes; --run-for counts played seconds); --clock-jump AT,BY sets the wall\n"
           "           clock BY seconds (negative: back) AT seconds into playback, as NTP or a person would\n"
           "check      validate the config, the playlist and every file it names; exit 0 when clean,\n"
           "           1 when not, 2 when the config itself is wrong\n"
           "render     write the exact frame on screen SECONDS after playback starts (or at a wall-clock\n"
           "           instant, the screen having played since that day's midnight) to a PNG;\n"
           "           --contact-sheet draws every item the screen shows instead, as thumbnails with\n"
           "           name, length, schedule and group (--at: dims those out of schedule then)\n"
           "schedule   print what the screen plays, one line a play: start, end, item, why\n"
           "           (scheduled, idle, fixed slot, alert); from now (or --from) for 24 hours (--hours)\n"
           "sync       copy [content] share into the cache as a new snapshot, once; exit 0 when the\n"
           "           cache is up to date, 1 with the reason when not; --result-fd N also writes the\n"
           "           outcome as JSON to descriptor N (docs/sync.md); --alerts syncs only the files in\n"
           "           the share's alerts/ folder, into CACHE/alerts (no playlist, no media probe)\n"
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
           "  signage-sync sync --once [--alerts] [--config FILE] [--result-fd N]\n"
           "  signage-sync publish DIR\n"
           "  signage-sync rollback [--config FILE]\n"
           "  signage-sync --help | --version\n"
           "\n"
           "sync       copy [content] share into the cache as a new snapshot, once; exit 0 when the\n"
           "           cache is up to date, 1 with the reason when not; --result-fd N also writes the\n"
           "           outcome as JSON to descriptor N (docs/sync.md). New or changed media files are\n"
           "           probed by signage-player (beside this program) in a child process. --alerts\n"
           "           syncs only the files in the share's alerts/ folder, into CACHE/alerts, settling\n"
           "           [alerts] settle, with no playlist and no probe: what `play` runs every\n"
           "           [alerts] poll_every\n"
           "publish    write DIR/manifest.txt (size and SHA-256 of every file) for players to verify\n"
           "rollback   make the previous snapshot in the cache current again\n"
           "\n"
           "The share-sync commands of signage-player, in a program that loads no SDL or FFmpeg: it\n"
           "starts in milliseconds, for timers and for the background sync of `signage-player play`.\n"
           "Without --config: /etc/signage-player/player.ini when it exists, else the built-in demo.\n";
}

namespace {

constexpr double kLongestSeconds = 10 * 365 * 86400.0;

const struct {
    std::string_view word;
    Command command;
} kCommands[] = {
    {"play", Command::Play},
    {"check", Command::Check},
    {"render", Command::Render},
    {"schedule", Command::Schedule},
    {"sync", Command::Sync},
    {"publish", Command::Publish},
    {"rollback", Command::Rollback},
    {"bench", Command::Bench},
    {"probe", Command::Probe},  // hidden: the sync's media probe (playlist/sync/snapshot_probe.h)
    {"config-reference", Command::ConfigReference},
    {"playlist-reference", Command::PlaylistReference},
    {"layout-reference", Command::LayoutReference},
    {"help", Command::Help},
};

// Walks the arguments; an option's value is the next one.
struct Arguments {
    int argc;
    const char* const* argv;
    int i = 1;
    std::string& error;

    const char* value(std::string_view flag)
    {
        if (i + 1 >= argc) {
            error = std::string(flag) + " needs a value";
            return nullptr;
        }
        return argv[++i];
    }
};

void parse_seconds_option(std::string_view flag, const char* text, std::optional<double>& out, std::string& error)
{
    double seconds = 0;
    ValueError e = parse_seconds(text, 0, kLongestSeconds, seconds);
    if (!e.empty())
        error = std::string(flag) + ": " + e;
    else
        out = seconds;
}

void parse_size_option(const char* text, CliOptions& o, std::string& error)
{
    int w = 0, h = 0;
    char tail = 0;
    if (std::sscanf(text, "%dx%d%c", &w, &h, &tail) != 2 || w < 16 || h < 16 || w > 16384 || h > 16384)
        error = "--size: expected WxH such as 1920x1080 (16 to 16384), got \"" + std::string(text) + "\"";
    o.width = w;
    o.height = h;
}

// play --clock-jump AT,BY: seconds into playback, and seconds the wall clock is set by.
void parse_clock_jump_option(const char* text, CliOptions& o, std::string& error)
{
    std::vector<std::string> parts = split_list(text);
    double at = 0, by = 0;
    ValueError e = parts.size() == 2 ? parse_number(parts[0].c_str(), 0, 1e9, at) : "expected AT,BY (seconds)";
    if (e.empty())
        e = parse_number(parts[1].c_str(), -1e9, 1e9, by);
    if (!e.empty())
        error = "--clock-jump: " + e;
    o.clock_jump = std::pair(at, by);
}

// The words that are not options: publish's folder, bench's and probe's files.
bool parse_operand(std::string_view arg, CliOptions& o)
{
    if (arg.empty() || arg[0] == '-')
        return false;
    if (o.command == Command::Publish && o.dir.empty()) {
        o.dir = std::string(arg);
        return true;
    }
    if (o.command == Command::Bench || o.command == Command::Probe) {
        o.files.emplace_back(arg);
        return true;
    }
    return false;
}

// One option (with its value, when it takes one); unknown ones are an error.
void parse_option(std::string_view arg, Arguments& args, CliOptions& o)
{
    std::string& error = args.error;
    if (arg == "--help" || arg == "-h") {
        o.command = Command::Help;
    } else if (arg == "--version" || arg == "-V") {
        o.command = Command::Version;
    } else if (arg == "--config" || arg == "-c") {
        if (const char* v = args.value("--config"))
            o.config = v;
    } else if (arg == "--windowed") {
        o.windowed = true;
    } else if (arg == "--headless") {
        o.headless = true;
    } else if (arg == "--once") {
        o.once = true;
    } else if (arg == "--alerts") {
        o.alerts = true;
    } else if (arg == "--result-fd") {
        if (const char* v = args.value("--result-fd")) {
            long fd = -1;
            ValueError e = parse_int(v, 0, 1 << 20, fd);
            if (!e.empty())
                error = "--result-fd: " + e;
            o.result_fd = static_cast<int>(fd);
        }
    } else if (o.command == Command::Probe && arg == "--inside") {
        if (const char* v = args.value("--inside"))
            o.inside = v;
    } else if (arg == "--at") {
        // Seconds after playback starts, or a wall-clock instant (read in [screen] timezone later).
        if (const char* v = args.value(arg)) {
            if (std::strchr(v, '-') && std::strchr(v, ':'))
                o.at_wall = v;
            else
                parse_seconds_option(arg, v, o.at, error);
        }
    } else if (arg == "--run-for") {
        if (const char* v = args.value(arg))
            parse_seconds_option(arg, v, o.run_for, error);
    } else if (arg == "--wall-clock") {
        if (const char* v = args.value(arg))
            o.wall_clock = v;
    } else if (arg == "--time-lapse") {
        if (const char* v = args.value(arg)) {
            ValueError e = parse_number(v, 1, 100000, o.time_lapse);
            if (!e.empty())
                error = "--time-lapse: " + e;
        }
    } else if (arg == "--clock-jump") {
        if (const char* v = args.value(arg))
            parse_clock_jump_option(v, o, error);
    } else if (arg == "--from") {
        if (const char* v = args.value(arg))
            o.from = v;
    } else if (arg == "--hours") {
        if (const char* v = args.value(arg)) {
            ValueError e = parse_number(v, 0.01, 24 * 366, o.hours);
            if (!e.empty())
                error = "--hours: " + e;
        }
    } else if (arg == "--tags") {
        if (const char* v = args.value(arg))
            o.tags = split_list(v);
    } else if (arg == "--format") {
        if (const char* v = args.value(arg)) {
            ValueError e = parse_choice(v, "text|json", o.format);
            if (!e.empty())
                error = "--format: " + e;
        }
    } else if (arg == "--capture-at") {
        if (const char* v = args.value(arg))
            for (const std::string& part : split_list(v)) {
                std::optional<double> seconds;
                parse_seconds_option(arg, part.c_str(), seconds, error);
                o.capture_at.push_back(seconds.value_or(0));
            }
    } else if (arg == "--capture-dir") {
        if (const char* v = args.value(arg))
            o.capture_dir = v;
    } else if (arg == "--stats") {
        if (const char* v = args.value(arg))
            o.stats_file = v;
    } else if (arg == "--contact-sheet") {
        o.contact_sheet = true;
    } else if (arg == "--out" || arg == "-o") {
        if (const char* v = args.value("--out"))
            o.out = v;
    } else if (arg == "--size") {
        if (const char* v = args.value(arg))
            parse_size_option(v, o, error);
    } else {
        error = "unknown option \"" + std::string(arg) + "\"";
    }
}

// What a command needs, and options given to a command that has no use for them.
std::string missing_or_misplaced(const CliOptions& o)
{
    if (o.command != Command::Render && o.contact_sheet)
        return "--contact-sheet is an option of render";
    if (o.contact_sheet && o.at)
        return "render --contact-sheet takes --at as a wall-clock instant \"YYYY-MM-DD HH:MM\"";
    if (o.contact_sheet && !o.wall_clock.empty())
        return "--wall-clock is not an option of render --contact-sheet";
    if (o.command == Command::Render && !o.contact_sheet && !o.at && o.at_wall.empty())
        return "render needs --at SECONDS or --at \"YYYY-MM-DD HH:MM:SS\" (or --contact-sheet)";
    if (o.command != Command::Schedule && (!o.from.empty() || o.format != "text" || o.hours != 24))
        return "--from, --hours and --format are options of schedule";
    if (o.command != Command::Play && o.command != Command::Render && !o.wall_clock.empty())
        return "--wall-clock is an option of play and render";
    if (o.command != Command::Play && (o.time_lapse != 1 || o.clock_jump))
        return "--time-lapse and --clock-jump are options of play";
    if (!o.at_wall.empty() && !o.wall_clock.empty())
        return "--at a wall-clock instant and --wall-clock do not go together (render --at SECONDS --wall-clock "
               "\"YYYY-MM-DD HH:MM:SS\", or render --at \"YYYY-MM-DD HH:MM:SS\")";
    if (o.command != Command::Schedule && o.command != Command::Render && o.tags)
        return "--tags is an option of schedule and render";
    if (o.command == Command::Render && o.out.empty())
        return "render needs --out FILE.png";
    if (o.capture_at.empty() != o.capture_dir.empty())
        return "--capture-at and --capture-dir go together";
    if (o.command == Command::Sync && !o.once)
        return "sync needs --once (one sync, for scripts and timers)";
    if (o.command != Command::Sync && o.once)
        return "--once is an option of sync";
    if (o.command != Command::Sync && o.result_fd >= 0)
        return "--result-fd is an option of sync";
    if (o.command != Command::Sync && o.alerts)
        return "--alerts is an option of sync";
    if (o.command == Command::Bench && o.files.empty())
        return "bench needs at least one video: signage-player bench FILE...";
    if (o.command == Command::Probe && o.inside.empty())
        return "probe needs --inside DIR";
    if (o.command == Command::Publish && o.dir.empty())
        return "publish needs the folder to publish: signage-player publish DIR";
    return "";
}

}  // namespace

CliParse parse_cli(int argc, const char* const* argv)
{
    CliParse parse;
    CliOptions& o = parse.options;
    Arguments args{argc, argv, 1, parse.error};
    if (argc > 1 && argv[1][0] != '-') {
        std::string_view word = argv[args.i++];
        auto known = std::find_if(std::begin(kCommands), std::end(kCommands),
                                  [&](const auto& entry) { return entry.word == word; });
        if (known == std::end(kCommands)) {
            parse.error = "unknown command \"" + std::string(word) + "\"";
            return parse;
        }
        o.command = known->command;
    }
    for (; args.i < argc && parse.error.empty(); ++args.i) {
        std::string_view arg = argv[args.i];
        if (!parse_operand(arg, o))
            parse_option(arg, args, o);
    }
    if (parse.error.empty())
        parse.error = missing_or_misplaced(o);
    return parse;
}

}  // namespace signage
