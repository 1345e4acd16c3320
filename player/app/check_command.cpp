// `check`: every problem a content manager can fix, one line each as "file:line: message".
#include "player/front/commands.h"

#include "playlist/base/path_guard.h"
#include "playlist/text/text_encoding.h"
#include "player/render/media_check.h"
#include "player/render/media_lengths.h"
#include "playlist/timeline/fixed_slot_check.h"
#include "player/render/poster_loader.h"
#include "player/render/slide_composer.h"
#include "player/front/screen.h"
#include "playlist/alerts/alert_folder.h"

#include <cstdio>
#include <filesystem>
#include <set>

namespace signage {

namespace {

std::string codepoints(const std::u32string& chars)
{
    std::string out;
    for (char32_t c : chars) {
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(c));
        if (!out.empty())
            out += ", ";
        out += u32_to_utf8(std::u32string(1, c)) + " (" + buffer + ")";
    }
    return out;
}

// Fixed-time slots whose reels overlap in the week ahead, with videos at their probed lengths.
template <typename Report>
void check_fixed_slots(const PlayerSetup& setup, Report& report)
{
    if (setup.playlist.playlist.fixed.empty())
        return;
    auto zone = TimeZone::load(setup.config.timezone);
    if (!zone)
        return;  // the config check says why
    Playlist playlist = setup.playlist.playlist;
    learn_video_lengths(playlist);
    auto shared = std::make_shared<const Playlist>(playlist);
    PlayPlan plan(shared, *zone, setup.config.screen_tags);
    auto length = [&](size_t item) {
        const PlaylistItem& entry = shared->items.at(item);
        return entry.type == ItemType::Video && !entry.duration_set ? entry.known_length.value_or(0) : entry.duration;
    };
    for (const Error& collision : fixed_slot_collisions(plan, length, SystemWallClock().now()))
        report(collision.to_string());
}

}  // namespace

int run_check(const CliOptions&, PlayerSetup& setup)
{
    int problems = 0;
    auto report = [&](const std::string& line) {
        std::printf("%s\n", line.c_str());
        ++problems;
    };
    for (const auto& warning : setup.config_warnings)
        report(warning.to_string());
    for (const auto& error : setup.layout_errors)
        report("layout " + error.to_string());
    const PlaylistLoad& load = setup.playlist;
    for (const auto& error : load.errors)
        report(error.to_string());
    for (const auto& warning : load.warnings)
        report(warning.to_string());
    for (const auto& notice : load.notices)
        std::printf("%s (note)\n", notice.to_string().c_str());

    const Config& config = setup.config;
    for (const auto& font : [&] {
             std::vector<std::string> fonts;
             if (!config.font.empty())
                 fonts.push_back(config.font);
             fonts.insert(fonts.end(), config.fallback_fonts.begin(), config.fallback_fonts.end());
             return fonts;
         }()) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(config.resolve(font), ec))
            report(config.file + ": [text] font file " + config.resolve(font) + " not found");
    }

    auto [canvas_w, canvas_h] = canvas_for(static_cast<int>(config.width), static_cast<int>(config.height),
                                           config.rotation_degrees());
    auto composer = SlideComposer::create(config, setup.paths.fonts, {canvas_w, canvas_h});
    if (!composer) {
        report(composer.error().to_string());
        return 1;
    }
    ImageLimits limits = composer->image_limits();
    const Playlist& playlist = load.playlist;
    std::set<std::string> checked_files;
    auto check_image = [&](const std::string& where, const std::string& path) {
        if (!checked_files.insert(path).second)
            return;
        Status inside = check_real_path_inside(playlist.base_dir, path);
        if (!inside) {
            report(where + ": " + inside.error().to_string());
            return;
        }
        auto image = load_poster(path, limits);
        if (!image)
            report(where + ": " + image.error().to_string());
    };
    // A video is checked the way it will play: opened, and its first frame decoded.
    auto check_video = [&](const std::string& where, const PlaylistItem& item) {
        Status inside = check_real_path_inside(playlist.base_dir, item.path);
        if (!inside) {
            report(where + ": " + inside.error().to_string());
            return;
        }
        if (Status plays = check_video_plays(item, config); !plays)
            report(where + ": " + plays.error().to_string());
    };
    for (const auto& item : playlist.items) {
        std::string where = item.source_file + ":" + std::to_string(item.source_line);
        switch (item.type) {
        case ItemType::Slogan: {
            std::u32string missing = composer->missing_characters(item.text);
            if (!missing.empty())
                report(where + ": no installed font has " + codepoints(missing));
            SloganLayout layout = composer->layout(item.text);
            if (!layout.fits)
                report(where + ": slogan does not fit the safe area even at " + std::to_string(layout.font_size) +
                       " px; shorten it or lower [text] min_font_size");
            break;
        }
        case ItemType::Image: check_image(where, item.path); break;
        case ItemType::Video: check_video(where, item); break;
        }
        if (!item.background_image.empty())
            check_image(where, item.background_image);
    }
    if (!config.text_background_image.empty())
        check_image(config.file, config.resolve(config.text_background_image));
    check_fixed_slots(setup, report);

    // The alerts folder as play reads it now: files that cannot be shown, and image alerts
    // decoded as they would be (an alert left out on purpose, a cancelled one, is a note).
    std::error_code ec;
    if (std::string folder = alerts_folder(setup); std::filesystem::is_directory(folder, ec)) {
        AlertFolder alerts = read_alert_folder(folder, config.alert_language);
        for (const Error& error : alerts.errors)
            report("alert " + error.to_string());
        for (const Error& notice : alerts.notices)
            std::printf("alert %s (note)\n", notice.to_string().c_str());
        for (const Alert& alert : alerts.alerts)
            if (alert.kind == Alert::Kind::Image)
                if (auto image = load_poster(alert.image, limits); !image)
                    report("alert " + image.error().to_string());
    }

    std::fprintf(stderr, "check: %s, %zu items, %d problem%s\n", playlist.file.c_str(), playlist.items.size(),
                 problems, problems == 1 ? "" : "s");
    return problems == 0 ? 0 : 1;
}

}  // namespace signage
