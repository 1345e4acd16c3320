// A bounded single-producer, single-consumer ring of interleaved float frames without a lock:
// the decoder thread writes, SDL's audio thread reads, and neither ever waits for the other
// (the audio callback must not block on a thread that may be inside a slow read or decode).
// Totals count frames since construction; the reader's total is also the source's timeline
// position in frames.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace signage {

class AudioRing {
public:
    AudioRing(size_t capacity_frames, int channels)
        : m_capacity(std::max<size_t>(1, capacity_frames)),
          m_channels(static_cast<size_t>(std::max(1, channels))),
          m_samples(new float[m_capacity * m_channels])
    {
    }
    AudioRing(const AudioRing&) = delete;
    AudioRing& operator=(const AudioRing&) = delete;

    size_t capacity() const { return m_capacity; }
    int channels() const { return static_cast<int>(m_channels); }

    // --- producer ---

    size_t free_frames() const
    {
        return m_capacity - static_cast<size_t>(m_written.load(std::memory_order_relaxed) -
                                                m_read.load(std::memory_order_acquire));
    }
    // Copies as many of `frames` as fit (nullptr: silence); returns how many.
    size_t write(const float* data, size_t frames)
    {
        const uint64_t written = m_written.load(std::memory_order_relaxed);
        const size_t n = std::min(frames, free_frames());
        size_t at = static_cast<size_t>(written % m_capacity);
        size_t first = std::min(n, m_capacity - at);
        copy_in(at, data, first);
        copy_in(0, data ? data + first * m_channels : nullptr, n - first);
        m_written.store(written + n, std::memory_order_release);
        return n;
    }
    uint64_t written_total() const { return m_written.load(std::memory_order_acquire); }

    // --- consumer ---

    size_t available() const
    {
        return static_cast<size_t>(m_written.load(std::memory_order_acquire) -
                                   m_read.load(std::memory_order_relaxed));
    }
    // Moves up to `frames` frames to `out`, each sample multiplied by `gain`; returns how many.
    size_t read(float* out, size_t frames, float gain)
    {
        const uint64_t read = m_read.load(std::memory_order_relaxed);
        const size_t n = std::min(frames, available());
        size_t at = static_cast<size_t>(read % m_capacity);
        size_t first = std::min(n, m_capacity - at);
        copy_out(out, at, first, gain);
        copy_out(out + first * m_channels, 0, n - first, gain);
        m_read.store(read + n, std::memory_order_release);
        return n;
    }
    uint64_t read_total() const { return m_read.load(std::memory_order_acquire); }

private:
    void copy_in(size_t at, const float* data, size_t frames)
    {
        float* to = m_samples.get() + at * m_channels;
        if (data)
            std::memcpy(to, data, frames * m_channels * sizeof(float));
        else
            std::fill(to, to + frames * m_channels, 0.0f);
    }
    void copy_out(float* out, size_t at, size_t frames, float gain) const
    {
        const float* from = m_samples.get() + at * m_channels;
        const size_t count = frames * m_channels;
        if (gain == 1.0f)
            std::memcpy(out, from, count * sizeof(float));
        else
            for (size_t i = 0; i < count; ++i)
                out[i] = from[i] * gain;
    }

    const size_t m_capacity;
    const size_t m_channels;
    std::unique_ptr<float[]> m_samples;
    // On separate cache lines: each side writes one, reads the other.
    alignas(64) std::atomic<uint64_t> m_written{0};
    alignas(64) std::atomic<uint64_t> m_read{0};
};

}  // namespace signage
