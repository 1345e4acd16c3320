// The input matrix: what content managers drop on a share, each made tiny at test time (160x120
// or the size under test, 1 s) and checked end to end — probe (codec, size, pixel format,
// rotation, audio), every frame decoded once with increasing times at the right spacing and the
// declared size, the first frame uploaded and drawn. Encoders missing from Debian's ffmpeg are
// skipped with a message saying so.
#include "tests/render/video_fixture.h"

#include <catch2/catch.hpp>

#include <sstream>

using namespace signage;
using namespace signage::testing;

namespace {

struct Expect {
    explicit Expect(std::string video_codec) : codec(std::move(video_codec)) {}
    std::string codec;
    int width = 160, height = 120;
    AVPixelFormat pixel_format = AV_PIX_FMT_YUV420P;
    std::string profile;  // checked when set
    int frames = 15;
    double fps = 15;      // frame spacing to check; 0 = variable, compared with ffprobe's times
    int rotation = 0;
    int audio_channels = 0;  // 0 = no audio track
    int sample_rate = 0;
    std::string audio_layout;  // checked when set
};

// testsrc2 at 15 fps for 1 s; `size` "WxH".
std::string video_input(const std::string& size = "160x120")
{
    return "-f lavfi -i testsrc2=size=" + size + ":rate=15 -t 1 ";
}

bool has_encoder(const std::string& name)
{
    static const std::string encoders = command_output("ffmpeg -hide_banner -encoders 2>/dev/null");
    return encoders.find(" " + name + " ") != std::string::npos;
}

// ffprobe's frame times (best effort, as the player uses), from the first.
std::vector<double> ffprobe_frame_times(const std::string& clip)
{
    std::istringstream lines(command_output("ffprobe -v error -select_streams v:0 -show_entries "
                                            "frame=best_effort_timestamp_time -of csv=p=0 '" + clip + "'"));
    std::vector<double> times;
    std::string line;
    while (std::getline(lines, line))
        if (!line.empty())
            times.push_back(std::stod(line));  // stod stops at csv's trailing comma
    for (size_t i = times.size(); i-- > 0;)
        times[i] -= times.front();
    return times;
}

void check_clip(const std::string& clip, const Expect& expect)
{
    INFO("clip " << clip);
    auto probed = probe_media(clip);
    if (!probed)
        FAIL(probed.error().to_string());
    const MediaInfo& info = *probed;
    INFO(info.describe());
    REQUIRE(info.video);
    CHECK(info.video->codec == expect.codec);
    CHECK(info.video->width == expect.width);
    CHECK(info.video->height == expect.height);
    CHECK(info.video->pixel_format == expect.pixel_format);
    if (!expect.profile.empty())
        CHECK(info.video->profile == expect.profile);
    CHECK(info.video->rotation == expect.rotation);
    if (expect.audio_channels == 0) {
        CHECK_FALSE(info.audio);
    } else {
        REQUIRE(info.audio);
        CHECK(info.audio->channels == expect.audio_channels);
        CHECK(info.audio->sample_rate == expect.sample_rate);
        if (!expect.audio_layout.empty())
            CHECK(info.audio->layout == expect.audio_layout);
    }

    auto decoder = VideoDecoder::open(clip);
    if (!decoder)
        FAIL(decoder.error().to_string());
    std::vector<double> times;
    bool sizes_right = true;
    while (auto frame = (*decoder)->wait_frame(std::chrono::seconds(10))) {
        if (times.empty()) {
            std::string path;
            SurfacePtr drawn = draw_frame(*frame->frame, &path);  // throws when the upload fails
            INFO("upload path " << path);
            CHECK(drawn->w == expect.width);
        }
        times.push_back(frame->time);
        sizes_right = sizes_right && frame->frame->width == expect.width && frame->frame->height == expect.height;
    }
    REQUIRE((*decoder)->finished());
    CHECK(sizes_right);
    CHECK(static_cast<int>(times.size()) == expect.frames);
    CHECK(static_cast<long>(times.size()) == ffprobe_frame_count(clip));
    REQUIRE_FALSE(times.empty());
    CHECK(times.front() == Approx(0).margin(1e-6));
    CHECK(std::is_sorted(times.begin(), times.end(), std::less_equal<double>()));
    if (expect.fps > 0) {
        for (size_t i = 1; i < times.size(); ++i)
            if (std::abs(times[i] - times[i - 1] - 1 / expect.fps) > 2e-3) {
                FAIL_CHECK("frames " << i - 1 << " and " << i << " at " << times[i - 1] << " and " << times[i]);
                break;
            }
    } else {
        std::vector<double> reference = ffprobe_frame_times(clip);
        REQUIRE(reference.size() == times.size());
        for (size_t i = 0; i < times.size(); ++i)
            if (std::abs(times[i] - reference[i]) > 1e-3) {
                FAIL_CHECK("frame " << i << " at " << times[i] << ", ffprobe says " << reference[i]);
                break;
            }
    }
}

}  // namespace

