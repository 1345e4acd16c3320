#include "playlist/schedule/civil.h"

#include <date/date.h>

#include <algorithm>
#include <cstdio>

namespace signage::civil {

namespace {

// date::year holds -32767..32767; these keep every sum below in range.
constexpr std::int64_t kYearLimit = 30000;
constexpr std::int64_t kDayLimit = 10'000'000;  // about 27,000 years either way

bool digits(std::string_view text, std::size_t at, std::size_t count, int& out)
{
    if (at + count > text.size())
        return false;
    out = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        out = out * 10 + (text[i] - '0');
    }
    return true;
}

}  // namespace

std::int64_t day_number(CivilDate date)
{
    std::int64_t month0 = std::int64_t{date.month} - 1;
    std::int64_t year = std::clamp<std::int64_t>(date.year + floor_div(month0, 12), -kYearLimit, kYearLimit);
    month0 -= floor_div(month0, 12) * 12;
    auto first = date::sys_days{date::year{static_cast<int>(year)} / date::month{static_cast<unsigned>(month0 + 1)} /
                                date::day{1}};
    return first.time_since_epoch().count() + std::clamp<std::int64_t>(date.day, -kDayLimit, kDayLimit) - 1;
}

CivilDate date_of(std::int64_t day_number)
{
    date::sys_days day{date::days{static_cast<int>(std::clamp(day_number, -kYearLimit * 366, kYearLimit * 366))}};
    date::year_month_day ymd{day};
    return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

int weekday(std::int64_t day_number)
{
    // 1970-01-01 was a Thursday (3 when Monday is 0).
    return static_cast<int>(day_number + 3 - floor_div(day_number + 3, 7) * 7);
}

bool is_real_date(CivilDate date)
{
    if (date.year < 1 || date.year > 9999 || date.month < 1 || date.month > 12 || date.day < 1 || date.day > 31)
        return false;
    return date::year_month_day{date::year{date.year}, date::month{static_cast<unsigned>(date.month)},
                                date::day{static_cast<unsigned>(date.day)}}
        .ok();
}

bool read_date(std::string_view text, CivilDate& out)
{
    return text.size() == 10 && text[4] == '-' && text[7] == '-' && digits(text, 0, 4, out.year) &&
           digits(text, 5, 2, out.month) && digits(text, 8, 2, out.day);
}

bool read_time_of_day(std::string_view text, bool allow_24, int& seconds)
{
    std::size_t colon = text.find(':');
    if (colon != 1 && colon != 2)
        return false;
    int hour = 0, minute = 0, second = 0;
    if (!digits(text, 0, colon, hour) || !digits(text, colon + 1, 2, minute))
        return false;
    std::size_t end = colon + 3;
    if (text.size() > end) {
        if (text[end] != ':' || text.size() != end + 3 || !digits(text, end + 1, 2, second))
            return false;
    } else if (text.size() != end) {
        return false;
    }
    if (minute > 59 || second > 59)
        return false;
    if (hour == 24 && allow_24 && minute == 0 && second == 0) {
        seconds = 86400;
        return true;
    }
    if (hour > 23)
        return false;
    seconds = hour * 3600 + minute * 60 + second;
    return true;
}

std::string format_date(CivilDate date)
{
    char text[48];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year, date.month, date.day);
    return text;
}

std::string format_time_of_day(int seconds, bool with_seconds)
{
    char text[40];
    int h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
    if (with_seconds || s != 0)
        std::snprintf(text, sizeof text, "%02d:%02d:%02d", h, m, s);
    else
        std::snprintf(text, sizeof text, "%02d:%02d", h, m);
    return text;
}

}  // namespace signage::civil
