// Feeds arbitrary bytes to the schedule parsers, which read what a playlist on the share says:
// the input's lines are the days, hours, dates and times. When all four parse, the rules they make
// are evaluated at a few instants in UTC and in New York (DST both ways). Besides crashes and
// sanitizer reports: every message is non-empty, next_change() and next_start() lie ahead of t
// (and active() does flip there), last_start() lies behind it.
#include "playlist/schedule/schedule_rules.h"
#include "playlist/schedule/time_zone.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

std::string_view next_line(std::string_view& text)
{
    auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    return line;
}

template <typename T>
bool parsed(const signage::Result<T>& result)
{
    check(result.ok() || !result.error().message.empty());
    return result.ok();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto days = signage::parse_days(next_line(text));
    auto hours = signage::parse_hours(next_line(text));
    auto dates = signage::parse_dates(next_line(text));
    auto times = signage::parse_times(next_line(text));
    if (!(parsed(days) & parsed(hours) & parsed(dates) & parsed(times)))  // & : every parser runs
        return 0;
    check(*days != 0 && !hours->empty() && !dates->empty() && !times->empty());

    signage::Schedule schedule{*days, *hours, *dates};
    signage::FixedTimes fixed{*times, *days, *dates};
    check(!schedule.describe().empty() && !fixed.describe().empty());
    static const signage::TimeZone zones[] = {signage::TimeZone::utc(),
                                              *signage::TimeZone::load("America/New_York")};
    // 2026-03-08 06:30 UTC (before New York springs forward), 2026-11-01 05:45:30.5 UTC (in its
    // first 01:00-02:00), 2024-02-29 12:00 UTC (a leap day).
    for (signage::WallTime t : {1772951400.0, 1793511930.5, 1709208000.0}) {
        for (const auto& zone : zones) {
            bool active = schedule.active(t, zone);
            signage::WallTime change = schedule.next_change(t, zone);
            check(change > t);
            if (change != signage::kNever)
                check(schedule.active(change, zone) != active && schedule.active(change - 1, zone) == active);
            signage::WallTime start = fixed.next_start(t, zone);
            check(start >= t);
            signage::WallTime last = fixed.last_start(t, zone);
            check(last <= t);
        }
    }
    return 0;
}
