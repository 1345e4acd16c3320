// One reader per video file: a video item with sound, opened by the content loader as `play`
// opens it, holds one Demuxer and one descriptor on its file, and both its decoders take their
// packets from it — picture and sound decoded through two plays from the one open.
#include "player/render/content_loader.h"
#include "player/render/video_item_layer.h"
#include "player/media/demuxer.h"
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
        // As a show loads it: the video item layer's load job on the loader thread.
        auto playlist = std::make_shared<const Playlist>(scene.setup.playlist.playlist);
        ContentLoader loader(std::move(*composer), 30, 0, [] {});
        loader.add(0, "psa", video_job(playlist, 0, settings));
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

TEST_CASE("one demuxer, trimmed and looped: the sound never waits for the picture at a loop point", "[video][audio][demuxer]")
{
    // The reader rewinds only once both decoders are past the trim's end; the sound (0.5 s ahead)
    // gets there first and must still be fed in time. Played in real time, as the device pulls.
    VideoClips clips;
    std::string clip = clips.h264_clip("trim.mp4", 3, "320x180", "-g 30");
    auto demuxer = Demuxer::open(clip, DemuxerOptions{3, 0.5, {}});
    REQUIRE(demuxer);
    VideoDecoderOptions picture;
    picture.period = 1.0;
    auto video = VideoDecoder::open(*demuxer, picture);
    REQUIRE(video);
    AudioDecoderOptions sound;
    sound.period = 1.0;
    auto audio = AudioDecoder::open(*demuxer, AudioFormat{48000, 2, 1024, "test", ""}, sound);
    REQUIRE(audio);
    (*demuxer)->start();
    std::vector<float> buffer(1024 * 2);
    AudioPullTiming timing;
    int frames = 0;
    double last_time = -1;
    bool increasing = true;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!((*video)->finished() && (*audio)->finished()) && std::chrono::steady_clock::now() < deadline) {
        timing.callback_time = std::chrono::steady_clock::now();
        timing.device_frame += static_cast<uint64_t>((*audio)->pull(buffer.data(), 1024, timing));
        if (auto frame = (*video)->take_frame((*audio)->position() + 0.05)) {
            ++frames;
            increasing = increasing && frame->time > last_time;
            last_time = frame->time;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(1024 * 1000000 / 48000));
    }
    REQUIRE((*audio)->finished());
    const AudioDecoderStats stats = (*audio)->stats();
    CHECK(stats.plays_finished == 3);
    CHECK(stats.frames_played == 3 * 48000);
    CHECK(stats.underruns == 0);
    CHECK((*video)->stats().plays_finished == 3);
    CHECK(frames >= 80);  // 90 frames in 3 plays of 1 s; a few may be due together
    CHECK(increasing);
}
