// What else lands on a share besides good videos, each opened as the player opens it: a file
// still being copied (growing while the decoder reads it), garbage in the middle of an MP4
// (the demuxer is fine, the decoder is not), a zero-byte file, audio only, a picture size over
// the limits (declared up front, or only later in the stream), text or an HTML error page or
// random bytes or a JPEG named .mp4. Each is refused with an error naming the file or ends at
// its last good frame, in bounded time; the ASan run checks that nothing leaks.
#include "player/media/colour_tags.h"
#include "tests/render/video_fixture.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstring>
#include <random>
#include <thread>

using namespace signage;
using namespace signage::testing;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Frames of a decoder until it ends, with their sizes; throws on a stall (wait_frame's timeout).
struct Decoded {
    DecodedRun run;
    std::vector<std::pair<int, int>> sizes;
};

Decoded decode_with_sizes(VideoDecoder& decoder)
{
    Decoded out;
    while (auto frame = decoder.wait_frame(std::chrono::seconds(10))) {
        out.run.times.push_back(frame->time);
        out.run.plays.push_back(frame->play);
        out.run.last_end = frame->end();
        out.sizes.emplace_back(frame->frame->width, frame->frame->height);
    }
    if (!decoder.finished())
        throw std::runtime_error("decoding stalled in " + decoder.path());
    return out;
}

// Opening must fail with an error that names the file and says `reason`, quickly.
void check_refused(const std::string& file, const std::string& reason)
{
    auto start = Clock::now();
    auto result = VideoDecoder::open(file);
    double took = seconds_since(start);
    REQUIRE_FALSE(result.ok());
    INFO(result.error().to_string());
    CHECK(result.error().file == file);
    CHECK(result.error().message.find(reason) != std::string::npos);
    CHECK(took < 2);
}

}  // namespace

TEST_CASE("a file still being copied: decodes what has arrived, ends, never hangs", "[video][errors]")
{
    VideoClips clips;
    for (std::string name : {"copying.ts", "copying.mkv"}) {
        std::string whole = clips.h264_clip("whole-" + name, 2, "320x240");
        long all = ffprobe_frame_count(whole);
        std::string bytes = clips.read(whole);
        std::string growing = clips.path(name);
        // A third has arrived when the player opens it; the rest comes in 16 pieces while it reads.
        const size_t first = bytes.size() / 3;
        clips.write_bytes(growing, bytes.substr(0, first));
        auto start = Clock::now();
        auto decoder = VideoDecoder::open(growing);
        REQUIRE(decoder.ok());
        std::atomic<bool> stop{false};
        std::thread copier([&] {
            std::ofstream out(growing, std::ios::binary | std::ios::app);
            const size_t piece = (bytes.size() - first) / 16 + 1;
            for (size_t at = first; at < bytes.size() && !stop; at += piece) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
                out.write(bytes.data() + at, static_cast<std::streamsize>(std::min(piece, bytes.size() - at)));
                out.flush();
            }
        });
        Decoded decoded;
        try {
            decoded = decode_with_sizes(**decoder);
        } catch (...) {
            stop = true;
            copier.join();
            throw;
        }
        stop = true;
        copier.join();
        double took = seconds_since(start);
        INFO(name << ": " << decoded.run.times.size() << " of " << all << " frames in " << took << " s");
        CHECK(decoded.run.times.size() >= 10);  // at least what had arrived
        CHECK(static_cast<long>(decoded.run.times.size()) <= all);
        CHECK(decoded.run.increasing());
        REQUIRE((*decoder)->end_time());
        CHECK(*(*decoder)->end_time() == Approx(decoded.run.last_end));
        CHECK(took < 10);
    }
}

TEST_CASE("garbage in the middle of an MP4: the decoder errs, the video goes on to its end", "[video][errors]")
{
    VideoClips clips;
    std::string whole = clips.h264_clip("whole.mp4", 2, "320x240", "-g 15");
    std::string bytes = clips.read(whole);
    // The index (moov) is at the end and intact, so the demuxer hands out every packet; 3 KB of
    // picture data at 45% are noise, so the decoder gets broken slices until the next key frame.
    const size_t at = bytes.size() * 45 / 100;
    std::mt19937 noise(7);
    for (size_t i = 0; i < 3072; ++i)
        bytes[at + i] = static_cast<char>(noise());
    std::string broken = clips.path("broken.mp4");
    clips.write_bytes(broken, bytes);
    auto start = Clock::now();
    auto decoder = VideoDecoder::open(broken);
    REQUIRE(decoder.ok());
    Decoded decoded = decode_with_sizes(**decoder);
    INFO(decoded.run.times.size() << " frames, stats: corrupt packets " << (*decoder)->stats().corrupt_packets
                                  << ", decode errors " << (*decoder)->stats().decode_errors);
    CHECK(decoded.run.times.size() >= 45);
    CHECK(decoded.run.increasing());
    CHECK(decoded.run.times.back() > 1.8);  // past the damage, to the end
    CHECK(seconds_since(start) < 10);
    for (auto [w, h] : decoded.sizes)
        if (w != 320 || h != 240) {
            FAIL_CHECK("a frame of " << w << "x" << h);
            break;
        }
}

