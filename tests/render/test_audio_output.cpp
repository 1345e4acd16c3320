// AudioOutput on SDL's disk driver, fed by simple test sources: the format it reports, silence
// without a source, crossfades instead of clicks, gapless queueing, global volume; and the two
// lock-free pieces under it, the ring and the heard clock.
#include "tests/render/audio_fixture.h"

#include <catch2/catch.hpp>

#include <atomic>

using namespace signage;
using namespace signage::testing;

namespace {

// `frames` frames of one constant value on every channel, then silence (exhausted).
class ConstantSource : public AudioSource {
public:
    ConstantSource(float value, int channels, uint64_t frames) : m_value(value), m_channels(channels), m_left(frames) {}

    int pull(float* out, int frames, const AudioPullTiming& timing) override
    {
        const int n = static_cast<int>(std::min<uint64_t>(frames, m_left.load()));
        std::fill(out, out + static_cast<size_t>(n) * m_channels, m_value);
        std::fill(out + static_cast<size_t>(n) * m_channels, out + static_cast<size_t>(frames) * m_channels, 0.0f);
        if (n > 0 && m_first_device_frame.load() < 0)
            m_first_device_frame = static_cast<int64_t>(timing.device_frame);
        m_left -= n;
        m_pulled += n;
        return n;
    }
    bool exhausted() const override { return m_left.load() == 0; }

    std::atomic<int64_t> m_first_device_frame{-1};
    std::atomic<uint64_t> m_pulled{0};

private:
    float m_value;
    int m_channels;
    std::atomic<uint64_t> m_left;
};

constexpr uint64_t kForever = UINT64_MAX / 2;

}  // namespace

TEST_CASE("audio output: float32 stereo 48 kHz on the disk driver, silence without a source", "[audio][output]")
{
    DiskAudio audio;
    const AudioFormat& format = audio.format();
    INFO(format.describe());
    CHECK(format.sample_rate == 48000);
    CHECK(format.channels == 2);
    CHECK(format.buffer_frames == 1024);
    CHECK(format.driver == "disk");
    CHECK(format.describe().find("48000 Hz, 2 channels, f32, 1024-frame buffer") == 0);
    wait_until([&] { return audio.output->stats().callbacks >= 5; });
    AudioCapture capture = audio.finish();
    CHECK(capture.frames() >= 5 * 1024);
    CHECK(capture.frames() % 1024 == 0);
    CHECK(peak(capture.samples) == 0.0f);
}

TEST_CASE("audio output: the device's own rate and channel count are accepted", "[audio][output]")
{
    AudioOutputOptions options;
    options.sample_rate = 44100;
    options.channels = 1;
    options.buffer_frames = 512;
    DiskAudio audio(1, options);
    CHECK(audio.format().sample_rate == 44100);
    CHECK(audio.format().channels == 1);
    CHECK(audio.format().buffer_frames == 512);
}

TEST_CASE("audio output: switching sources crossfades instead of clicking", "[audio][output][switch]")
{
    DiskAudio audio;
    // Two constant levels far apart: a hard switch would jump by 1.6 in one sample.
    auto high = std::make_shared<ConstantSource>(0.8f, 2, kForever);
    auto low = std::make_shared<ConstantSource>(-0.8f, 2, kForever);
    audio.output->set_source(high);
    wait_until([&] { return high->m_pulled.load() > 20000; });
    audio.output->set_source(low);
    wait_until([&] { return low->m_pulled.load() > 20000; });
    audio.output->set_source(nullptr);  // and back to silence
    const uint64_t after = audio.output->stats().frames_mixed;
    wait_until([&] { return audio.output->stats().frames_mixed > after + 4096; });
    AudioCapture capture = audio.finish();
    std::vector<float> left = capture.channel(0);

    // Each level was reached, each change took the ramp (5 ms = 240 frames), none was a step.
    CHECK(peak(left) == Approx(0.8f));
    const size_t switch_at = static_cast<size_t>(low->m_first_device_frame.load());
    CHECK(left[switch_at + 300] == Approx(-0.8f));
    CHECK(left.back() == 0.0f);
    const float ramp_step = 1.6f / 240;
    INFO("largest jump " << largest_jump(left) << ", a ramp step is " << ramp_step);
    CHECK(largest_jump(left) <= ramp_step * 1.01f);
    // The ramp really spans about 5 ms: halfway through it the two levels cancel.
    CHECK(std::fabs(left[switch_at + 119]) < 0.02f);
    CHECK(audio.output->stats().switches == 2);
}

TEST_CASE("audio output: a queued source follows the current one on the next frame", "[audio][output][gapless]")
{
    DiskAudio audio;
    auto first = std::make_shared<ConstantSource>(0.5f, 2, 3000);  // ends mid-buffer
    auto second = std::make_shared<ConstantSource>(-0.25f, 2, 5000);
    audio.output->set_source(first);
    audio.output->queue_source(second);
    wait_until([&] { return second->exhausted(); });
    AudioCapture capture = audio.finish();
    std::vector<float> left = capture.channel(0);
    const size_t start = static_cast<size_t>(first->m_first_device_frame.load());
    REQUIRE(second->m_first_device_frame.load() == static_cast<int64_t>(start + 3000));
    // No silent frame between them, no fade on the queued one.
    CHECK(left[start + 2999] == Approx(0.5f));
    CHECK(left[start + 3000] == Approx(-0.25f));
    CHECK(left[start + 7999] == Approx(-0.25f));
    CHECK(left[start + 8000] == 0.0f);
    CHECK(audio.output->stats().switches == 2);
}

