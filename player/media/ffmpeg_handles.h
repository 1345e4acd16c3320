// RAII for every FFmpeg handle, and the one place an AVERROR becomes an Error a person can read.
#pragma once

#include "playlist/base/error.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace signage {

// Live AVFrame/AVPacket objects made through make_frame()/make_packet(): a leak or unbounded
// queue shows up as a count that keeps growing (the looping test watches it).
struct FfmpegCounts {
    long frames = 0;
    long packets = 0;
};
FfmpegCounts ffmpeg_live_counts();

namespace detail {
extern std::atomic<long> g_live_frames;
extern std::atomic<long> g_live_packets;
}  // namespace detail

struct FormatContextDeleter {
    void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct CodecContextDeleter {
    void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameDeleter {
    void operator()(AVFrame* f) const
    {
        av_frame_free(&f);
        --detail::g_live_frames;
    }
};
struct PacketDeleter {
    void operator()(AVPacket* p) const
    {
        av_packet_free(&p);
        --detail::g_live_packets;
    }
};
struct SwsContextDeleter {
    void operator()(SwsContext* c) const { sws_freeContext(c); }
};
struct SwrContextDeleter {
    void operator()(SwrContext* c) const { swr_free(&c); }
};
// A custom-I/O AVIOContext (avio_alloc_context): FFmpeg may have swapped its buffer for another,
// so the one it holds now is freed, then the context. Not for contexts from avio_open().
struct IoContextDeleter {
    void operator()(AVIOContext* io) const
    {
        av_freep(&io->buffer);
        avio_context_free(&io);
    }
};
struct BufferRefDeleter {
    void operator()(AVBufferRef* ref) const { av_buffer_unref(&ref); }
};

using FormatContextPtr = std::unique_ptr<AVFormatContext, FormatContextDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwsContextPtr = std::unique_ptr<SwsContext, SwsContextDeleter>;
using SwrContextPtr = std::unique_ptr<SwrContext, SwrContextDeleter>;
using IoContextPtr = std::unique_ptr<AVIOContext, IoContextDeleter>;
using BufferRefPtr = std::unique_ptr<AVBufferRef, BufferRefDeleter>;  // e.g. a hardware device

// nullptr only when out of memory.
FramePtr make_frame();
PacketPtr make_packet();

// FFmpeg's text for an AVERROR code ("Invalid data found when processing input").
std::string av_error_text(int code);

// "FILE: WHAT: FFmpeg's reason", as an Error naming the file.
Error av_error(const std::string& file, const std::string& what, int code);

// Lets FFmpeg's own log lines name the file they are about: a codec context whose `opaque` points
// at one of these logs as "FILE: ffmpeg [h264]: …" (FFmpeg copies `opaque` into its frame-thread
// contexts). Format contexts are named by their url without it. The tag must outlive the context.
struct MediaLogTag {
    static constexpr uint32_t kMagic = 0x7369676e;  // "sign"
    uint32_t magic = kMagic;
    std::string path;
};

// Routes FFmpeg's own log (decoder complaints such as "error while decoding MB") into ours at
// warning level and above, rate-limited, instead of FFmpeg's default stderr printer. Idempotent;
// called by everything that opens a media file.
void install_ffmpeg_log();

}  // namespace signage
