// Looping a file (seek to start, never reopen) keeps the timeline increasing and memory flat:
// live AVFrame/AVPacket counts stay bounded, RSS stops growing after the first plays, and under
// ASan LeakSanitizer checks the rest at exit.
#include "tests/render/video_fixture.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <malloc.h>

using namespace signage;
using namespace signage::testing;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kUnderAsan = true;  // ASan's quarantine holds freed memory: RSS says nothing then
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kUnderAsan = true;
#else
constexpr bool kUnderAsan = false;
#endif
#else
constexpr bool kUnderAsan = false;
#endif

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
#define SIGNAGE_LOOP_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIGNAGE_LOOP_TEST_ASAN 1
#endif
#endif
#ifdef SIGNAGE_LOOP_TEST_ASAN
// Exported by the ASan runtime of both GCC and Clang; only Clang ships the header declaring it.
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace {

// Bytes of heap in use now (freed memory not counted): ASan's own count under ASan, whose
// quarantine makes RSS meaningless; glibc's otherwise.
size_t heap_in_use()
{
#ifdef SIGNAGE_LOOP_TEST_ASAN
    return __sanitizer_get_current_allocated_bytes();
#else
    return mallinfo2().uordblks;
#endif
}

}  // namespace

TEST_CASE("looping a short clip 20 times: gapless timeline, no growth", "[video][loop]")
{
    VideoClips clips;
    std::string clip = clips.h264_clip("loop.mp4", 1, "320x240");
    const FfmpegCounts before = ffmpeg_live_counts();
    {
        VideoDecoderOptions options;
        options.plays = 20;
        auto decoder = VideoDecoder::open(clip, options);
        REQUIRE(decoder.ok());
        std::vector<double> times;
        long peak_frames = 0, peak_packets = 0;
        long rss_after_warmup = 0;
        while (auto frame = (*decoder)->wait_frame(std::chrono::seconds(10))) {
            if (frame->play == 5 && rss_after_warmup == 0)
                rss_after_warmup = rss_kib();
            times.push_back(frame->time);
            FfmpegCounts now = ffmpeg_live_counts();
            peak_frames = std::max(peak_frames, now.frames - before.frames);
            peak_packets = std::max(peak_packets, now.packets - before.packets);
        }
        long rss_end = rss_kib();
        REQUIRE((*decoder)->finished());
        CHECK(times.size() == 20 * 30);
        bool increasing = std::is_sorted(times.begin(), times.end(), std::less_equal<double>());
        CHECK(increasing);
        // Gapless: play n starts exactly where play n-1's last frame ends.
        for (size_t i = 1; i < times.size(); ++i)
            if (std::abs(times[i] - times[i - 1] - 1.0 / 30) > 1e-3) {
                FAIL_CHECK("gap between frames " << i - 1 << " and " << i << ": " << times[i - 1] << " -> " << times[i]);
                break;
            }
        CHECK(times.back() == Approx(19 + 29.0 / 30).margin(1e-3));
        CHECK(*(*decoder)->end_time() == Approx(20.0).margin(1e-3));
        auto stats = (*decoder)->stats();
        CHECK(stats.plays_finished == 20);
        CHECK(stats.frames_decoded == 600);
        // Bounded: the queue (8), the scratch frame, the seek candidate, one in hand — not 600;
        // packets: the demuxer's queue (kEnoughPackets), one being read, one being decoded.
        INFO("peak live frames " << peak_frames << ", packets " << peak_packets);
        CHECK(peak_frames <= 12);
        CHECK(peak_packets <= static_cast<long>(Demuxer::kEnoughPackets) + 2);
        if (!kUnderAsan) {
            INFO("RSS after play 5: " << rss_after_warmup << " KiB, after play 20: " << rss_end << " KiB");
            CHECK(rss_end - rss_after_warmup < 4096);
        }
    }
    // Everything the decoder made is freed with it.
    FfmpegCounts after = ffmpeg_live_counts();
    CHECK(after.frames == before.frames);
    CHECK(after.packets == before.packets);
}

