#include "player/render/show.h"

#include "playlist/base/log.h"
#include "player/render/slide_layer.h"
#include "player/render/video_item_layer.h"

#include <algorithm>
#include <cmath>
#include <limits>
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
    SettledFacts(const std::vector<std::unique_ptr<ItemLayer>>& items, double now) : m_items(items), m_now(now) {}
    Readiness readiness(size_t item) override
    {
        auto it = m_known.find(item);
        if (it == m_known.end())
            it = m_known.emplace(item, m_items.at(item)->settle(m_now)).first;
        return it->second;
    }
    std::optional<double> length(size_t item) override
    {
        readiness(item);
        return m_items.at(item)->length();
    }
    // No sound card: the sound is heard on time.
    double end_delay(const Slot&) override { return 0; }
    double lead(size_t item) override { return m_items.at(item)->lead(); }

private:
    const std::vector<std::unique_ptr<ItemLayer>>& m_items;
    double m_now;
    std::map<size_t, Readiness> m_known;
};

constexpr size_t kFallbackKey = static_cast<size_t>(-1);

}  // namespace

std::unique_ptr<ItemLayer> make_item_layer(const std::shared_ptr<const Playlist>& playlist, size_t item,
                                           const Stage& stage, ContentLoader& loader, VideoLayers& videos)
{
    const PlaylistItem& entry = playlist->items.at(item);
    const ItemTiming slide_timing{entry.duration, entry.fade_in(), false};
    switch (entry.type) {
    case ItemType::Video:
        return std::make_unique<VideoItemLayer>(videos, loader, entry, item, stage.config.background,
                                                video_job(playlist, item, stage.video));
    case ItemType::Image:
        return std::make_unique<SlideLayer>(stage.renderer, loader, item, entry.source, poster_job(playlist, item),
                                            slide_timing);
    case ItemType::Slogan: break;
    }
    return std::make_unique<SlideLayer>(stage.renderer, loader, item, entry.source, slogan_job(playlist, item),
                                        slide_timing);
}

Result<std::unique_ptr<Show>> Show::start(const PlaylistLoad& load, const Stage& stage, double now,
                                          TexturePtr outgoing)
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
    TimelineOptions options;
    if (outgoing) {
        show->m_outgoing = std::make_unique<HeldPicture>(stage.renderer, std::move(outgoing));
        options.over_outgoing = true;
    }
    std::vector<ItemTiming> timings;
    for (const auto& layer : show->m_items)
        timings.push_back(layer->timing());
    show->m_timeline = std::make_unique<Timeline>(std::move(timings), options);
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

void Show::advance(double now)
{
    LiveFacts facts(m_items, local(now));
    m_timeline->advance(local(now), facts);
    find_origin();
}

void Show::settle(double now)
{
    SettledFacts facts(m_items, local(now));
    m_timeline->advance(local(now), facts);
    find_origin();
}

Picture Show::picture(double now) const
{
    return m_timeline->picture(local(now));
}

bool Show::prepare(double now, bool first_frame_up)
{
    const double t = local(now);
    Preparation wanted = m_timeline->preparation(t);
    if (!first_frame_up && m_timeline->current())
        wanted.next.reset();
    std::vector<size_t> active;
    for (const Slot& slot : wanted.on_screen)
        active.push_back(slot.item);
    if (wanted.next)
        active.push_back(*wanted.next);
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
        arrived |= m_items.at(item)->update(t, slots, wanted.next == item);
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
    case LayerSource::Item: return m_items.at(layer.slot.item).get();
    case LayerSource::Fallback: return m_fallback.get();
    case LayerSource::Outgoing: return m_outgoing.get();
    }
    return nullptr;
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

void Show::paint(const Picture& picture)
{
    SDL_SetRenderDrawBlendMode(m_renderer, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(m_renderer, m_background.r, m_background.g, m_background.b, 255);
    SDL_RenderClear(m_renderer);
    for (const Layer& layer : picture.layers)
        if (ItemLayer* item = layer_for(layer))
            item->draw(layer.slot, layer.opacity);
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
        }
        return std::string();
    };
    const Layer* top = picture.top();
    if (!top)
        return "nothing yet";
    std::string text = name(*top);
    if (picture.layers.size() > 1)
        text += " fading in over " + name(picture.layers[picture.layers.size() - 2]) + " (" +
                std::to_string(static_cast<int>(top->opacity * 100)) + "%)";
    return text;
}

}  // namespace signage
