#include "player/video/video_codec.h"

#include "playlist/base/log.h"
#include "player/media/colour_tags.h"

#include <algorithm>
#include <cmath>

namespace signage {

Result<CodecContextPtr> make_codec_context(const std::string& path, const AVCodec& codec, const AVStream& stream,
                                           const VideoCodecOptions& options, MediaLogTag* tag)
{
    CodecContextPtr context(avcodec_alloc_context3(&codec));
    if (!context)
        return Error{path, 0, std::string("out of memory setting up the ") + codec.name + " decoder"};
    int rc = avcodec_parameters_to_context(context.get(), stream.codecpar);
    if (rc < 0)
        return av_error(path, std::string("cannot set up the ") + codec.name + " decoder", rc);
    context->pkt_timebase = stream.time_base;
    if (tag)
        context->opaque = tag;
    context->thread_count = std::max(0, options.threads);
    context->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    // open_media checked the size the container declares; this holds the decoder to the same
    // limit when the stream itself declares a bigger picture later (FFmpeg refuses the frame).
    context->max_pixels = static_cast<int64_t>(
        std::min(options.limits.max_megapixels * 1e6, static_cast<double>(VideoLimits::kMaxSide) * VideoLimits::kMaxSide));
    return context;
}

Result<OpenedCodec> open_video_codec(const std::string& path, const AVStream& stream, const VideoCodecOptions& options,
                                     MediaLogTag* tag)
{
    OpenedCodec opened;
    if (options.hwdec == HwDecode::Auto) {
        std::vector<std::string> tried;
        if (auto hardware = open_hardware_codec(path, stream, options, tag, tried))
            opened = std::move(*hardware);
        else
            opened.choice.tried = std::move(tried);
    }
    if (!opened.context) {
        const char* name = avcodec_get_name(stream.codecpar->codec_id);
        const AVCodec* codec = avcodec_find_decoder(stream.codecpar->codec_id);
        if (!codec)
            return Error{path, 0, std::string("no decoder for its video codec (") + name + ")"};
        auto context = make_codec_context(path, *codec, stream, options, tag);
        if (!context)
            return context.error();
        int rc = avcodec_open2(context->get(), codec, nullptr);
        if (rc < 0)
            return av_error(path, std::string("cannot open the ") + name + " decoder", rc);
        opened.context = std::move(*context);
        opened.choice.decoder = codec->name;
    }
    // Once per file and choice: a playlist that loops does not repeat it every round.
    const std::string line = opened.choice.describe(options.hwdec);
    log::on_change(log::Level::Info, "video decoder: " + path, line, "video " + path + ": " + line);
    return opened;
}

Status finish_decoded_frame(AVFrame& frame)
{
    Status downloaded = download_hw_frame(frame);
    sanitize_colour_tags(frame);
    return downloaded;
}

}  // namespace signage
