// A decoded frame at T is the frame ffmpeg shows at T, to the pixel within PSNR 35 dB; seeking
// is deterministic; take_frame() follows presentation time without waiting.
#include "tests/render/video_fixture.h"

#include <catch2/catch.hpp>

#include <thread>

using namespace signage;
using namespace signage::testing;

namespace {

SurfacePtr frame_at(VideoDecoder& decoder, double t, double* time = nullptr)
{
    decoder.seek(t);
    auto frame = decoder.wait_frame(std::chrono::seconds(10));
    if (!frame)
        throw std::runtime_error("no frame at " + std::to_string(t));
    if (time)
        *time = frame->time;
    return draw_frame(*frame->frame);
}

}  // namespace

TEST_CASE("the frame at T matches ffmpeg -ss T (PSNR >= 35 dB)", "[video][seek][psnr]")
{
    VideoClips clips;
    std::string clip = clips.h264_clip();
    auto decoder = VideoDecoder::open(clip);
    REQUIRE(decoder.ok());
    // Frame boundaries, a key frame (0), frames inside GOPs, and the last frame.
    for (double t : {0.0, 0.5, 1.0, 1.3, 59.0 / 30}) {
        double time = -1;
        SurfacePtr actual = frame_at(**decoder, t, &time);
        CHECK(time == Approx(t).margin(1e-6));
        char name[64];
        std::snprintf(name, sizeof name, "video-at-%.3f", t);
        SurfacePtr expected = clips.reference_frame(clip, t, std::string(name) + ".png");
        double db = psnr(actual.get(), expected.get());
        INFO("T = " << t << ": PSNR " << db << " dB; images: " << save_pair(actual.get(), expected.get(), name));
        CHECK(db >= 35);
    }
}

TEST_CASE("a 720p BT.709-tagged clip matches ffmpeg too", "[video][seek][psnr]")
{
    VideoClips clips;
    // Tagged and converted as BT.709, so ffmpeg's reference uses the same matrix the player does.
    std::string clip = clips.make("hd.mp4", "-f lavfi -i testsrc2=size=1280x720:rate=30 -t 1 "
                                            "-vf scale=out_color_matrix=bt709:out_range=tv -c:v libx264 -preset veryfast "
                                            "-pix_fmt yuv420p -colorspace bt709 -color_primaries bt709 -color_trc bt709 "
                                            "-color_range tv");
    auto decoder = VideoDecoder::open(clip);
    REQUIRE(decoder.ok());
    CHECK((*decoder)->info().video->color_space == AVCOL_SPC_BT709);
    SurfacePtr actual = frame_at(**decoder, 0.5);
    SurfacePtr expected = clips.reference_frame(clip, 0.5, "hd.png");
    double db = psnr(actual.get(), expected.get());
    INFO("PSNR " << db << " dB; images: " << save_pair(actual.get(), expected.get(), "video-hd-bt709"));
    CHECK(db >= 35);
}

TEST_CASE("seeking to the same time twice gives the same pixels", "[video][seek]")
{
    VideoClips clips;
    std::string clip = clips.h264_clip();
    auto first = VideoDecoder::open(clip);
    REQUIRE(first.ok());
    SurfacePtr a = frame_at(**first, 1.23);
    // Somewhere else, then back: the same picture.
    frame_at(**first, 0.2);
    SurfacePtr b = frame_at(**first, 1.23);
    CHECK(same_pixels(a.get(), b.get()));
    // And from a fresh decoder (another `render --at` run).
    auto second = VideoDecoder::open(clip);
    REQUIRE(second.ok());
    SurfacePtr c = frame_at(**second, 1.23);
    CHECK(same_pixels(a.get(), c.get()));
    // 1.23 s lies between frames 36 (1.2 s) and 37 (1.2333 s): the frame on screen is 36.
    double time = 0;
    frame_at(**second, 1.23, &time);
    CHECK(time == Approx(36.0 / 30).margin(1e-6));
}