TEST_CASE("100 plays of a tiny clip, and closing a decoder that loops forever", "[video][loop]")
{
    VideoClips clips;
    std::string clip = clips.make("tiny.mp4", "-f lavfi -i testsrc2=size=160x120:rate=30 -t 0.2 -c:v libx264 "
                                              "-preset veryfast -pix_fmt yuv420p");
    {
        VideoDecoderOptions options;
        options.plays = 100;
        auto decoder = VideoDecoder::open(clip, options);
        REQUIRE(decoder.ok());
        // Memory once the decoder's pools and queue have filled (play 20) against the end: a
        // frame, packet or buffer kept per loop would show 80 times over.
        const FfmpegCounts before = ffmpeg_live_counts();
        size_t heap_warm = 0, heap_end = 0;
        long rss_warm = 0, rss_end = 0, peak_frames = 0, peak_packets = 0;
        DecodedRun run;
        while (auto frame = (*decoder)->wait_frame(std::chrono::seconds(10))) {
            if (frame->play == 20 && heap_warm == 0) {
                heap_warm = heap_in_use();
                rss_warm = rss_kib();
            }
            if (frame->play == 99) {
                heap_end = heap_in_use();
                rss_end = rss_kib();
            }
            run.times.push_back(frame->time);
            run.plays.push_back(frame->play);
            FfmpegCounts now = ffmpeg_live_counts();
            peak_frames = std::max(peak_frames, now.frames - before.frames);
            peak_packets = std::max(peak_packets, now.packets - before.packets);
        }
        REQUIRE((*decoder)->finished());
        CHECK(run.times.size() == 100 * 6);
        CHECK(run.increasing());
        CHECK(run.plays.back() == 99);
        CHECK((*decoder)->stats().plays_finished == 100);
        CHECK(*(*decoder)->end_time() == Approx(100 * 0.2).margin(1e-3));
        INFO("heap in use at play 20: " << heap_warm << " B, at play 100: " << heap_end << " B; RSS " << rss_warm
                                        << " -> " << rss_end << " KiB; peak live frames " << peak_frames
                                        << ", packets " << peak_packets);
        CHECK(peak_frames <= 12);
        CHECK(peak_packets <= static_cast<long>(Demuxer::kEnoughPackets) + 2);
        CHECK(static_cast<long>(heap_end) - static_cast<long>(heap_warm) < 512 * 1024);
        if (!kUnderAsan)
            CHECK(rss_end - rss_warm < 2048);
    }
    {
        VideoDecoderOptions options;
        options.plays = 0;  // until closed
        auto decoder = VideoDecoder::open(clip, options);
        REQUIRE(decoder.ok());
        for (int i = 0; i < 50; ++i)
            REQUIRE((*decoder)->wait_frame(std::chrono::seconds(10)));
        CHECK_FALSE((*decoder)->finished());
        CHECK_FALSE((*decoder)->end_time());
        // Closed with frames queued and the worker busy: joins promptly, frees everything.
    }
    CHECK(ffmpeg_live_counts().frames == 0);
    CHECK(ffmpeg_live_counts().packets == 0);
}

TEST_CASE("a trimmed segment loops: each play starts at the trim and lasts the period", "[video][loop][trim]")
{
    VideoClips clips;
    std::string clip = clips.h264_clip("trim.mp4", 2, "320x240");
    VideoDecoderOptions options;
    options.plays = 3;
    options.segment_start = 0.5;
    options.period = 0.6;
    auto decoder = VideoDecoder::open(clip, options);
    REQUIRE(decoder.ok());
    const VideoStreamInfo& video = *(*decoder)->info().video;
    CHECK((*decoder)->loop_period() == Approx(0.6));

    std::vector<double> times;
    std::vector<double> file_times;  // from the frames' own timestamps
    std::vector<int> plays;
    double last_end = 0;
    while (auto frame = (*decoder)->wait_frame(std::chrono::seconds(10))) {
        times.push_back(frame->time);
        plays.push_back(frame->play);
        file_times.push_back(frame->frame->best_effort_timestamp * av_q2d(video.time_base) - video.start_time);
        last_end = frame->end();
    }
    REQUIRE((*decoder)->finished());
    REQUIRE(times.size() == 3 * 18);  // 0.6 s at 30 fps, three times
    for (size_t i = 0; i < times.size(); ++i) {
        INFO("frame " << i);
        CHECK(times[i] == Approx(static_cast<double>(i) / 30).margin(1e-3));  // gapless across plays
        CHECK(plays[i] == static_cast<int>(i / 18));
        CHECK(file_times[i] == Approx(0.5 + static_cast<double>(i % 18) / 30).margin(1e-3));  // the trimmed part
    }
    CHECK(last_end == Approx(1.8).margin(1e-3));
    CHECK(*(*decoder)->end_time() == Approx(1.8).margin(1e-3));
}

TEST_CASE("seeking into a trimmed, looped timeline", "[video][seek][trim]")
{
    VideoClips clips;
    std::string clip = clips.h264_clip("trimseek.mp4", 2, "320x240");
    VideoDecoderOptions options;
    options.plays = 0;
    options.segment_start = 1.0;
    options.period = 0.5;
    auto decoder = VideoDecoder::open(clip, options);
    REQUIRE(decoder.ok());
    const VideoStreamInfo& video = *(*decoder)->info().video;
    (*decoder)->seek(2.6);  // play 5, 0.1 s in: file time 1.1
    auto frame = (*decoder)->wait_frame(std::chrono::seconds(10));
    REQUIRE(frame);
    CHECK(frame->play == 5);
    CHECK(frame->time == Approx(2.6).margin(1e-3));
    CHECK(frame->frame->best_effort_timestamp * av_q2d(video.time_base) - video.start_time == Approx(1.1).margin(1e-3));
}
