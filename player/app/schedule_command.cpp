// `schedule`: what this screen will play, one line a play, from the same timeline `play` asks.
// Videos are probed for their length, as the screen learns it when it opens them.
#include "player/front/commands.h"

#include "player/app/probed_timings.h"
#include "player/front/screen.h"
#include "playlist/alerts/alert_folder.h"
#include "playlist/base/json.h"
#include "playlist/base/log.h"
#include "playlist/base/values.h"
#include "playlist/timeline/schedule_preview.h"

#include <cstdio>

namespace signage {

namespace {

std::string format_number(double value)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.3f", value);
    std::string out = text;
    while (out.back() == '0')
        out.pop_back();
    if (out.back() == '.')
        out.pop_back();
    return out;
}

std::string describe_play(const PlayLine& line, const Playlist& playlist)
{
    if (!line.item)
        return line.alert.empty() ? "(nothing in schedule)" : "alert file " + line.alert;
    const PlaylistItem& item = playlist.items.at(*line.item);
    std::string text = item.name + " (" + std::string(item_type_name(item.type)) + ", " + item.source + ")";
    if (line.offset > 0)
        text += " resumed at " + format_seconds(line.offset);
    return text;
}

void print_text(const std::vector<PlayLine>& lines, const PlayPlan& plan, const std::string& screen)
{
    std::printf("# %s\n# start                end                  what (why)\n", screen.c_str());
    for (const PlayLine& line : lines)
        std::printf("%s  %s  %s  [%s%s]\n", plan.zone().format(line.start).c_str(), plan.zone().format(line.end).c_str(),
                    describe_play(line, plan.playlist()).c_str(), std::string(play_reason_name(line.reason)).c_str(),
                    line.banner ? ", banner" : "");
}

void print_json(const std::vector<PlayLine>& lines, const PlayPlan& plan, const Config& config)
{
    std::string out = "{\"screen\": " + json_string(config.screen_id) + ", \"timezone\": " +
                      json_string(plan.zone().name()) + ", \"plays\": [";
    for (size_t i = 0; i < lines.size(); ++i) {
        const PlayLine& line = lines[i];
        out += i ? ",\n  " : "\n  ";
        out += "{\"start\": " + json_string(plan.zone().format(line.start)) +
               ", \"end\": " + json_string(plan.zone().format(line.end)) +
               ", \"start_unix\": " + format_number(line.start) + ", \"end_unix\": " + format_number(line.end) +
               ", \"reason\": " + json_string(play_reason_name(line.reason));
        if (line.item) {
            const PlaylistItem& item = plan.playlist().items.at(*line.item);
            out += ", \"item\": " + json_string(item.name) + ", \"type\": " + json_string(item_type_name(item.type)) +
                   ", \"source\": " + json_string(item.source);
        } else if (!line.alert.empty()) {
            out += ", \"alert\": " + json_string(line.alert);
        }
        if (line.offset > 0)
            out += ", \"offset\": " + format_number(line.offset);
        if (line.banner)
            out += ", \"banner\": true";
        out += "}";
    }
    out += "\n]}\n";
    std::fputs(out.c_str(), stdout);
}

}  // namespace

int run_schedule(const CliOptions& cli, PlayerSetup& setup)
{
    Config& config = setup.config;
    if (cli.tags)
        config.screen_tags = *cli.tags;
    auto zone = TimeZone::load(config.timezone);
    if (!zone) {
        log::error(zone.error().to_string());
        return 2;
    }
    WallTime from = SystemWallClock().now();
    if (!cli.from.empty()) {
        auto parsed = zone->parse_local(cli.from);
        if (!parsed) {
            log::error("--from: " + parsed.error().message);
            return 2;
        }
        from = *parsed;
    }
    auto playlist = std::make_shared<const Playlist>(setup.playlist.playlist);
    auto plan = std::make_shared<const PlayPlan>(playlist, *zone, config.screen_tags);
    ProbedTimings timings = probe_timings(*playlist, *plan);
    for (size_t i = 0; i < playlist->items.size(); ++i)
        if (timings.failed[i])
            log::warn(playlist->items[i].source + ": " + timings.errors[i] + "; it is left out");

    PreviewSetup preview;
    preview.plan = plan;
    preview.timings = std::move(timings.timings);
    preview.failed = std::move(timings.failed);
    preview.from = from;
    preview.seconds = cli.hours * 3600;
    preview.alert_mode = config.alert_mode == "banner" ? AlertMode::Banner : AlertMode::Fullscreen;
    preview.alert_rotate = config.alert_rotate;
    preview.locked = config.clock_locked;
    AlertFolder alerts = read_alert_folder(alerts_folder(setup), config.alert_language);
    for (const Alert& alert : alerts.alerts) {
        preview.alert_files.push_back({alert.effective, alert.expires});
        preview.alert_names.push_back(alert.id);
    }
    std::vector<PlayLine> lines = preview_schedule(preview);
    if (cli.format == "json")
        print_json(lines, *plan, config);
    else
        print_text(lines, *plan, describe_screen(config) + ", from " + zone->format(from) + " for " +
                                     format_number(cli.hours) + " h");
    return 0;
}

}  // namespace signage