TEST_CASE("formats: H.264 in MP4 with AAC", "[video][formats]")
{
    VideoClips clips;
    std::string clip = clips.make("h264.mp4", video_input() + "-f lavfi -i sine=sample_rate=48000 -t 1 "
                                  "-c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -shortest");
    Expect expect("h264");
    expect.profile = "High";
    expect.audio_channels = 1;
    expect.sample_rate = 48000;
    check_clip(clip, expect);
}

TEST_CASE("formats: HEVC in Matroska", "[video][formats]")
{
    VideoClips clips;
    std::string clip = clips.make("hevc.mkv", video_input() + "-c:v libx265 -preset ultrafast "
                                  "-x265-params log-level=error -pix_fmt yuv420p");
    Expect expect("hevc");
    expect.profile = "Main";
    check_clip(clip, expect);
}

TEST_CASE("formats: 10-bit HEVC (Main 10)", "[video][formats]")
{
    VideoClips clips;
    std::string clip = clips.make("hevc10.mkv", video_input() + "-c:v libx265 -preset ultrafast "
                                  "-x265-params log-level=error -pix_fmt yuv420p10le");
    Expect expect("hevc");
    expect.pixel_format = AV_PIX_FMT_YUV420P10LE;
    expect.profile = "Main 10";
    check_clip(clip, expect);
}

TEST_CASE("formats: VP9 in WebM", "[video][formats]")
{
    VideoClips clips;
    std::string clip = clips.make("vp9.webm", video_input() + "-c:v libvpx-vp9 -deadline realtime -cpu-used 8");
    Expect expect("vp9");
    check_clip(clip, expect);
}

TEST_CASE("formats: AV1 in MP4, when Debian's ffmpeg has an AV1 encoder", "[video][formats]")
{
    // Fastest first: SVT-AV1 preset 12 takes a fraction of libaom's realtime mode here.
    std::string encoder;
    for (std::string candidate : {"libsvtav1 -preset 12", "libaom-av1 -cpu-used 8 -usage realtime", "librav1e -speed 10"})
        if (has_encoder(candidate.substr(0, candidate.find(' ')))) {
            encoder = candidate;
            break;
        }
    if (encoder.empty()) {
        WARN("skipped: this ffmpeg has none of the AV1 encoders libsvtav1, libaom-av1, librav1e");
        return;
    }
    ::setenv("SVT_LOG", "1", 1);  // SVT-AV1 prints a banner on stderr unless told errors only
    VideoClips clips;
    std::string clip = clips.make("av1.mp4", video_input() + "-c:v " + encoder + " -pix_fmt yuv420p");
    Expect expect("av1");
    expect.profile = "Main";
    check_clip(clip, expect);
}

TEST_CASE("formats: MPEG-2 in MPEG-TS with MP2 audio", "[video][formats]")
{
    VideoClips clips;
    std::string clip = clips.make("mpeg2.ts", video_input() + "-f lavfi -i sine=sample_rate=48000 -t 1 "
                                  "-c:v mpeg2video -q:v 4 -bf 2 -c:a mp2 -shortest");
    Expect expect("mpeg2video");
    expect.audio_channels = 1;
    expect.sample_rate = 48000;
    check_clip(clip, expect);
}

TEST_CASE("formats: MPEG-4 Part 2 in MOV", "[video][formats]")
{
    VideoClips clips;
    std::string clip = clips.make("mpeg4.mov", video_input() + "-c:v mpeg4 -q:v 4");
    Expect expect("mpeg4");
    check_clip(clip, expect);
}

TEST_CASE("formats: 853x480, an odd width (MPEG-4 Part 2; H.264 4:2:0 cannot be odd)", "[video][formats]")
{
    VideoClips clips;
    // testsrc2 as RGB first: straight to yuv420p it would round the width to even.
    std::string clip = clips.make("odd.mp4", "-f lavfi -i testsrc2=size=853x480:rate=15,format=rgb24 -t 1 "
                                             "-c:v mpeg4 -q:v 4 -pix_fmt yuv420p");
    Expect expect("mpeg4");
    expect.width = 853;
    expect.height = 480;
    check_clip(clip, expect);
}

