// Partially decodable is not playable: every decoder is asked whether it read the whole file.
// Each image format, cut short at several points and damaged inside, is refused by load_poster
// (which play, check and the sync's probe share) with a reason; a video whose first picture the
// decoder had to conceal, or whose data ends before its container says, is refused by the check
// that `check` and the sync's probe run.
#include "player/render/media_check.h"
#include "player/render/poster_loader.h"
#include "tests/render/video_fixture.h"

#include <catch2/catch.hpp>

using namespace signage;
using namespace signage::testing;

namespace {

const ImageLimits kLimits{40, 1ull << 30};

// The position and size of the video's first packet in the file (ffprobe).
std::pair<size_t, size_t> first_packet(const std::string& clip)
{
    auto field = [&clip](const std::string& name) {
        std::string value = command_output("ffprobe -v error -select_streams v:0 -read_intervals %+#1 -show_entries packet=" +
                                           name + " -of default=nw=1:nk=1 '" + clip + "'");
        REQUIRE_FALSE(value.empty());
        return static_cast<size_t>(std::stoul(value));
    };
    return {field("pos"), field("size")};
}

Status video_check(const std::string& path)
{
    PlaylistItem item;
    item.type = ItemType::Video;
    item.path = path;
    return check_video_plays(item, Config{});
}

}  // namespace

TEST_CASE("every image format cut short is refused, with the decoder's reason, never shown in part",
          "[render][strict]")
{
    VideoClips files;
    struct Format {
        std::string name, encoder;
    };
    for (const Format& format : {Format{"png", "png"}, Format{"gif", "gif"}, Format{"webp", "libwebp"},
                                 Format{"bmp", "bmp"}, Format{"jpg", "mjpeg -q:v 3"}}) {
        // Detail everywhere, so every part of the file carries picture data.
        std::string whole = files.make("whole." + format.name,
                                       "-f lavfi -i testsrc2=size=320x180 -frames:v 1 -c:v " + format.encoder);
        INFO(whole);
        REQUIRE(load_poster(whole, kLimits));
        std::string bytes = files.read(whole);
        for (double kept : {0.3, 0.6, 0.9, 0.999}) {
            std::string cut = files.path("cut-" + std::to_string(int(kept * 1000)) + "." + format.name);
            files.write_bytes(cut, bytes.substr(0, static_cast<size_t>(bytes.size() * kept)));
            auto poster = load_poster(cut, kLimits);
            INFO(cut << " (" << kept * 100 << " % of the file)");
            REQUIRE_FALSE(poster);
            CHECK(poster.error().file == cut);
            CHECK_FALSE(poster.error().message.empty());
        }
    }
}

TEST_CASE("a PNG cut after its last row, before its IEND chunk, is refused", "[render][strict]")
{
    VideoClips files;
    std::string whole = files.make("whole.png", "-f lavfi -i testsrc2=size=320x180 -frames:v 1 -c:v png");
    std::string bytes = files.read(whole);
    REQUIRE(bytes.substr(bytes.size() - 8, 4) == "IEND");
    std::string cut = files.path("no-end.png");
    files.write_bytes(cut, bytes.substr(0, bytes.size() - 12));  // every row is there, the end is not
    auto poster = load_poster(cut, kLimits);
    REQUIRE_FALSE(poster);
    CHECK_THAT(poster.error().message, Catch::Contains("partially decodable is not playable") &&
                                           Catch::Contains("before its IEND chunk"));
}

TEST_CASE("a GIF whose picture data is damaged is refused with giflib's reason", "[render][strict]")
{
    VideoClips files;
    std::string whole = files.make("whole.gif", "-f lavfi -i testsrc2=size=320x180 -frames:v 1 -c:v gif");
    std::string bytes = files.read(whole);
    for (size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i)
        bytes[i] = static_cast<char>(bytes[i] ^ 0x55);
    std::string damaged = files.path("damaged.gif");
    files.write_bytes(damaged, bytes);
    auto poster = load_poster(damaged, kLimits);
    REQUIRE_FALSE(poster);
    CHECK_THAT(poster.error().message, Catch::Contains("GIF refused, partially decodable is not playable"));
}

TEST_CASE("a video whose first picture the decoder had to conceal is refused at that picture", "[render][strict][video]")
{
    VideoClips clips;
    std::string whole = clips.make("whole.ts", "-f lavfi -i testsrc2=size=320x180:rate=25 -t 2 -c:v mpeg2video -q:v 2");
    CHECK(video_check(whole));
    auto [pos, size] = first_packet(whole);
    REQUIRE(size > 2000);
    std::string bytes = clips.read(whole);
    // The middle of the first picture's data becomes noise; the file stays the same length.
    for (size_t i = pos + size / 2; i < pos + size / 2 + 200; ++i)
        bytes[i] = static_cast<char>(bytes[i] ^ 0x55);
    std::string damaged = clips.path("damaged.ts");
    clips.write_bytes(damaged, bytes);

    auto decoder = VideoDecoder::open(damaged);
    REQUIRE(decoder);
    CHECK_FALSE((*decoder)->wait_frame(std::chrono::seconds(10)));
    CHECK((*decoder)->finished());
    CHECK_THAT((*decoder)->stats().refused, Catch::Contains("refused at its first picture"));

    Status checked = video_check(damaged);
    REQUIRE_FALSE(checked);
    CHECK(checked.error().file == damaged);
    CHECK_THAT(checked.error().message, Catch::Contains("partially decodable is not playable"));
}

TEST_CASE("a video whose data ends before its container says is refused by check and the sync's probe",
          "[render][strict][video]")
{
    VideoClips clips;
    // MP4 with its index first (as published for streaming) and WebM: both open and show their
    // first picture when cut; only reading them through shows the missing end.
    std::string mp4 = clips.h264_clip("whole.mp4", 3, "320x180", "-movflags +faststart");
    std::string webm = clips.make("whole.webm", "-f lavfi -i testsrc2=size=320x180:rate=25 -t 3 -c:v libvpx-vp9 -b:v 200k");
    for (const std::string& whole : {mp4, webm}) {
        CHECK(video_check(whole));
        std::string bytes = clips.read(whole);
        for (double kept : {0.5, 0.95}) {
            std::string cut = clips.path("cut-" + std::to_string(int(kept * 100)) + "-" + whole.substr(whole.rfind('/') + 1));
            clips.write_bytes(cut, bytes.substr(0, static_cast<size_t>(bytes.size() * kept)));
            INFO(cut);
            auto opened = VideoDecoder::open(cut);
            REQUIRE(opened);  // it opens ...
            CHECK((*opened)->wait_frame(std::chrono::seconds(10)));  // ... and shows its first picture
            Status checked = video_check(cut);
            REQUIRE_FALSE(checked);
            CHECK(checked.error().file == cut);
            CHECK_THAT(checked.error().message, Catch::Contains("partially decodable is not playable"));
        }
    }
}
