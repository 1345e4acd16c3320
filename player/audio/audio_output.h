// The player's one audio device, opened for its whole life and never closed and reopened between
// files (that stalls or fails on several backends: SDL issues #9829, #2653); every file is
// resampled to it instead. SDL's audio thread runs the callback, which mixes the current source
// and fades between sources; it outputs silence when there is none. When the config mutes the
// player (or sets volume 0) no AudioOutput is made at all, so no device is needed.
//
// Locking: the callback runs under SDL's device lock and takes no other. The render thread takes
// the device lock (SDL_LockAudioDevice) only to swap source pointers, microseconds, and sources
// read their samples from a lock-free ring, so the callback never waits for a decoder. Sources
// are destroyed on the render thread (in set_source/queue_source and the destructor), never on
// the audio thread: a decoder's destructor joins its worker.
//
// Timing: a source's samples are taken to be heard one device buffer (the obtained size) after the
// callback that handed them over; see HeardClock.
#pragma once

#include "playlist/base/error.h"
#include "player/audio/audio_source.h"

#include <SDL.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace signage {

struct AudioOutputOptions {
    std::string device;        // SDL's device name; "" = the system default (the disk driver takes a file path)
    int sample_rate = 48000;   // asked for; the device may give another rate, and sources follow it
    int channels = 2;          // asked for; likewise
    int buffer_frames = 1024;  // per callback (21 ms at 48 kHz): the clock's latency and its granularity
    double volume = 1;         // global, 0..1 ([audio] volume / 100)
    double ramp_seconds = 0.005;  // fade when set_source() switches, so a cut waveform does not click
};

struct AudioOutputStats {
    uint64_t callbacks = 0;
    uint64_t frames_mixed = 0;   // frames the callback has written, silence included
    uint64_t switches = 0;       // sources taken over by the callback (set or queued)
};

class AudioOutput {
public:
    // Starts SDL's audio subsystem and opens the device, float32 interleaved; accepts the rate,
    // channel count and buffer size the device prefers (SDL converts only the sample format).
    // The device runs (silence) from here on. Errors carry SDL's reason.
    static Result<std::unique_ptr<AudioOutput>> open(AudioOutputOptions options = {});
    ~AudioOutput();
    AudioOutput(const AudioOutput&) = delete;
    AudioOutput& operator=(const AudioOutput&) = delete;

    // What the device gave: sources are made for this (AudioDecoder::open takes it).
    const AudioFormat& format() const { return m_format; }

    // --- render thread ---

    // Switches now: the current source fades out over ramp_seconds while `source` fades in from its
    // first sample. nullptr fades to silence. Cancels a queued source. `fade_seconds` (when longer)
    // makes it a crossfade of that length, as a picture's crossfade: the old source keeps playing
    // under the new one meanwhile (a new switch waits for it to finish).
    void set_source(std::shared_ptr<AudioSource> source, double fade_seconds = 0);
    // Gapless: `source` starts on the frame after the current source's last one (when it is
    // exhausted), without a fade; at once if there is no current source. Replaces an earlier
    // queued one.
    void queue_source(std::shared_ptr<AudioSource> source);
    void set_volume(double volume);  // global, 0..1; applied smoothly over one buffer
    double volume() const { return m_volume.load(); }

    AudioOutputStats stats() const;

    // --- render thread: the device going away and coming back ---
    SDL_AudioDeviceID device_id() const { return m_device; }
    // SDL said the device went (SDL_AUDIODEVICEREMOVED: unplugged, the sound server's sink gone).
    // SDL goes on calling the callback at the device's pace, its output discarded, so the heard
    // clock and the pictures that follow it go on; only the sound is lost.
    void mark_lost() { m_lost = true; }
    bool lost() const { return m_lost; }
    // Opens the default (or named) device again, in the format the sources were made for (SDL
    // converts when the new device differs); true when it is back.
    bool reopen();

    // Stops the device (waits for a running callback) and SDL's audio subsystem; idempotent, the
    // destructor calls it. Stats stay readable. Sources stay owned until destruction.
    void close();

private:
    explicit AudioOutput(AudioOutputOptions options) : m_options(std::move(options)) {}
    // What is asked of SDL: float samples in this format, to our callback.
    SDL_AudioSpec spec(int sample_rate, int channels, int buffer_frames);
    const char* device_name() const;  // nullptr: the system default
    static void SDLCALL callback(void* self, Uint8* stream, int bytes);
    void mix(float* out, int frames);
    void mix_chunk(float* out, int frames, const AudioPullTiming& timing);
    // Device lock held: moves the sources the callback no longer points at into `released`.
    void release_unused(std::vector<std::shared_ptr<AudioSource>>& released);

    AudioOutputOptions m_options;
    AudioFormat m_format;
    SDL_AudioDeviceID m_device = 0;
    bool m_subsystem = false;
    bool m_lost = false;
    int m_ramp_frames = 1;               // the shortest fade (ramp_seconds): no click

    // Render thread, under the device lock: keeps alive every source the callback may touch.
    std::vector<std::shared_ptr<AudioSource>> m_owned;

    // Shared with the callback, under the device lock.
    AudioSource* m_requested = nullptr;  // set_source(): taken at the next callback
    bool m_switch_requested = false;
    int m_requested_fade = 1;            // frames the requested switch fades over
    AudioSource* m_queued = nullptr;     // queue_source(): taken when the current one is exhausted

    // Callback state (the device lock is held while it runs).
    AudioSource* m_current = nullptr;
    int m_fade_in = 0;                   // frames of the current source's fade-in done
    int m_fade_frames = 1;               // the length of the switch under way (both sides)
    AudioSource* m_fading = nullptr;     // the previous source, fading out
    int m_fade_out = 0;                  // frames of its fade-out done
    float m_applied_volume = 1;
    std::vector<float> m_scratch;

    std::atomic<double> m_volume{1};
    std::atomic<uint64_t> m_callbacks{0};
    std::atomic<uint64_t> m_frames_mixed{0};
    std::atomic<uint64_t> m_switches{0};
};

}  // namespace signage
