#include "player/app/contact_sheet.h"

#include "player/app/frame_renderer.h"
#include "player/app/probed_timings.h"
#include "player/app/sheet_painter.h"
#include "player/front/screen.h"
#include "player/render/media_check.h"
#include "player/render/show.h"
#include "player/render/surface_ops.h"
#include "player/render/video_picture.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <cstdio>

namespace signage {

namespace {

// A light page with dark text reads well on screen and on paper, and sets the thumbnails (mostly
// dark slides) apart from it.
constexpr Color kPage{0xF2, 0xF3, 0xF5};
constexpr Color kInk{0x1F, 0x23, 0x28};
constexpr Color kMuted{0x5F, 0x66, 0x70};
constexpr Color kRule{0xC4, 0xC8, 0xCE};
constexpr Color kGroupInk{0x1D, 0x5F, 0xA8};
constexpr Color kBrokenTile{0x9A, 0x9A, 0x9A};
constexpr Color kFixedMark{0x15, 0x65, 0xC0};
constexpr Color kAlertMark{0xC6, 0x28, 0x28};
constexpr Color kIdleMark{0x6D, 0x4C, 0x41};
constexpr Color kDarkMark{0x26, 0x29, 0x2E};

// Narrower, a slogan's text is too small to read on the thumbnail; a portrait screen's tiles are
// tall, so narrower ones still show it (and the labels still fit).
constexpr int kMinTileWidth = 360;
constexpr int kMinPortraitTileWidth = 280;
constexpr int kMinSheetWidth = 960;
constexpr int kMaxSheetWidth = 3840;
// What a "not now" picture keeps of its brightness: dim enough to tell at a glance, bright
// enough to see what it is.
constexpr double kDimmed = 0.35;

int line_height(int px)
{
    return SheetPainter::line_height(px);
}

// Where everything goes: a title block, a grid of tiles (a thumbnail over three label lines),
// and a footer line when items were left off.
struct Layout {
    int width = 0, margin = 0, gap = 0, columns = 1, rows = 0;
    int tile_w = 0, tile_h = 0;
    int body_px = 0, name_px = 0, title_px = 0, subtitle_px = 0;
    int title_h = 0, label_h = 0, footer_h = 0;

