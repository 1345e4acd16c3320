#include "player/app/probed_timings.h"

#include "player/render/media_lengths.h"
#include "playlist/timeline/schedule_preview.h"

namespace signage {

ProbedTimings probe_timings(const Playlist& playlist, const PlayPlan& plan)
{
    ProbedTimings out;
    VideoLengths lengths;
    for (size_t i = 0; i < playlist.items.size(); ++i) {
        const PlaylistItem& item = playlist.items[i];
        std::optional<VideoLength> video;
        if (item.type == ItemType::Video && plan.targeted(i) && !item.duration_set)
            video = lengths.of(item);
        out.timings.push_back(item_timing(item, video ? video->played : std::nullopt));
        out.failed.push_back(video && !video->played);
        out.errors.push_back(video ? video->error : "");
    }
    return out;
}

}  // namespace signage
