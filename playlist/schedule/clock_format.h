// The clock and date a screen shows (a layout's clock zone), written as a strftime-like format and
// filled from a reading of the screen's clock (LocalTime, in its [screen] timezone). Our own small
// formatter rather than strftime: strftime's %A follows the process's locale (which a kiosk may not
// have installed, and which a library must not switch), and it has no unpadded month or day.
#pragma once

#include "playlist/base/values.h"
#include "playlist/schedule/time_zone.h"

#include <string>
#include <string_view>

namespace signage {

// 2026年12月6日 星期日 14:30
inline constexpr const char* kDefaultClockFormat = "%Y年%-m月%-d日 %A %H:%M";

// Directives:
//   %Y year (2026)   %m month, two digits (03)   %d day, two digits (06)   %-m %-d unpadded (3, 6)
//   %H hour 00-23    %-H unpadded (7)            %M minute (05)            %S second (09)
//   %A 星期一 … 星期日    %a 周一 … 周日             %%  a percent sign
// Everything else is copied as it is, an unknown directive too ("%Q" stays "%Q"): the screen shows
// what was written rather than nothing. check_clock_format() refuses those when the layout is read.
std::string format_clock(std::string_view format, const LocalTime& time);

// Empty when every %-directive of `format` is one of the above; else the reason, naming the first
// unknown one. An empty format is refused too (the zone would show nothing).
ValueError check_clock_format(std::string_view format);

// How often what `format` shows changes, in seconds: 1 when it shows seconds (%S), else 60. The
// renderer redraws a clock zone once per period, on the boundary of the clock's minute or second.
int clock_period(std::string_view format);

}  // namespace signage
