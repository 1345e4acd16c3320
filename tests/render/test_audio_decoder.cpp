// AudioDecoder through AudioOutput on SDL's disk driver, on generated clips: the output file is
// read back and measured. Frequencies survive resampling and downmixing, beeps land where the
// timeline says (looping, cutting, padding and trimming without drift), volume scales, a starved
// decoder counts underruns, position() follows the samples written, broken files keep the
// timeline's length. Most run the disk driver at about twenty times real time (same callbacks and
// buffers, shorter sleeps); the position test runs in real time.
#include "tests/render/audio_fixture.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <sys/resource.h>

using namespace signage;
using namespace signage::testing;

namespace {

constexpr int kRate = 48000;
constexpr long kFiveMs = kRate / 200;

// Whole clips decoded ahead so thread scheduling on a busy machine cannot starve the fast runs.
AudioDecoderOptions ahead(double period = 0, int plays = 1)
{
    AudioDecoderOptions options;
    options.period = period;
    options.plays = plays;
    options.buffer_seconds = 8;
    return options;
}

long frame_at(uint64_t start, double seconds)
{
    return static_cast<long>(start) + std::lround(seconds * kRate);
}

// Every onset within `tolerance` frames of where the timeline puts it (seconds from frame 0).
void check_onsets(const std::vector<size_t>& found, uint64_t start, const std::vector<double>& expected, long tolerance)
{
    std::string list;
    for (size_t at : found)
        list += std::to_string((static_cast<double>(at) - start) / kRate) + " ";
    INFO("onsets at (s): " << list);
    REQUIRE(found.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        INFO("beep " << i << " expected at " << expected[i] << " s");
        CHECK(std::labs(static_cast<long>(found[i]) - frame_at(start, expected[i])) <= tolerance);
    }
}

}  // namespace

TEST_CASE("audio decoder: a 44.1 kHz AAC sine comes out at 440 Hz at 48 kHz", "[audio][decoder][resample]")
{
    AudioClips clips;
    DiskAudio audio;
    auto decoder = audio.decoder(clips.sine("sine.mp4", 440, 2, 44100, "aac"), ahead());
    CHECK(decoder->period() == Approx(2.0).margin(0.01));  // the video's duration when not given
    const uint64_t start = play_to_end(audio, decoder);
    AudioCapture capture = audio.finish();
    std::vector<float> left = capture.channel(0), right = capture.channel(1);
    const size_t from = frame_at(start, 0.2), to = frame_at(start, 1.8);
    CHECK(frequency(left, kRate, from, to) == Approx(440).epsilon(0.001));
    // A mono file plays at full level on both channels.
    CHECK(peak(left, from, to) == Approx(0.5).epsilon(0.05));
    CHECK(largest_jump(left, from, to) < 0.05f);  // a clean sine: 2π·440·0.5/48000 = 0.029 a sample
    CHECK(left == right);
    auto stats = decoder->stats();
    CHECK(stats.frames_played == static_cast<uint64_t>(std::llround(decoder->period() * kRate)));
    CHECK(stats.underruns == 0);
    CHECK(stats.frames_decoded >= 88200);
    CHECK(stats.corrupt_packets == 0);
    CHECK(stats.plays_finished == 1);
}

TEST_CASE("audio decoder: 5.1 AAC at 44.1 kHz is downmixed to stereo with its channels in place",
          "[audio][decoder][resample]")
{
    AudioClips clips;
    DiskAudio audio;
    // 440 Hz on front left only, 660 Hz on front right only, the other four silent.
    std::string clip = clips.clip("surround.mp4",
                                  "aevalsrc='0.5*sin(2*PI*440*t)|0.5*sin(2*PI*660*t)|0|0|0|0':c=5.1:s=44100:d=2", 2, "aac");
    auto info = probe_media(clip);
    REQUIRE(info.ok());
    REQUIRE(info->audio);
    REQUIRE(info->audio->channels == 6);
    auto decoder = audio.decoder(clip, ahead(2));
    const uint64_t start = play_to_end(audio, decoder);
    AudioCapture capture = audio.finish();
    const size_t from = frame_at(start, 0.2), to = frame_at(start, 1.8);
    std::vector<float> left = capture.channel(0), right = capture.channel(1);
    CHECK(frequency(left, kRate, from, to) == Approx(440).epsilon(0.002));
    CHECK(frequency(right, kRate, from, to) == Approx(660).epsilon(0.002));
    // Scaled so the full downmix cannot clip, but clearly there.
    CHECK(peak(left, from, to) > 0.15f);
    CHECK(peak(left, from, to) < 0.5f);
    CHECK(decoder->stats().underruns == 0);
}

