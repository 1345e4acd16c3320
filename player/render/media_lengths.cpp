#include "player/render/media_lengths.h"

#include "player/media/media_probe.h"
#include "playlist/base/log.h"

#include <map>

namespace signage {

void learn_video_lengths(Playlist& playlist)
{
    std::map<std::string, double> probed;  // a file several items play: opened once
    for (PlaylistItem& item : playlist.items) {
        if (item.type != ItemType::Video || item.duration_set)
            continue;
        auto found = probed.find(item.path);
        if (found == probed.end()) {
            auto info = probe_media(item.path);
            double duration = info && info->duration > 0 ? info->duration : 0;
            if (!info)
                log::on_change(log::Level::Warn, "length:" + item.path, info.error().message,
                               item.source + ": " + info.error().to_string());
            found = probed.emplace(item.path, duration).first;
        }
        if (found->second > 0)
            item.known_length = (item.end.value_or(found->second) - item.start) * item.loops;
    }
}

}  // namespace signage
