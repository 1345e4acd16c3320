#include "player/audio/audio_output.h"

#include "playlist/base/log.h"
#include "player/media/sdl_handles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace signage {

std::string AudioFormat::describe() const
{
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, "%d Hz, %d channels, f32, %d-frame buffer (%.1f ms), driver %s", sample_rate,
                  channels, buffer_frames, sample_rate > 0 ? 1000.0 * buffer_frames / sample_rate : 0.0,
                  driver.empty() ? "?" : driver.c_str());
    return buffer;
}

Result<std::unique_ptr<AudioOutput>> AudioOutput::open(AudioOutputOptions options)
{
    std::unique_ptr<AudioOutput> output(new AudioOutput(std::move(options)));
    AudioOutput& o = *output;
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
        return Error{"", 0, sdl_error("cannot start SDL audio")};
    o.m_subsystem = true;

    SDL_AudioSpec wanted = o.spec(std::clamp(o.m_options.sample_rate, 8000, 192000),
                                  std::clamp(o.m_options.channels, 1, 8),
                                  std::clamp(o.m_options.buffer_frames, 64, 8192));
    SDL_AudioSpec obtained{};
    // Rate, channels and buffer size as the device prefers them: swresample converts every file
    // to those better than SDL's own resampler would. Not the sample format: the sources mix in
    // float, and SDL's conversion of that is a cheap loop.
    const int allowed = SDL_AUDIO_ALLOW_FREQUENCY_CHANGE | SDL_AUDIO_ALLOW_CHANNELS_CHANGE | SDL_AUDIO_ALLOW_SAMPLES_CHANGE;
    o.m_device = SDL_OpenAudioDevice(o.device_name(), 0, &wanted, &obtained, allowed);
    if (o.m_device == 0)
        return Error{o.m_options.device, 0, sdl_error("cannot open the audio device")};

    AudioFormat& format = o.m_format;
    format.sample_rate = obtained.freq;
    format.channels = obtained.channels;
    format.buffer_frames = obtained.samples;
    const char* driver = SDL_GetCurrentAudioDriver();
    format.driver = driver ? driver : "";
    format.device = o.m_options.device;
    if (format.sample_rate <= 0 || format.channels <= 0 || format.buffer_frames <= 0)
        return Error{o.m_options.device, 0, "the audio device gave an unusable format: " + format.describe()};

    o.m_scratch.assign(static_cast<size_t>(format.buffer_frames) * format.channels, 0.0f);
    o.m_ramp_frames = std::max(1, static_cast<int>(std::lround(o.m_options.ramp_seconds * format.sample_rate)));
    const double volume = std::clamp(o.m_options.volume, 0.0, 1.0);
    o.m_volume = volume;
    o.m_applied_volume = static_cast<float>(volume);
    SDL_PauseAudioDevice(o.m_device, 0);
    log::debug("audio output: " + format.describe());  // the caller logs what it opened at info
    return output;
}

SDL_AudioSpec AudioOutput::spec(int sample_rate, int channels, int buffer_frames)
{
    SDL_AudioSpec wanted{};
    wanted.freq = sample_rate;
    wanted.format = AUDIO_F32SYS;
    wanted.channels = static_cast<Uint8>(channels);
    wanted.samples = static_cast<Uint16>(buffer_frames);
    wanted.callback = &AudioOutput::callback;
    wanted.userdata = this;
    return wanted;
}

const char* AudioOutput::device_name() const
{
    return m_options.device.empty() ? nullptr : m_options.device.c_str();
}

bool AudioOutput::reopen()
{
    SDL_AudioSpec wanted = spec(m_format.sample_rate, m_format.channels, m_format.buffer_frames);
    // Opened paused, so its callback waits; the lost device keeps calling ours meanwhile (the
    // pictures' clock) until it is closed, which joins its thread. No changes allowed: the
    // sources were made for this format, and SDL converts to the new device's.
    SDL_AudioDeviceID fresh = SDL_OpenAudioDevice(device_name(), 0, &wanted, nullptr, 0);
    if (fresh == 0)
        return false;
    if (m_device != 0)
        SDL_CloseAudioDevice(m_device);
    m_device = fresh;
    m_lost = false;
    SDL_PauseAudioDevice(m_device, 0);
    return true;
}

AudioOutput::~AudioOutput()
{
    close();
}

void AudioOutput::close()
{
    if (m_device != 0) {
        SDL_CloseAudioDevice(m_device);  // joins SDL's audio thread: no callback runs after this
        m_device = 0;
    }
    if (m_subsystem) {
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        m_subsystem = false;
    }
}

void AudioOutput::release_unused(std::vector<std::shared_ptr<AudioSource>>& released)
{
    auto in_use = [&](const AudioSource* s) {
        return s == m_current || s == m_fading || s == m_queued || (m_switch_requested && s == m_requested);
    };
    auto keep = std::stable_partition(m_owned.begin(), m_owned.end(), [&](const auto& s) { return in_use(s.get()); });
    std::move(keep, m_owned.end(), std::back_inserter(released));
    m_owned.erase(keep, m_owned.end());
}