TEST_CASE("audio decoder: mono 22.05 kHz PCM on a stereo device, stereo on a mono device", "[audio][decoder][resample]")
{
    AudioClips clips;
    std::string mono = clips.sine("mono.mkv", 1000, 1, 22050);
    {
        DiskAudio audio;
        auto decoder = audio.decoder(mono, ahead(1));
        const uint64_t start = play_to_end(audio, decoder);
        AudioCapture capture = audio.finish();
        std::vector<float> left = capture.channel(0), right = capture.channel(1);
        const size_t from = frame_at(start, 0.1), to = frame_at(start, 0.9);
        CHECK(frequency(left, kRate, from, to) == Approx(1000).epsilon(0.001));
        CHECK(peak(left, from, to) == Approx(0.5).epsilon(0.01));
        CHECK(left == right);
    }
    {
        AudioOutputOptions options;
        options.channels = 1;
        DiskAudio audio(1, options);
        REQUIRE(audio.format().channels == 1);
        std::string stereo = clips.clip("stereo.mkv", "aevalsrc='0.5*sin(2*PI*500*t)|0.5*sin(2*PI*500*t)':c=stereo:s=48000:d=1", 1);
        auto decoder = audio.decoder(stereo, ahead(1));
        const uint64_t start = play_to_end(audio, decoder);
        AudioCapture capture = audio.finish();
        std::vector<float> only = capture.channel(0);
        const size_t from = frame_at(start, 0.1), to = frame_at(start, 0.9);
        CHECK(frequency(only, kRate, from, to) == Approx(500).epsilon(0.001));
        CHECK(peak(only, from, to) == Approx(0.5).epsilon(0.01));
    }
}

TEST_CASE("audio decoder: beeps land on the whole seconds of the timeline", "[audio][decoder][timing]")
{
    AudioClips clips;
    struct Case {
        const char* name;
        int rate;
        const char* codec;
        long tolerance;
    };
    // PCM at the device rate is placed to the sample (the onset measure itself adds 4 frames); AAC
    // resampled from 44.1 kHz within ±5 ms. The first beep starts under the output's 5 ms fade-in.
    for (const Case& c : {Case{"beeps.mkv", 48000, "pcm_s16le", 8}, Case{"beeps.mp4", 44100, "aac", kFiveMs}}) {
        INFO(c.name);
        DiskAudio audio;
        auto decoder = audio.decoder(clips.beeps(c.name, 3, c.rate, c.codec), ahead(3));
        const uint64_t start = play_to_end(audio, decoder);
        AudioCapture capture = audio.finish();
        std::vector<size_t> found = onsets(capture.channel(0));
        check_onsets({found.begin() + (found.empty() ? 0 : 1), found.end()}, start, {1.0, 2.0}, c.tolerance);
        REQUIRE(!found.empty());
        CHECK(std::labs(static_cast<long>(found[0]) - frame_at(start, 0)) <= kFiveMs);
        CHECK(decoder->stats().underruns == 0);
    }
}

