// Feeds arbitrary bytes to the player's video input path as a share would: through a custom
// AVIOContext (MemoryInput) into open_media_memory — the same container probe, still-image and
// stream checks and VideoLimits as a file — then the decoder open_video_codec sets up for
// VideoDecoder (software: fuzzing a GPU driver is not the point), reading a bounded number of
// packets and frames the way VideoDecoder does. Besides crashes, sanitizer reports and hangs:
// an opened file must say what it is, and no decoded picture may exceed the limits.
#include "playlist/base/log.h"
#include "player/media/media_probe.h"
#include "player/video/video_codec.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace {

// Enough to get past headers, parameter sets and a first GOP's reordering; few enough that one
// input stays in the milliseconds.
constexpr int kMaxPackets = 48;
constexpr int kMaxFrames = 12;

void check_frame(const AVFrame& frame, const signage::VideoLimits& limits)
{
    // The decoder's own bound (AVCodecContext::max_pixels) is the pixel count; the side limit is
    // the probe's, for what the container declares.
    if (frame.width <= 0 || frame.height <= 0 ||
        static_cast<double>(frame.width) * frame.height > limits.max_megapixels * 1e6)
        __builtin_trap();
}

// Drains what the decoder has; false once enough frames came out.
bool receive(AVCodecContext* codec, AVFrame* frame, int& frames, const signage::VideoLimits& limits)
{
    while (avcodec_receive_frame(codec, frame) == 0) {
        if (!signage::finish_decoded_frame(*frame))
            __builtin_trap();  // software frames have nothing to download
        check_frame(*frame, limits);
        av_frame_unref(frame);
        if (++frames >= kMaxFrames)
            return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace signage;
    static const bool quiet = [] {
        log::set_level(log::Level::Error);  // FFmpeg's complaints about garbage are expected here
        return true;
    }();
    (void)quiet;

    const VideoLimits limits;  // the player's defaults
    auto opened = open_media_memory(std::span(data, size), "fuzz.media", limits);
    if (!opened) {
        if (opened.error().message.empty() || opened.error().file != "fuzz.media")
            __builtin_trap();
        return 0;
    }
    const MediaInfo& info = opened->info;
    if (!info.video || info.describe().empty())
        __builtin_trap();
    auto [width, height] = info.video->display_size();
    if (width <= 0 || height <= 0)
        __builtin_trap();

    AVFormatContext* format = opened->format.get();
    const int stream = info.video->index;
    for (unsigned i = 0; i < format->nb_streams; ++i)
        if (static_cast<int>(i) != stream)
            format->streams[i]->discard = AVDISCARD_ALL;
    VideoCodecOptions options;
    options.hwdec = HwDecode::Off;
    options.threads = 1;  // deterministic, and libFuzzer runs one input at a time
    options.limits = limits;
    MediaLogTag tag;
    tag.path = "fuzz.media";
    auto codec = open_video_codec(tag.path, *format->streams[stream], options, &tag);
    if (!codec)
        return 0;
    AVCodecContext* context = codec->context.get();
    PacketPtr packet = make_packet();
    FramePtr frame = make_frame();
    if (!packet || !frame)
        return 0;
    int frames = 0;
    bool more = true;
    for (int packets = 0; more && packets < kMaxPackets; ++packets) {
        if (av_read_frame(format, packet.get()) < 0)
            break;
        if (packet->stream_index == stream)
            avcodec_send_packet(context, packet.get());  // refusals are what garbage gets
        av_packet_unref(packet.get());
        more = receive(context, frame.get(), frames, limits);
    }
    if (more && avcodec_send_packet(context, nullptr) >= 0)
        receive(context, frame.get(), frames, limits);
    return 0;
}