    int cell_h() const { return tile_h + label_h + gap; }
    int height() const { return title_h + rows * cell_h() - (rows > 0 ? gap : 0) + footer_h + margin; }
    Rect picture(size_t index) const
    {
        int column = static_cast<int>(index % columns), row = static_cast<int>(index / columns);
        return {margin + column * (tile_w + gap), title_h + row * cell_h(), tile_w, tile_h};
    }
};

Layout plan_layout(int screen_width, int canvas_w, int canvas_h, size_t tiles, bool footer)
{
    Layout l;
    l.width = std::clamp(screen_width, kMinSheetWidth, kMaxSheetWidth);
    l.margin = l.width / 60;
    l.gap = l.margin * 3 / 4;
    const int min_tile = canvas_h > canvas_w ? kMinPortraitTileWidth : kMinTileWidth;
    l.columns = std::max(1, (l.width - 2 * l.margin + l.gap) / (min_tile + l.gap));
    l.tile_w = (l.width - 2 * l.margin - (l.columns - 1) * l.gap) / l.columns;
    // The screen's shape, within reason: a 16x16384 "screen" still gives a page.
    double aspect = std::clamp(static_cast<double>(canvas_h) / std::max(1, canvas_w), 0.25, 3.0);
    l.tile_h = std::max(1, static_cast<int>(std::lround(l.tile_w * aspect)));
    l.rows = static_cast<int>((tiles + l.columns - 1) / l.columns);
    // Text grows with the tiles, from readable on a 960-pixel page to a 4K one.
    l.body_px = std::clamp(l.tile_w / 25, 13, 22);
    l.name_px = l.body_px + 3;
    l.title_px = std::clamp(l.width / 56, 20, 44);
    l.subtitle_px = l.title_px * 3 / 5;
    l.title_h = l.margin + line_height(l.title_px) + line_height(l.subtitle_px) + l.margin;
    l.label_h = l.body_px / 2 + line_height(l.name_px) + 2 * line_height(l.body_px);
    l.footer_h = footer ? 2 * line_height(l.body_px) : 0;
    return l;
}

// The item's own rules, then its groups' from the innermost out: all of them decide.
std::vector<const PlayRules*> rules_around(const Playlist& playlist, const PlaylistItem& item)
{
    std::vector<const PlayRules*> rules{&item.rules};
    int depth = 0;
    for (std::optional<size_t> g = item.group; g && depth <= kMaxGroupDepth; g = playlist.groups[*g].parent, ++depth)
        rules.push_back(&playlist.groups[*g].rules);
    return rules;
}

struct Mark {
    std::string text;
    Color color;
};

// Entries out of the loop, whether by their own keys or their group's.
std::vector<Mark> marks_of(const std::vector<const PlayRules*>& rules)
{
    auto any = [&](auto test) { return std::any_of(rules.begin(), rules.end(), test); };
    std::vector<Mark> marks;
    if (any([](const PlayRules* r) { return r->at.has_value(); }))
        marks.push_back({"fixed slot", kFixedMark});
    if (any([](const PlayRules* r) { return r->priority == Priority::Alert; }))
        marks.push_back({"alert", kAlertMark});
    if (any([](const PlayRules* r) { return r->idle; }))
        marks.push_back({"idle", kIdleMark});
    return marks;
}

// "group psa, every 3 · tags bank,hall": how the item's group plays, and the group's own rules.
std::string group_label(const Playlist& playlist, const PlaylistItem& item)
{
    if (!item.group)
        return "";
    const PlaylistGroup& group = playlist.groups[*item.group];
    std::string text = "group " + group.name;
    if (group.every > 0)
        text += ", every " + std::to_string(group.every);
    if (group.pick == GroupPick::One)
        text += ", pick one";
    if (group.shuffle)
        text += ", shuffled";
    if (group.parent)
        text += ", in " + playlist.groups[*group.parent].name;
    if (item.rules.weight != 1) {
        char weight[32];
        std::snprintf(weight, sizeof weight, ", weight %g", item.rules.weight);
        text += weight;
    }
    std::string rules = group.rules.describe();
    return rules.empty() ? text : text + " · " + rules;
}

// "8 s", "12.5 s", "2:05 min", "1 h 05 min".
std::string format_length(double seconds)
{
    char text[32];
    long whole = std::lround(seconds);
    if (seconds < 60)
        std::snprintf(text, sizeof text, std::fabs(seconds - whole) < 0.05 ? "%.0f s" : "%.1f s", seconds);
    else if (whole < 3600)
        std::snprintf(text, sizeof text, "%ld:%02ld min", whole / 60, whole % 60);
    else
        std::snprintf(text, sizeof text, "%ld h %02ld min", whole / 3600, whole / 60 % 60);
    return text;
}

// An error as a person reads it on a tile: paths inside the playlist's folder without it.
std::string readable_error(const Error& error, const std::string& base_dir)
{
    std::string text = error.to_string();
    const std::string prefix = base_dir + "/";
    for (size_t at = 0; !base_dir.empty() && (at = text.find(prefix, at)) != std::string::npos;)
        text.erase(at, prefix.size());
    return text;
}

// Draws one sheet; each step is one part of the page.
class SheetMaker {
public:
    SheetMaker(const PlayerSetup& setup, const ContactSheetOptions& options, const TimeZone& zone)
        : m_setup(setup),
          m_options(options),
          m_zone(zone),
          m_playlist(std::make_shared<const Playlist>(setup.playlist.playlist)),
          m_plan(m_playlist, zone, setup.config.screen_tags)
    {
        // With a layout, each playlist zone's plan says which items it plays.
        if (setup.layout)
            for (const Zone* z : setup.layout->playlist_zones())
                m_zone_plans.push_back({z, PlayPlan(m_playlist, zone, setup.config.screen_tags, -kNever,
                                                    ScreenZone{z->name, z == setup.layout->main()})});
    }

    Result<ContactSheet> run();

private:
    Status start();
    void choose_items();
    void draw_title();
    void draw_tile(SheetTile& tile);
    void draw_screen(SheetTile& tile);
    void draw_thumbnail(SheetTile& tile);
    void draw_marks(const SheetTile& tile);
    void draw_labels(const SheetTile& tile);
    void draw_footer();
    Result<SurfacePtr> item_picture(size_t item);
    // The zone an item plays in (nullptr: the whole screen, no layout); whether it plays at all.
    const Zone* zone_of(size_t item) const;
    bool targeted(size_t item) const;
    Result<SlideComposer*> composer_for(size_t item);

