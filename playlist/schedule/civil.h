// Calendar arithmetic and the text forms of dates and times of day, shared by the time zone and
// the schedule rules (internal to this folder). Zone-free: a reading of a clock as "local
// seconds" (day number * 86400 + second of day) is what the rules compare, and what date/tz maps
// to and from instants.
#pragma once

#include "playlist/base/wall_time.h"
#include "playlist/schedule/time_zone.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace signage::civil {

inline constexpr std::int64_t kDay = 86400;

// The instants a TimeZone reads (0001-01-01 to 9999-12-31 UTC); the rules answer kNever outside.
inline constexpr WallTime kFirstInstant = -62135596800.0;
inline constexpr WallTime kLastInstant = 253402300799.0;

inline std::int64_t floor_div(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Days since 1970-01-01. Any month and day are accepted (2021-13-01 is 2022-01-01, day 0 the
// last of the month before), so a hand-made CivilDate never leads to undefined behaviour.
std::int64_t day_number(CivilDate date);
CivilDate date_of(std::int64_t day_number);
int weekday(std::int64_t day_number);  // 0 = Monday
bool is_real_date(CivilDate date);     // month 1..12, day within that month, year 1..9999

// "YYYY-MM-DD" (shape only: digits, 4-2-2; is_real_date() says whether it exists).
bool read_date(std::string_view text, CivilDate& out);
// "H:MM", "HH:MM" or "HH:MM:SS" from 00:00 to 23:59:59, and 24:00 (= 86400) when allow_24.
bool read_time_of_day(std::string_view text, bool allow_24, int& seconds);

std::string format_date(CivilDate date);  // "2021-05-14"
// "08:00", "19:25:30" (seconds only when not zero), "24:00"; with_seconds: always "HH:MM:SS".
std::string format_time_of_day(int seconds, bool with_seconds = false);

}  // namespace signage::civil