TEST_CASE("audio decoder: plays are exactly one period apart, padded or cut, without drift", "[audio][decoder][loop]")
{
    AudioClips clips;
    SECTION("a 2 s PCM clip in 3 plays of 1.2345 s: cut, boundaries rounded per play, not accumulated")
    {
        DiskAudio audio;
        const double period = 1.2345;
        auto decoder = audio.decoder(clips.beeps("beeps.mkv", 2), ahead(period, 3));
        REQUIRE(decoder->end_time());
        CHECK(*decoder->end_time() == Approx(3 * period).margin(1.0 / kRate));
        const uint64_t start = play_to_end(audio, decoder);
        AudioCapture capture = audio.finish();
        std::vector<size_t> found = onsets(capture.channel(0));
        REQUIRE(found.size() == 6);
        // Play n starts at round(n × period × rate): 0, 59256, 118512; its beeps at +0 and +1 s.
        for (int play = 0; play < 3; ++play) {
            const long play_start = static_cast<long>(start) + std::lround(play * period * kRate);
            INFO("play " << play);
            CHECK(std::labs(static_cast<long>(found[2 * play + 1]) - (play_start + kRate)) <= 8);
            if (play > 0)
                CHECK(found[2 * play + 1] - found[2 * play - 1] == static_cast<size_t>(std::lround(play * period * kRate) -
                                                                                        std::lround((play - 1) * period * kRate)));
        }
        CHECK(decoder->stats().frames_played == static_cast<uint64_t>(std::llround(3 * period * kRate)));
        CHECK(decoder->stats().plays_finished == 3);
    }
    SECTION("a 2 s AAC clip at 44.1 kHz in 2 plays of 2.5 s: padded with silence, the second train 2.5 s later")
    {
        DiskAudio audio;
        auto decoder = audio.decoder(clips.beeps("beeps.mp4", 2, 44100, "aac"), ahead(2.5, 2));
        const uint64_t start = play_to_end(audio, decoder);
        AudioCapture capture = audio.finish();
        std::vector<size_t> found = onsets(capture.channel(0));
        check_onsets({found.begin() + (found.empty() ? 0 : 1), found.end()}, start, {1.0, 2.5, 3.5}, kFiveMs);
        // The same samples in each play, so the same offsets, to the sample.
        CHECK(found[3] - found[1] == static_cast<size_t>(2.5 * kRate));
        auto stats = decoder->stats();
        CHECK(stats.frames_played == 5 * kRate);
        // 0.5 s of padding per play, less the AAC encoder's padding of its last frame (< 1024 samples).
        CHECK(stats.silence_frames >= 2 * (kRate / 2 - 1200));
        CHECK(stats.underruns == 0);
    }
}

TEST_CASE("audio decoder: segment_start trims the start of every play", "[audio][decoder][trim]")
{
    AudioClips clips;
    AudioDecoderOptions options = ahead(1.5, 2);
    options.segment_start = 0.3;
    SECTION("PCM in MOV: timestamps exact to the sample, so is the trim")
    {
        DiskAudio audio;
        auto decoder = audio.decoder(clips.beeps("beeps.mov", 3), options);
        const uint64_t start = play_to_end(audio, decoder);
        AudioCapture capture = audio.finish();
        // File beeps at 0, 1, 2 s: each play shows [0.3, 1.8) of the file, so only the 1 s beep,
        // at 0.7 s into the play; the 2 s one falls past the cut.
        check_onsets(onsets(capture.channel(0)), start, {0.7, 2.2}, 8);
        CHECK(decoder->stats().frames_played == 3 * kRate);
    }
    SECTION("PCM in Matroska: its timestamps are whole milliseconds, so the trim is within ±0.5 ms")
    {
        DiskAudio audio;
        auto decoder = audio.decoder(clips.beeps("beeps.mkv", 3), options);
        const uint64_t start = play_to_end(audio, decoder);
        AudioCapture capture = audio.finish();
        check_onsets(onsets(capture.channel(0)), start, {0.7, 2.2}, 8 + kRate / 2000);
    }
    SECTION("AAC at 44.1 kHz")
    {
        DiskAudio audio;
        auto decoder = audio.decoder(clips.beeps("beeps.mp4", 3, 44100, "aac"), options);
        const uint64_t start = play_to_end(audio, decoder);
        AudioCapture capture = audio.finish();
        check_onsets(onsets(capture.channel(0)), start, {0.7, 2.2}, kFiveMs);
    }
}