TEST_CASE("zero bytes, audio only, an audio file with cover art: refused, naming the file", "[video][errors]")
{
    VideoClips clips;
    check_refused(clips.dir.write("empty.mp4", ""), "the file is empty");
    check_refused(clips.make("tone.m4a", "-f lavfi -i sine -t 0.5 -c:a aac"), "no video stream");
    // An MP3 with its album picture is a "video stream" to FFmpeg, but not a video.
    std::string cover = clips.make("cover.png", "-f lavfi -i testsrc2=size=64x64 -frames:v 1");
    check_refused(clips.make("song.mp3", "-f lavfi -i sine -i '" + cover + "' -t 0.5 -map 0 -map 1 -c:a libmp3lame "
                                         "-c:v png -disposition:v attached_pic"),
                  "no video stream");
}

TEST_CASE("a picture size over the limits declared up front is refused before anything is allocated", "[video][errors]")
{
    VideoClips clips;
    // A 12000x9000 stream (108 megapixels, 160 MB a frame) declared in a 100-byte header.
    std::string header = "YUV4MPEG2 W12000 H9000 F25:1 Ip A1:1 C420jpeg\nFRAME\n";
    std::string huge = clips.dir.write("huge.y4m", header + std::string(64, '\x80'));
    const FfmpegCounts before = ffmpeg_live_counts();
    long rss_before = rss_kib();
    check_refused(huge, "over the limit of 9 megapixels");
    CHECK(rss_kib() - rss_before < 32 * 1024);
    CHECK(ffmpeg_live_counts().frames == before.frames);
    // 8192 a side is the most whatever the megapixel setting says.
    std::string wide = clips.dir.write("wide.y4m", "YUV4MPEG2 W9000 H16 F25:1 Ip A1:1 C420jpeg\nFRAME\n" + std::string(64, '\x80'));
    check_refused(wide, "over the limit");
}

TEST_CASE("a stream whose picture grows past the limit mid-file: the big frames never come out", "[video][errors]")
{
    VideoClips clips;
    // Two H.264 streams back to back in one TS: 160x120 (0.02 MP), then 640x480 (0.31 MP). The
    // probe sees only the first; the decoder meets the second's parameter sets later.
    std::string small = clips.make("small.ts", "-f lavfi -i testsrc2=size=160x120:rate=15 -t 1 -c:v libx264 "
                                               "-preset veryfast -pix_fmt yuv420p");
    std::string large = clips.make("large.ts", "-f lavfi -i testsrc2=size=640x480:rate=15 -t 1 -c:v libx264 "
                                               "-preset veryfast -pix_fmt yuv420p -output_ts_offset 1");
    std::string both = clips.path("growing-picture.ts");
    clips.write_bytes(both, clips.read(small) + clips.read(large));

    // Without a tight limit the big frames do come out: the test can tell.
    {
        auto decoder = VideoDecoder::open(both);
        REQUIRE(decoder.ok());
        Decoded decoded = decode_with_sizes(**decoder);
        long big = std::count(decoded.sizes.begin(), decoded.sizes.end(), std::pair{640, 480});
        INFO(decoded.sizes.size() << " frames, " << big << " of them 640x480");
        CHECK(big >= 10);
    }
    VideoDecoderOptions options;
    options.limits.max_megapixels = 0.1;
    auto start = Clock::now();
    auto decoder = VideoDecoder::open(both, options);
    REQUIRE(decoder.ok());
    Decoded decoded = decode_with_sizes(**decoder);
    INFO(decoded.sizes.size() << " frames");
    CHECK(decoded.sizes.size() >= 14);
    for (auto [w, h] : decoded.sizes)
        if (static_cast<double>(w) * h > 0.1e6) {
            FAIL_CHECK("a frame of " << w << "x" << h << " over the limit came out");
            break;
        }
    CHECK(decoded.run.increasing());
    CHECK(seconds_since(start) < 10);
}

