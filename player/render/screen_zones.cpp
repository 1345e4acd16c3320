#include "player/render/screen_zones.h"

#include "playlist/base/log.h"
#include "playlist/timeline/play_plan.h"

#include <algorithm>
#include <cmath>

namespace signage {

namespace {

// The slogans of the playlist meant for a ticker's zone (`zone = NAME` on them): what a ticker
// without a file of its own scrolls.
std::vector<std::string> slogans_for(const Playlist& playlist, const Zone& zone, const Config& config,
                                     const TimeZone& time_zone)
{
    auto shared = std::make_shared<const Playlist>(playlist);
    PlayPlan plan(shared, time_zone, config.screen_tags, -kNever, ScreenZone{zone.name, false});
    std::vector<std::string> entries;
    for (size_t i = 0; i < playlist.items.size(); ++i)
        if (plan.targeted(i) && playlist.items[i].type == ItemType::Slogan)
            entries.push_back(playlist.items[i].text);
    return entries;
}

bool fed_by_playlist(const Zone& zone)
{
    return zone.kind == ZoneKind::Ticker && zone.source == TickerSource::Slogans && zone.file.empty();
}

}  // namespace

Rect zone_output_rect(const Zone& zone, CanvasSize canvas, int rotation)
{
    return rotate_rect(resolve_area(zone.area, canvas.width, canvas.height), canvas.width, canvas.height, rotation);
}

Result<ScreenZones> ScreenZones::open(const ScreenLayout& layout, const Stage& base, const TimeZone& time_zone)
{
    ScreenZones zones;
    zones.m_layout = layout;
    zones.m_base = std::make_shared<const Stage>(base);
    zones.m_time_zone = time_zone;
    const Zone* main = zones.m_layout->main();
    if (!main)
        return Error{layout.file, 0, "a layout needs a playlist zone"};
    zones.m_main = static_cast<size_t>(main - zones.m_layout->zones.data());
    BandStage band_stage{base.config, base.fonts_dir, base.renderer, base.canvas, time_zone, base.wake};
    for (const Zone& zone : zones.m_layout->zones) {
        if (zone.kind == ZoneKind::Playlist) {
            zones.m_bands.push_back(nullptr);
            continue;
        }
        std::vector<std::string> entries;
        if (zone.kind == ZoneKind::Ticker) {
            auto own = ticker_entries(zone);
            if (!own)
                log::warn("layout zone " + zone.name + ": " + own.error().to_string());
            else
                entries = std::move(*own);
        }
        auto band = make_band(zone, band_stage, std::move(entries));
        if (!band)
            return band.error();
        zones.m_bands.push_back(std::move(*band));
    }
    // A band can be redrawn alone, without the zones under it, when it covers its whole area at
    // that instant (Band::fills, asked then: an opaque ticker with nothing left to scroll draws
    // nothing at all) and no playlist zone is drawn over it. Bands drawn over it (a clock over the
    // ticker's end, as in the bank lobby) are drawn again over it, inside its area.
    const auto& all = zones.m_layout->zones;
    for (size_t i = 0; i < all.size(); ++i) {
        if (!zones.m_bands[i])
            continue;
        bool alone = true;
        std::vector<size_t> over;
        Rect mine = resolve_area(all[i].area, base.canvas.width, base.canvas.height);
        for (size_t j = i + 1; j < all.size() && alone; ++j) {
            Rect other = resolve_area(all[j].area, base.canvas.width, base.canvas.height);
            bool overlap = other.x < mine.x + mine.w && mine.x < other.x + other.w && other.y < mine.y + mine.h &&
                           mine.y < other.y + other.h;
            if (overlap && zones.m_bands[j])
                over.push_back(j);
            else
                alone = !overlap;
        }
        zones.m_alone.push_back(alone);
        zones.m_over.push_back(std::move(over));
        zones.m_band_zone.push_back(i);
    }
    return zones;
}

Stage ScreenZones::main_stage(const Stage& base) const
{
    if (!m_layout)
        return base;
    Stage stage = side_stage(base, m_layout->zones[m_main]);
    stage.zone.main = true;
    // Banner alerts run in a ticker fed by the alerts, when the layout has one.
    stage.banner_elsewhere = std::any_of(m_layout->zones.begin(), m_layout->zones.end(), [](const Zone& zone) {
        return zone.kind == ZoneKind::Ticker && zone.source == TickerSource::Alerts;
    });
    return stage;
}

Stage ScreenZones::side_stage(const Stage& base, const Zone& zone) const
{
    Stage stage = base;
    Rect canvas_rect = resolve_area(zone.area, base.canvas.width, base.canvas.height);
    stage.canvas = CanvasSize{std::max(1, canvas_rect.w), std::max(1, canvas_rect.h)};
    stage.screen = base.canvas;
    stage.area = zone_output_rect(zone, base.canvas, base.config.rotation_degrees());
    stage.zone = ScreenZone{zone.name, false};
    // At most one zone plays sound: the layout's sound zone (the main one unless it names another).
    if (m_layout->sound_zone() != &zone) {
        stage.audio = nullptr;
        stage.video.audio.reset();
    }
    return stage;
}

Status ScreenZones::start(const PlaylistLoad& load, const Stage& base, double now, WallTime wall)
{
    if (!m_layout)
        return {};
    m_base = std::make_shared<const Stage>(base);
    m_sides.clear();
    for (size_t i = 0; i < m_layout->zones.size(); ++i) {
        const Zone& zone = m_layout->zones[i];
        if (zone.kind != ZoneKind::Playlist || i == m_main)
            continue;
        auto show = Show::start(load, side_stage(base, zone), now, wall);
        if (!show)
            return show.error();
        m_sides.push_back({i, std::move(*show), std::nullopt, {}});
    }
    feed_playlist_tickers(load.playlist, wall);
    return {};
}

void ScreenZones::feed_playlist_tickers(const Playlist& playlist, WallTime wall)
{
    for (size_t i = 0; m_layout && i < m_bands.size(); ++i)
        if (m_bands[i] && fed_by_playlist(m_layout->zones[i]))
            static_cast<TickerBand&>(*m_bands[i])
                .set_entries(slogans_for(playlist, m_layout->zones[i], m_base->config, m_time_zone), wall);
}

void ScreenZones::replace(const PlaylistLoad& load, WallTime wall)
{
    for (Side& side : m_sides)
        side.next = load;
    // A ticker fed by the playlist takes its new slogans now; they follow the entry coming in.
    feed_playlist_tickers(load.playlist, wall);
}

void ScreenZones::restart(const PlaylistLoad& load, double now, WallTime wall)
{
    if (!m_layout || !m_base)
        return;
    // start() replaces m_base: the stage it is given must outlive that.
    std::shared_ptr<const Stage> base = m_base;
    if (Status started = start(load, *base, now, wall); !started)
        log::error(started.error().to_string());
}

void ScreenZones::set_wall_clock(double now, WallTime wall)
{
    for (Side& side : m_sides)
        side.show->set_wall_clock(now, wall);
}

void ScreenZones::feed_tickers(const Show& main, double now, WallTime wall)
{
    for (size_t i = 0; i < m_bands.size(); ++i) {
        if (!m_bands[i])
            continue;
        const Zone& zone = m_layout->zones[i];
        if (zone.kind == ZoneKind::Ticker && zone.source == TickerSource::Alerts)
            static_cast<TickerBand&>(*m_bands[i]).set_entries(main.alert_headlines(now), wall);
    }
}

bool ScreenZones::advance(double now, WallTime wall, const Show& main, bool first_frame_up)
{
    if (!m_layout)
        return false;
    bool arrived = false;
    for (Side& side : m_sides) {
        // A new playlist takes over the zone when its item on screen has had its time.
        if (side.next && !(std::isfinite(side.show->slot_end()) && now < side.show->slot_end())) {
            const Zone& zone = m_layout->zones[side.zone];
            auto replacement = Show::start(*side.next, side_stage(*m_base, zone), now, side.show->wall(now),
                                           side.show->detach_picture());
            if (replacement)
                side.show = std::move(*replacement);
            else
                log::error("layout zone " + zone.name + ": " + replacement.error().to_string());
            side.next.reset();
        }
        side.show->advance(now);
        arrived |= side.show->prepare(now, first_frame_up);
        side.picture = side.show->picture(now);
        arrived |= side.show->play(side.picture, now);
    }
    feed_tickers(main, now, wall);
    for (auto& band : m_bands)
        if (band)
            arrived |= band->update(wall);
    return arrived;
}

Status ScreenZones::settle(double now, WallTime wall, const Show& main)
{
    if (!m_layout)
        return {};
    for (Side& side : m_sides) {
        side.show->settle(0);
        side.show->settle(now);
        side.picture = side.show->picture(now);
        if (Status shown = side.show->show_exactly(side.picture, now); !shown)
            return shown;
    }
    feed_tickers(main, now, wall);
    for (auto& band : m_bands)
        if (band)
            band->settle(wall);
    return {};
}

void ScreenZones::paint(Show& main, const Picture& main_picture, WallTime wall)
{
    if (!m_layout) {
        main.paint(main_picture);
        return;
    }
    SDL_Renderer* renderer = m_base->renderer;
    // An alert over the whole screen: the zones and bands step aside.
    if (main.alert_covers_screen(main_picture)) {
        main.paint(main_picture, PaintPart::ScreenWide);
        return;
    }
    const Color& background = m_base->config.background;
    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(renderer, background.r, background.g, background.b, 255);
    SDL_RenderClear(renderer);
    for (size_t i = 0; i < m_layout->zones.size(); ++i) {
        if (i == m_main) {
            main.paint(main_picture, PaintPart::Zone);
        } else if (m_bands[i]) {
            m_bands[i]->draw(wall);
        } else {
            for (Side& side : m_sides)
                if (side.zone == i && side.show->ready(side.picture))
                    side.show->paint(side.picture);
        }
    }
    main.paint(main_picture, PaintPart::ScreenWide);
}

ScreenZones::State ScreenZones::picture_state(WallTime wall) const
{
    State state;
    for (const Side& side : m_sides)
        for (const Layer& layer : side.picture.layers) {
            state.sides.push_back(static_cast<uint64_t>(layer.slot.item) * 31 + static_cast<uint64_t>(layer.source));
            state.sides.push_back(static_cast<uint64_t>(std::llround(layer.opacity * 255)));
            state.sides.push_back(static_cast<uint64_t>(std::llround(layer.slot.start * 1000)));
        }
    for (const auto& band : m_bands)
        if (band)
            state.bands.push_back(band->picture_state(wall));
    return state;
}

std::optional<std::vector<SDL_Rect>> ScreenZones::paint_bands(const std::vector<size_t>& changed, WallTime wall)
{
    for (size_t b : changed)
        if (b >= m_alone.size() || !m_alone[b] || !m_bands[m_band_zone[b]]->fills(wall))
            return std::nullopt;
    std::vector<SDL_Rect> rects;
    const int rotation = m_base->config.rotation_degrees();
    for (size_t b : changed) {
        const size_t zone = m_band_zone[b];
        m_bands[zone]->draw(wall);
        Rect out = zone_output_rect(m_layout->zones[zone], m_base->canvas, rotation);
        for (size_t above : m_over[b])
            m_bands[above]->draw_within(wall, out);
        rects.push_back(SDL_Rect{out.x, out.y, out.w, out.h});
    }
    return rects;
}

double ScreenZones::next_change(double now, WallTime wall) const
{
    double next = std::numeric_limits<double>::infinity();
    for (const Side& side : m_sides) {
        next = std::min(next, side.show->next_change(side.picture, now));
        if (side.next)
            next = std::min(next, side.show->slot_end());
    }
    // A moving ticker changes every frame: animating() says so and the caller paces the frames.
    for (const auto& band : m_bands)
        if (band && band->next_change(wall) > wall)
            next = std::min(next, now + (band->next_change(wall) - wall));
    return next;
}

bool ScreenZones::animating(WallTime wall) const
{
    for (const Side& side : m_sides)
        if (side.picture.animating)
            return true;
    for (const auto& band : m_bands)
        if (band && band->next_change(wall) <= wall)
            return true;
    return false;
}

}  // namespace signage