TEST_CASE("audio decoder: audio starting after the video is placed by its timestamps", "[audio][decoder][timing]")
{
    AudioClips clips;
    DiskAudio audio;
    // The beeps' audio stream starts 0.4 s after the video: its first beep is at 0.4 s.
    std::string clip = clips.make("late.mkv",
                                  "-f lavfi -i testsrc2=size=64x64:rate=10 -itsoffset 0.4 -f lavfi -i "
                                  "\"aevalsrc='if(lt(mod(t\\,1)\\,0.05)\\,0.5*sin(2*PI*1000*t)\\,0)':s=48000:d=2\" "
                                  "-t 2.4 -c:v libx264 -preset ultrafast -bf 0 -pix_fmt yuv420p -c:a pcm_s16le");
    auto decoder = audio.decoder(clip, ahead(2.4));
    const uint64_t start = play_to_end(audio, decoder);
    AudioCapture capture = audio.finish();
    check_onsets(onsets(capture.channel(0)), start, {0.4, 1.4}, 8);
    CHECK(decoder->stats().silence_frames >= static_cast<uint64_t>(0.4 * kRate) - 2);
}

TEST_CASE("audio decoder: item volume 0.5 halves the amplitude", "[audio][decoder][volume]")
{
    AudioClips clips;
    DiskAudio audio;
    std::string clip = clips.sine("sine.mkv", 440, 1);
    auto full = audio.decoder(clip, ahead(1));
    AudioDecoderOptions half_options = ahead(1);
    half_options.volume = 0.5;
    auto half = audio.decoder(clip, half_options);
    const uint64_t full_start = play_to_end(audio, full);
    const uint64_t half_start = play_to_end(audio, half);
    AudioCapture capture = audio.finish();
    std::vector<float> left = capture.channel(0);
    const float full_peak = peak(left, frame_at(full_start, 0.2), frame_at(full_start, 0.8));
    const float half_peak = peak(left, frame_at(half_start, 0.2), frame_at(half_start, 0.8));
    CHECK(full_peak == Approx(0.5).epsilon(0.01));
    CHECK(half_peak / full_peak == Approx(0.5).epsilon(0.001));
}

TEST_CASE("audio decoder: a starved decoder counts underruns, and the timeline waits: nothing is lost",
          "[audio][decoder][underrun]")
{
    AudioClips clips;
    DiskAudio audio;
    // A 240-frame ring can never hold the 1024 frames a callback asks for.
    AudioDecoderOptions options = ahead(1);
    options.buffer_seconds = 0.005;
    auto decoder = audio.decoder(clips.sine("sine.mkv", 440, 1), options);
    play_to_end(audio, decoder);
    auto stats = decoder->stats();
    CHECK(stats.underruns > 10);
    CHECK(stats.underrun_frames > 10 * 512);
    CHECK(stats.frames_played == static_cast<uint64_t>(kRate));
    audio.finish();
    // Once everything has been heard the clock stands at the end, not beyond.
    CHECK(decoder->position() == Approx(1.0).margin(1e-9));
}

TEST_CASE("audio decoder: position() follows the samples written, in real time", "[audio][decoder][clock]")
{
    AudioClips clips;
    DiskAudio audio(-1);  // the disk driver paced at one buffer per buffer's duration
    REQUIRE(audio.format().buffer_frames == 1024);
    std::atomic<int> wakes{0};
    AudioDecoderOptions options;  // the default 0.5 s ring
    options.wake = [&] { ++wakes; };
    auto decoder = audio.decoder(clips.sine("sine.mkv", 440, 1.5), options);
    wait_until([&] { return decoder->ready(); });
    CHECK(wakes == 1);  // ready
    CHECK(decoder->position() == 0);
    CHECK(!decoder->started());
    audio.output->set_source(decoder);

    const double buffer = 1024.0 / kRate;
    double last = 0;
    int samples = 0;
    while (!decoder->finished()) {
        const uint64_t mixed_before = audio.output->stats().frames_mixed;
        const double position = decoder->position();
        const uint64_t mixed_after = audio.output->stats().frames_mixed;
        auto start = decoder->stats().start_device_frame;
        if (start && mixed_before > *start + 3 * 1024) {
            // Handed over (written to the file) by the callback: heard up to one buffer later.
            const double written_before = static_cast<double>(mixed_before - *start) / kRate;
            const double written_after = static_cast<double>(mixed_after - *start) / kRate;
            INFO("position " << position << " s, written " << written_before << ".." << written_after << " s");
            CHECK(position <= written_after + buffer);               // a callback may be in flight
            CHECK(position >= written_before - 2 * buffer - 0.02);   // 20 ms for scheduling
            ++samples;
        }
        CHECK(position >= last);
        last = position;
        std::this_thread::sleep_for(std::chrono::milliseconds(7));
    }
    CHECK(samples > 50);
    CHECK(decoder->started());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // more than the device latency
    CHECK(decoder->position() == Approx(1.5).margin(1e-9));
    CHECK(decoder->stats().underruns == 0);
    wait_until([&] { return wakes == 2; }, std::chrono::seconds(5), "the wake at the end");
    audio.finish();
}

