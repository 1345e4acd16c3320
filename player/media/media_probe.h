// Opens a media file and says what is in it — streams, duration, picture size, pixel format,
// colour, rotation, audio — without decoding a frame. `check` reports from it; the Demuxer opens
// files through it; the media fuzz target opens bytes in memory through the same checks. Files
// over the limits are refused before anything large is allocated.
// Does file I/O (a hung network mount blocks it): call it off the render thread.
#pragma once

#include "playlist/base/error.h"
#include "player/media/ffmpeg_handles.h"
#include "player/media/memory_input.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>

namespace signage {

struct VideoLimits {
    uint64_t max_file_bytes = 2048ull << 20;  // [limits] max_file_mb
    // Decoded pixels per frame: 9 MP admits DCI 4K (4096x2160), the most a small box can play.
    double max_megapixels = 9;
    // What SDL textures and sane files stay within, whatever the config says.
    static constexpr int kMaxSide = 8192;
};

struct VideoStreamInfo {
    int index = -1;
    std::string codec;  // "h264"
    std::string profile;  // "High", "High 10"; "" when unknown
    int width = 0, height = 0;  // coded picture after cropping, before rotation and aspect
    AVRational sample_aspect_ratio{1, 1};
    AVPixelFormat pixel_format = AV_PIX_FMT_NONE;
    AVColorSpace color_space = AVCOL_SPC_UNSPECIFIED;
    AVColorRange color_range = AVCOL_RANGE_UNSPECIFIED;
    AVColorPrimaries color_primaries = AVCOL_PRI_UNSPECIFIED;
    AVColorTransferCharacteristic color_transfer = AVCOL_TRC_UNSPECIFIED;
    // Clockwise degrees (0, 90, 180, 270) to turn the picture upright, from the stream's display
    // matrix (phone videos); mirroring in the matrix is ignored.
    int rotation = 0;
    double frame_rate = 0;   // average frames per second; 0 when unknown
    int64_t frame_count = 0;  // from the container; 0 when it does not say
    AVRational time_base{1, 1};
    double start_time = 0;   // first timestamp in the container, seconds; media time 0 is here
    double duration = 0;     // of the video stream, seconds; 0 when unknown

    // Width and height as shown: sample aspect ratio applied, turned by the rotation.
    std::pair<int, int> display_size() const;
};

struct AudioStreamInfo {
    int index = -1;
    std::string codec;
    int channels = 0;
    int sample_rate = 0;
    std::string layout;  // "stereo", "5.1(side)"
};

struct MediaInfo {
    std::string path;
    std::string container;   // "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"
    uint64_t file_bytes = 0;
    double duration = 0;     // seconds; 0 when unknown (a stream being copied, some TS files)
    std::optional<VideoStreamInfo> video;  // always set in what open_media/probe_media return
    std::optional<AudioStreamInfo> audio;

    // One line for the log and `check`: "h264 1920x1080 yuv420p bt709 tv 30 fps, 20.0 s, aac stereo 48000 Hz".
    std::string describe() const;
};

// An opened container, positioned at its start, with what probing found.
struct OpenedMedia {
    std::unique_ptr<MemoryInput> memory;  // the reader of a memory open; declared first to outlive `format`
    FormatContextPtr format;
    MediaInfo info;
};

// Errors name the file and say what is wrong: missing, unreadable, not a video, a still image,
// no decoder for the codec, over a limit. `interrupt` (optional) lets a closing owner abort
// blocking reads.
Result<OpenedMedia> open_media(const std::string& path, const VideoLimits& limits,
                               AVIOInterruptCB interrupt = {nullptr, nullptr});

// The same from bytes in memory, which must outlive the result; `name` stands for the file in
// errors and FFmpeg's log (its extension also helps FFmpeg guess the container, as a path's does).
Result<OpenedMedia> open_media_memory(std::span<const uint8_t> bytes, const std::string& name,
                                      const VideoLimits& limits);

// The same through an AVIOContext the caller made (custom read/seek callbacks) and keeps alive
// until the result is gone. The size limit applies to what avio_size() reports, when it knows.
Result<OpenedMedia> open_media_io(AVIOContext* io, const std::string& name, const VideoLimits& limits,
                                  AVIOInterruptCB interrupt = {nullptr, nullptr});

// open_media without keeping the file open.
Result<MediaInfo> probe_media(const std::string& path, const VideoLimits& limits = {});

}  // namespace signage
