// CAP date-times: xs:dateTime restricted to "YYYY-MM-DDThh:mm:ss±hh:mm". Parsed by hand because
// std::chrono's parse and strptime follow the C locale and neither insists on the offset.
#include "playlist/alerts/cap_alert.h"

#include "playlist/base/ascii.h"

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace signage {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t& y, int& m, int& d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = yoe + era * 400 + (m <= 2);
}

int days_in_month(int64_t y, int m)
{
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}

// A short, quotable copy of what the file said (cut at a UTF-8 boundary).
std::string quoted(std::string_view text)
{
    constexpr size_t kShown = 40;
    if (text.size() <= kShown)
        return "'" + std::string(text) + "'";
    size_t cut = kShown;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
    return "'" + std::string(text.substr(0, cut)) + "…'";
}

struct Cursor {
    std::string_view text;
    size_t at = 0;

    bool digits(size_t count, int& out)
    {
        out = 0;
        for (size_t i = 0; i < count; ++i, ++at) {
            if (at >= text.size() || text[at] < '0' || text[at] > '9')
                return false;
            out = out * 10 + (text[at] - '0');
        }
        return true;
    }
    bool literal(char c)
    {
        if (at >= text.size() || text[at] != c)
            return false;
        ++at;
        return true;
    }
    bool done() const { return at == text.size(); }
};

}  // namespace

Result<WallTime> parse_cap_time(std::string_view raw)
{
    std::string_view text = trim_ascii(raw);
    auto fail = [&](const char* why) {
        return Error{"", 0, "not a CAP date-time " + quoted(text) + " (" + why + ")"};
    };
    Cursor c{text};
    int year, month, day, hour, minute, second;
    if (!(c.digits(4, year) && c.literal('-') && c.digits(2, month) && c.literal('-') && c.digits(2, day)))
        return fail("the date must be written YYYY-MM-DD");
    if (!c.literal('T'))
        return fail("a 'T' and the time must follow the date");
    if (!(c.digits(2, hour) && c.literal(':') && c.digits(2, minute) && c.literal(':') && c.digits(2, second)))
        return fail("the time must be written hh:mm:ss");
    double fraction = 0;
    if (c.literal('.')) {
        double scale = 0.1;
        size_t first = c.at;
        for (; c.at < text.size() && text[c.at] >= '0' && text[c.at] <= '9'; ++c.at, scale /= 10)
            fraction += (text[c.at] - '0') * scale;
        if (c.at == first)
            return fail("a '.' must be followed by digits");
    }
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        return fail("no such day");
    if (hour > 23 || minute > 59 || second > 59)
        return fail("no such time of day");

    int offset_minutes = 0;
    if (c.done())
        return fail("no UTC offset: CAP writes one, as +08:00 or -05:00");
    if (!c.literal('Z')) {
        int sign = c.literal('+') ? 1 : c.literal('-') ? -1 : 0;
        int off_hour, off_minute;
        if (sign == 0 || !(c.digits(2, off_hour) && c.literal(':') && c.digits(2, off_minute)))
            return fail("the UTC offset must be written +hh:mm or -hh:mm");
        if (off_hour > 14 || off_minute > 59)
            return fail("no such UTC offset");
        offset_minutes = sign * (off_hour * 60 + off_minute);
    }
    if (!c.done())
        return fail("unexpected text after the UTC offset");

    int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    return static_cast<WallTime>(seconds - int64_t{offset_minutes} * 60) + fraction;
}

std::string format_cap_time(WallTime t)
{
    // Years 0000..9999, all a CAP date-time can write; beyond them the cast below would overflow.
    if (!(t >= -62167219200.0 && t < 253402300800.0))
        return t > 0 ? "never" : "always";
    const auto seconds = static_cast<int64_t>(std::floor(t));
    int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    int64_t in_day = seconds - days * 86400;
    int64_t year;
    int month, day;
    civil_from_days(days, year, month, day);
    char out[48];
    std::snprintf(out, sizeof out, "%04lld-%02d-%02dT%02d:%02d:%02d-00:00", static_cast<long long>(year), month, day,
                  static_cast<int>(in_day / 3600), static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
    return out;
}

}  // namespace signage
