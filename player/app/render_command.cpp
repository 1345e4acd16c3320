// `render --at T --out FILE.png`: one exact frame, written as PNG. T is seconds after playback
// starts (now, or --wall-clock), or a wall-clock instant: then the screen is taken to have played
// since that day's midnight, so fixed slots, schedules and alerts of the day are all in it.
// `render --contact-sheet --out FILE.png`: every item as a thumbnail instead (contact_sheet.h).
#include "player/front/commands.h"

#include "player/app/contact_sheet.h"
#include "player/app/frame_renderer.h"
#include "player/front/screen.h"
#include "playlist/base/log.h"
#include "playlist/schedule/time_zone.h"

#include <SDL_image.h>
#include <algorithm>

namespace signage {

namespace {

struct Instant {
    double at = 0;          // seconds after playback starts
    WallTime start = 0;     // when playback starts
    std::string label;      // for the log
};

Result<Instant> instant_for(const CliOptions& cli, const Config& config)
{
    auto zone = TimeZone::load(config.timezone);
    if (!zone)
        return zone.error();
    if (!cli.at_wall.empty()) {
        auto wall = zone->parse_local(cli.at_wall);
        if (!wall)
            return Error{"", 0, "--at: " + wall.error().message};
        WallTime midnight = zone->first_instant(zone->local(*wall).date, 0);
        return Instant{*wall - midnight, midnight, zone->format(*wall)};
    }
    auto clock = wall_clock_for(cli, config);
    if (!clock)
        return clock.error();
    return Instant{*cli.at, (*clock)->now(), format_seconds(*cli.at)};
}

bool save_png(SDL_Surface* image, const std::string& path)
{
    if (IMG_SavePNG(image, path.c_str()) == 0)
        return true;
    log::error(path + ": cannot write PNG: " + IMG_GetError());
    return false;
}

int render_contact_sheet(const CliOptions& cli, const PlayerSetup& setup, int width, int height)
{
    ContactSheetOptions options;
    options.screen_width = width;
    options.screen_height = height;
    options.now = SystemWallClock().now();
    if (!cli.at_wall.empty()) {
        auto zone = TimeZone::load(setup.config.timezone);
        auto wall = zone ? zone->parse_local(cli.at_wall) : Result<WallTime>(zone.error());
        if (!wall) {
            log::error("--at: " + wall.error().message);
            return 2;
        }
        options.at = *wall;
    }
    auto sheet = make_contact_sheet(setup, options);
    if (!sheet) {
        log::error(sheet.error().to_string());
        return 1;
    }
    if (!save_png(sheet->image.get(), cli.out))
        return 1;
    auto broken = std::count_if(sheet->tiles.begin(), sheet->tiles.end(),
                                [](const SheetTile& tile) { return tile.broken && !tile.screen; });
    auto items = std::count_if(sheet->tiles.begin(), sheet->tiles.end(), [](const SheetTile& tile) { return !tile.screen; });
    log::info("contact sheet of " + std::to_string(items) + " items (" + std::to_string(broken) +
              " cannot show, " + std::to_string(sheet->other_screens) + " for other screens left out), " +
              std::to_string(sheet->image->w) + "x" + std::to_string(sheet->image->h) + ", to " + cli.out);
    return 0;
}

}  // namespace

int run_render(const CliOptions& cli, PlayerSetup& setup)
{
    if (cli.tags)
        setup.config.screen_tags = *cli.tags;
    const int width = cli.width > 0 ? cli.width : static_cast<int>(setup.config.width);
    const int height = cli.height > 0 ? cli.height : static_cast<int>(setup.config.height);
    if (cli.contact_sheet)
        return render_contact_sheet(cli, setup, width, height);
    auto instant = instant_for(cli, setup.config);
    if (!instant) {
        log::error(instant.error().to_string());
        return 2;
    }
    auto frame = render_frame(setup, instant->at, instant->start, width, height);
    if (!frame) {
        log::error(frame.error().to_string());
        return 1;
    }
    if (!save_png(frame->image.get(), cli.out))
        return 1;
    log::info("rendered " + frame->description + " at " + instant->label + " to " + cli.out);
    return 0;
}

}  // namespace signage
