// Audio test helpers: clips with a tiny video stream and generated sound (lavfi sine/aevalsrc)
// made at test time, an AudioOutput on SDL's disk driver whose raw output file is read back, and
// the measurements the tests make on it (onsets, frequency, peak, largest sample-to-sample jump).
//
// The disk driver (SDL 2.26 src/audio/disk) writes each callback buffer to the file and then
// sleeps SDL_DISKAUDIODELAY ms (default: one buffer's duration, i.e. real time). A small delay
// runs faster than real time with the same semantics: the same callbacks and buffers in the same
// order, only closer together. While the device is paused SDL writes silence without calling
// back, so the file starts with some pre-roll; DiskAudio::finish() cuts it off using the output's
// own count of frames mixed, so sample 0 of what it returns is the first frame of the first
// callback, and AudioDecoderStats::start_device_frame indexes into it directly.
#pragma once

#include "player/audio/audio_decoder.h"
#include "player/audio/audio_output.h"
#include "tests/render/video_fixture.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

namespace signage::testing {

struct AudioClips : VideoClips {
    // A 64x64 10 fps video stream (open_media wants one) with `audio` (a lavfi source) for
    // `seconds`, the audio encoded with `codec` ("aac", "pcm_s16le", …). The container comes from
    // the name's extension (.mp4 for AAC, .mkv for PCM).
    std::string clip(const std::string& name, const std::string& audio, double seconds,
                     const std::string& codec = "pcm_s16le", const std::string& extra = "") const
    {
        return make(name, "-f lavfi -i testsrc2=size=64x64:rate=10 -f lavfi -i \"" + audio + "\" -t " +
                              std::to_string(seconds) +
                              " -c:v libx264 -preset ultrafast -bf 0 -pix_fmt yuv420p -c:a " + codec + " " + extra);
    }

    // A 50 ms 1 kHz beep of amplitude 0.5 at every whole second, silence between.
    std::string beeps(const std::string& name, double seconds, int rate = 48000, const std::string& codec = "pcm_s16le") const
    {
        return clip(name,
                    "aevalsrc='if(lt(mod(t\\,1)\\,0.05)\\,0.5*sin(2*PI*1000*t)\\,0)':s=" + std::to_string(rate) +
                        ":d=" + std::to_string(seconds),
                    seconds, codec);
    }

    // A sine of amplitude 0.5.
    std::string sine(const std::string& name, double frequency, double seconds, int rate = 48000,
                     const std::string& codec = "pcm_s16le") const
    {
        char expression[160];
        std::snprintf(expression, sizeof expression, "aevalsrc='0.5*sin(2*PI*%g*t)':s=%d:d=%g", frequency, rate, seconds);
        return clip(name, expression, seconds, codec);
    }
};

// Interleaved float samples as the device got them.
struct AudioCapture {
    std::vector<float> samples;
    int channels = 2;
    int rate = 48000;

    size_t frames() const { return samples.size() / channels; }
    std::vector<float> channel(int c) const
    {
        std::vector<float> out(frames());
        for (size_t i = 0; i < out.size(); ++i)
            out[i] = samples[i * channels + c];
        return out;
    }
};

// An AudioOutput on SDL's disk driver writing into a scratch file.
struct DiskAudio {
    TempDir dir;
    std::string file = dir.file("out.raw");
    std::unique_ptr<AudioOutput> output;

    // delay_ms < 0: real time (SDL's default delay of one buffer's duration).
    explicit DiskAudio(int delay_ms = 1, AudioOutputOptions options = {})
    {
        ::setenv("SDL_AUDIODRIVER", "disk", 1);
        if (delay_ms >= 0)
            ::setenv("SDL_DISKAUDIODELAY", std::to_string(delay_ms).c_str(), 1);
        else
            ::unsetenv("SDL_DISKAUDIODELAY");
        options.device = file;
        auto opened = AudioOutput::open(options);
        if (!opened)
            throw std::runtime_error(opened.error().to_string());
        output = std::move(*opened);
    }

