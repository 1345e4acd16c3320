#include "player/render/media_lengths.h"

#include "player/media/media_probe.h"
#include "playlist/base/log.h"

namespace signage {

VideoLength VideoLengths::of(const PlaylistItem& item)
{
    auto found = m_files.find(item.path);
    if (found == m_files.end()) {
        File file;
        auto info = probe_media(item.path);
        if (!info)
            file.error = info.error().to_string();
        else if (info->duration <= 0)
            file.error = "its length is unknown";
        else
            file.length = info->duration;
        found = m_files.emplace(item.path, std::move(file)).first;
    }
    const File& file = found->second;
    if (!file.length)
        return {std::nullopt, file.error};
    return {(item.end.value_or(*file.length) - item.start) * item.loops, ""};
}

void learn_video_lengths(Playlist& playlist)
{
    VideoLengths lengths;
    for (PlaylistItem& item : playlist.items) {
        if (item.type != ItemType::Video || item.duration_set)
            continue;
        VideoLength length = lengths.of(item);
        item.known_length = length.played;
        if (!length.played)
            log::on_change(log::Level::Warn, "length:" + item.path, length.error, item.source + ": " + length.error);
    }
}

}  // namespace signage
