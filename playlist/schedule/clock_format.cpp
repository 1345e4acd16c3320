#include "playlist/schedule/clock_format.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace signage {

namespace {

constexpr std::array<const char*, 7> kWeekdayLong = {"星期一", "星期二", "星期三", "星期四",
                                                     "星期五", "星期六", "星期日"};
constexpr std::array<const char*, 7> kWeekdayShort = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};

constexpr std::string_view kKnown = "%Y %m %d %-m %-d %H %-H %M %S %A %a %%";

// The directive starting at format[at] (a '%'): "%X", "%-X", or what is left when the format
// ends first ("%", "%-"). Directives are ASCII; a '%' before a multi-byte character is the '%'
// alone, so a UTF-8 sequence is never cut in two.
std::string_view directive_at(std::string_view format, size_t at)
{
    size_t length = 1;
    if (at + length < format.size() && format[at + length] == '-')
        ++length;
    if (at + length < format.size() && static_cast<unsigned char>(format[at + length]) < 0x80)
        ++length;
    return format.substr(at, length);
}

bool known(std::string_view directive)
{
    static constexpr std::string_view kList[] = {"%Y", "%m", "%d", "%-m", "%-d", "%H",
                                                 "%-H", "%M", "%S", "%A", "%a", "%%"};
    return std::find(std::begin(kList), std::end(kList), directive) != std::end(kList);
}

void append_number(std::string& out, int value, bool two_digits)
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, two_digits ? "%02d" : "%d", value);
    out += buffer;
}

}  // namespace

std::string format_clock(std::string_view format, const LocalTime& time)
{
    // A hand-made reading out of range is still shown as something, never read out of bounds.
    int second_of_day = std::clamp(time.second_of_day, 0, 86399);
    size_t weekday = static_cast<size_t>(((time.weekday % 7) + 7) % 7);
    std::string out;
    out.reserve(format.size() + 16);
    for (size_t at = 0; at < format.size();) {
        if (format[at] != '%') {
            size_t next = std::min(format.find('%', at), format.size());
            out.append(format.substr(at, next - at));
            at = next;
            continue;
        }
        std::string_view d = directive_at(format, at);
        at += d.size();
        if (d == "%Y") append_number(out, time.date.year, false);
        else if (d == "%m") append_number(out, time.date.month, true);
        else if (d == "%d") append_number(out, time.date.day, true);
        else if (d == "%-m") append_number(out, time.date.month, false);
        else if (d == "%-d") append_number(out, time.date.day, false);
        else if (d == "%H") append_number(out, second_of_day / 3600, true);
        else if (d == "%-H") append_number(out, second_of_day / 3600, false);
        else if (d == "%M") append_number(out, second_of_day / 60 % 60, true);
        else if (d == "%S") append_number(out, second_of_day % 60, true);
        else if (d == "%A") out += kWeekdayLong[weekday];
        else if (d == "%a") out += kWeekdayShort[weekday];
        else if (d == "%%") out += '%';
        else out.append(d);
    }
    return out;
}

ValueError check_clock_format(std::string_view format)
{
    if (format.empty())
        return "expected a clock format such as " + std::string(kDefaultClockFormat) + ", got nothing";
    for (size_t at = format.find('%'); at != std::string_view::npos; at = format.find('%', at)) {
        std::string_view d = directive_at(format, at);
        if (!known(d))
            return "unknown directive \"" + std::string(d) + "\" in \"" + std::string(format) + "\" (known: " +
                   std::string(kKnown) + ")";
        at += d.size();
    }
    return {};
}

int clock_period(std::string_view format)
{
    for (size_t at = format.find('%'); at != std::string_view::npos; at = format.find('%', at)) {
        std::string_view d = directive_at(format, at);
        if (d == "%S")
            return 1;
        at += d.size();
    }
    return 60;
}

}  // namespace signage
