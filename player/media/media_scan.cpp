#include "player/media/media_scan.h"

#include "playlist/base/values.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <sys/stat.h>
#include <tuple>

namespace signage {

Status scan_media_packets(const std::string& path, const VideoLimits& limits)
{
    auto opened = open_media(path, limits);
    if (!opened)
        return opened.error();
    AVFormatContext* format = opened->format.get();
    const std::string refused = "video refused, partially decodable is not playable: ";
    const double start = format->start_time == AV_NOPTS_VALUE ? 0.0 : static_cast<double>(format->start_time) / AV_TIME_BASE;
    double data_end = 0;  // the latest packet end seen, in seconds from the file's start
    PacketPtr packet = make_packet();
    if (!packet)
        return Error{path, 0, "out of memory reading the file"};
    for (;;) {
        int rc = av_read_frame(format, packet.get());
        if (rc == AVERROR_EOF)
            break;
        if (rc < 0)
            return Error{path, 0, refused + "the file is damaged near byte " + std::to_string(avio_tell(format->pb)) +
                                      ": " + av_error_text(rc)};
        if (packet->flags & AV_PKT_FLAG_CORRUPT)
            return Error{path, 0, refused + "a damaged packet at byte " + std::to_string(packet->pos)};
        const AVStream* stream = format->streams[packet->stream_index];
        const int64_t ts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
        if (ts != AV_NOPTS_VALUE) {
            const double end = static_cast<double>(ts + std::max<int64_t>(packet->duration, 0)) * av_q2d(stream->time_base);
            if (std::isfinite(end))
                data_end = std::max(data_end, end - start);
        }
        av_packet_unref(packet.get());
    }
    // The stated length is trusted only when the container states it (not estimated from the
    // bit rate, which a cut file would merely shorten).
    const bool stated =
        format->duration != AV_NOPTS_VALUE && format->duration_estimation_method != AVFMT_DURATION_FROM_BITRATE;
    const double duration = opened->info.duration;
    if (stated && duration > 0 && data_end > 0 && data_end < duration - std::max(0.1, 0.005 * duration))
        return Error{path, 0, refused + "its data ends at " + format_seconds(data_end) + " of the " +
                                  format_seconds(duration) + " its container states (the file is cut short)"};
    return {};
}

namespace {

using FileVersion = std::tuple<dev_t, ino_t, off_t, int64_t, int64_t>;

std::optional<FileVersion> version_of(const std::string& path)
{
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0)
        return std::nullopt;
    return FileVersion{info.st_dev, info.st_ino, info.st_size, info.st_mtim.tv_sec, info.st_mtim.tv_nsec};
}

}  // namespace

Status scan_media_packets_once(const std::string& path, const VideoLimits& limits)
{
    static std::mutex mutex;
    static std::map<FileVersion, Status> verdicts;
    auto before = version_of(path);
    if (before) {
        std::lock_guard lock(mutex);
        if (auto it = verdicts.find(*before); it != verdicts.end())
            return it->second;
    }
    Status verdict = scan_media_packets(path, limits);
    // Remembered only when the file did not change while it was read.
    if (before && version_of(path) == before) {
        std::lock_guard lock(mutex);
        if (verdicts.size() >= 4096)
            verdicts.clear();  // a share of thousands of videos replaced over months: start again
        verdicts.emplace(*before, verdict);
    }
    return verdict;
}

}  // namespace signage