TEST_CASE("seeking on a looped timeline lands in the right play", "[video][seek]")
{
    VideoClips clips;
    std::string clip = clips.h264_clip("short.mp4", 1, "320x240");
    VideoDecoderOptions options;
    options.plays = 3;
    auto decoder = VideoDecoder::open(clip, options);
    REQUIRE(decoder.ok());
    CHECK((*decoder)->loop_period() == Approx(1.0));
    (*decoder)->seek(1.5);
    auto frame = (*decoder)->wait_frame(std::chrono::seconds(10));
    REQUIRE(frame);
    CHECK(frame->play == 1);
    CHECK(frame->time == Approx(1.5).margin(1e-6));
    // Exactly at a loop boundary: the first frame of the next play.
    (*decoder)->seek(2.0);
    frame = (*decoder)->wait_frame(std::chrono::seconds(10));
    REQUIRE(frame);
    CHECK(frame->play == 2);
    CHECK(frame->time == Approx(2.0).margin(1e-6));
    // Past the last play: its last frame, then the end.
    (*decoder)->seek(7.0);
    frame = (*decoder)->wait_frame(std::chrono::seconds(10));
    REQUIRE(frame);
    CHECK(frame->play == 2);
    CHECK(frame->time == Approx(2 + 29.0 / 30).margin(1e-6));
    CHECK_FALSE((*decoder)->wait_frame(std::chrono::seconds(10)));
    CHECK((*decoder)->finished());
    // Everything decoded: the codec is freed (the worker does it just after publishing the end).
    for (int i = 0; i < 200 && (*decoder)->stats().codec_open; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK_FALSE((*decoder)->stats().codec_open);
    // A seek opens it again and lands where it should.
    (*decoder)->seek(0.5);
    frame = (*decoder)->wait_frame(std::chrono::seconds(10));
    REQUIRE(frame);
    CHECK(frame->play == 0);
    CHECK(frame->time == Approx(0.5).margin(1e-6));
    CHECK((*decoder)->stats().codec_open);
    CHECK((*decoder)->stats().codec_opens == 2);
}

TEST_CASE("take_frame follows presentation time and never waits", "[video][decode]")
{
    VideoClips clips;
    std::string clip = clips.h264_clip();
    auto opened = VideoDecoder::open(clip);
    REQUIRE(opened.ok());
    VideoDecoder& decoder = **opened;
    // Preloading: the first frames are decoded without anyone asking.
    for (int i = 0; i < 500 && !decoder.has_frame(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(decoder.has_frame());
    REQUIRE(decoder.next_frame_time());
    CHECK(*decoder.next_frame_time() == Approx(0));
    CHECK_FALSE(decoder.take_frame(-0.01));  // nothing due before 0
    auto first = decoder.take_frame(0.0);
    REQUIRE(first);
    CHECK(first->time == Approx(0));
    CHECK_FALSE(decoder.take_frame(0.01));  // the next one is due at 1/30 s

    // A render loop that fell 100 ms behind: the frame due now, the ones in between dropped.
    for (int i = 0; i < 500; ++i) {
        auto next = decoder.next_frame_time();
        if (next && *next <= 0.04 && decoder.stats().frames_queued >= 5)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    auto late = decoder.take_frame(0.1 + 1e-9);
    REQUIRE(late);
    CHECK(late->time == Approx(3.0 / 30));
    CHECK(decoder.stats().frames_dropped == 2);

    // Each call is a short lock, never a wait for decoding: time them while the worker decodes.
    // (A generous bound: a 2-core box running the decoder's threads may preempt us anyway.)
    auto start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::duration longest{};
    double t = 0.1;
    int taken = 0;
    while (!decoder.finished() && std::chrono::steady_clock::now() - start < std::chrono::seconds(20)) {
        auto call = std::chrono::steady_clock::now();
        if (decoder.take_frame(t))
            ++taken;
        longest = std::max(longest, std::chrono::steady_clock::now() - call);
        t += 1.0 / 60;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    CHECK(decoder.finished());
    CHECK(taken > 20);
    double longest_ms = std::chrono::duration<double, std::milli>(longest).count();
    INFO("longest take_frame: " << longest_ms << " ms");
    CHECK(longest < std::chrono::milliseconds(100));
}
