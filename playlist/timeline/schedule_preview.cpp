#include "playlist/timeline/schedule_preview.h"

#include <algorithm>
#include <cmath>

namespace signage {

namespace {

// Every item plays, at its declared or probed length.
class PreviewFacts final : public ItemFacts {
public:
    explicit PreviewFacts(const std::vector<char>& failed) : m_failed(failed) {}
    Readiness readiness(size_t item) override
    {
        return item < m_failed.size() && m_failed[item] ? Readiness::Failed : Readiness::Ready;
    }
    std::optional<double> length(size_t) override { return std::nullopt; }
    double end_delay(const Slot&) override { return 0; }
    double lead(size_t) override { return 2; }

private:
    const std::vector<char>& m_failed;
};

// What a line is about: equal keys continue one line.
struct LineKey {
    LayerSource source = LayerSource::Fallback;
    size_t item = 0;
    double start = 0;
    size_t alert = 0;
    bool operator==(const LineKey&) const = default;
};

LineKey key_of(const Layer& layer)
{
    bool item = layer.source == LayerSource::Item || layer.source == LayerSource::AlertItem;
    return {layer.source, item ? layer.slot.item : 0, item ? layer.slot.start : 0, layer.alert};
}

}  // namespace

ItemTiming item_timing(const PlaylistItem& item, std::optional<double> video_length)
{
    if (item.type != ItemType::Video)
        return {item.duration, item.fade_in(), false};
    double length = item.duration_set ? item.duration : video_length ? *video_length : item.known_length.value_or(item.duration);
    return {length, item.fade_in(), true};
}

namespace {

// The timeline run from `origin` to `until`, keeping the plays that end after `record_from`.
std::vector<PlayLine> preview_segment(const PreviewSetup& setup, WallTime origin, WallTime record_from, WallTime until)
{
    TimelineOptions options;
    options.plan = setup.plan;
    options.wall_origin = origin;
    options.alert_mode = setup.alert_mode;
    options.alert_rotate = setup.alert_rotate;
    Timeline timeline(setup.timings, options);
    timeline.set_file_alerts(setup.alert_files);
    // In step, a broken file keeps its slot on every screen (the picture before it stays up).
    const std::vector<char> none;
    PreviewFacts facts(setup.locked ? none : setup.failed);

    std::vector<PlayLine> lines;
    std::optional<LineKey> loop_open, banner_open;
    auto close = [&](std::optional<LineKey>& open, double t) {
        if (!open)
            return;
        for (auto it = lines.rbegin(); it != lines.rend(); ++it)
            if (it->end == kNever && it->banner == (&open == &banner_open)) {
                it->end = origin + t;
                break;
            }
        open.reset();
    };
    auto open_line = [&](std::optional<LineKey>& open, const Layer& layer, double t) {
        PlayLine line;
        line.banner = layer.banner;
        line.end = kNever;
        switch (layer.source) {
        case LayerSource::Item:
            line.item = layer.slot.item;
            line.reason = layer.slot.fixed ? PlayReason::Fixed
                                           : layer.slot.idle ? PlayReason::Idle : PlayReason::Scheduled;
            line.offset = layer.slot.offset;
            t = std::max(t, layer.slot.start);
            break;
        case LayerSource::AlertItem:
            line.item = layer.slot.item;
            line.reason = PlayReason::Alert;
            break;
        case LayerSource::AlertFile:
            line.reason = PlayReason::Alert;
            line.alert = layer.alert < setup.alert_names.size() ? setup.alert_names[layer.alert] : "?";
            break;
        default:
            line.reason = PlayReason::Idle;  // the fallback slide or a blank screen
            break;
        }
        line.start = origin + t;
        lines.push_back(line);
        open = key_of(layer);
    };

    const double end = until - origin;
    double t = 0;
    for (int guard = 0; guard < 10000000 && t < end; ++guard) {
        timeline.advance(t, facts);
        Picture picture = timeline.picture(t);
        const Layer* loop = nullptr;
        const Layer* banner = nullptr;
        for (const Layer& layer : picture.layers)
            (layer.banner ? banner : loop) = &layer;  // the top of each
        for (auto [layer, open] : {std::pair{loop, &loop_open}, std::pair{banner, &banner_open}}) {
            if (layer && open->has_value() && **open == key_of(*layer))
                continue;
            double at = t;
            if (layer && layer->source == LayerSource::Item)
                at = std::max(0.0, std::min(t, layer->slot.start));
            close(*open, at);
            if (layer)
                open_line(*open, *layer, at);
        }
        double next = picture.next_change;
        if (picture.animating && loop && loop->source == LayerSource::Item)
            next = loop->slot.start + setup.timings.at(loop->slot.item).fade_in;
        next = std::min(next, timeline.next_preparation(t));
        if (!std::isfinite(next))
            break;
        // Always forward: a change due now is looked at a millisecond on.
        t = std::max(next, t + 1e-3);
    }
    close(loop_open, end);
    close(banner_open, end);
    for (PlayLine& line : lines)
        line.end = std::min(line.end, until);
    std::erase_if(lines, [&](const PlayLine& line) { return line.end <= record_from; });
    return lines;
}

}  // namespace

std::vector<PlayLine> preview_schedule(const PreviewSetup& setup)
{
    const WallTime until = setup.from + setup.seconds;
    if (!setup.locked)
        return preview_segment(setup, setup.from, setup.from, until);
    // Screens in step count the loop from each local midnight: one walk a day.
    const TimeZone& zone = setup.plan->zone();
    std::vector<PlayLine> lines;
    for (CivilDate day = zone.local(setup.from).date;; day = add_days(day, 1)) {
        WallTime midnight = zone.first_instant(day, 0);
        if (midnight >= until)
            break;
        WallTime next = std::min(until, zone.first_instant(add_days(day, 1), 0));
        auto part = preview_segment(setup, midnight, setup.from, next);
        lines.insert(lines.end(), part.begin(), part.end());
    }
    return lines;
}

}  // namespace signage