    const AudioFormat& format() const { return output->format(); }

    std::shared_ptr<AudioDecoder> decoder(const std::string& clip, AudioDecoderOptions options = {}) const
    {
        auto opened = AudioDecoder::open(clip, format(), std::move(options));
        if (!opened)
            throw std::runtime_error(opened.error().to_string());
        return *opened;
    }

    // Closes the device and reads back what the callback wrote, the paused pre-roll cut off.
    AudioCapture finish()
    {
        const AudioFormat format = output->format();
        output->close();
        const uint64_t mixed = output->stats().frames_mixed;
        std::ifstream in(file, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        AudioCapture capture;
        capture.channels = format.channels;
        capture.rate = format.sample_rate;
        const size_t frame_bytes = sizeof(float) * format.channels;
        const size_t total = bytes.size() / frame_bytes;
        if (total < mixed)
            throw std::runtime_error("the disk driver wrote fewer frames than were mixed");
        capture.samples.resize(mixed * format.channels);
        std::memcpy(capture.samples.data(), bytes.data() + (total - mixed) * frame_bytes, mixed * frame_bytes);
        return capture;
    }
};

// Waits (polling) for `done`; throws after `timeout`.
template <typename Predicate>
void wait_until(Predicate done, std::chrono::milliseconds timeout = std::chrono::seconds(20),
                const char* what = "condition")
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error(std::string("timed out waiting for ") + what);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

// Plays `decoder` from a silent output to its end; returns where its frame 0 landed.
inline uint64_t play_to_end(DiskAudio& audio, const std::shared_ptr<AudioDecoder>& decoder)
{
    wait_until([&] { return decoder->ready(); }, std::chrono::seconds(20), "the decoder to fill its buffer");
    audio.output->set_source(decoder);
    wait_until([&] { return decoder->finished(); }, std::chrono::seconds(60), "the decoder to finish");
    auto start = decoder->stats().start_device_frame;
    if (!start)
        throw std::runtime_error("finished without starting");
    return *start;
}

// Indices where |x| first exceeds `threshold` after at least `quiet` frames below it.
inline std::vector<size_t> onsets(const std::vector<float>& x, float threshold = 0.25f, size_t quiet = 4800)
{
    std::vector<size_t> out;
    bool any = false;
    size_t last_loud = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        if (std::fabs(x[i]) <= threshold)
            continue;
        if (!any || i - last_loud > quiet)
            out.push_back(i);
        any = true;
        last_loud = i;
    }
    return out;
}

// Frequency from the upward zero crossings in [from, to), interpolated between samples.
inline double frequency(const std::vector<float>& x, int rate, size_t from, size_t to)
{
    to = std::min(to, x.size());
    double first = -1, last = -1;
    long crossings = 0;
    for (size_t i = std::max<size_t>(from, 1); i < to; ++i)
        if (x[i - 1] < 0 && x[i] >= 0) {
            double at = static_cast<double>(i - 1) + x[i - 1] / (x[i - 1] - x[i]);
            if (first < 0)
                first = at;
            last = at;
            ++crossings;
        }
    return crossings > 1 ? (crossings - 1) * static_cast<double>(rate) / (last - first) : 0;
}

inline float peak(const std::vector<float>& x, size_t from = 0, size_t to = SIZE_MAX)
{
    float p = 0;
    for (size_t i = from; i < std::min(to, x.size()); ++i)
        p = std::max(p, std::fabs(x[i]));
    return p;
}

inline float largest_jump(const std::vector<float>& x, size_t from = 0, size_t to = SIZE_MAX)
{
    float jump = 0;
    for (size_t i = std::max<size_t>(from, 1); i < std::min(to, x.size()); ++i)
        jump = std::max(jump, std::fabs(x[i] - x[i - 1]));
    return jump;
}

}  // namespace signage::testing