void AudioOutput::set_source(std::shared_ptr<AudioSource> source, double fade_seconds)
{
    const int fade = std::max(m_ramp_frames, static_cast<int>(std::lround(std::max(0.0, fade_seconds) *
                                                                          m_format.sample_rate)));
    std::vector<std::shared_ptr<AudioSource>> released;  // destroyed after the lock, on this thread
    if (m_device)
        SDL_LockAudioDevice(m_device);
    AudioSource* raw = source.get();
    if (source && std::none_of(m_owned.begin(), m_owned.end(), [&](const auto& s) { return s.get() == raw; }))
        m_owned.push_back(std::move(source));
    m_requested = raw;
    m_requested_fade = fade;
    m_switch_requested = true;
    m_queued = nullptr;
    release_unused(released);
    if (m_device)
        SDL_UnlockAudioDevice(m_device);
}

void AudioOutput::queue_source(std::shared_ptr<AudioSource> source)
{
    std::vector<std::shared_ptr<AudioSource>> released;
    if (m_device)
        SDL_LockAudioDevice(m_device);
    AudioSource* raw = source.get();
    if (source && std::none_of(m_owned.begin(), m_owned.end(), [&](const auto& s) { return s.get() == raw; }))
        m_owned.push_back(std::move(source));
    m_queued = raw;
    release_unused(released);
    if (m_device)
        SDL_UnlockAudioDevice(m_device);
}

void AudioOutput::set_volume(double volume)
{
    m_volume = std::clamp(volume, 0.0, 1.0);
}

AudioOutputStats AudioOutput::stats() const
{
    return {m_callbacks.load(), m_frames_mixed.load(), m_switches.load()};
}

// --- SDL's audio thread ---

void SDLCALL AudioOutput::callback(void* self, Uint8* stream, int bytes)
{
    auto* output = static_cast<AudioOutput*>(self);
    const int frames = bytes / static_cast<int>(sizeof(float) * output->m_format.channels);
    output->mix(reinterpret_cast<float*>(stream), frames);
}

void AudioOutput::mix(float* out, int frames)
{
    const auto now = std::chrono::steady_clock::now();
    if (m_switch_requested) {
        if (m_requested == m_current) {
            m_switch_requested = false;
        } else if (!m_fading) {  // else the previous fade (a few ms) finishes first
            m_fading = m_current;
            m_fade_out = 0;
            m_current = m_requested;
            m_fade_in = 0;
            m_fade_frames = m_requested_fade;
            m_switch_requested = false;
            if (m_current)
                ++m_switches;
        }
    }
    if (!m_current && m_queued) {
        m_current = m_queued;
        m_queued = nullptr;
        m_fade_in = m_fade_frames;
        ++m_switches;
    }

    const int channels = m_format.channels;
    const int chunk = m_format.buffer_frames;
    const uint64_t mixed = m_frames_mixed.load(std::memory_order_relaxed);
    for (int done = 0; done < frames;) {
        const int n = std::min(frames - done, chunk);
        AudioPullTiming timing{now, m_format.buffer_frames + done, mixed + static_cast<uint64_t>(done)};
        mix_chunk(out + static_cast<size_t>(done) * channels, n, timing);
        done += n;
    }

    // Global volume, moved to its new value across this buffer rather than in one step.
    const float target = static_cast<float>(m_volume.load(std::memory_order_relaxed));
    const float start = m_applied_volume;
    for (int i = 0; i < frames; ++i) {
        const float gain = start + (target - start) * static_cast<float>(i + 1) / static_cast<float>(frames);
        for (int c = 0; c < channels; ++c) {
            float& sample = out[static_cast<size_t>(i) * channels + c];
            sample = std::clamp(sample * gain, -1.0f, 1.0f);  // a crossfade or a loud downmix may overshoot
        }
    }
    m_applied_volume = target;
    m_frames_mixed.store(mixed + static_cast<uint64_t>(frames), std::memory_order_relaxed);
    m_callbacks.fetch_add(1, std::memory_order_relaxed);
}

void AudioOutput::mix_chunk(float* out, int frames, const AudioPullTiming& timing)
{
    const int channels = m_format.channels;
    const float ramp = static_cast<float>(m_fade_frames);
    std::fill(out, out + static_cast<size_t>(frames) * channels, 0.0f);
    float* scratch = m_scratch.data();

    if (m_fading) {
        const int n = std::min(frames, m_fade_frames - m_fade_out);
        m_fading->pull(scratch, n, timing);
        for (int i = 0; i < n; ++i) {
            const float gain = 1.0f - static_cast<float>(m_fade_out + i + 1) / ramp;
            for (int c = 0; c < channels; ++c)
                out[i * channels + c] += scratch[i * channels + c] * gain;
        }
        m_fade_out += n;
        if (m_fade_out >= m_fade_frames)
            m_fading = nullptr;
    }

    int at = 0;
    while (m_current && at < frames) {
        const int wanted = frames - at;
        AudioPullTiming shifted{timing.callback_time, timing.latency_frames + at, timing.device_frame + at};
        const int got = m_current->pull(scratch, wanted, shifted);
        float* to = out + static_cast<size_t>(at) * channels;
        for (int i = 0; i < wanted; ++i) {
            float gain = 1.0f;
            if (m_fade_in < m_fade_frames)
                gain = static_cast<float>(++m_fade_in) / ramp;
            for (int c = 0; c < channels; ++c)
                to[i * channels + c] += scratch[i * channels + c] * gain;
        }
        if (got < wanted && m_queued && m_current->exhausted()) {
            // Gapless: the queued source's first frame follows the last one of the current.
            m_current = m_queued;
            m_queued = nullptr;
            m_fade_in = m_fade_frames;
            ++m_switches;
            at += got;
            continue;
        }
        break;
    }
}

}  // namespace signage
