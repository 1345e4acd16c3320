// A video item: its decoders (one per slot, the next play's opened ahead) live in the show's
// VideoLayers, which also owns the sound hand-over between videos; this is the item's face to
// the timeline, the loop and the painter.
#pragma once

#include "player/render/content_loader.h"
#include "player/render/item_layer.h"
#include "player/render/video_layers.h"

#include <memory>

namespace signage {

// A video is opened this long (plus its fade) before its turn, not as soon as it is next: an open
// decoder holds its pictures next to the playing one's, and opening it at the very start of a
// play competes with that play for the CPU. Opening takes ~0.1 s (0.6 s on a loaded 2-core box).
inline constexpr double kVideoLead = 2.0;
// Stands for a video's length until it is opened: never reached, since a video's slot only starts
// once its decoder is open and has told its length.
inline constexpr double kUnknownVideoLength = 86400;

class VideoItemLayer final : public ItemLayer {
public:
    VideoItemLayer(VideoLayers& videos, ContentLoader& loader, const PlaylistItem& entry, size_t item,
                   Color background, LoadJob job);

    ItemTiming timing() const override { return m_timing; }
    Readiness readiness(double now) const override { return m_videos.readiness(m_loader, m_item, now); }
    bool update(double now, std::span<const Slot> slots, bool wanted) override;
    Readiness settle(double now) override;
    std::optional<double> length() const override { return m_videos.length(m_item); }
    double lead() const override { return kVideoLead; }
    double end_delay(const Slot& slot) const override { return m_videos.end_delay(slot); }
    bool advance(const Slot& slot, double now) override { return m_videos.advance(slot, now); }
    Status show_exactly(const Slot& slot, double now) override;
    std::optional<double> next_change(const Slot& slot, double now) const override
    {
        return m_videos.next_change(slot, now);
    }
    bool has_picture(const Slot& slot) const override { return m_videos.has_picture(slot); }
    void draw(const Slot& slot, double opacity) override { m_videos.draw(slot, m_background, opacity); }
    void presented(const Slot& slot, double now) override { m_videos.presented(slot, now); }

private:
    VideoLayers& m_videos;
    ContentLoader& m_loader;
    size_t m_item;
    ItemTiming m_timing;
    Color m_background;
};

// The loader's work for a video item: opens its picture and, when it plays sound, its sound.
LoadJob video_job(std::shared_ptr<const Playlist> playlist, size_t item, VideoSettings settings);

}  // namespace signage