TEST_CASE("not a video under a video's name: text, an HTML error page, random bytes, a JPEG", "[video][errors]")
{
    VideoClips clips;
    check_refused(clips.dir.write("notes.mp4", "this is not a video, just text with the wrong name\n"),
                  "cannot open as a video");
    check_refused(clips.dir.write("download.mp4", "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
                                                  "<body><h1>Not Found</h1></body></html>\n"),
                  "cannot open as a video");
    std::mt19937 noise(11);
    std::string random(64 * 1024, '\0');
    for (char& c : random)
        c = static_cast<char>(noise());
    auto start = Clock::now();
    auto result = VideoDecoder::open(clips.dir.write("random.mp4", random));
    // FFmpeg may find some stream in noise; either way it is no playable video, and it says so.
    if (result.ok()) {
        Decoded decoded = decode_with_sizes(**result);
        CHECK(decoded.run.increasing());
    } else {
        CHECK(result.error().file == clips.path("random.mp4"));
        CHECK_FALSE(result.error().message.empty());
    }
    CHECK(seconds_since(start) < 5);
    std::string jpeg = clips.make("photo.jpg", "-f lavfi -i testsrc2=size=64x64 -frames:v 1");
    std::string renamed = clips.dir.write("photo.mp4", clips.read(jpeg));
    check_refused(renamed, "a still image");
}

TEST_CASE("an absurd pixel aspect ratio is shown square; a real anamorphic one is kept", "[video][errors]")
{
    VideoClips clips;
    auto clip_with_sar = [&](const std::string& name, const std::string& sar) {
        return clips.make(name, "-f lavfi -i testsrc2=size=160x120:rate=15 -t 0.2 -vf setsar=" + sar +
                                    " -c:v libx264 -preset veryfast -pix_fmt yuv420p");
    };
    // 1:100 would make the picture 2 pixels wide (the fuzzer's 1:16385 made it 0).
    auto squeezed = probe_media(clip_with_sar("squeezed.mp4", "1/100"));
    REQUIRE(squeezed.ok());
    CHECK(squeezed->video->sample_aspect_ratio.num == 1);
    CHECK(squeezed->video->sample_aspect_ratio.den == 1);
    CHECK(squeezed->video->display_size() == std::pair{160, 120});
    auto anamorphic = probe_media(clip_with_sar("anamorphic.mp4", "4/3"));
    REQUIRE(anamorphic.ok());
    CHECK(anamorphic->video->display_size() == std::pair{213, 120});
}

TEST_CASE("colour tags no enum has (a damaged MPEG-2 colour description) become unspecified", "[video][errors]")
{
    // What FFmpeg hands over as it read it: 129 is no AVColorSpace, and av_color_space_name()
    // answers NULL for it. (Found by fuzz_media: the probe's description crashed on it.)
    FramePtr frame = make_frame();
    REQUIRE(frame);
    const unsigned bad = 129;
    std::memcpy(&frame->colorspace, &bad, sizeof bad);
    std::memcpy(&frame->color_trc, &bad, sizeof bad);
    frame->color_primaries = AVCOL_PRI_BT709;  // a real tag stays
    sanitize_colour_tags(*frame);
    CHECK(frame->colorspace == AVCOL_SPC_UNSPECIFIED);
    CHECK(frame->color_trc == AVCOL_TRC_UNSPECIFIED);
    CHECK(frame->color_primaries == AVCOL_PRI_BT709);

    VideoClips clips;
    std::string clip = clips.make("bad-colour.ts", "-f lavfi -i testsrc2=size=160x120:rate=15 -t 0.4 -c:v mpeg2video "
                                                   "-bsf:v mpeg2_metadata=colour_primaries=200:"
                                                   "transfer_characteristics=129:matrix_coefficients=129");
    auto decoder = VideoDecoder::open(clip);
    REQUIRE(decoder.ok());
    const VideoStreamInfo& video = *(*decoder)->info().video;
    INFO((*decoder)->info().describe());
    CHECK(video.color_space == AVCOL_SPC_UNSPECIFIED);
    CHECK(video.color_primaries == AVCOL_PRI_UNSPECIFIED);
    CHECK(video.color_transfer == AVCOL_TRC_UNSPECIFIED);
    int frames = 0;
    while (auto decoded = (*decoder)->wait_frame(std::chrono::seconds(10))) {
        ++frames;
        unsigned space = 0;
        std::memcpy(&space, &decoded->frame->colorspace, sizeof space);  // read as bits: no UB if wrong
        CHECK(space == AVCOL_SPC_UNSPECIFIED);
        if (frames == 1)
            draw_frame(*decoded->frame);  // the upload guesses BT.601 for it
    }
    CHECK(frames == 6);
}
