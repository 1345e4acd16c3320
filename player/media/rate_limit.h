// Keeps a broken file from flooding the journal: the first few messages go through, then one per
// interval, each saying how many were held back. Not thread-safe: one owner, or a lock around it.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace signage {

class RateLimit {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    explicit RateLimit(int burst = 3, std::chrono::seconds interval = std::chrono::seconds(10))
        : m_burst(burst), m_interval(interval)
    {
    }

    // nullopt: stay quiet. Otherwise log now; the value is how many were held back before it.
    std::optional<long> allow(TimePoint now = std::chrono::steady_clock::now())
    {
        if (m_sent < m_burst || now - m_last >= m_interval) {
            ++m_sent;
            m_last = now;
            long held = m_held;
            m_held = 0;
            return held;
        }
        ++m_held;
        return std::nullopt;
    }

    // " (N similar messages held back)", or "" for none.
    static std::string held_note(long held)
    {
        return held > 0 ? " (" + std::to_string(held) + " similar messages held back)" : "";
    }

private:
    int m_burst;
    std::chrono::steady_clock::duration m_interval;
    int m_sent = 0;
    long m_held = 0;
    TimePoint m_last{};
};

}  // namespace signage