TEST_CASE("audio decoder: two items queued back to back are gapless", "[audio][decoder][gapless]")
{
    AudioClips clips;
    DiskAudio audio;
    auto first = audio.decoder(clips.beeps("a.mkv", 2), ahead(2));
    auto second = audio.decoder(clips.beeps("b.mp4", 2, 44100, "aac"), ahead(2));
    wait_until([&] { return first->ready() && second->ready(); });
    audio.output->set_source(first);
    audio.output->queue_source(second);
    wait_until([&] { return second->finished(); });
    AudioCapture capture = audio.finish();
    const uint64_t start = *first->stats().start_device_frame;
    REQUIRE(second->stats().start_device_frame);
    CHECK(*second->stats().start_device_frame == start + 2 * kRate);
    std::vector<size_t> found = onsets(capture.channel(0));
    check_onsets({found.begin() + (found.empty() ? 0 : 1), found.end()}, start, {1.0, 2.0, 3.0}, kFiveMs);
    CHECK(first->stats().underruns == 0);
    CHECK(second->stats().underruns == 0);
}

TEST_CASE("audio decoder: corrupt and truncated files keep the timeline's length", "[audio][decoder][corrupt]")
{
    AudioClips clips;
    std::string good = clips.sine("good.mp4", 440, 3, 44100, "aac");
    std::string bytes = clips.read(good);
    uint32_t seed = 12345;
    for (size_t i = bytes.size() * 3 / 10; i < bytes.size() * 6 / 10; ++i) {
        seed = seed * 1103515245u + 12345u;
        bytes[i] = static_cast<char>(seed >> 24);
    }
    std::string corrupt = clips.path("corrupt.mp4");
    clips.write_bytes(corrupt, bytes);
    std::string cut = clips.path("cut.mkv");
    clips.truncate(clips.sine("whole.mkv", 440, 3), cut, 0.5);

    DiskAudio audio;
    auto broken = audio.decoder(corrupt, ahead(3));
    play_to_end(audio, broken);
    auto stats = broken->stats();
    INFO("corrupt packets " << stats.corrupt_packets << ", decode errors " << stats.decode_errors);
    CHECK(stats.corrupt_packets + stats.decode_errors > 0);
    CHECK(stats.frames_played == 3 * kRate);

    auto truncated = audio.decoder(cut, ahead(3));
    play_to_end(audio, truncated);
    CHECK(truncated->stats().frames_played == 3 * kRate);
    CHECK(truncated->stats().silence_frames > kRate);
}

TEST_CASE("audio decoder: a file without audio is refused with its name", "[audio][decoder]")
{
    AudioClips clips;
    std::string silent = clips.make("silent.mp4", "-f lavfi -i testsrc2=size=64x64:rate=10 -t 1 -c:v libx264 -preset ultrafast");
    AudioFormat format;
    format.sample_rate = kRate;
    format.channels = 2;
    auto decoder = AudioDecoder::open(silent, format);
    REQUIRE(!decoder.ok());
    CHECK(decoder.error().file == silent);
    CHECK(decoder.error().message == "no audio stream in it");
    auto missing = AudioDecoder::open(clips.path("missing.mp4"), format);
    REQUIRE(!missing.ok());
    CHECK(missing.error().to_string().find("missing.mp4: file not found") != std::string::npos);
}