    const PlayerSetup& m_setup;
    const ContactSheetOptions& m_options;
    const TimeZone& m_zone;
    std::shared_ptr<const Playlist> m_playlist;
    PlayPlan m_plan;
    std::vector<size_t> m_shown;  // the items drawn, in playlist order
    ContactSheet m_sheet;
    Layout m_layout;
    std::optional<SheetPainter> m_painter;
    std::optional<SlideComposer> m_composer;
    ProbedTimings m_timings;
    struct ZonePlan {
        const Zone* zone;
        PlayPlan plan;
    };
    std::vector<ZonePlan> m_zone_plans;
    std::map<const Zone*, SlideComposer> m_zone_composers;  // slides composed for their zone's size
};

const Zone* SheetMaker::zone_of(size_t item) const
{
    for (const ZonePlan& z : m_zone_plans)
        if (z.plan.targeted(item))
            return z.zone;
    return nullptr;
}

bool SheetMaker::targeted(size_t item) const
{
    return m_zone_plans.empty() ? m_plan.targeted(item) : zone_of(item) != nullptr;
}

Result<SlideComposer*> SheetMaker::composer_for(size_t item)
{
    const Zone* zone = zone_of(item);
    if (!zone)
        return &*m_composer;
    if (auto it = m_zone_composers.find(zone); it != m_zone_composers.end())
        return &it->second;
    CanvasSize screen = m_composer->canvas();
    Rect area = resolve_area(zone->area, screen.width, screen.height);
    auto composer = SlideComposer::create(m_setup.config, m_setup.paths.fonts,
                                          CanvasSize{std::max(1, area.w), std::max(1, area.h)});
    if (!composer)
        return composer.error();
    return &m_zone_composers.emplace(zone, std::move(*composer)).first->second;
}

Result<ContactSheet> SheetMaker::run()
{
    if (Status started = start(); !started)
        return started.error();
    draw_title();
    size_t first = 0;
    if (m_setup.layout) {
        SheetTile tile;
        tile.screen = true;
        tile.picture = m_layout.picture(0);
        draw_screen(tile);
        m_sheet.tiles.push_back(std::move(tile));
        first = 1;
    }
    for (size_t i = 0; i < m_shown.size(); ++i) {
        SheetTile tile;
        tile.item = m_shown[i];
        tile.picture = m_layout.picture(i + first);
        draw_tile(tile);
        m_sheet.tiles.push_back(std::move(tile));
    }
    draw_footer();
    return std::move(m_sheet);
}

// This screen's items, in playlist order, up to the cap.
void SheetMaker::choose_items()
{
    for (size_t i = 0; i < m_playlist->items.size(); ++i) {
        if (!targeted(i))
            ++m_sheet.other_screens;
        else if (m_shown.size() < m_options.max_items)
            m_shown.push_back(i);
        else
            ++m_sheet.more;
    }
}

// Chooses the items, lays out the page and opens what draws on it.
Status SheetMaker::start()
{
    const Config& config = m_setup.config;
    choose_items();
    auto [canvas_w, canvas_h] = canvas_for(m_options.screen_width, m_options.screen_height, config.rotation_degrees());
    const size_t tiles = m_shown.size() + (m_setup.layout ? 1 : 0);
    m_layout = plan_layout(m_options.screen_width, canvas_w, canvas_h, tiles, m_sheet.more > 0);
    m_sheet.columns = m_layout.columns;
    m_sheet.image = make_argb_surface(m_layout.width, m_layout.height());
    if (!m_sheet.image)
        return Error{"", 0, sdl_error("cannot allocate the contact sheet")};
    fill(m_sheet.image.get(), kPage);
    auto painter = SheetPainter::create(m_sheet.image.get(), m_setup.paths.fonts);
    if (!painter)
        return painter.error();
    m_painter.emplace(std::move(*painter));
    // The slides are composed for the real screen and scaled down, so a thumbnail shows the
    // line breaks and sizes the screen shows.
    auto composer = SlideComposer::create(config, m_setup.paths.fonts, CanvasSize{canvas_w, canvas_h});
    if (!composer)
        return composer.error();
    m_composer.emplace(std::move(*composer));
    m_timings = probe_timings(*m_playlist, m_plan);
    return {};
}

void SheetMaker::draw_title()
{
    const Layout& l = m_layout;
    int y = l.margin;
    int wide = l.width - 2 * l.margin;
    m_painter->text("Contact sheet – " + describe_screen(m_setup.config), l.margin, y, l.title_px, kInk, wide,
                    Weight::Bold);
    y += line_height(l.title_px);
    std::string when = m_options.at ? "at " + m_zone.format(*m_options.at) + ", dimmed: out of schedule then"
                                    : "made " + m_zone.format(m_options.now) + ", schedules not applied";
    std::string count = std::to_string(m_shown.size() + m_sheet.more) + " items";
    if (m_sheet.other_screens > 0)
        count += " (" + std::to_string(m_sheet.other_screens) + " more for other screens' tags)";
    if (!m_setup.playlist.errors.empty())
        count += ", " + std::to_string(m_setup.playlist.errors.size()) + " playlist errors (see check)";
    m_painter->text(when + " · " + count, l.margin, y, l.subtitle_px, kMuted, wide);
}

// With a layout: the whole screen, every zone, the ticker where it is and the clock, drawn as
// `render --at` draws it (the screen having played since that day's midnight).
void SheetMaker::draw_screen(SheetTile& tile)
{
    const Layout& l = m_layout;
    const Rect& at = tile.picture;
    const WallTime when = m_options.at.value_or(m_options.now);
    const WallTime midnight = m_zone.first_instant(m_zone.local(when).date, 0);
    auto frame = render_frame(m_setup, when - midnight, midnight, m_options.screen_width, m_options.screen_height);
    m_painter->outline(at, kRule);
    SurfacePtr scaled;
    Rect place = at;
    if (frame) {
        place = fit_image(frame->image->w, frame->image->h, at, Fit::Contain).dest;
        scaled = scale_region(frame->image.get(), {0, 0, frame->image->w, frame->image->h}, place.w, place.h);
    }
    if (scaled) {
        m_painter->picture(scaled.get(), place);
    } else {
        tile.broken = true;
        tile.error = frame ? sdl_error("cannot scale the picture") : readable_error(frame.error(), m_playlist->base_dir);
        m_painter->box(at, kBrokenTile);
        m_painter->wrapped(tile.error, {at.x + l.body_px, at.y + l.body_px, at.w - 2 * l.body_px, at.h - 2 * l.body_px},
                           l.body_px, kInk);
    }
    int y = at.y + at.h + l.body_px / 2;
    m_painter->text("the whole screen", at.x, y, l.name_px, kInk, at.w, Weight::Bold);
    y += line_height(l.name_px);
    // "as shown at 10:00:03": the title names the day.
    m_painter->text("layout " + std::filesystem::path(m_setup.layout->file).filename().string() + " · as shown at " +
                        m_zone.format(when).substr(11),
                    at.x, y, l.body_px, kMuted, at.w);
}

void SheetMaker::draw_tile(SheetTile& tile)
{
    tile.not_now = m_options.at && !m_plan.scheduled_at(tile.item, *m_options.at);
    draw_thumbnail(tile);
    draw_marks(tile);
    draw_labels(tile);
}

// The item's picture scaled into the tile; grey with the reason when it cannot be made.
void SheetMaker::draw_thumbnail(SheetTile& tile)
{
    const Rect& at = tile.picture;
    auto picture = item_picture(tile.item);
    // A zone's picture keeps its own shape in the tile (a side column is narrow).
    Rect place = at;
    if (picture)
        place = fit_image((*picture)->w, (*picture)->h, at, Fit::Contain).dest;
    SurfacePtr scaled = picture ? scale_region(picture->get(), {0, 0, (*picture)->w, (*picture)->h}, place.w, place.h)
                                : nullptr;
    m_painter->outline(at, kRule);
    if (!scaled) {
        tile.broken = true;
        tile.error = picture ? sdl_error("cannot scale the picture")
                             : readable_error(picture.error(), m_playlist->base_dir);
        m_painter->box(at, kBrokenTile);
        const int pad = m_layout.body_px;
        const int top = pad + SheetPainter::badge_height(m_layout.body_px);
        m_painter->wrapped(tile.error, {at.x + pad, at.y + top, at.w - 2 * pad, at.h - top - pad / 2}, m_layout.body_px,
                           kInk);
        return;
    }
    if (place.w != at.w || place.h != at.h)
        m_painter->box(at, kRule);
    m_painter->picture(scaled.get(), place);
    // Only pictures are dimmed: a broken tile stays grey, its reason matters more than the schedule.
    if (tile.not_now)
        m_painter->darken(at, kDimmed);
}

// Runs the load the screen runs (item_load_job): a slide comes composed, a video opened, and its
// first frame drawn as the screen draws it.
Result<SurfacePtr> SheetMaker::item_picture(size_t item)
{
    const Config& config = m_setup.config;
    VideoSettings video;
    video.limits.max_megapixels = config.max_image_megapixels;
    video.limits.max_file_bytes = static_cast<uint64_t>(config.max_file_mb) << 20;
    video.hardware = false;  // the same pictures on every box; no sound device either
    auto composer = composer_for(item);
    if (!composer)
        return composer.error();
    auto loaded = item_load_job(m_playlist, item, video)(**composer);
    if (!loaded)
        return loaded.error();
    if (loaded->picture)
        return std::move(loaded->picture);
    if (!loaded->video.video)
        return Error{m_playlist->items[item].source, 0, "nothing to show"};
    CanvasSize canvas = (*composer)->canvas();
    return video_still(*loaded->video.video, m_playlist->items[item].fit, config.background, canvas.width,
                       canvas.height);
}

// Badges in the thumbnail's corner, and "not now" across its middle.
void SheetMaker::draw_marks(const SheetTile& tile)
{
    const Layout& l = m_layout;
    const Rect& at = tile.picture;
    const int px = l.body_px - 1, pad = l.body_px / 2;
    int x = at.x + pad;
    std::vector<Mark> marks = marks_of(rules_around(*m_playlist, m_playlist->items[tile.item]));
    if (tile.broken)
        marks.insert(marks.begin(), Mark{"cannot show", kDarkMark});
    for (const Mark& mark : marks)
        x += m_painter->badge(mark.text, x, at.y + pad, px, mark.color) + pad;
    if (tile.not_now) {
        const int big = l.name_px * 5 / 4;
        const int w = m_painter->text_width("not now", big, Weight::Bold) + big;
        m_painter->badge("not now", at.x + (at.w - w) / 2, at.y + (at.h - SheetPainter::badge_height(big)) / 2, big,
                         kDarkMark);
    }
}

// Name and length, then kind and schedule, then the group.
void SheetMaker::draw_labels(const SheetTile& tile)
{
    const Layout& l = m_layout;
    const PlaylistItem& item = m_playlist->items[tile.item];
    const Rect& at = tile.picture;
    int y = at.y + at.h + l.body_px / 2;
    const bool unknown = m_timings.failed[tile.item];
    std::string length = unknown ? "length ?" : format_length(m_timings.timings[tile.item].duration);
    const int length_w = m_painter->text_width(length, l.body_px);
    m_painter->text(length, at.x + at.w - length_w, y + (line_height(l.name_px) - line_height(l.body_px)) / 2,
                    l.body_px, kMuted, length_w);
    m_painter->text(item.name, at.x, y, l.name_px, kInk, at.w - length_w - l.body_px, Weight::Bold);
    y += line_height(l.name_px);
    std::string rules = item.rules.describe();
    std::string kind = std::string(item_type_name(item.type)) + " · " + (rules.empty() ? "always" : rules);
    m_painter->text(kind, at.x, y, l.body_px, kMuted, at.w);
    y += line_height(l.body_px);
    m_painter->text(group_label(*m_playlist, item), at.x, y, l.body_px, kGroupInk, at.w);
}

void SheetMaker::draw_footer()
{
    if (m_sheet.more == 0)
        return;
    const Layout& l = m_layout;
    int y = l.height() - l.margin - l.footer_h + line_height(l.body_px) / 2;
    m_painter->text("+" + std::to_string(m_sheet.more) + " more: the sheet shows the first " +
                        std::to_string(m_shown.size()) + " items",
                    l.margin, y, l.name_px, kInk, l.width - 2 * l.margin, Weight::Bold);
}

}  // namespace

Result<ContactSheet> make_contact_sheet(const PlayerSetup& setup, const ContactSheetOptions& options)
{
    auto zone = TimeZone::load(setup.config.timezone);
    if (!zone)
        return zone.error();
    SheetMaker maker(setup, options, *zone);
    return maker.run();
}

}  // namespace signage
