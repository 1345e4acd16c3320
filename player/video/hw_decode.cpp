#include "player/video/hw_decode.h"

#include "playlist/base/log.h"
#include "player/video/video_codec.h"

extern "C" {
#include <libavutil/hwcontext.h>
#include <libavutil/hwcontext_vaapi.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>

namespace signage {

std::optional<HwDecode> parse_hwdec(std::string_view text)
{
    if (text == "auto")
        return HwDecode::Auto;
    if (text == "off")
        return HwDecode::Off;
    return std::nullopt;
}

const char* hwdec_name(HwDecode mode)
{
    return mode == HwDecode::Off ? "off" : "auto";
}

std::string DecoderChoice::describe(HwDecode mode) const
{
    if (is_hardware())
        return decoder + " via " + hardware;
    std::string out = decoder + " in software (hwdec = " + hwdec_name(mode);
    for (size_t i = 0; i < tried.size(); ++i)
        out += (i == 0 ? ": " : "; ") + tried[i];
    return out + ")";
}

namespace {

// Device nodes in `dir` whose names start with `prefix`, sorted (renderD128 before renderD129).
std::vector<std::string> device_nodes(const std::string& dir, std::string_view prefix)
{
    std::vector<std::string> nodes;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.starts_with(prefix))
            nodes.push_back(it->path().string());
    }
    std::sort(nodes.begin(), nodes.end());
    return nodes;
}

// Opening a device loads its driver (tens of milliseconds) and a broken one complains in the log:
// each node is opened once per process and shared by every decoder (FFmpeg's device contexts
// are made to be shared). A node that failed is not tried again until the player restarts.
struct CachedDevice {
    BufferRefPtr device;
    std::string error;
};

const CachedDevice& shared_device(AVHWDeviceType type, const std::string& node)
{
    static std::mutex mutex;
    static std::map<std::string, CachedDevice> devices;
    std::lock_guard lock(mutex);
    const std::string key = std::string(av_hwdevice_get_type_name(type)) + " " + node;
    auto found = devices.find(key);
    if (found != devices.end())
        return found->second;
    CachedDevice& entry = devices[key];
    AVBufferRef* raw = nullptr;
    int rc = av_hwdevice_ctx_create(&raw, type, node.c_str(), nullptr, 0);
    if (rc < 0)
        entry.error = "cannot open it: " + av_error_text(rc);
    else
        entry.device.reset(raw);
    return entry;
}

// A decoder of FFmpeg's for the codec that takes a hardware device of `type`.
const AVCodec* decoder_with_hwaccel(AVCodecID id, AVHWDeviceType type, AVPixelFormat* hw_format)
{
    void* iterator = nullptr;
    while (const AVCodec* codec = av_codec_iterate(&iterator)) {
        if (codec->id != id || !av_codec_is_decoder(codec) || codec->wrapper_name)
            continue;
        for (int i = 0;; ++i) {
            const AVCodecHWConfig* config = avcodec_get_hw_config(codec, i);
            if (!config)
                break;
            if (config->device_type == type && (config->methods & AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX)) {
                *hw_format = config->pix_fmt;
                return codec;
            }
        }
    }
    return nullptr;
}

// The VA profiles that decode a stream of this codec and FFmpeg profile, best match first (a
// Main or High decoder also decodes Constrained Baseline, as FFmpeg's own VAAPI table allows).
std::vector<VAProfile> va_profiles_for(AVCodecID id, int profile)
{
    switch (id) {
    case AV_CODEC_ID_H264:
        switch (profile) {
        case FF_PROFILE_H264_CONSTRAINED_BASELINE:
            return {VAProfileH264ConstrainedBaseline, VAProfileH264Main, VAProfileH264High};
        case FF_PROFILE_H264_MAIN:
            return {VAProfileH264Main, VAProfileH264High};
        case FF_PROFILE_H264_HIGH:
        case FF_PROFILE_UNKNOWN:
            return {VAProfileH264High};
        default:
            return {};  // Baseline with its extra tools, High 10, 4:2:2, 4:4:4: no VA profile
        }
    case AV_CODEC_ID_HEVC:
        switch (profile) {
        case FF_PROFILE_HEVC_MAIN:
        case FF_PROFILE_HEVC_MAIN_STILL_PICTURE:
        case FF_PROFILE_UNKNOWN:
            return {VAProfileHEVCMain};
        case FF_PROFILE_HEVC_MAIN_10:
            return {VAProfileHEVCMain10};
        default:
            return {};
        }
    case AV_CODEC_ID_VP9:
        switch (profile) {
        case FF_PROFILE_VP9_0:
        case FF_PROFILE_UNKNOWN:
            return {VAProfileVP9Profile0};
        case FF_PROFILE_VP9_1:
            return {VAProfileVP9Profile1};
        case FF_PROFILE_VP9_2:
            return {VAProfileVP9Profile2};
        case FF_PROFILE_VP9_3:
            return {VAProfileVP9Profile3};
        default:
            return {};
        }
    case AV_CODEC_ID_AV1:
        switch (profile) {
        case FF_PROFILE_AV1_MAIN:
        case FF_PROFILE_UNKNOWN:
            return {VAProfileAV1Profile0};
        case FF_PROFILE_AV1_HIGH:
            return {VAProfileAV1Profile1};
        default:
            return {};
        }
    case AV_CODEC_ID_MPEG2VIDEO:
        return profile == FF_PROFILE_MPEG2_SIMPLE ? std::vector{VAProfileMPEG2Simple, VAProfileMPEG2Main}
                                                  : std::vector{VAProfileMPEG2Main};
    case AV_CODEC_ID_MPEG4:
        switch (profile) {
        case FF_PROFILE_MPEG4_SIMPLE:
            return {VAProfileMPEG4Simple, VAProfileMPEG4AdvancedSimple, VAProfileMPEG4Main};
        case FF_PROFILE_MPEG4_ADVANCED_SIMPLE:
        case FF_PROFILE_UNKNOWN:
            return {VAProfileMPEG4AdvancedSimple, VAProfileMPEG4Main};
        case FF_PROFILE_MPEG4_MAIN:
            return {VAProfileMPEG4Main};
        default:
            return {};
        }
    case AV_CODEC_ID_VC1:
    case AV_CODEC_ID_WMV3:
        switch (profile) {
        case FF_PROFILE_VC1_SIMPLE:
            return {VAProfileVC1Simple, VAProfileVC1Main, VAProfileVC1Advanced};
        case FF_PROFILE_VC1_MAIN:
            return {VAProfileVC1Main, VAProfileVC1Advanced};
        default:
            return {VAProfileVC1Advanced};
        }
    case AV_CODEC_ID_VP8:
        return {VAProfileVP8Version0_3};
    default:
        return {};
    }
}

// Whether the VA driver behind `device` decodes (has the VLD entry point for) one of `wanted`.
bool va_decodes(AVBufferRef* device, const std::vector<VAProfile>& wanted)
{
    auto* hw = reinterpret_cast<AVHWDeviceContext*>(device->data);
    VADisplay display = static_cast<AVVAAPIDeviceContext*>(hw->hwctx)->display;
    std::vector<VAProfile> profiles(static_cast<size_t>(std::max(0, vaMaxNumProfiles(display))));
    int count = 0;
    if (profiles.empty() || vaQueryConfigProfiles(display, profiles.data(), &count) != VA_STATUS_SUCCESS)
        return false;
    profiles.resize(static_cast<size_t>(std::clamp(count, 0, static_cast<int>(profiles.size()))));
    for (VAProfile profile : wanted) {
        if (std::find(profiles.begin(), profiles.end(), profile) == profiles.end())
            continue;
        std::vector<VAEntrypoint> entries(static_cast<size_t>(std::max(0, vaMaxNumEntrypoints(display))));
        int entry_count = 0;
        if (entries.empty() ||
            vaQueryConfigEntrypoints(display, profile, entries.data(), &entry_count) != VA_STATUS_SUCCESS)
            continue;
        entries.resize(static_cast<size_t>(std::clamp(entry_count, 0, static_cast<int>(entries.size()))));
        if (std::find(entries.begin(), entries.end(), VAEntrypointVLD) != entries.end())
            return true;
    }
    return false;
}

// The hardware format for a context's device when the decoder offers it, else the first
// software format: never a hardware format we cannot download (V4L2's DRM-PRIME frames). When
// FFmpeg cannot start the hwaccel after all (a driver refusing the size), it drops the
// hardware format and asks again: that lands here too and is said in the log.
AVPixelFormat pick_format(AVCodecContext* context, const AVPixelFormat* formats)
{
    AVPixelFormat wanted = AV_PIX_FMT_NONE;
    if (context->hw_device_ctx) {
        auto type = reinterpret_cast<AVHWDeviceContext*>(context->hw_device_ctx->data)->type;
        for (int i = 0;; ++i) {
            const AVCodecHWConfig* config = avcodec_get_hw_config(context->codec, i);
            if (!config)
                break;
            if (config->device_type == type && (config->methods & AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX))
                wanted = config->pix_fmt;
        }
    }
    AVPixelFormat software = AV_PIX_FMT_NONE;
    for (const AVPixelFormat* format = formats; *format != AV_PIX_FMT_NONE; ++format) {
        if (*format == wanted)
            return wanted;
        const AVPixFmtDescriptor* descriptor = av_pix_fmt_desc_get(*format);
        if (software == AV_PIX_FMT_NONE && descriptor && !(descriptor->flags & AV_PIX_FMT_FLAG_HWACCEL))
            software = *format;
    }
    if (wanted != AV_PIX_FMT_NONE) {
        auto* tag = static_cast<const MediaLogTag*>(context->opaque);
        const std::string file = tag && tag->magic == MediaLogTag::kMagic ? tag->path : "a video";
        log::info("video " + file + ": the hardware decoder could not start for this stream; decoding in software");
    }
    return software;
}

std::string device_label(AVHWDeviceType type)
{
    return type == AV_HWDEVICE_TYPE_VAAPI ? "VAAPI" : type == AV_HWDEVICE_TYPE_DRM ? "DRM-PRIME" : "hardware";
}

// One hwaccel kind (VAAPI or DRM-PRIME) on the first of its device nodes that takes the stream.
std::optional<OpenedCodec> try_hwaccel(AVHWDeviceType type, std::string_view node_prefix, const std::string& path,
                                       const AVStream& stream, const VideoCodecOptions& options, MediaLogTag* tag,
                                       std::vector<std::string>& tried)
{
    const std::string label = device_label(type);
    const AVCodecParameters& par = *stream.codecpar;
    AVPixelFormat hw_format = AV_PIX_FMT_NONE;
    const AVCodec* codec = decoder_with_hwaccel(par.codec_id, type, &hw_format);
    if (!codec) {
        tried.push_back(label + ": FFmpeg has no such decoder for " + avcodec_get_name(par.codec_id));
        return std::nullopt;
    }
    std::vector<std::string> nodes = device_nodes(options.devices.dri, node_prefix);
    if (nodes.empty()) {
        tried.push_back(label + ": no " + options.devices.dri + "/" + std::string(node_prefix) + "* device");
        return std::nullopt;
    }
    for (const std::string& node : nodes) {
        const CachedDevice& device = shared_device(type, node);
        if (!device.device) {
            tried.push_back(label + " on " + node + ": " + device.error);
            continue;
        }
        if (type == AV_HWDEVICE_TYPE_VAAPI && !va_decodes(device.device.get(), va_profiles_for(par.codec_id, par.profile))) {
            const char* profile = avcodec_profile_name(par.codec_id, par.profile);
            tried.push_back(label + " on " + node + ": the driver does not decode " + avcodec_get_name(par.codec_id) +
                            (profile ? std::string(" ") + profile : std::string()));
            continue;
        }
        auto context = make_codec_context(path, *codec, stream, options, tag);
        if (!context) {
            tried.push_back(label + " on " + node + ": " + context.error().message);
            continue;
        }
        (*context)->hw_device_ctx = av_buffer_ref(device.device.get());
        (*context)->get_format = pick_format;
        // The device does the work: frame threads would only hold more surfaces and add delay.
        (*context)->thread_count = 1;
        int rc = (*context)->hw_device_ctx ? avcodec_open2(context->get(), codec, nullptr) : AVERROR(ENOMEM);
        if (rc < 0) {
            tried.push_back(label + " on " + node + ": cannot open the decoder: " + av_error_text(rc));
            continue;
        }
        OpenedCodec opened;
        opened.context = std::move(*context);
        opened.choice.decoder = codec->name;
        opened.choice.hardware = label + " on " + node;
        opened.choice.tried = tried;
        return opened;
    }
    return std::nullopt;
}

// FFmpeg's V4L2 memory-to-memory decoders (Raspberry Pi, many ARM boards). They find their
// device themselves by scanning /dev/video*; one that failed for a decoder is not retried.
std::optional<OpenedCodec> try_v4l2m2m(const std::string& path, const AVStream& stream,
                                       const VideoCodecOptions& options, MediaLogTag* tag,
                                       std::vector<std::string>& tried)
{
    const AVCodecParameters& par = *stream.codecpar;
    const AVCodec* codec = nullptr;
    void* iterator = nullptr;
    while (const AVCodec* candidate = av_codec_iterate(&iterator))
        if (candidate->id == par.codec_id && av_codec_is_decoder(candidate) && candidate->wrapper_name &&
            std::string_view(candidate->wrapper_name) == "v4l2m2m") {
            codec = candidate;
            break;
        }
    if (!codec) {
        tried.push_back(std::string("V4L2 M2M: FFmpeg has no such decoder for ") + avcodec_get_name(par.codec_id));
        return std::nullopt;
    }
    const auto format = static_cast<AVPixelFormat>(par.format);
    if (format != AV_PIX_FMT_NONE && format != AV_PIX_FMT_YUV420P && format != AV_PIX_FMT_YUVJ420P &&
        format != AV_PIX_FMT_NV12) {
        const char* name = av_get_pix_fmt_name(format);
        tried.push_back(std::string("V4L2 M2M: only 8-bit 4:2:0, not ") + (name ? name : "this format"));
        return std::nullopt;
    }
    if (device_nodes(options.devices.v4l2, "video").empty()) {
        tried.push_back("V4L2 M2M: no " + options.devices.v4l2 + "/video* device");
        return std::nullopt;
    }
    static std::mutex mutex;
    static std::map<std::string, std::string> failed;  // decoder name → why
    {
        std::lock_guard lock(mutex);
        auto found = failed.find(codec->name);
        if (found != failed.end()) {
            tried.push_back(std::string("V4L2 M2M (") + codec->name + "): " + found->second);
            return std::nullopt;
        }
    }
    auto context = make_codec_context(path, *codec, stream, options, tag);
    if (!context) {
        tried.push_back("V4L2 M2M: " + context.error().message);
        return std::nullopt;
    }
    (*context)->get_format = pick_format;
    (*context)->thread_count = 1;
    int rc = avcodec_open2(context->get(), codec, nullptr);
    if (rc < 0) {
        std::string why = "no device decodes it: " + av_error_text(rc);
        {
            std::lock_guard lock(mutex);
            failed.emplace(codec->name, why);
        }
        tried.push_back(std::string("V4L2 M2M (") + codec->name + "): " + why);
        return std::nullopt;
    }
    OpenedCodec opened;
    opened.context = std::move(*context);
    opened.choice.decoder = codec->name;
    opened.choice.hardware = "V4L2 M2M";
    opened.choice.tried = tried;
    return opened;
}

}  // namespace

