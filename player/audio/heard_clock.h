// Which sample of a source is being heard now. SDL gives callback devices no playback position
// (SDL_GetQueuedAudioSize is for queued devices only), so each audio callback records, per source,
// when it ran (steady clock), which timeline frames it handed over and how much the device still
// held ahead of them (the latency estimate, AudioOutput's obtained buffer). Between callbacks the
// heard frame advances at the sample rate from that record:
//
//     heard(t) = first + (t − callback_time) × rate − latency,  clamped to [0, first + real]
//
// so it never runs past what was handed over (an underrun, the end) and never below zero (before
// the first sample has reached the speaker). A seqlock publishes the record: the audio thread
// never waits, readers on any thread retry in the rare case they overlap a write.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace signage {

class HeardClock {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    explicit HeardClock(int sample_rate) : m_rate(sample_rate > 0 ? sample_rate : 1) {}

    // Audio thread (one writer): `real` timeline frames starting at `first` were handed over at
    // `when`; the first of them is heard `latency` frames after `when`.
    void record(TimePoint when, uint64_t first, uint64_t real, int64_t latency)
    {
        const uint64_t seq = m_seq.load(std::memory_order_relaxed);
        m_seq.store(seq + 1, std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_release);
        m_when.store(when.time_since_epoch().count(), std::memory_order_relaxed);
        m_first.store(first, std::memory_order_relaxed);
        m_real.store(real, std::memory_order_relaxed);
        m_latency.store(latency, std::memory_order_relaxed);
        m_seq.store(seq + 2, std::memory_order_release);
    }

    // Any thread: the timeline frame heard at `now` (fractional); 0 before the first record.
    double heard_frame(TimePoint now) const
    {
        int64_t when = 0, latency = 0;
        uint64_t first = 0, real = 0;
        for (;;) {
            const uint64_t before = m_seq.load(std::memory_order_acquire);
            if (before == 0)
                return 0;
            if (before & 1)
                continue;  // a write is in progress on the audio thread: a few instructions
            when = m_when.load(std::memory_order_relaxed);
            first = m_first.load(std::memory_order_relaxed);
            real = m_real.load(std::memory_order_relaxed);
            latency = m_latency.load(std::memory_order_relaxed);
            std::atomic_thread_fence(std::memory_order_acquire);
            if (m_seq.load(std::memory_order_relaxed) == before)
                break;
        }
        const double elapsed =
            std::chrono::duration<double>(now.time_since_epoch() - TimePoint::duration(when)).count();
        const double heard = static_cast<double>(first) + elapsed * m_rate - static_cast<double>(latency);
        return std::clamp(heard, 0.0, static_cast<double>(first + real));
    }

    int sample_rate() const { return m_rate; }

private:
    const int m_rate;
    std::atomic<uint64_t> m_seq{0};
    std::atomic<int64_t> m_when{0};
    std::atomic<uint64_t> m_first{0};
    std::atomic<uint64_t> m_real{0};
    std::atomic<int64_t> m_latency{0};
};

}  // namespace signage
