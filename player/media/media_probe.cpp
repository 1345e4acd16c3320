#include "player/media/media_probe.h"

#include "player/media/colour_tags.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string_view>

namespace signage {

namespace {

double seconds(int64_t ts, AVRational time_base)
{
    return ts == AV_NOPTS_VALUE ? 0.0 : static_cast<double>(ts) * time_base.num / time_base.den;
}

// Clockwise degrees to display upright, as ffmpeg's own get_rotation() reads the matrix.
int rotation_from_display_matrix(const AVStream* stream)
{
    size_t size = 0;
    const uint8_t* matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (!matrix || size < 9 * sizeof(int32_t))
        return 0;
    double counterclockwise = av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
    if (std::isnan(counterclockwise))
        return 0;
    long clockwise = std::lround(-counterclockwise / 90.0) * 90;
    return static_cast<int>(((clockwise % 360) + 360) % 360);
}

// image2 and the *_pipe demuxers open single pictures as one-frame "videos".
bool is_still_image_demuxer(std::string_view name)
{
    return name == "image2" || (name.size() > 5 && name.substr(name.size() - 5) == "_pipe");
}

std::string mb(uint64_t bytes)
{
    return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MB";
}

}  // namespace

std::pair<int, int> VideoStreamInfo::display_size() const
{
    int w = width, h = height;
    if (sample_aspect_ratio.num > 0 && sample_aspect_ratio.den > 0 &&
        sample_aspect_ratio.num != sample_aspect_ratio.den)
        w = std::max(1, static_cast<int>(std::lround(static_cast<double>(w) * sample_aspect_ratio.num /
                                                     sample_aspect_ratio.den)));
    return rotation == 90 || rotation == 270 ? std::pair{h, w} : std::pair{w, h};
}

std::string MediaInfo::describe() const
{
    std::string out;
    if (video) {
        const VideoStreamInfo& v = *video;
        const char* format = av_get_pix_fmt_name(v.pixel_format);
        char buffer[256];
        std::snprintf(buffer, sizeof buffer, "%s %dx%d %s", v.codec.c_str(), v.width, v.height, format ? format : "?");
        out = buffer;
        // Colour tags only when the stream has them ("bt709 tv"); most files have none.
        const char* space = av_color_space_name(v.color_space);
        const char* range = av_color_range_name(v.color_range);
        if (v.color_space != AVCOL_SPC_UNSPECIFIED && space)
            out += std::string(" ") + space;
        if (v.color_range != AVCOL_RANGE_UNSPECIFIED && range)
            out += std::string(" ") + range;
        std::snprintf(buffer, sizeof buffer, " %.3g fps", v.frame_rate);
        out += buffer;
        if (v.rotation)
            out += " rotated " + std::to_string(v.rotation);
    }
    char length[64];
    std::snprintf(length, sizeof length, ", %.1f s", duration);
    out += length;
    if (audio)
        out += ", " + audio->codec + " " + audio->layout + " " + std::to_string(audio->sample_rate) + " Hz";
    else
        out += ", no audio";
    return out;
}

namespace {

std::optional<Error> over_size_limit(const std::string& name, uint64_t bytes, const VideoLimits& limits)
{
    if (bytes == 0)
        return Error{name, 0, "the file is empty"};
    if (bytes > limits.max_file_bytes)
        return Error{name, 0, "the file is " + mb(bytes) + ", over the limit of " + mb(limits.max_file_bytes)};
    return std::nullopt;
}

// The video stream as the player needs it: size, aspect, colour tags, rotation, timing.
VideoStreamInfo describe_video(AVFormatContext* format, int video_index, double container_duration)
{
    AVStream* stream = format->streams[video_index];
    sanitize_colour_tags(*stream->codecpar);  // before anything reads them, the decoder included
    const AVCodecParameters* par = stream->codecpar;
    VideoStreamInfo video;
    video.index = video_index;
    video.codec = avcodec_get_name(par->codec_id);
    if (const char* profile = avcodec_profile_name(par->codec_id, par->profile))
        video.profile = profile;
    video.width = par->width;
    video.height = par->height;
    video.sample_aspect_ratio = av_guess_sample_aspect_ratio(format, stream, nullptr);
    // Beyond 10:1 either way it is damage, not anamorphic video (real ones stay within 1:2..2:1),
    // and would squeeze the picture to nothing or stretch it past any int: shown square. (Found
    // by fuzz_media: an MP4 saying 1:16385 made a 64-pixel-wide picture 0 wide.)
    if (video.sample_aspect_ratio.num <= 0 || video.sample_aspect_ratio.den <= 0 ||
        av_cmp_q(video.sample_aspect_ratio, AVRational{1, 10}) < 0 ||
        av_cmp_q(video.sample_aspect_ratio, AVRational{10, 1}) > 0)
        video.sample_aspect_ratio = {1, 1};
    video.pixel_format = static_cast<AVPixelFormat>(par->format);
    video.color_space = par->color_space;
    video.color_range = par->color_range;
    video.color_primaries = par->color_primaries;
    video.color_transfer = par->color_trc;
    video.rotation = rotation_from_display_matrix(stream);
    AVRational rate = av_guess_frame_rate(format, stream, nullptr);
    video.frame_rate = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
    video.frame_count = stream->nb_frames > 0 ? stream->nb_frames : 0;
    video.time_base = stream->time_base;
    video.start_time = seconds(stream->start_time, stream->time_base);
    video.duration = stream->duration > 0 ? seconds(stream->duration, stream->time_base) : container_duration;
    return video;
}

// The best audio stream that goes with the video, if any.
std::optional<AudioStreamInfo> describe_audio(AVFormatContext* format, int video_index)
{
    int audio_index = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, video_index, nullptr, 0);
    if (audio_index >= 0) {
        const AVCodecParameters* a = format->streams[audio_index]->codecpar;
        AudioStreamInfo audio;
        audio.index = audio_index;
        audio.codec = avcodec_get_name(a->codec_id);
        audio.channels = a->ch_layout.nb_channels;
        audio.sample_rate = a->sample_rate;
        char layout[64] = {};
        if (av_channel_layout_describe(&a->ch_layout, layout, sizeof layout) > 0)
            audio.layout = layout;
        else
            audio.layout = std::to_string(audio.channels) + " channels";
        return audio;
    }
    return std::nullopt;
}

// What every open shares once the bytes are reachable: open the container (the file at `path`,
// or `io` when given, `path` then only naming it), refuse still images, probe the streams, check
// the video stream and the limits.
Result<OpenedMedia> open_container(const std::string& path, AVIOContext* io, uint64_t bytes, const VideoLimits& limits,
                                   AVIOInterruptCB interrupt)
{
    install_ffmpeg_log();
    // The context is allocated first so the interrupt callback and reader are in place before any read.
    AVFormatContext* raw = avformat_alloc_context();
    if (!raw)
        return Error{path, 0, "out of memory opening the file"};
    raw->interrupt_callback = interrupt;
    if (io) {
        raw->pb = io;
        raw->flags |= AVFMT_FLAG_CUSTOM_IO;  // closing the context leaves the reader to its owner
    }
    int rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);  // frees raw on failure
    if (rc < 0)
        return av_error(path, "cannot open as a video", rc);
    FormatContextPtr format(raw);
    const std::string demuxer = format->iformat->name;
    if (is_still_image_demuxer(demuxer))
        return Error{path, 0, "a still image (" + demuxer + "), not a video: use type = image"};
    rc = avformat_find_stream_info(format.get(), nullptr);
    if (rc < 0)
        return av_error(path, "cannot read the stream information", rc);