TEST_CASE("formats: variable frame rate (every third frame of 30 fps dropped)", "[video][formats]")
{
    VideoClips clips;
    std::string clip = clips.make("vfr.mkv", "-f lavfi -i testsrc2=size=160x120:rate=30 -t 1 "
                                             "-vf \"select='not(eq(mod(n\\,3)\\,1))'\" -fps_mode vfr "
                                             "-c:v libx264 -preset veryfast -pix_fmt yuv420p");
    Expect expect("h264");
    expect.frames = 20;
    expect.fps = 0;
    check_clip(clip, expect);
}

TEST_CASE("formats: 5.1 AAC", "[video][formats]")
{
    VideoClips clips;
    std::string clip = clips.make("surround.mp4", video_input() + "-f lavfi -i sine=sample_rate=48000 -t 1 "
                                  "-af \"pan=5.1|FL=c0|FR=c0|FC=c0|LFE=c0|BL=c0|BR=c0\" "
                                  "-c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -shortest");
    Expect expect("h264");
    expect.audio_channels = 6;
    expect.sample_rate = 48000;
    expect.audio_layout = "5.1";
    check_clip(clip, expect);
}

TEST_CASE("formats: 44.1 kHz AAC", "[video][formats]")
{
    VideoClips clips;
    std::string clip = clips.make("cd.mp4", video_input() + "-f lavfi -i sine=sample_rate=44100 -t 1 "
                                  "-c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -ac 2 -shortest");
    Expect expect("h264");
    expect.audio_channels = 2;
    expect.sample_rate = 44100;
    expect.audio_layout = "stereo";
    check_clip(clip, expect);
}

TEST_CASE("formats: no audio track", "[video][formats]")
{
    VideoClips clips;
    std::string clip = clips.make("silent.mp4", video_input() + "-c:v libx264 -preset veryfast -pix_fmt yuv420p");
    Expect expect("h264");
    check_clip(clip, expect);
}

TEST_CASE("formats: phone rotation metadata, each quarter turn, drawn as ffmpeg shows it", "[video][formats][psnr]")
{
    VideoClips clips;
    std::string plain = clips.make("plain.mp4", "-f lavfi -i testsrc2=size=160x120:rate=15 -t 0.4 "
                                                "-c:v libx264 -preset veryfast -pix_fmt yuv420p");
    for (int tag : {90, 180, 270}) {
        std::string name = "rotated" + std::to_string(tag);
        std::string clip = clips.make(name + ".mp4", "-i '" + plain + "' -c copy -metadata:s:v:0 rotate=" +
                                                         std::to_string(tag));
        // ffprobe's side data says counterclockwise degrees; the player keeps clockwise.
        std::string side = command_output("ffprobe -v error -select_streams v:0 -show_entries "
                                          "stream_side_data=rotation -of csv=p=0 '" + clip + "'");
        REQUIRE_FALSE(side.empty());
        int clockwise = ((-std::stoi(side)) % 360 + 360) % 360;
        INFO("rotate=" << tag << ", ffprobe rotation " << side);
        CHECK(clockwise != 0);
        Expect expect("h264");
        expect.frames = 6;
        expect.rotation = clockwise;
        check_clip(clip, expect);

        auto decoder = VideoDecoder::open(clip);
        REQUIRE(decoder.ok());
        auto [w, h] = (*decoder)->info().video->display_size();
        CHECK(w == (clockwise == 180 ? 160 : 120));
        auto frame = (*decoder)->wait_frame(std::chrono::seconds(10));
        REQUIRE(frame);
        SurfacePtr actual = make_argb_surface(w, h);
        RendererPtr renderer(SDL_CreateSoftwareRenderer(actual.get()));
        VideoTexture texture(renderer.get());
        REQUIRE(texture.upload(*frame->frame));
        texture.draw(nullptr, SDL_Rect{0, 0, w, h}, clockwise);
        SDL_RenderPresent(renderer.get());
        SurfacePtr expected = clips.reference_frame(clip, 0, name + ".png");
        double db = psnr(actual.get(), expected.get());
        INFO("PSNR " << db << " dB; images: " << save_pair(actual.get(), expected.get(), "video-" + name));
        CHECK(db >= 35);
    }
}
