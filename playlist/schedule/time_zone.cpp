#include "playlist/schedule/time_zone.h"

#include "playlist/base/ascii.h"
#include "playlist/schedule/civil.h"

#include <date/tz.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace signage {

namespace {

using civil::kDay;
using SysSeconds = date::sys_seconds;
using LocalSeconds = date::local_seconds;

std::int64_t whole_seconds(WallTime t)
{
    if (std::isnan(t))
        return 0;
    return static_cast<std::int64_t>(std::floor(std::clamp(t, civil::kFirstInstant, civil::kLastInstant)));
}

SysSeconds sys(std::int64_t seconds)
{
    return SysSeconds{std::chrono::seconds{seconds}};
}

std::int64_t count(SysSeconds t)
{
    return t.time_since_epoch().count();
}

LocalTime reading_to_local(std::int64_t reading)
{
    std::int64_t day = civil::floor_div(reading, kDay);
    return {civil::date_of(day), civil::weekday(day), static_cast<int>(reading - day * kDay)};
}

// The zone a TZ value or the target of /etc/localtime names: ":Asia/Shanghai" and
// "/usr/share/zoneinfo/posix/Asia/Shanghai" both name "Asia/Shanghai".
std::string zone_name_in(std::string_view text)
{
    text = trim_ascii(text);
    if (!text.empty() && text.front() == ':')
        text.remove_prefix(1);
    if (auto at = text.rfind("zoneinfo/"); at != std::string_view::npos)
        text.remove_prefix(at + 9);
    for (std::string_view tree : {"posix/", "right/"})
        if (text.substr(0, tree.size()) == tree)
            text.remove_prefix(tree.size());
    return std::string(text);
}

// The system's zone, the way the C library finds it; UTC when nothing names a zone we know (a
// POSIX rule such as TZ=CST-8 is not a zone name: its DST rules would be hand-written).
TimeZone system_zone()
{
    std::vector<std::string> names;
    if (const char* tz = std::getenv("TZ"); tz && *tz)
        names.push_back(zone_name_in(tz));
    std::error_code ignored;
    if (auto target = std::filesystem::read_symlink("/etc/localtime", ignored); !target.empty())
        names.push_back(zone_name_in(target.string()));
    std::ifstream debian("/etc/timezone");  // when /etc/localtime is a copy rather than a link
    if (std::string line; std::getline(debian, line))
        names.push_back(zone_name_in(line));
    for (const auto& name : names)
        if (!name.empty())
            if (auto zone = TimeZone::load(name))
                return *zone;
    return TimeZone::utc();
}

}  // namespace

Result<TimeZone> TimeZone::load(const std::string& name)
{
    if (name.empty())
        return system_zone();
    try {
        const date::time_zone* zone = date::locate_zone(name);
        // date/tz reads a zone's file on first use: read it now, so a damaged file is refused
        // here rather than thrown out of local() later.
        zone->get_info(sys(0));
        return TimeZone(zone, name);
    } catch (const std::exception&) {
        return Error{"", 0,
                     "unknown time zone \"" + name +
                         "\": expected an IANA name such as \"Asia/Shanghai\" or \"Europe/Berlin\" "
                         "(a file under /usr/share/zoneinfo), or nothing for the system's zone"};
    }
}

TimeZone TimeZone::utc()
{
    return TimeZone(nullptr, "UTC");
}

int TimeZone::utc_offset(WallTime t) const
{
    if (!m_zone)
        return 0;
    return static_cast<int>(m_zone->get_info(sys(whole_seconds(t))).offset.count());
}

LocalTime TimeZone::local(WallTime t) const
{
    return reading_to_local(whole_seconds(t) + utc_offset(t));
}

std::vector<WallTime> TimeZone::instants(CivilDate date, int second_of_day) const
{
    std::int64_t reading = civil::day_number(date) * kDay + second_of_day;
    if (!m_zone)
        return {static_cast<WallTime>(reading)};
    auto info = m_zone->get_info(LocalSeconds{std::chrono::seconds{reading}});
    switch (info.result) {
    case date::local_info::unique:
        return {static_cast<WallTime>(reading - info.first.offset.count())};
    case date::local_info::ambiguous:  // first: the offset before the clock fell back
        return {static_cast<WallTime>(reading - info.first.offset.count()),
                static_cast<WallTime>(reading - info.second.offset.count())};
    default:
        return {};
    }
}

WallTime TimeZone::first_instant(CivilDate date, int second_of_day) const
{
    std::int64_t reading = civil::day_number(date) * kDay + second_of_day;
    if (!m_zone)
        return static_cast<WallTime>(reading);
    auto info = m_zone->get_info(LocalSeconds{std::chrono::seconds{reading}});
    if (info.result == date::local_info::nonexistent)
        return static_cast<WallTime>(count(info.second.begin));  // the gap ends as the new offset begins
    return static_cast<WallTime>(reading - info.first.offset.count());
}

WallTime TimeZone::next_offset_change(WallTime t) const
{
    if (!m_zone || std::isnan(t) || t >= civil::kLastInstant)
        return kNever;
    std::int64_t from = whole_seconds(t);
    std::int64_t horizon = from + 731 * kDay;
    // A tz period also ends where only the abbreviation or the DST flag changes (e.g. a zone
    // renamed); the clock does not move there, so keep going until the offset does.
    auto period = m_zone->get_info(sys(from));
    while (count(period.end) <= horizon) {
        auto next = m_zone->get_info(period.end);
        if (next.offset != period.offset)
            return static_cast<WallTime>(count(period.end));
        period = next;
    }
    return kNever;
}

Result<WallTime> TimeZone::parse_local(std::string_view text) const
{
    std::string_view trimmed = trim_ascii(text);
    CivilDate date;
    int second_of_day = 0;
    // Two-digit hours only (the ':' at 13): "2021-05-14 8:00" is more likely a typo than a time.
    bool shaped = trimmed.size() >= 16 && (trimmed[10] == ' ' || trimmed[10] == 'T') && trimmed[13] == ':' &&
                  civil::read_date(trimmed.substr(0, 10), date) &&
                  civil::read_time_of_day(trimmed.substr(11), false, second_of_day);
    if (!shaped || !civil::is_real_date(date)) {
        std::string why = shaped ? "no such date" : "not a local time";
        return Error{"", 0,
                     why + " \"" + std::string(trimmed) +
                         "\": expected \"YYYY-MM-DD HH:MM\" or \"YYYY-MM-DD HH:MM:SS\" (a 'T' may replace the "
                         "space), e.g. \"2021-05-14 08:30\""};
    }
    return first_instant(date, second_of_day);
}

std::string TimeZone::format(WallTime t) const
{
    LocalTime reading = local(t);
    return civil::format_date(reading.date) + ' ' + civil::format_time_of_day(reading.second_of_day, true);
}

CivilDate add_days(CivilDate date, int days)
{
    return civil::date_of(civil::day_number(date) + days);
}

int weekday_of(CivilDate date)
{
    return civil::weekday(civil::day_number(date));
}

}  // namespace signage
