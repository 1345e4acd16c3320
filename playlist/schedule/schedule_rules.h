// When an item may play, written as a screen's local wall-clock time: weekdays, hours of the day
// and date ranges (Schedule), or fixed start times (FixedTimes). Both are evaluated through a
// TimeZone, so "08:00" means 08:00 on the screen's clock, summer and winter alike.
//
// Rules, evaluated by what the clock READS (the user docs quote these):
// - A window belongs to the day it starts on: "22:00-02:00" on fri is active from fri 22:00 to
//   sat 02:00, and days and dates are tested on the day the window starts. A window ends at its
//   end time (exclusive); an end at or before its start ends the next day; "24:00" ends at midnight.
// - Spring forward (the clock jumps, e.g. 02:00 -> 03:00): readings in the gap never occur. A
//   window 02:00-02:30 that day never plays; 02:30-04:00 plays from 03:00, when the gap ends.
// - Fall back (the clock repeats an hour, e.g. 01:00-02:00 twice): a window covering 01:00-01:30
//   is active during both occurrences, so it plays twice as long that night.
// - A fixed start time in a gap starts when the gap ends (the reel is late, not lost); one in the
//   repeated hour starts once, at its first occurrence.
#pragma once

#include "playlist/base/error.h"
#include "playlist/base/wall_time.h"
#include "playlist/schedule/time_zone.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace signage {

struct TimeWindow {
    int start = 0;    // seconds of day
    int end = 86400;  // end <= start: ends the next day
};

struct DateRange {
    CivilDate first;
    CivilDate last;  // inclusive
};

struct Schedule {
    std::uint8_t days = 0x7f;       // bit 0 = Monday … bit 6 = Sunday
    std::vector<TimeWindow> hours;  // empty = all day
    std::vector<DateRange> dates;   // empty = any date

    bool always() const;  // no restriction at all
    // Whether the screen's clock at t reads a time inside a window that STARTS on a listed weekday
    // and date.
    bool active(WallTime t, const TimeZone& zone) const;
    // The first instant strictly after t at which active() changes; kNever when it never does
    // within 400 days.
    WallTime next_change(WallTime t, const TimeZone& zone) const;
    // "mon-fri 08:00-12:00,22:00-02:00 2021-05-14..2021-12-31"; "always". Parts without a
    // restriction are left out.
    std::string describe() const;
};

// Parsers of what a playlist file says. The message of an Error says what is wrong and what is
// expected; the caller adds file:line. Lists are separated by commas (',', '，' or '、'); a range
// may be written with '~' or 至 instead of '-'.
// "mon-fri", "sat,sun", "fri-mon" (wraps), "mon, wed-fri", "daily"; case-insensitive; full names
// ("monday") and Chinese 周一..周日 (also 星期一..星期日, 周天/星期天) too.
Result<std::uint8_t> parse_days(std::string_view text);
// "08:00-12:00, 14:00-18:00", "22:00-02:00", "00:00-24:00"; HH:MM or HH:MM:SS. A window that
// starts and ends at the same time is an error (24 hours is "00:00-24:00").
Result<std::vector<TimeWindow>> parse_hours(std::string_view text);
// "2021-05-14..2021-12-31, 2022-01-01" (a single date is one day); real dates only (2021-02-29
// is an error, 2024-02-29 is fine); last >= first.
Result<std::vector<DateRange>> parse_dates(std::string_view text);
// "19:25, 21:55", "19:25:30": seconds of day, sorted, duplicates removed.
Result<std::vector<int>> parse_times(std::string_view text);

// Reels that start at fixed times of day (a cinema's pre-film slot) rather than play in a window.
struct FixedTimes {
    std::vector<int> times;  // seconds of day, sorted
    std::uint8_t days = 0x7f;
    std::vector<DateRange> dates;

    // The first start at or after t; kNever when none within 400 days. A time in a DST gap starts
    // when the gap ends; a doubled reading starts once, at its first instant.
    WallTime next_start(WallTime t, const TimeZone& zone) const;
    // The latest start at or before t; -kNever when none within 400 days back.
    WallTime last_start(WallTime t, const TimeZone& zone) const;
    std::string describe() const;  // "at 19:25,21:55 mon-fri"
};

}  // namespace signage
