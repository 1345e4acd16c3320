// What the audio output plays from: the device's format as opened, and the interface its
// callback pulls samples through. Samples are always interleaved float32 in the device's channel
// count and rate; SDL converts them to the hardware's sample format.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace signage {

struct AudioFormat {
    int sample_rate = 0;
    int channels = 0;       // SDL's channel order (SDL_audio.h): 2 = FL FR, 6 = FL FR FC LFE SL SR, …
    int buffer_frames = 0;  // frames per callback, as SDL obtained them
    std::string driver;     // SDL's audio driver: "pulseaudio", "alsa", "disk", "dummy"
    std::string device;     // the device name asked for; "" = the system default

    // "48000 Hz, 2 channels, f32, 1024-frame buffer (21.3 ms), driver pulseaudio"
    std::string describe() const;
};

// When the samples of one pull are heard: SDL gives callback devices no playback position, so
// the output stamps each buffer with the steady clock and an estimate of what is queued ahead of
// it in the device (see AudioOutput).
struct AudioPullTiming {
    std::chrono::steady_clock::time_point callback_time;  // when SDL asked for the buffer
    int64_t latency_frames = 0;  // frames between what is heard at callback_time and the pull's first frame
    uint64_t device_frame = 0;   // index of the pull's first frame in everything the output has produced
};

class AudioSource {
public:
    virtual ~AudioSource() = default;

    // SDL's audio thread. Writes exactly `frames` frames to `out` — silence for what it does not
    // have — and returns how many were its own. Never blocks, allocates or logs.
    virtual int pull(float* out, int frames, const AudioPullTiming& timing) = 0;

    // SDL's audio thread: every frame of the source has been pulled; only silence follows. A
    // source queued behind this one starts at the next frame (gapless).
    virtual bool exhausted() const = 0;
};

}  // namespace signage
