// Opens the decoder for a video stream — the one place its context is set up, shared by
// VideoDecoder and the media fuzz target: parameters from the stream, FFmpeg's log naming the
// file, thread count, the pixel limit (so a stream that grows its picture mid-file cannot make
// the decoder allocate past VideoLimits), and hardware decoding per `hwdec`.
#pragma once

#include "playlist/base/error.h"
#include "player/media/ffmpeg_handles.h"
#include "player/video/hw_decode.h"
#include "player/media/media_probe.h"

namespace signage {

struct VideoCodecOptions {
    HwDecode hwdec = HwDecode::Auto;
    int threads = 0;  // software decoder threads; 0 = FFmpeg's choice for the machine
    VideoLimits limits;
    HwDevicePaths devices;
};

struct OpenedCodec {
    CodecContextPtr context;  // opened; holds its own reference to any hardware device
    DecoderChoice choice;
};

// `tag` (may be null) names the file in FFmpeg's log lines and must outlive the context. Logs
// one info line per file when the choice differs from the last one logged for it.
Result<OpenedCodec> open_video_codec(const std::string& path, const AVStream& stream, const VideoCodecOptions& options,
                                     MediaLogTag* tag);

// What every decoded picture goes through before it leaves the decoder: a hardware one is
// copied to memory (download_hw_frame), colour tags FFmpeg passed through unchecked are reset
// (sanitize_colour_tags). Errors are the download's.
Status finish_decoded_frame(AVFrame& frame);

// A context for `codec` with everything but hardware set up, not yet opened (for the openers).
Result<CodecContextPtr> make_codec_context(const std::string& path, const AVCodec& codec, const AVStream& stream,
                                           const VideoCodecOptions& options, MediaLogTag* tag);

}  // namespace signage
