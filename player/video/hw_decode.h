// Hardware video decoding where the machine offers it, never required (`[video] hwdec`):
// with `auto`, a stream is tried on VAAPI (a /dev/dri/renderD* node whose driver lists the
// stream's codec profile), then DRM-PRIME (/dev/dri/card*, where FFmpeg's decoder has such a
// hwaccel), then FFmpeg's V4L2 memory-to-memory decoders (h264_v4l2m2m…, 8-bit 4:2:0 only);
// the first that opens is used. Any failure falls back to software; one info line per file says
// which decoder was chosen and why (DecoderChoice, also in VideoDecoderStats::decoder).
//
// Decoded pictures in GPU memory are copied back (av_hwframe_transfer_data, NV12 where the
// device offers it) right after decoding, so everything downstream sees ordinary frames and the
// hardware surfaces go back to the decoder at once.
#pragma once

#include "playlist/base/error.h"
#include "player/media/ffmpeg_handles.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signage {

enum class HwDecode { Auto, Off };

// "auto" / "off": the config key's values.
std::optional<HwDecode> parse_hwdec(std::string_view text);
const char* hwdec_name(HwDecode mode);

// Where hardware decoders are looked for. Only tests point these elsewhere.
struct HwDevicePaths {
    std::string dri = "/dev/dri";  // VAAPI render nodes (renderD*), DRM cards (card*)
    std::string v4l2 = "/dev";     // video* nodes; FFmpeg's V4L2 decoders then scan /dev themselves
};

// Which decoder a video got and why.
struct DecoderChoice {
    std::string decoder;             // FFmpeg's decoder: "h264", "hevc", "h264_v4l2m2m", "libdav1d"
    std::string hardware;            // "VAAPI on /dev/dri/renderD128", "V4L2 M2M"; "" for software
    std::vector<std::string> tried;  // hardware not taken, each with its reason (empty with hwdec = off)
    bool is_hardware() const { return !hardware.empty(); }
    // "h264 via VAAPI on /dev/dri/renderD128" or "h264 in software (hwdec = auto: VAAPI: no
    // render node in /dev/dri; …)".
    std::string describe(HwDecode mode) const;
};

struct VideoCodecOptions;
struct OpenedCodec;

// With hwdec = auto: the first hardware decoder that opens for the stream, or nullopt with
// `tried` saying why each was not taken. Does not log; open_video_codec() does.
std::optional<OpenedCodec> open_hardware_codec(const std::string& path, const AVStream& stream,
                                               const VideoCodecOptions& options, MediaLogTag* tag,
                                               std::vector<std::string>& tried);

// A picture in GPU memory becomes an ordinary one in place (NV12 where the device offers it,
// else the device's first download format, e.g. P010 for 10-bit); others are left as they are.
Status download_hw_frame(AVFrame& frame);

}  // namespace signage
