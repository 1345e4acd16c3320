// A screen's time zone: turns an instant (WallTime, UTC) into what the screen's clock reads and
// back. Every zone and daylight-saving question goes to Howard Hinnant's date/tz, which reads the
// operating system's tz database (/usr/share/zoneinfo, Debian's tzdata): rules change by decree
// every year somewhere, and a hand-written DST rule would be wrong the day one does.
//
// The tz files list transitions up to 2037; after the last one the last offset holds (date/tz does
// not extrapolate the files' POSIX rule), so a DST zone stays on standard time from 2038.
#pragma once

#include "playlist/base/error.h"
#include "playlist/base/wall_time.h"

#include <string>
#include <string_view>
#include <vector>

namespace date {
class time_zone;
}

namespace signage {

struct CivilDate {
    int year = 1970;
    int month = 1;
    int day = 1;
    auto operator<=>(const CivilDate&) const = default;
};

// A reading of the screen's clock.
struct LocalTime {
    CivilDate date;
    int weekday = 0;        // 0 = Monday … 6 = Sunday
    int second_of_day = 0;  // 0..86399
};

// Instants are read to the whole second (floored); those outside the years 1..9999 are read as
// the nearest end of that range.
class TimeZone {
public:
    // "" = the system's zone (TZ environment variable, else /etc/localtime; UTC when neither names a
    // zone), else an IANA name ("Asia/Shanghai"). Unknown name: Error whose message names it.
    static Result<TimeZone> load(const std::string& name);
    static TimeZone utc();

    // As loaded; for "" the zone found ("Europe/Berlin"), "UTC" when none was.
    const std::string& name() const { return m_name; }

    LocalTime local(WallTime t) const;  // what the screen's clock reads at t
    int utc_offset(WallTime t) const;   // seconds east of UTC at t

    // The first instant the clock reads second_of_day on date. In a DST gap (that reading never
    // occurs) the instant the gap ends. second_of_day may be 86400 (= next day 00:00).
    WallTime first_instant(CivilDate date, int second_of_day) const;
    // Every instant the clock reads it: 1 normally, 2 in a doubled (fall-back) hour, 0 in a gap.
    std::vector<WallTime> instants(CivilDate date, int second_of_day) const;
    // The next UTC-offset change strictly after t; kNever when none in the next 2 years. A change of
    // only the zone's abbreviation or DST flag (same offset) is no change: the clock does not move.
    WallTime next_offset_change(WallTime t) const;

    // "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS" (also 'T' instead of the space) read as local
    // time: first_instant(). The error message says what was expected.
    Result<WallTime> parse_local(std::string_view text) const;
    std::string format(WallTime t) const;  // "YYYY-MM-DD HH:MM:SS" local, seconds floored

private:
    TimeZone(const date::time_zone* zone, std::string name) : m_zone(zone), m_name(std::move(name)) {}

    const date::time_zone* m_zone;  // nullptr = UTC, answered without the tz database
    std::string m_name;
};

CivilDate add_days(CivilDate date, int days);
int weekday_of(CivilDate date);  // 0 = Monday

}  // namespace signage
