// Feeds arbitrary bytes to VideoDecoder itself — the worker thread the player runs, with its
// timeline arithmetic (timestamps, frame durations, loops, seeks) that fuzz_media does not
// reach — through a memfd, so it opens them as a file. Besides crashes, sanitizer reports and
// hangs: within a run the frame times must always increase, as the decoder promises, and it
// must never stall.
#include "playlist/base/log.h"
#include "player/video/video_decoder.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

// Takes up to `count` frames; false when a time did not increase, or when the decoder neither
// gave a frame nor ended within two seconds (a stall: the player would wait on it forever).
bool frames_increase(signage::VideoDecoder& decoder, int count)
{
    double last = -1e300;
    for (int i = 0; i < count; ++i) {
        auto frame = decoder.wait_frame(std::chrono::milliseconds(2000));
        if (!frame)
            return decoder.finished();
        if (!(frame->time > last) || !(frame->duration > 0) || frame->frame->width <= 0)
            return false;
        last = frame->time;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace signage;
    static const int fd = [] {
        log::set_level(log::Level::Error);  // FFmpeg's complaints about garbage are expected here
        return ::memfd_create("fuzz-video-decoder", 0);
    }();
    if (fd < 0 || ::ftruncate(fd, 0) != 0 ||
        (size > 0 && ::pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)))
        __builtin_trap();  // the harness itself failed
    const std::string path = "/proc/self/fd/" + std::to_string(fd);

    VideoDecoderOptions options;
    options.plays = 2;  // the loop seam: timeline offsets, the second play's restart
    options.threads = 1;
    options.hardware = false;
    auto decoder = VideoDecoder::open(path, options);
    if (!decoder) {
        if (decoder.error().file != path || decoder.error().message.empty())
            __builtin_trap();
        return 0;
    }
    if (!frames_increase(**decoder, 16))
        __builtin_trap();
    // Back into the middle of the first play, as `render --at` does.
    (*decoder)->seek((*decoder)->loop_period() / 2);
    if (!frames_increase(**decoder, 8))
        __builtin_trap();
    return 0;
}
