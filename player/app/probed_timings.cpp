#include "player/app/probed_timings.h"

#include "player/media/media_probe.h"
#include "playlist/timeline/schedule_preview.h"

#include <map>
#include <optional>

namespace signage {

namespace {

struct Probed {
    std::optional<double> length;  // of the file, seconds
    std::string error;
};

Probed probe_length(const std::string& path)
{
    auto info = probe_media(path);
    if (!info)
        return {std::nullopt, info.error().to_string()};
    if (info->duration <= 0)
        return {std::nullopt, "its length is unknown"};
    return {info->duration, ""};
}

}  // namespace

ProbedTimings probe_timings(const Playlist& playlist, const PlayPlan& plan)
{
    ProbedTimings out;
    std::map<std::string, Probed> probed;  // a file named by several items: once
    for (size_t i = 0; i < playlist.items.size(); ++i) {
        const PlaylistItem& item = playlist.items[i];
        std::optional<double> length;
        const Probed* file = nullptr;
        if (item.type == ItemType::Video && plan.targeted(i) && !item.duration_set) {
            auto found = probed.find(item.path);
            if (found == probed.end())
                found = probed.emplace(item.path, probe_length(item.path)).first;
            file = &found->second;
            if (file->length)
                length = (item.end.value_or(*file->length) - item.start) * item.loops;
        }
        out.timings.push_back(item_timing(item, length));
        out.failed.push_back(file && !file->length);
        out.errors.push_back(file ? file->error : "");
    }
    return out;
}

}  // namespace signage