std::optional<OpenedCodec> open_hardware_codec(const std::string& path, const AVStream& stream,
                                               const VideoCodecOptions& options, MediaLogTag* tag,
                                               std::vector<std::string>& tried)
{
    if (auto opened = try_hwaccel(AV_HWDEVICE_TYPE_VAAPI, "renderD", path, stream, options, tag, tried))
        return opened;
    if (auto opened = try_hwaccel(AV_HWDEVICE_TYPE_DRM, "card", path, stream, options, tag, tried))
        return opened;
    return try_v4l2m2m(path, stream, options, tag, tried);
}

Status download_hw_frame(AVFrame& frame)
{
    if (!frame.hw_frames_ctx)
        return {};
    AVPixelFormat* formats = nullptr;
    int rc = av_hwframe_transfer_get_formats(frame.hw_frames_ctx, AV_HWFRAME_TRANSFER_DIRECTION_FROM, &formats, 0);
    if (rc < 0)
        return Error{"", 0, "cannot copy a picture from the hardware decoder: " + av_error_text(rc)};
    AVPixelFormat chosen = formats[0];
    for (AVPixelFormat* format = formats; *format != AV_PIX_FMT_NONE; ++format)
        if (*format == AV_PIX_FMT_NV12)
            chosen = AV_PIX_FMT_NV12;
    av_free(formats);
    FramePtr software = make_frame();
    if (!software)
        return Error{"", 0, "out of memory copying a picture from the hardware decoder"};
    software->format = chosen;
    rc = av_hwframe_transfer_data(software.get(), &frame, 0);
    if (rc >= 0)
        rc = av_frame_copy_props(software.get(), &frame);
    if (rc < 0)
        return Error{"", 0, "cannot copy a picture from the hardware decoder: " + av_error_text(rc)};
    av_frame_unref(&frame);
    av_frame_move_ref(&frame, software.get());
    return {};
}

}  // namespace signage
