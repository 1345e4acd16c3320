// Hardware decoding is never required: `hwdec = auto` tries what the machine offers and falls
// back to software with the reason; `off` tries nothing. Where there is no GPU (CI, this test's
// usual home) auto must end in software; fake device nodes make every attempt fail for real.
#include "player/video/video_codec.h"
#include "tests/render/video_fixture.h"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace signage;
using namespace signage::testing;

namespace {

bool has_render_node()
{
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator("/dev/dri", ec); !ec && it != std::filesystem::directory_iterator();
         it.increment(ec))
        if (it->path().filename().string().starts_with("renderD"))
            return true;
    return false;
}

std::string joined(const std::vector<std::string>& lines)
{
    std::string out;
    for (const std::string& line : lines)
        out += line + "\n";
    return out;
}

}  // namespace

TEST_CASE("hwdec values are auto and off", "[video][hwdec]")
{
    CHECK(parse_hwdec("auto") == HwDecode::Auto);
    CHECK(parse_hwdec("off") == HwDecode::Off);
    CHECK_FALSE(parse_hwdec("vaapi"));
    CHECK_FALSE(parse_hwdec(""));
    CHECK(std::string(hwdec_name(HwDecode::Auto)) == "auto");
    CHECK(std::string(hwdec_name(HwDecode::Off)) == "off");
}

TEST_CASE("hwdec = auto without a GPU decodes in software and says why; off never tries", "[video][hwdec]")
{
    VideoClips clips;
    std::string clip = clips.h264_clip("clip.mp4", 0.5, "320x240");

    VideoDecoderOptions off;
    off.hardware = false;
    auto soft = VideoDecoder::open(clip, off);
    REQUIRE(soft.ok());
    CHECK((*soft)->stats().decoder == "h264 in software (hwdec = off)");
    DecodedRun soft_run = decode_all(**soft);
    CHECK(soft_run.times.size() == 15);

    VideoDecoderOptions automatic;  // hardware = true is the default
    auto decoder = VideoDecoder::open(clip, automatic);
    REQUIRE(decoder.ok());
    const std::string chosen = (*decoder)->stats().decoder;
    INFO("chosen: " << chosen);
    if (has_render_node()) {
        WARN("this machine has a render node; only checking that auto decodes: " << chosen);
    } else {
        CHECK(chosen.find("h264 in software (hwdec = auto: ") == 0);
        CHECK(chosen.find("VAAPI: no /dev/dri/renderD* device") != std::string::npos);
    }
    DecodedRun run = decode_all(**decoder);
    CHECK(run.times == soft_run.times);  // whichever decoder: the same frames at the same times
}

TEST_CASE("every hardware attempt failing for real falls back to software; off touches no device", "[video][hwdec]")
{
    VideoClips clips;
    std::string clip = clips.h264_clip("clip.mp4", 0.5, "320x240");
    auto opened = open_media(clip, {});
    REQUIRE(opened.ok());
    const AVStream& stream = *opened->format->streams[opened->info.video->index];

    // Device nodes that are not devices: VAAPI opens the "render node" and fails on it, V4L2 sees
    // a video node and FFmpeg's h264_v4l2m2m finds no decoder behind any of /dev/video*.
    TempDir fake;
    fake.write("dri/renderD128", "not a GPU");
    fake.write("v4l2/video0", "not a decoder");
    VideoCodecOptions options;
    options.threads = 1;
    options.devices.dri = fake.file("dri");
    options.devices.v4l2 = fake.file("v4l2");

    options.hwdec = HwDecode::Off;
    auto off = open_video_codec(clip, stream, options, nullptr);
    REQUIRE(off.ok());
    CHECK_FALSE(off->choice.is_hardware());
    CHECK(off->choice.tried.empty());
    CHECK(off->choice.describe(HwDecode::Off) == "h264 in software (hwdec = off)");

    options.hwdec = HwDecode::Auto;
    auto start = std::chrono::steady_clock::now();
    auto automatic = open_video_codec(clip, stream, options, nullptr);
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(automatic.ok());
    const DecoderChoice& choice = automatic->choice;
    INFO(joined(choice.tried));
    CHECK_FALSE(choice.is_hardware());
    CHECK(choice.decoder == "h264");
    CHECK(std::string(automatic->context->codec->name) == "h264");
    CHECK(automatic->context->hw_device_ctx == nullptr);
    REQUIRE(choice.tried.size() == 3);
    CHECK(choice.tried[0].find("VAAPI on " + fake.file("dri/renderD128") + ": cannot open it") == 0);
    CHECK(choice.tried[1].find("DRM-PRIME") == 0);  // Debian's FFmpeg has no DRM hwaccel decoder
    CHECK(choice.tried[2].find("V4L2 M2M (h264_v4l2m2m): ") == 0);
    CHECK(took < 2);
    CHECK(choice.describe(HwDecode::Auto).find("h264 in software (hwdec = auto: VAAPI on ") == 0);

    // The software decoder it fell back to decodes.
    PacketPtr packet = make_packet();
    FramePtr frame = make_frame();
    int frames = 0;
    while (av_read_frame(opened->format.get(), packet.get()) >= 0) {
        if (packet->stream_index == stream.index)
            REQUIRE(avcodec_send_packet(automatic->context.get(), packet.get()) >= 0);
        av_packet_unref(packet.get());
        while (avcodec_receive_frame(automatic->context.get(), frame.get()) == 0) {
            REQUIRE(finish_decoded_frame(*frame));
            CHECK(frame->format == AV_PIX_FMT_YUV420P);  // a software frame, left as it is
            av_frame_unref(frame.get());
            ++frames;
        }
    }
    avcodec_send_packet(automatic->context.get(), nullptr);
    while (avcodec_receive_frame(automatic->context.get(), frame.get()) == 0) {
        av_frame_unref(frame.get());
        ++frames;
    }
    CHECK(frames == 15);
}
