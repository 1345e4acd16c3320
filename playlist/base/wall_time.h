// Wall-clock time: what schedules, fixed slots and alerts are written in. An instant is seconds
// since the Unix epoch (UTC), as a double like every other time here; a time zone turns it into
// the reading of the screen's clock (playlist/schedule/time_zone.h).
//
// Playback itself runs on the monotonic Clock (clock.h), which NTP corrections do not move; the
// player maps one onto the other and re-reads the wall clock to notice jumps.
#pragma once

#include <chrono>
#include <limits>
#include <optional>

namespace signage {

using WallTime = double;  // seconds since 1970-01-01 00:00:00 UTC

inline constexpr WallTime kNever = std::numeric_limits<double>::infinity();

class WallClock {
public:
    virtual ~WallClock() = default;
    virtual WallTime now() const = 0;
    // The reading at an instant of playback's clock, when this clock is driven by it (play
    // --time-lapse): exact, where reading now() a moment later would be seconds off.
    virtual std::optional<WallTime> at_playback(double) const { return std::nullopt; }
};

class SystemWallClock final : public WallClock {
public:
    WallTime now() const override
    {
        return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    }
};

}  // namespace signage
