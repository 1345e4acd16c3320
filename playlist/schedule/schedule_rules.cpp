// Evaluating schedules. Everything is decided on the clock's reading as "local seconds" (day
// number * 86400 + second of day): a window is a span of readings, and whether the clock's reading
// lies in one is all active() asks. Instants come in only through the TimeZone, which says what
// the clock reads at t and where its offset jumps.
#include "playlist/schedule/schedule_rules.h"

#include "playlist/schedule/civil.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <queue>

namespace signage {

namespace {

using civil::kDay;
constexpr std::int64_t kScanDays = 400;

// A window as readings from the start of the day it belongs to: [start, end), end > start, at most
// a day long (so it ends before the day after next begins; hand-made values are clamped to that).
struct Span {
    std::int64_t start;
    std::int64_t end;
};

bool listed(std::uint8_t days, const std::vector<DateRange>& dates, std::int64_t day)
{
    if (!(days >> civil::weekday(day) & 1))
        return false;
    if (dates.empty())
        return true;
    // Day numbers, not dates: this runs for every schedule at every slot start.
    return std::any_of(dates.begin(), dates.end(), [&](const DateRange& range) {
        return civil::day_number(range.first) <= day && day <= civil::day_number(range.last);
    });
}

bool in_range(WallTime t)
{
    return t >= civil::kFirstInstant && t <= civil::kLastInstant;  // false for NaN too
}

std::int64_t reading_at(WallTime t, const TimeZone& zone)
{
    LocalTime reading = zone.local(t);
    return civil::day_number(reading.date) * kDay + reading.second_of_day;
}

class Rules {
public:
    explicit Rules(const Schedule& schedule) : m_schedule(schedule)
    {
        if (schedule.hours.empty())
            m_spans.push_back({0, kDay});
        for (const auto& window : schedule.hours) {
            std::int64_t start = std::clamp<std::int64_t>(window.start, 0, kDay - 1);
            std::int64_t end = window.end <= window.start ? std::int64_t{window.end} + kDay : window.end;
            m_spans.push_back({start, std::clamp(end, start + 1, start + kDay)});
        }
    }

    bool listed(std::int64_t day) const { return signage::listed(m_schedule.days, m_schedule.dates, day); }

    // How many windows hold the reading (those of its own day and of the day before).
    int open_at(std::int64_t reading) const
    {
        int open = 0;
        std::int64_t today = civil::floor_div(reading, kDay);
        for (std::int64_t day = today - 1; day <= today; ++day) {
            if (!listed(day))
                continue;
            for (const auto& span : m_spans)
                open += span.start <= reading - day * kDay && reading - day * kDay < span.end;
        }
        return open;
    }

    // The first reading in (from, to] at which open_at() > 0 differs from its value at `from`.
    // Sweeps the windows' edges in order, day by day: edges of the windows of a day lie at or after
    // its midnight, so once a day's windows are queued every edge before the next midnight is known.
    std::optional<std::int64_t> next_flip(std::int64_t from, std::int64_t to) const
    {
        int open = open_at(from);
        const bool was = open > 0;
        using Edge = std::pair<std::int64_t, int>;  // reading, +1 opens a window / -1 closes one
        std::priority_queue<Edge, std::vector<Edge>, std::greater<>> edges;
        for (std::int64_t day = civil::floor_div(from, kDay) - 1; day * kDay <= to; ++day) {
            if (listed(day)) {
                for (const auto& span : m_spans) {
                    if (day * kDay + span.start > from)
                        edges.push({day * kDay + span.start, +1});
                    if (day * kDay + span.end > from)
                        edges.push({day * kDay + span.end, -1});
                }
            }
            while (!edges.empty() && edges.top().first < (day + 1) * kDay) {
                std::int64_t at = edges.top().first;
                if (at > to)
                    return std::nullopt;
                // All edges at one reading first: a window that ends where the next begins
                // ("00:00-24:00" every day) is no change.
                for (; !edges.empty() && edges.top().first == at; edges.pop())
                    open += edges.top().second;
                if ((open > 0) != was)
                    return at;
            }
        }
        return std::nullopt;
    }

private:
    const Schedule& m_schedule;
    std::vector<Span> m_spans;
};

}  // namespace

bool Schedule::always() const
{
    return days == 0x7f && hours.empty() && dates.empty();
}

bool Schedule::active(WallTime t, const TimeZone& zone) const
{
    return always() || Rules(*this).open_at(reading_at(t, zone)) > 0;
}

// Between two jumps of the UTC offset the reading advances with t, one second a second, so there
// the first change is the first window edge after the reading (Rules::next_flip). At a jump the
// reading leaps (forward over a gap, back into a doubled hour), and active() may flip right there.
WallTime Schedule::next_change(WallTime t, const TimeZone& zone) const
{
    if (always() || !in_range(t))
        return kNever;
    const Rules rules(*this);
    const bool was = rules.open_at(reading_at(t, zone)) > 0;
    const WallTime horizon = t + static_cast<WallTime>(kScanDays * kDay);
    auto from = static_cast<std::int64_t>(std::floor(t));
    for (;;) {
        const std::int64_t offset = zone.utc_offset(static_cast<WallTime>(from));
        const WallTime jump = zone.next_offset_change(static_cast<WallTime>(from));
        const auto last = static_cast<std::int64_t>(std::floor(std::min(jump - 1, horizon)));
        if (auto flip = rules.next_flip(from + offset, last + offset))
            return static_cast<WallTime>(*flip - offset);
        if (jump > horizon)
            return kNever;
        if ((rules.open_at(reading_at(jump, zone)) > 0) != was)
            return jump;
        from = static_cast<std::int64_t>(jump);
    }
}

// Starts are first_instant() of each listed day's times, which never decreases as the reading
// grows, so the first day with a start at or after t holds the answer (and backwards alike).
WallTime FixedTimes::next_start(WallTime t, const TimeZone& zone) const
{
    if (times.empty() || !in_range(t))
        return kNever;
    const WallTime horizon = t + static_cast<WallTime>(kScanDays * kDay);
    const std::int64_t today = civil::day_number(zone.local(t).date);
    for (std::int64_t day = today - 1; day <= today + kScanDays + 1; ++day) {
        if (!listed(days, dates, day))
            continue;
        WallTime best = kNever;
        for (int time : times)
            if (WallTime start = zone.first_instant(civil::date_of(day), time); start >= t)
                best = std::min(best, start);
        if (best != kNever)
            return best <= horizon ? best : kNever;
    }
    return kNever;
}

WallTime FixedTimes::last_start(WallTime t, const TimeZone& zone) const
{
    if (times.empty() || !in_range(t))
        return -kNever;
    const WallTime horizon = t - static_cast<WallTime>(kScanDays * kDay);
    const std::int64_t today = civil::day_number(zone.local(t).date);
    for (std::int64_t day = today + 1; day >= today - kScanDays - 1; --day) {
        if (!listed(days, dates, day))
            continue;
        WallTime best = -kNever;
        for (int time : times)
            if (WallTime start = zone.first_instant(civil::date_of(day), time); start <= t)
                best = std::max(best, start);
        if (best != -kNever)
            return best >= horizon ? best : -kNever;
    }
    return -kNever;
}

}  // namespace signage