TEST_CASE("audio decoder: looping 50 times and closing mid-play leave nothing behind", "[audio][decoder][loop]")
{
    AudioClips clips;
    std::string clip = clips.sine("short.mp4", 440, 0.3, 44100, "aac");
    const FfmpegCounts before = ffmpeg_live_counts();
    {
        DiskAudio audio(0);  // as fast as the machine goes
        AudioDecoderOptions options = ahead(0.1, 50);
        options.buffer_seconds = 0.5;
        auto looping = audio.decoder(clip, options);
        wait_until([&] { return looping->ready(); });
        audio.output->set_source(looping);
        wait_until([&] { return looping->finished(); });
        CHECK(looping->stats().plays_finished == 50);
        CHECK(looping->stats().frames_played == static_cast<uint64_t>(std::llround(50 * 0.1 * kRate)));

        // Closed while playing, forever: the output lets go, the worker stops at once.
        auto endless = audio.decoder(clip, ahead(0.3, 0));
        audio.output->set_source(endless);
        wait_until([&] { return endless->started(); });
        audio.output->set_source(nullptr);
        endless.reset();
        looping.reset();
        const auto closing = std::chrono::steady_clock::now();
        audio.output.reset();
        CHECK(std::chrono::steady_clock::now() - closing < std::chrono::seconds(1));
    }
    FfmpegCounts after = ffmpeg_live_counts();
    CHECK(after.frames == before.frames);
    CHECK(after.packets == before.packets);
}

// A measurement, not run by ctest: `render_tests "[audio-bench]"`. The decoder's worker CPU
// (the process's less the pulling thread's) next to ffmpeg decoding and resampling the same clip.
TEST_CASE("audio decoder: CPU to decode and resample 20 s AAC clips", "[.][audio-bench]")
{
    AudioClips clips;
    auto cpu = [](int who) {
        rusage usage{};
        ::getrusage(who, &usage);
        return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    };
    AudioFormat format;
    format.sample_rate = kRate;
    format.channels = 2;
    format.buffer_frames = 1024;
    struct Clip {
        const char* what;
        std::string path;
    };
    const Clip inputs[] = {
        {"stereo 44.1 kHz", clips.clip("stereo.mp4", "sine=frequency=440:sample_rate=44100", 20, "aac", "-ac 2")},
        {"5.1 44.1 kHz", clips.clip("surround.mp4", "sine=frequency=440:sample_rate=44100", 20, "aac", "-ac 6")},
    };
    for (const Clip& input : inputs) {
        const long rss_before = rss_kib();
        const double process_before = cpu(RUSAGE_SELF), thread_before = cpu(RUSAGE_THREAD);
        const auto wall_start = std::chrono::steady_clock::now();
        AudioDecoderOptions options = ahead(20);
        options.buffer_seconds = 0.5;  // as played
        auto opened = AudioDecoder::open(input.path, format, options);
        REQUIRE(opened.ok());
        std::shared_ptr<AudioDecoder> decoder = *opened;
        wait_until([&] { return decoder->ready(); });
        const long rss_open = rss_kib() - rss_before;
        std::vector<float> buffer(1024 * 2);
        uint64_t device_frame = 0;
        while (!decoder->finished()) {  // the callback's part, as fast as the worker allows
            const int got = decoder->pull(buffer.data(), 1024, {std::chrono::steady_clock::now(), 1024, device_frame});
            device_frame += static_cast<uint64_t>(got);
            if (got == 0)
                std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        CHECK(decoder->stats().frames_played == 20u * kRate);
        decoder.reset();
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
        const double worker = (cpu(RUSAGE_SELF) - process_before) - (cpu(RUSAGE_THREAD) - thread_before);
        const double children_before = cpu(RUSAGE_CHILDREN);
        run_or_throw("ffmpeg -nostdin -v error -i '" + input.path + "' -vn -ar 48000 -ac 2 -f f32le -y /dev/null");
        const double ffmpeg = cpu(RUSAGE_CHILDREN) - children_before;
        WARN("20 s AAC " << input.what << " -> f32 stereo 48 kHz: worker " << worker << " CPU-s (" << wall
                         << " s wall, open included), RSS of an open decoder " << rss_open
                         << " KiB; ffmpeg -vn -ar 48000 -ac 2 -f f32le: " << ffmpeg << " CPU-s");
        CHECK(worker < 2.0);  // 10 % of real time would be far out of line
    }
}