    OpenedMedia opened;
    MediaInfo& info = opened.info;
    info.path = path;
    info.container = demuxer;
    info.file_bytes = bytes;
    if (format->duration != AV_NOPTS_VALUE && format->duration > 0)
        info.duration = static_cast<double>(format->duration) / AV_TIME_BASE;

    const AVCodec* decoder = nullptr;
    int video_index = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
    if (video_index == AVERROR_DECODER_NOT_FOUND) {
        int any = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
        const char* name = any >= 0 ? avcodec_get_name(format->streams[any]->codecpar->codec_id) : "?";
        return Error{path, 0, std::string("no decoder for its video codec (") + name + ")"};
    }
    if (video_index < 0 || (format->streams[video_index]->disposition & AV_DISPOSITION_ATTACHED_PIC))
        return Error{path, 0, "no video stream in it (" + demuxer + ")"};
    VideoStreamInfo video = describe_video(format.get(), video_index, info.duration);
    if (info.duration <= 0)
        info.duration = video.duration;

    if (video.width <= 0 || video.height <= 0)
        return Error{path, 0, "the video stream has no picture size (" + video.codec + ")"};
    if (video.width > VideoLimits::kMaxSide || video.height > VideoLimits::kMaxSide ||
        static_cast<double>(video.width) * video.height > limits.max_megapixels * 1e6) {
        char buffer[160];
        std::snprintf(buffer, sizeof buffer, "the video is %dx%d, over the limit of %.3g megapixels (%d a side)",
                      video.width, video.height, limits.max_megapixels, VideoLimits::kMaxSide);
        return Error{path, 0, buffer};
    }
    info.video = video;

    info.audio = describe_audio(format.get(), video_index);
    opened.format = std::move(format);
    return opened;
}

}  // namespace

Result<OpenedMedia> open_media(const std::string& path, const VideoLimits& limits, AVIOInterruptCB interrupt)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return Error{path, 0, std::filesystem::exists(path, ec) ? "not a regular file" : "file not found"};
    uint64_t bytes = std::filesystem::file_size(path, ec);
    if (ec)
        return Error{path, 0, "cannot read the file size: " + ec.message()};
    if (auto refused = over_size_limit(path, bytes, limits))
        return *refused;
    return open_container(path, nullptr, bytes, limits, interrupt);
}

Result<OpenedMedia> open_media_io(AVIOContext* io, const std::string& name, const VideoLimits& limits,
                                  AVIOInterruptCB interrupt)
{
    int64_t size = avio_size(io);
    uint64_t bytes = size > 0 ? static_cast<uint64_t>(size) : 0;
    if (size >= 0)  // a reader that cannot tell its size is not refused for it
        if (auto refused = over_size_limit(name, bytes, limits))
            return *refused;
    return open_container(name, io, bytes, limits, interrupt);
}

Result<OpenedMedia> open_media_memory(std::span<const uint8_t> bytes, const std::string& name,
                                      const VideoLimits& limits)
{
    auto input = MemoryInput::create(bytes);
    if (!input)
        return Error{name, 0, input.error().message};
    auto opened = open_media_io((*input)->io(), name, limits);
    if (!opened)
        return opened.error();
    opened->memory = std::move(*input);
    return opened;
}

Result<MediaInfo> probe_media(const std::string& path, const VideoLimits& limits)
{
    auto opened = open_media(path, limits);
    if (!opened)
        return opened.error();
    return std::move(opened->info);
}

}  // namespace signage
