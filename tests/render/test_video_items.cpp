// Video items inside a show, through the same code `render --at` and `play` use: the frame on
// screen at T matches ffmpeg's, videos are letterboxed with their pixel aspect, a rotated screen
// turns them, a video's length decides when the next item starts, and trims and loops place
// the right part of the file.
#include "tests/render/scene_fixture.h"
#include "tests/render/video_fixture.h"

#include <catch2/catch.hpp>

using namespace signage;
using namespace signage::testing;

namespace {

const char* kConfig = "[content]\nplaylist = playlist.ini\n[display]\nbackground = #0B1F3A\n[audio]\nmute = yes\n";

// The frame ffmpeg shows at `t`, scaled to w x h (no letterbox needed: same aspect).
SurfacePtr ffmpeg_frame(const VideoClips& clips, const std::string& clip, double t, int w, int h, const std::string& name)
{
    return clips.reference_frame(clip, t, name, "-vf scale=" + std::to_string(w) + ":" + std::to_string(h));
}

}  // namespace

TEST_CASE("render --at shows the video frame at T, after the slide before it", "[video][items]")
{
    VideoClips clips;
    SceneFixture scene;
    std::string clip = clips.h264_clip("psa.mp4", 2, "320x180");
    std::filesystem::copy_file(clip, scene.path("psa.mp4"));
    scene.load(kConfig, "[hello]\ntype = slogan\ntext = Hello\nduration = 1\ntransition = cut\n"
                        "[psa]\ntype = video\nfile = psa.mp4\ntransition = cut\n");
    for (double t : {0.5, 1.2}) {
        INFO("video time " << t);
        SurfacePtr shown = scene.frame(1.0 + t, 320, 180);
        SurfacePtr expected = ffmpeg_frame(clips, clip, t, 320, 180, "ref.png");
        CHECK(psnr(shown.get(), expected.get()) >= 35);
    }
    // The video's own length (2 s) ends its item: at 3.2 s the slogan is back.
    SurfacePtr after = scene.frame(3.2, 320, 180);
    CHECK(pixel(after.get(), 2, 2) == 0xFF0B1F3A);
}

TEST_CASE("a video is letterboxed in the background colour, turned with the screen", "[video][items]")
{
    VideoClips clips;
    SceneFixture scene;
    // A 4:3 picture on a 16:9 screen: bars left and right.
    std::string clip = clips.make("square.mp4", "-f lavfi -i color=c=0xE0E0E0:size=240x180:rate=10 -t 1 -pix_fmt yuv420p");
    std::filesystem::copy_file(clip, scene.path("square.mp4"));
    scene.load(kConfig, "[v]\ntype = video\nfile = square.mp4\n");
    SurfacePtr frame = scene.frame(0.5, 320, 180);
    Rect box = ink_box(frame.get(), 0xFF0B1F3A);
    CHECK(box == Rect{40, 0, 240, 180});

    // The same on a screen turned 90°: the canvas is 180 wide and 320 high, the picture fills its
    // width (180 x 135), centred; on the turned screen that is 135 wide and 180 high.
    SceneFixture turned;
    std::filesystem::copy_file(clip, turned.path("square.mp4"));
    turned.load(std::string(kConfig) + "[display]\nrotation = 90\n", "[v]\ntype = video\nfile = square.mp4\n");
    SurfacePtr side = turned.frame(0.5, 320, 180);
    Rect side_box = ink_box(side.get(), 0xFF0B1F3A);
    CHECK(side_box.w == Approx(135).margin(1));
    CHECK(side_box.h == 180);
    CHECK(side_box.x == Approx(320 - 92 - 135).margin(1));  // the canvas's top margin (92) turned to the right
}

TEST_CASE("trims and loops decide the item's length and the part shown", "[video][items][trim]")
{
    VideoClips clips;
    SceneFixture scene;
    std::string clip = clips.h264_clip("long.mp4", 3, "320x180");
    std::filesystem::copy_file(clip, scene.path("long.mp4"));
    // 1.0 s to 2.0 s of the file, twice: 2 s on screen, then the slogan.
    scene.load(kConfig, "[v]\ntype = video\nfile = long.mp4\nstart = 1\nend = 2\nloop = 2\ntransition = cut\n"
                        "[s]\ntype = slogan\ntext = Hi\nduration = 1\ntransition = cut\n");
    // 0.2 s into each play is file time 1.2 s, a frame's own time (ffmpeg -ss picks the frame at
    // or after a time, the player the one on screen at it: they agree on exact frame times).
    SurfacePtr first = scene.frame(0.2, 320, 180);
    SurfacePtr second = scene.frame(1.2, 320, 180);
    SurfacePtr expected = ffmpeg_frame(clips, clip, 1.2, 320, 180, "ref.png");
    CHECK(psnr(first.get(), expected.get()) >= 35);
    CHECK(psnr(second.get(), expected.get()) >= 35);  // the second play starts at the trim again
    SurfacePtr slogan = scene.frame(2.5, 320, 180);
    CHECK(pixel(slogan.get(), 2, 2) == 0xFF0B1F3A);
}
