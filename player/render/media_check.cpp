#include "player/render/media_check.h"

#include "player/media/media_scan.h"
#include "player/render/content_loader.h"
#include "playlist/base/values.h"

#include <chrono>

namespace signage {

ImageLimits image_limits_for(const Config& config)
{
    return {config.max_image_megapixels, static_cast<uint64_t>(config.max_file_mb) << 20};
}

Status check_video_plays(const PlaylistItem& item, const Config& config)
{
    VideoSettings settings;
    settings.limits.max_megapixels = config.max_image_megapixels;
    settings.limits.max_file_bytes = static_cast<uint64_t>(config.max_file_mb) << 20;
    settings.hardware = false;
    auto decoder = VideoDecoder::open(item.path, video_options_for(item, settings));
    if (!decoder)
        return decoder.error();
    const MediaInfo& info = (*decoder)->info();
    if (info.duration > 0 && item.start >= info.duration)
        return Error{"", 0,
                     "start (" + format_seconds(item.start) + ") is past the end of " + item.path + " (" +
                         format_seconds(info.duration) + ")"};
    if (!(*decoder)->wait_frame(std::chrono::seconds(20))) {
        std::string refused = (*decoder)->stats().refused;
        return Error{item.path, 0, refused.empty() ? "no picture could be decoded" : refused};
    }
    decoder->reset();  // its thread and codec are not needed to read the packets through
    return scan_media_packets(item.path, settings.limits);
}

}  // namespace signage