TEST_CASE("audio output: global volume scales everything", "[audio][output][volume]")
{
    AudioOutputOptions options;
    options.volume = 0.5;
    DiskAudio audio(1, options);
    auto source = std::make_shared<ConstantSource>(0.8f, 2, 20000);
    audio.output->set_source(source);
    wait_until([&] { return source->exhausted(); });
    audio.output->set_volume(0.25);
    auto second = std::make_shared<ConstantSource>(0.8f, 2, 20000);
    audio.output->set_source(second);
    wait_until([&] { return second->exhausted(); });
    AudioCapture capture = audio.finish();
    std::vector<float> left = capture.channel(0);
    const size_t a = static_cast<size_t>(source->m_first_device_frame.load());
    const size_t b = static_cast<size_t>(second->m_first_device_frame.load());
    CHECK(left[a + 10000] == Approx(0.4f));
    CHECK(left[b + 10000] == Approx(0.2f));
    CHECK(audio.output->volume() == 0.25);
}

TEST_CASE("audio ring: bounded, wraps around, keeps totals", "[audio][ring]")
{
    AudioRing ring(5, 2);
    const float in[] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7};
    CHECK(ring.write(in, 7) == 5);  // never more than the capacity
    CHECK(ring.free_frames() == 0);
    float out[14] = {};
    CHECK(ring.read(out, 3, 1.0f) == 3);
    CHECK(out[0] == 1);
    CHECK(out[5] == 3);
    CHECK(ring.write(in + 10, 2) == 2);  // wraps around the end
    CHECK(ring.write(nullptr, 5) == 1);  // silence
    CHECK(ring.available() == 5);
    CHECK(ring.read(out, 10, 0.5f) == 5);
    const float expected[] = {2, 2, 2.5, 2.5, 3, 3, 3.5, 3.5, 0, 0};
    for (int i = 0; i < 10; ++i)
        CHECK(out[i] == expected[i]);
    CHECK(ring.written_total() == 8);
    CHECK(ring.read_total() == 8);
}

TEST_CASE("heard clock: a buffer is heard one latency after its callback, never past what was handed over",
          "[audio][clock]")
{
    using namespace std::chrono;
    HeardClock clock(48000);
    const auto t0 = steady_clock::now();
    CHECK(clock.heard_frame(t0) == 0);  // nothing handed over yet
    clock.record(t0, 0, 1024, 1024);
    CHECK(clock.heard_frame(t0) == 0);                                   // the device still holds older audio
    CHECK(clock.heard_frame(t0 + microseconds(21333)) == Approx(0).margin(1));
    CHECK(clock.heard_frame(t0 + microseconds(31250)) == Approx(476).margin(1));  // 10 ms into this buffer
    CHECK(clock.heard_frame(t0 + milliseconds(100)) == 1024);           // clamped: the next callback is late
    clock.record(t0 + microseconds(21333), 1024, 500, 1024);            // an underrun: 500 of 1024
    CHECK(clock.heard_frame(t0 + microseconds(51333)) == Approx(1024 + 416).margin(1));  // 30 ms after it
    CHECK(clock.heard_frame(t0 + microseconds(53083)) == Approx(1524).margin(1));
    CHECK(clock.heard_frame(t0 + seconds(1)) == 1524);
}

TEST_CASE("audio output: a switch with a fade length crossfades over that time", "[audio][output][switch]")
{
    DiskAudio audio;
    auto high = std::make_shared<ConstantSource>(0.8f, 2, kForever);
    auto low = std::make_shared<ConstantSource>(-0.8f, 2, kForever);
    audio.output->set_source(high);
    wait_until([&] { return high->m_pulled.load() > 4096; });
    audio.output->set_source(low, 0.5);  // a picture's 0.5 s crossfade: 24000 frames
    wait_until([&] { return low->m_pulled.load() > 30000; });
    AudioCapture capture = audio.finish();
    std::vector<float> left = capture.channel(0);
    const size_t at = static_cast<size_t>(low->m_first_device_frame.load());
    REQUIRE(left.size() > at + 26000);
    // The old sound goes on under the new one: a quarter in, 3/4 x 0.8 - 1/4 x 0.8 = 0.4.
    CHECK(left[at + 5999] == Approx(0.4f).margin(0.01));
    CHECK(std::fabs(left[at + 11999]) < 0.01f);  // halfway: the two cancel
    CHECK(left[at + 17999] == Approx(-0.4f).margin(0.01));
    CHECK(left[at + 24500] == Approx(-0.8f));
    const std::vector<float> fade(left.begin() + static_cast<long>(at), left.begin() + static_cast<long>(at) + 24000);
    CHECK(largest_jump(fade) <= 1.6f / 24000 * 1.01f + 1e-6f);
}
