#include "player/media/ffmpeg_handles.h"

#include "playlist/base/log.h"
#include "player/media/rate_limit.h"

extern "C" {
#include <libavutil/log.h>
}

#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <string_view>

namespace signage {

namespace detail {
std::atomic<long> g_live_frames{0};
std::atomic<long> g_live_packets{0};
}  // namespace detail

FfmpegCounts ffmpeg_live_counts()
{
    return {detail::g_live_frames.load(), detail::g_live_packets.load()};
}

FramePtr make_frame()
{
    FramePtr frame(av_frame_alloc());
    if (frame)
        ++detail::g_live_frames;  // the deleter, which runs only on non-null, counts it down
    return frame;
}

PacketPtr make_packet()
{
    PacketPtr packet(av_packet_alloc());
    if (packet)
        ++detail::g_live_packets;
    return packet;
}

std::string av_error_text(int code)
{
    char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
    if (av_strerror(code, buffer, sizeof buffer) < 0)
        std::snprintf(buffer, sizeof buffer, "error %d", code);
    return buffer;
}

Error av_error(const std::string& file, const std::string& what, int code)
{
    return Error{file, 0, what + ": " + av_error_text(code)};
}

namespace {

std::mutex g_ffmpeg_log_mutex;
RateLimit g_ffmpeg_log_limit(5, std::chrono::seconds(10));

void forward_ffmpeg_log(void* context, int level, const char* format, va_list args)
{
    // Errors reach the journal; FFmpeg's warnings are mostly probing chatter, kept for debug.
    const log::Level ours = level <= AV_LOG_ERROR ? log::Level::Warn : log::Level::Debug;
    if (level > AV_LOG_WARNING || !log::enabled(ours))
        return;
    char text[512];
    std::vsnprintf(text, sizeof text, format, args);
    std::string message(text);
    while (!message.empty() && (message.back() == '\n' || message.back() == '\r'))
        message.pop_back();
    if (message.empty())
        return;
    // "[h264]" rather than FFmpeg's "[h264 @ 0x5581…]": the address helps nobody reading a journal.
    const AVClass* cls = context ? *static_cast<AVClass**>(context) : nullptr;
    std::string prefix = "ffmpeg";
    const char* item = cls && cls->item_name ? cls->item_name(context) : nullptr;
    if (item && *item && std::string_view(item) != "NULL")
        prefix += std::string(" [") + item + "]";
    if (cls == avformat_get_class()) {
        const char* url = static_cast<AVFormatContext*>(context)->url;
        if (url && *url)
            prefix = url + (": " + prefix);
    } else if (cls == avcodec_get_class()) {
        auto* tag = static_cast<const MediaLogTag*>(static_cast<AVCodecContext*>(context)->opaque);
        if (tag && tag->magic == MediaLogTag::kMagic)
            prefix = tag->path + ": " + prefix;
    }
    std::optional<long> held;
    {
        std::lock_guard lock(g_ffmpeg_log_mutex);
        held = g_ffmpeg_log_limit.allow();
    }
    if (held)
        log::write(ours, prefix + ": " + message + RateLimit::held_note(*held));
}

}  // namespace

void install_ffmpeg_log()
{
    static std::once_flag once;
    std::call_once(once, [] {
        av_log_set_level(AV_LOG_WARNING);
        av_log_set_callback(forward_ffmpeg_log);
    });
}

}  // namespace signage
