#include "player/render/show.h"

#include "playlist/base/log.h"
#include "player/render/slide_layer.h"
#include "player/render/video_item_layer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <filesystem>
#include <map>

namespace signage {

namespace {

// The timeline's questions answered from what the layers know now (`play`).
class LiveFacts final : public ItemFacts {
public:
    LiveFacts(const std::vector<std::unique_ptr<ItemLayer>>& items, double now) : m_items(items), m_now(now) {}
    Readiness readiness(size_t item) override { return m_items.at(item)->readiness(m_now); }
    std::optional<double> length(size_t item) override { return m_items.at(item)->length(); }
    double end_delay(const Slot& slot) override { return m_items.at(slot.item)->end_delay(slot); }
    double lead(size_t item) override { return m_items.at(item)->lead(); }

private:
    const std::vector<std::unique_ptr<ItemLayer>>& m_items;
    double m_now;
};

// The same questions, each answered once and for good by waiting for the load (`render`).
class SettledFacts final : public ItemFacts {
public:
    // `locked`: screens in step, whose lengths are the ones probed in advance (LockedFacts).
    SettledFacts(const std::vector<std::unique_ptr<ItemLayer>>& items, double now, bool locked = false)
        : m_items(items), m_now(now), m_locked(locked)
    {
    }
    Readiness readiness(size_t item) override
    {
        auto it = m_known.find(item);
        if (it == m_known.end())
            it = m_known.emplace(item, m_items.at(item)->settle(m_now)).first;
        // In step, slots keep their time whatever loads (LockedFacts); the load is still waited for.
        return m_locked ? Readiness::Ready : it->second;
    }
    std::optional<double> length(size_t item) override
    {
        readiness(item);
        return m_locked ? std::nullopt : m_items.at(item)->length();
    }
    // No sound card: the sound is heard on time.
    double end_delay(const Slot&) override { return 0; }
    double lead(size_t item) override { return m_items.at(item)->lead(); }

private:
    const std::vector<std::unique_ptr<ItemLayer>>& m_items;
    double m_now;
    bool m_locked;
    std::map<size_t, Readiness> m_known;
};

// Screens in step ([screen] clock_locked): every slot keeps the time the wall clock gives it,
// whatever this screen has loaded, and lengths are the ones probed in advance, the same on every
// screen (a slot whose picture is not in yet holds the picture before it on screen).
class LockedFacts final : public ItemFacts {
public:
    explicit LockedFacts(const std::vector<std::unique_ptr<ItemLayer>>& items) : m_items(items) {}
    Readiness readiness(size_t) override { return Readiness::Ready; }
    std::optional<double> length(size_t) override { return std::nullopt; }
    double end_delay(const Slot&) override { return 0; }
    double lead(size_t item) override { return m_items.at(item)->lead(); }

private:
    const std::vector<std::unique_ptr<ItemLayer>>& m_items;
};

constexpr size_t kFallbackKey = static_cast<size_t>(-1);
constexpr WallTime kBuildEpoch = SIGNAGE_BUILD_EPOCH;
constexpr WallTime kPlausibleClockSlack = 365 * 86400.0;
// Alert files get loader keys of their own, far above any item's.
constexpr size_t kFirstAlertKey = size_t{1} << 40;

}  // namespace

LoadJob item_load_job(const std::shared_ptr<const Playlist>& playlist, size_t item, const VideoSettings& video)
{
    switch (playlist->items.at(item).type) {
    case ItemType::Video: return video_job(playlist, item, video);
    case ItemType::Image: return poster_job(playlist, item);
    case ItemType::Slogan: break;
    }
    return slogan_job(playlist, item);
}

namespace {

// A load composed on a canvas of its own size rather than the loader's (a zone's show composes
// for the zone; its alerts, for the whole screen).
LoadJob on_canvas(LoadJob job, const Config& config, std::string fonts_dir, CanvasSize canvas)
{
    return [job = std::move(job), config, fonts_dir = std::move(fonts_dir), canvas](SlideComposer&) -> Result<Loaded> {
        auto composer = SlideComposer::create(config, fonts_dir, canvas);
        if (!composer)
            return composer.error();
        return job(*composer);
    };
}

}  // namespace

std::unique_ptr<ItemLayer> make_item_layer(const std::shared_ptr<const Playlist>& playlist, size_t item,
                                           const Stage& stage, ContentLoader& loader, VideoLayers& videos)
{
    const PlaylistItem& entry = playlist->items.at(item);
    LoadJob job = item_load_job(playlist, item, stage.video);
    // In a zone, an alert item's slide takes the whole screen, composed for it.
    if (stage.area.w > 0 && entry.rules.priority == Priority::Alert && entry.type != ItemType::Video)
        job = on_canvas(std::move(job), stage.config, stage.fonts_dir, stage.screen);
    if (entry.type == ItemType::Video)
        return std::make_unique<VideoItemLayer>(videos, loader, entry, item, stage.config.background, std::move(job));
    const ItemTiming slide_timing{entry.duration, entry.fade_in(), false};
    return std::make_unique<SlideLayer>(stage.renderer, loader, item, entry.source, std::move(job), slide_timing);
}

Result<std::unique_ptr<Show>> Show::start(const PlaylistLoad& load, const Stage& stage, double now,
                                          WallTime wall_now, TexturePtr outgoing)
{
    const Config& config = stage.config;
    auto composer = SlideComposer::create(config, stage.fonts_dir, stage.canvas);
    if (!composer)
        return composer.error();
    std::unique_ptr<Show> show(new Show);
    show->m_playlist = std::make_shared<const Playlist>(load.playlist);
    show->m_renderer = stage.renderer;
    show->m_background = config.background;
    show->m_origin = now;
    show->m_loader =
        std::make_unique<ContentLoader>(std::move(*composer), config.retry_after, config.rotation_degrees(), stage.wake);
    ScreenGeometry geometry{stage.canvas.width, stage.canvas.height, config.rotation_degrees()};
    show->m_videos =
        std::make_unique<VideoLayers>(stage.renderer, geometry, *show->m_playlist, stage.stats, stage.audio);
    for (size_t item = 0; item < show->m_playlist->items.size(); ++item)
        show->m_items.push_back(make_item_layer(show->m_playlist, item, stage, *show->m_loader, *show->m_videos));
    show->m_fallback =
        std::make_unique<SlideLayer>(stage.renderer, *show->m_loader, kFallbackKey, "fallback", fallback_job());
    auto zone = TimeZone::load(config.timezone);
    if (!zone)
        return zone.error();
    show->m_plan = std::make_shared<const PlayPlan>(show->m_playlist, *zone, config.screen_tags,
                                                    kBuildEpoch - kPlausibleClockSlack, stage.zone);
    show->m_area = stage.area;
    show->m_screen = stage.area.w > 0 ? stage.screen : stage.canvas;
    show->m_banner_elsewhere = stage.banner_elsewhere;
    TimelineOptions options;
    options.plan = show->m_plan;
    options.wall_origin = wall_now;
    show->m_locked = config.clock_locked;
    if (show->m_locked) {
        // The loop is counted from this day's local midnight, as on every other screen.
        CivilDate today = zone->local(wall_now).date;
        options.wall_origin = zone->first_instant(today, 0);
        show->m_next_anchor = zone->first_instant(add_days(today, 1), 0);
        show->m_origin = now - (wall_now - options.wall_origin);
    }
    options.alert_mode = config.alert_mode == "banner" ? AlertMode::Banner : AlertMode::Fullscreen;
    options.alert_rotate = config.alert_rotate;
    options.idle_blank = config.idle == "blank";
    show->m_banner = options.alert_mode == AlertMode::Banner;
    show->m_canvas = stage.canvas;
    show->m_config = config;
    show->m_fonts_dir = stage.fonts_dir;
    if (outgoing) {
        show->m_outgoing = std::make_unique<HeldPicture>(stage.renderer, std::move(outgoing));
        options.over_outgoing = true;
    }
    std::vector<ItemTiming> timings;
    for (const auto& layer : show->m_items)
        timings.push_back(layer->timing());
    show->m_timeline = std::make_unique<Timeline>(std::move(timings), options);
    if (show->m_locked)
        show->catch_up(now);
    return show;
}

Show::~Show() = default;

void Show::find_origin()
{
    // The show's clock counts from its first item's start, as `render --at` does: the same
    // arithmetic then gives the same slots, to the last bit, in both.
    if (m_started || !m_timeline->current())
        return;
    double first = m_timeline->current()->start;
    m_timeline->shift(-first);
    m_origin += first;
    m_started = true;
}

// Screens in step: the loop walked from midnight to `now`, as every screen walks it. Where
// nothing was in schedule the walk steps to when something is, so slots start on the instants
// the schedule gives, not on this screen's start.
void Show::catch_up(double now)
{
    LockedFacts facts(m_items);
    double t = 0;
    const double target = local(now);
    for (int guard = 0; guard < 100000 && t < target; ++guard) {
        m_timeline->advance(t, facts);
        if (m_timeline->current())
            break;
        double next = m_timeline->picture(t).next_change;
        if (!(next > t) || next > target)
            break;
        t = next;
    }
    m_timeline->advance(target, facts);
    find_origin();
}

void Show::advance(double now)
{
    if (m_locked) {
        LockedFacts facts(m_items);
        m_timeline->advance(local(now), facts);
        find_origin();
        return;
    }
    LiveFacts facts(m_items, local(now));
    m_timeline->advance(local(now), facts);
    find_origin();
}

void Show::settle(double now)
{
    SettledFacts facts(m_items, local(now), m_locked);
    m_timeline->advance(local(now), facts);
    find_origin();
}

Picture Show::picture(double now) const
{
    return m_timeline->picture(local(now));
}

void Show::prepare_ahead(double now)
{
    Preparation wanted = m_timeline->preparation(local(now));
    wanted.on_screen.clear();
    wanted.file_alerts.clear();
    wanted.fallback = false;
    prepare_wanted(local(now), wanted);
}

bool Show::prepare(double now, bool first_frame_up)
{
    const double t = local(now);
    Preparation wanted = m_timeline->preparation(t);
    if (!first_frame_up && m_timeline->current())
        wanted.next.reset();
    return prepare_wanted(t, wanted);
}

bool Show::prepare_wanted(double t, const Preparation& wanted)
{
    std::vector<size_t> active;
    for (const Slot& slot : wanted.on_screen)
        active.push_back(slot.item);
    if (wanted.next)
        active.push_back(*wanted.next);
    for (size_t item : wanted.also)
        active.push_back(item);
    // What was active and is not any more is let go too.
    std::vector<size_t> touched = active;
    touched.insert(touched.end(), m_active.begin(), m_active.end());
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    bool arrived = false;
    for (size_t item : touched) {
        std::vector<Slot> slots;
        for (const Slot& slot : wanted.on_screen)
            if (slot.item == item)
                slots.push_back(slot);
        bool soon = wanted.next == item || std::find(wanted.also.begin(), wanted.also.end(), item) != wanted.also.end();
        arrived |= m_items.at(item)->update(t, slots, soon);
    }
    for (size_t i = 0; i < m_alerts.size(); ++i) {
        bool up = std::find(wanted.file_alerts.begin(), wanted.file_alerts.end(), i) != wanted.file_alerts.end();
        arrived |= m_alerts[i].layer->update(t, {}, up);
    }
    m_active = std::move(active);
    if (wanted.fallback || m_fallback_active)
        arrived |= m_fallback->update(t, {}, wanted.fallback);
    m_fallback_active = wanted.fallback;
    return arrived;
}

ItemLayer* Show::layer_for(const Layer& layer) const
{
    switch (layer.source) {
    case LayerSource::Item:
    case LayerSource::AlertItem: return m_items.at(layer.slot.item).get();
    case LayerSource::Fallback: return m_fallback.get();
    case LayerSource::Outgoing: return m_outgoing.get();
    case LayerSource::AlertFile: return layer.alert < m_alerts.size() ? m_alerts[layer.alert].layer.get() : nullptr;
    case LayerSource::Blank: return nullptr;
    }
    return nullptr;
}

void Show::set_alerts(const AlertFolder& alerts)
{
    std::vector<AlertLayer> kept;
    std::vector<AlertSpan> spans;
    for (const Alert& alert : alerts.alerts) {
        // What the screen shows of it: an alert rewritten in place is a new picture.
        std::string key = alert.id + '\n' + alert.headline + '\n' + alert.description + '\n' + alert.image;
        auto same = std::find_if(m_alerts.begin(), m_alerts.end(), [&](const AlertLayer& a) { return a.key == key; });
        if (same != m_alerts.end()) {
            kept.push_back(std::move(*same));
            m_alerts.erase(same);
        } else {
            kept.push_back({key, alert.id, alert_layer(alert), alert.headline});
        }
        spans.push_back({alert.effective, alert.expires});
    }
    m_alerts = std::move(kept);  // the layers of alerts gone are let go here
    m_timeline->set_file_alerts(std::move(spans));
}

std::unique_ptr<ItemLayer> Show::alert_layer(const Alert& alert)
{
    size_t key = kFirstAlertKey + m_next_alert_key++;
    std::string name = "alert " + alert.id;
    // A banner is the headline in a band; an image alert takes the whole screen either way.
    if (m_banner && alert.kind == Alert::Kind::Text) {
        SDL_Rect band = alert_band_rect(m_screen);
        auto layer = std::make_unique<SlideLayer>(m_renderer, *m_loader, key, name,
                                                  alert_band_job(alert.headline, m_config, m_fonts_dir,
                                                                 CanvasSize{band.w, band.h}));
        layer->place_in(band);
        return layer;
    }
    std::string folder = std::filesystem::path(alert.file).parent_path().string();
    LoadJob job = alert_job(alert, folder);
    if (m_area.w > 0)
        job = on_canvas(std::move(job), m_config, m_fonts_dir, m_screen);
    return std::make_unique<SlideLayer>(m_renderer, *m_loader, key, name, std::move(job));
}

void Show::set_wall_clock(double now, WallTime wall_now)
{
    if (m_locked) {
        // In step, slots sit on wall-clock instants: the show's clock follows the wall clock.
        m_origin -= wall_now - wall(now);
        return;
    }
    m_timeline->set_wall_origin(wall_now - local(now));
}

bool Show::clock_plausible(double now) const
{
    return m_plan->clock_plausible(wall(now));
}

std::vector<std::string> Show::alerts_up(double now) const
{
    std::vector<std::string> names;
    for (const auto& ref : m_timeline->alerts_at(local(now)))
        names.push_back(ref.file ? m_alerts.at(ref.index).name : m_playlist->items.at(ref.index).source);
    return names;
}

bool Show::play(const Picture& picture, double now)
{
    bool outgoing_shown = std::any_of(picture.layers.begin(), picture.layers.end(),
                                      [](const Layer& layer) { return layer.source == LayerSource::Outgoing; });
    if (m_outgoing && !outgoing_shown && !picture.layers.empty())
        m_outgoing.reset();  // the new playlist is in: its full-screen picture is not needed again
    bool changed = false;
    for (const Layer& layer : picture.layers)
        if (ItemLayer* item = layer_for(layer))
            changed |= item->advance(layer.slot, local(now));
    return changed;
}

Status Show::show_exactly(const Picture& picture, double now)
{
    if (picture.top() && picture.top()->source == LayerSource::Fallback)
        m_fallback->update(local(now), {}, true);
    for (const Layer& layer : picture.layers)
        if (ItemLayer* item = layer_for(layer)) {
            Status shown = item->show_exactly(layer.slot, local(now));
            if (!shown)
                return shown;
        }
    return {};
}

bool Show::ready(const Picture& picture) const
{
    const Layer* top = picture.top();
    const ItemLayer* item = top ? layer_for(*top) : nullptr;
    return item && item->has_picture(top->slot);
}

bool Show::screen_wide(const Layer& layer) const
{
    return m_area.w > 0 && (layer.source == LayerSource::AlertFile ||
                            (layer.source == LayerSource::AlertItem &&
                             m_playlist->items.at(layer.slot.item).type != ItemType::Video));
}

void Show::paint(const Picture& picture, PaintPart part)
{
    auto draw = [&](bool wide) {
        for (const Layer& layer : picture.layers)
            if (screen_wide(layer) == wide && !(layer.banner && m_banner_elsewhere))
                if (ItemLayer* item = layer_for(layer))
                    item->draw(layer.slot, layer.opacity);
    };
    if (part != PaintPart::ScreenWide) {
        SDL_SetRenderDrawBlendMode(m_renderer, SDL_BLENDMODE_NONE);
        SDL_SetRenderDrawColor(m_renderer, m_background.r, m_background.g, m_background.b, 255);
        if (m_area.w > 0) {
            // The zone's layers draw over "the whole canvas": the viewport makes that the zone.
            SDL_Rect area{m_area.x, m_area.y, m_area.w, m_area.h};
            SDL_RenderSetViewport(m_renderer, &area);
            SDL_RenderFillRect(m_renderer, nullptr);
        } else {
            SDL_RenderClear(m_renderer);
        }
        draw(false);
        if (m_area.w > 0)
            SDL_RenderSetViewport(m_renderer, nullptr);
    }
    if (part != PaintPart::Zone)
        draw(true);
}

bool Show::alert_covers_screen(const Picture& picture) const
{
    const Layer* top = picture.top();
    return m_area.w > 0 && top && screen_wide(*top) && !top->banner && top->opacity >= 1;
}

std::vector<std::string> Show::alert_headlines(double now) const
{
    std::vector<std::string> lines;
    for (const auto& ref : m_timeline->alerts_at(local(now))) {
        if (ref.file)
            lines.push_back(m_alerts.at(ref.index).headline);
        else if (const PlaylistItem& item = m_playlist->items.at(ref.index); !item.text.empty())
            lines.push_back(item.text);
    }
    return lines;
}

void Show::presented(const Picture& picture, double now)
{
    for (const Layer& layer : picture.layers)
        if (ItemLayer* item = layer_for(layer))
            item->presented(layer.slot, local(now));
}

double Show::next_change(const Picture& picture, double now) const
{
    const double t = local(now);
    // While a transition animates, the picture changes at every frame: the caller paces that.
    double next = std::min(picture.animating ? std::numeric_limits<double>::infinity() : picture.next_change,
                           m_timeline->next_preparation(t));
    for (const Layer& layer : picture.layers)
        if (ItemLayer* item = layer_for(layer))
            if (auto due = item->next_change(layer.slot, t))
                next = std::min(next, *due);
    return next + m_origin;
}

double Show::slot_end() const
{
    return m_timeline->slot_end() + m_origin;
}

TexturePtr Show::detach_picture()
{
    const auto& current = m_timeline->current();
    return current ? m_items.at(current->item)->detach_picture() : m_fallback->detach_picture();
}

std::string Show::describe(const Picture& picture) const
{
    auto name = [&](const Layer& layer) {
        switch (layer.source) {
        case LayerSource::Item: return m_playlist->items.at(layer.slot.item).source;
        case LayerSource::Fallback: return std::string("the fallback slide");
        case LayerSource::Outgoing: return std::string("the previous playlist's last picture");
        case LayerSource::Blank: return std::string("a blank screen (nothing in schedule)");
        case LayerSource::AlertItem: return "alert " + m_playlist->items.at(layer.slot.item).source;
        case LayerSource::AlertFile:
            return "alert " + (layer.alert < m_alerts.size() ? m_alerts[layer.alert].name : std::string("?"));
        }
        return std::string();
    };
    const Layer* top = picture.top();
    if (!top)
        return "nothing yet";
    std::string text = name(*top);
    if (top->banner && picture.layers.size() > 1)
        return name(picture.layers[picture.layers.size() - 2]) + " under the banner " + text;
    if (picture.layers.size() > 1)
        text += " fading in over " + name(picture.layers[picture.layers.size() - 2]) + " (" +
                std::to_string(static_cast<int>(top->opacity * 100)) + "%)";
    return text;
}

}  // namespace signage
