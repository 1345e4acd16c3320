// The text forms of schedules: the parsers of what a playlist file says, and describe(), which
// writes a rule back in the same words (for logs, `check` and the generated docs).
#include "playlist/base/ascii.h"
#include "playlist/schedule/civil.h"
#include "playlist/schedule/schedule_rules.h"

#include <algorithm>
#include <array>
#include <utility>

namespace signage {

namespace {

constexpr std::array<std::string_view, 7> kDayAbbreviations = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

struct DayName {
    std::string_view name;
    int day;  // 0 = Monday
};

// Compared after lower-casing ASCII; UTF-8 passes through unchanged.
constexpr DayName kDayNames[] = {
    {"mon", 0}, {"monday", 0},    {"周一", 0}, {"星期一", 0},
    {"tue", 1}, {"tues", 1},      {"tuesday", 1}, {"周二", 1}, {"星期二", 1},
    {"wed", 2}, {"wednesday", 2}, {"周三", 2}, {"星期三", 2},
    {"thu", 3}, {"thur", 3},      {"thurs", 3}, {"thursday", 3}, {"周四", 3}, {"星期四", 3},
    {"fri", 4}, {"friday", 4},    {"周五", 4}, {"星期五", 4},
    {"sat", 5}, {"saturday", 5},  {"周六", 5}, {"星期六", 5},
    {"sun", 6}, {"sunday", 6},    {"周日", 6}, {"周天", 6}, {"星期日", 6}, {"星期天", 6},
};

std::string quoted(std::string_view text)
{
    return "\"" + std::string(text) + "\"";
}

// Items between commas (ASCII ',', and the Chinese '，' and '、' an IME types), trimmed; empty
// items are dropped as split_list() does.
std::vector<std::string_view> split_items(std::string_view text)
{
    std::vector<std::string_view> items;
    std::size_t begin = 0;
    for (std::size_t i = 0; i <= text.size();) {
        std::size_t width = 0;
        if (i == text.size() || text[i] == ',')
            width = 1;
        else if (text.substr(i, 3) == "，" || text.substr(i, 3) == "、")
            width = 3;
        if (width == 0) {
            ++i;
            continue;
        }
        if (auto item = trim_ascii(text.substr(begin, i - begin)); !item.empty())
            items.push_back(item);
        i += width;
        begin = i;
    }
    return items;
}

// The two sides of "a-b" (or "a~b", "a至b"), trimmed; false when there is no separator.
bool split_range(std::string_view item, std::string_view& first, std::string_view& last)
{
    for (std::string_view separator : {"-", "~", "至"}) {
        if (auto at = item.find(separator); at != std::string_view::npos) {
            first = trim_ascii(item.substr(0, at));
            last = trim_ascii(item.substr(at + separator.size()));
            return true;
        }
    }
    return false;
}

int day_named(std::string_view text)
{
    std::string lower = lower_ascii(text);
    for (const auto& name : kDayNames)
        if (name.name == lower)
            return name.day;
    return -1;
}

Error bad_day(std::string_view text)
{
    return Error{"", 0,
                 quoted(text) + " is not a day: expected mon, tue, wed, thu, fri, sat, sun (or 周一..周日), a range "
                                "such as \"mon-fri\", a list such as \"sat,sun\", or \"daily\""};
}

std::string format_window(const TimeWindow& window)
{
    return civil::format_time_of_day(window.start) + '-' + civil::format_time_of_day(window.end);
}

std::string format_days(std::uint8_t days)
{
    days &= 0x7f;
    if (days == 0x7f)
        return "daily";
    if (days == 0)
        return "never";
    // Runs of consecutive days, a run through Sunday joined to one from Monday ("fri-mon").
    auto has = [&](int day) { return (days >> ((day % 7 + 7) % 7) & 1) != 0; };
    std::string out;
    for (int day = 0; day < 7; ++day) {
        if (!has(day) || has(day - 1))
            continue;  // not the first day of a run
        int length = 1;
        while (length < 7 && has(day + length))
            ++length;
        if (!out.empty())
            out += ',';
        out += kDayAbbreviations[day];
        if (length > 1)
            (out += length == 2 ? ',' : '-') += kDayAbbreviations[(day + length - 1) % 7];
    }
    return out;
}

std::string format_dates(const std::vector<DateRange>& dates)
{
    std::string out;
    for (const auto& range : dates) {
        if (!out.empty())
            out += ',';
        out += civil::format_date(range.first);
        if (range.last != range.first)
            out += ".." + civil::format_date(range.last);
    }
    return out;
}

void append_part(std::string& out, const std::string& part)
{
    if (!out.empty())
        out += ' ';
    out += part;
}

}  // namespace

Result<std::uint8_t> parse_days(std::string_view text)
{
    auto items = split_items(text);
    if (items.empty())
        return Error{"", 0, "no days given: expected days such as \"mon-fri\", \"sat,sun\" or \"daily\""};
    std::uint8_t days = 0;
    for (auto item : items) {
        if (equal_nocase(item, "daily") || item == "每天" || item == "每日") {
            days = 0x7f;
            continue;
        }
        std::string_view first = item, last = item;
        split_range(item, first, last);
        int from = day_named(first), to = day_named(last);
        if (from < 0)
            return bad_day(first.empty() ? item : first);
        if (to < 0)
            return bad_day(last.empty() ? item : last);
        for (int day = from;; day = (day + 1) % 7) {  // "fri-mon" wraps through the weekend
            days |= static_cast<std::uint8_t>(1u << day);
            if (day == to)
                break;
        }
    }
    return days;
}

Result<std::vector<TimeWindow>> parse_hours(std::string_view text)
{
    const std::string expected =
        "expected windows such as \"08:00-12:00, 14:00-18:00\" or \"22:00-02:00\" (HH:MM or HH:MM:SS)";
    auto items = split_items(text);
    if (items.empty())
        return Error{"", 0, "no hours given: " + expected};
    std::vector<TimeWindow> windows;
    for (auto item : items) {
        std::string_view first, last;
        if (!split_range(item, first, last))
            return Error{"", 0, quoted(item) + " is not a window: " + expected};
        TimeWindow window;
        for (auto [side, out] : {std::pair{first, &window.start}, std::pair{last, &window.end}})
            if (!civil::read_time_of_day(side, true, *out))
                return Error{"", 0,
                             quoted(side) + " in " + quoted(item) +
                                 " is not a time of day: expected HH:MM or HH:MM:SS from 00:00 to 24:00"};
        if (window.start == 86400)
            return Error{"", 0, quoted(item) + " starts at 24:00: a window starts at 00:00 to 23:59:59"};
        if (window.start == window.end)
            return Error{"", 0,
                         quoted(item) + " starts and ends at the same time: a whole day is \"00:00-24:00\"; a "
                                        "window ending the next day ends before it starts, e.g. \"22:00-02:00\""};
        windows.push_back(window);
    }
    return windows;
}

Result<std::vector<DateRange>> parse_dates(std::string_view text)
{
    const std::string expected = "expected a date \"YYYY-MM-DD\" or a range \"YYYY-MM-DD..YYYY-MM-DD\"";
    auto items = split_items(text);
    if (items.empty())
        return Error{"", 0, "no dates given: " + expected};
    std::vector<DateRange> ranges;
    for (auto item : items) {
        std::string_view first = item, last = item;
        if (auto at = item.find(".."); at != std::string_view::npos) {
            first = trim_ascii(item.substr(0, at));
            last = trim_ascii(item.substr(at + 2));
        }
        DateRange range;
        for (auto [side, out] : {std::pair{first, &range.first}, std::pair{last, &range.last}}) {
            if (!civil::read_date(side, *out))
                return Error{"", 0, quoted(side) + " is not a date: " + expected};
            if (!civil::is_real_date(*out))
                return Error{"", 0, std::string(side) + " is not a real date: " + expected};
        }
        if (range.last < range.first)
            return Error{"", 0, quoted(item) + " ends before it starts: write the earlier date first"};
        ranges.push_back(range);
    }
    return ranges;
}

Result<std::vector<int>> parse_times(std::string_view text)
{
    const std::string expected = "expected times of day such as \"19:25, 21:55\" (HH:MM or HH:MM:SS, 00:00 to 23:59:59)";
    auto items = split_items(text);
    if (items.empty())
        return Error{"", 0, "no times given: " + expected};
    std::vector<int> times;
    for (auto item : items) {
        int seconds = 0;
        if (!civil::read_time_of_day(item, false, seconds))
            return Error{"", 0, quoted(item) + " is not a time of day: " + expected};
        times.push_back(seconds);
    }
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    return times;
}

std::string Schedule::describe() const
{
    if (always())
        return "always";
    std::string out;
    if ((days & 0x7f) != 0x7f)
        append_part(out, format_days(days));
    std::string windows;
    for (const auto& window : hours)
        windows += (windows.empty() ? "" : ",") + format_window(window);
    if (!windows.empty())
        append_part(out, windows);
    if (!dates.empty())
        append_part(out, format_dates(dates));
    return out.empty() ? "always" : out;
}

std::string FixedTimes::describe() const
{
    std::string out = "at";
    for (std::size_t i = 0; i < times.size(); ++i)
        out += (i == 0 ? " " : ",") + civil::format_time_of_day(times[i]);
    if (times.empty())
        out += " no time";
    if ((days & 0x7f) != 0x7f)
        append_part(out, format_days(days));
    if (!dates.empty())
        append_part(out, format_dates(dates));
    return out;
}

}  // namespace signage
