// The one clock playback reads: seconds since playback started. Injected everywhere, so tests
// and `render --at` set time instead of waiting for it.
#pragma once

#include <chrono>

namespace signage {

class Clock {
public:
    virtual ~Clock() = default;
    virtual double now() const = 0;
};

class SteadyClock final : public Clock {
public:
    SteadyClock() : m_start(std::chrono::steady_clock::now()) {}
    double now() const override
    {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    }

private:
    std::chrono::steady_clock::time_point m_start;
};

// Steady time run `factor` times as fast (play --time-lapse): a week of playback in minutes.
class LapseClock final : public Clock {
public:
    explicit LapseClock(double factor = 1) : m_factor(factor) {}
    double now() const override { return m_steady.now() * m_factor; }
    double factor() const { return m_factor; }

private:
    SteadyClock m_steady;
    double m_factor;
};

class ManualClock final : public Clock {
public:
    explicit ManualClock(double t = 0) : m_now(t) {}
    double now() const override { return m_now; }
    void set(double t) { m_now = t; }

private:
    double m_now;
};

}  // namespace signage
