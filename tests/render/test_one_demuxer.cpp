// One reader per video file: a video item with sound, opened by the content loader as `play`
// opens it, holds one Demuxer and one descriptor on its file, and both its decoders take their
// packets from it — picture and sound decoded through two plays from the one open.
#include "player/content_loader.h"
#include "player/video/demuxer.h"
#include "tests/render/scene_fixture.h"
#include "tests/render/video_fixture.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

using namespace signage;
using namespace signage::testing;

namespace {

// Descriptors of this process open on `path`, from the /proc/self/fd links.
int descriptors_on(const std::string& path)
{
    const std::filesystem::path file = std::filesystem::canonical(path);
    int count = 0;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", error)) {
        std::error_code unreadable;  // the directory's own descriptor is gone by now
        if (std::filesystem::read_symlink(entry.path(), unreadable) == file && !unreadable)
            ++count;
    }
    return count;
}

}  // namespace

TEST_CASE("a video with sound is opened once: one demuxer feeds its picture and its sound", "[video][audio][demuxer]")
{
    VideoClips clips;
    SceneFixture scene;
    std::string clip = clips.h264_clip("psa.mp4", 2, "320x180");  // 30 fps H.264 + AAC 48 kHz
    std::filesystem::copy_file(clip, scene.path("psa.mp4"));
    scene.load("[content]\nplaylist = playlist.ini\n", "[psa]\ntype = video\nfile = psa.mp4\nloop = 2\n");
    auto composer = SlideComposer::create(scene.setup.config, scene.setup.paths.fonts, CanvasSize{320, 180});
    REQUIRE(composer);
    VideoSettings settings;
    settings.audio = AudioFormat{48000, 2, 1024, "test", ""};  // what AudioOutput would have obtained
    const long demuxers_before = Demuxer::live_count();
    const std::string file = scene.path("psa.mp4");
    REQUIRE(descriptors_on(file) == 0);
    {
        ContentLoader loader(std::move(*composer), scene.setup.playlist.playlist, 30, 0, [] {}, settings);
        loader.request(0, 0);
        REQUIRE(loader.wait(0, 0) == Readiness::Ready);
        OpenedVideo opened = loader.take_video(0);
        REQUIRE(opened.video);
        REQUIRE(opened.audio);
        CHECK(Demuxer::live_count() - demuxers_before == 1);
        CHECK(descriptors_on(file) == 1);

        // Play it: the picture's frames in order, the sound pulled as the device would.
        std::vector<float> buffer(1024 * 2);
        AudioPullTiming timing;
        int frames = 0, last_play = -1, max_descriptors = 0;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!(opened.video->finished() && opened.audio->finished()) && std::chrono::steady_clock::now() < deadline) {
            if (auto frame = opened.video->wait_frame(std::chrono::milliseconds(5))) {
                ++frames;
                last_play = frame->play;
            }
            timing.callback_time = std::chrono::steady_clock::now();
            timing.device_frame += static_cast<uint64_t>(opened.audio->pull(buffer.data(), 1024, timing));
            max_descriptors = std::max(max_descriptors, descriptors_on(file));
        }
        REQUIRE(opened.video->finished());
        REQUIRE(opened.audio->finished());
        CHECK(max_descriptors == 1);
        CHECK(Demuxer::live_count() - demuxers_before == 1);

        // Both decoded everything, both plays.
        CHECK(frames == 120);
        CHECK(last_play == 1);
        const VideoDecoderStats video = opened.video->stats();
        CHECK(video.plays_finished == 2);
        CHECK(video.corrupt_packets == 0);
        const AudioDecoderStats audio = opened.audio->stats();
        CHECK(audio.plays_finished == 2);
        CHECK(audio.frames_played == 2 * 2 * 48000);
        CHECK(audio.frames_decoded >= 2 * 2 * 48000 * 95 / 100);  // AAC: priming and padding aside
        CHECK(audio.silence_frames < 48000 / 10);
        CHECK(audio.corrupt_packets == 0);

        // The sound outlives the picture (VideoLayers keeps the last sound): the demuxer with it.
        opened.video.reset();
        CHECK(Demuxer::live_count() - demuxers_before == 1);
        opened.audio.reset();
    }
    CHECK(Demuxer::live_count() == demuxers_before);
    CHECK(descriptors_on(file) == 0);
}
