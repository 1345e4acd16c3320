#include "playlist/schedule/clock_format.h"
#include "playlist/schedule/time_zone.h"

#include <catch2/catch.hpp>

using namespace signage;

namespace {

LocalTime reading(CivilDate date, int hour, int minute, int second = 0)
{
    return {date, weekday_of(date), hour * 3600 + minute * 60 + second};
}

}  // namespace

TEST_CASE("the default clock format is Chinese: 2026年12月6日 星期日 14:30", "[clock]")
{
    CHECK(format_clock(kDefaultClockFormat, reading({2026, 12, 6}, 14, 30)) == "2026年12月6日 星期日 14:30");
    CHECK(check_clock_format(kDefaultClockFormat).empty());
    CHECK(clock_period(kDefaultClockFormat) == 60);
}

TEST_CASE("a week of dates gets its Chinese weekday names, long and short", "[clock]")
{
    // 2026-11-30 is a Monday, 2026-12-06 a Sunday: weekday_of() chooses the name, as the screen's
    // clock reading does.
    const char* long_names[] = {"星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"};
    const char* short_names[] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
    for (int i = 0; i < 7; ++i) {
        CivilDate date = add_days({2026, 11, 30}, i);
        INFO(date.year << "-" << date.month << "-" << date.day);
        LocalTime time = reading(date, 9, 5);
        CHECK(time.weekday == i);
        CHECK(format_clock("%A", time) == long_names[i]);
        CHECK(format_clock("%a", time) == short_names[i]);
        CHECK(format_clock("%-m月%-d日 %a %H:%M", time) ==
              std::to_string(date.month) + "月" + std::to_string(date.day) + "日 " + short_names[i] + " 09:05");
    }
}

TEST_CASE("clock directives pad or not as written", "[clock]")
{
    LocalTime t = reading({2026, 3, 5}, 7, 8, 9);
    CHECK(format_clock("%Y-%m-%d %H:%M:%S", t) == "2026-03-05 07:08:09");
    CHECK(format_clock("%-m/%-d %-H时", t) == "3/5 7时");
    CHECK(format_clock("100%% %Y", t) == "100% 2026");
    CHECK(format_clock("", t).empty());
    LocalTime late = reading({2026, 12, 31}, 23, 59, 59);
    CHECK(format_clock("%Y年%m月%d日 %H:%M:%S", late) == "2026年12月31日 23:59:59");
    CHECK(format_clock("%-H:%M", reading({2026, 1, 1}, 0, 0)) == "0:00");
}

TEST_CASE("an unknown directive is shown as written, and refused by check_clock_format", "[clock]")
{
    LocalTime t = reading({2026, 12, 6}, 14, 30);
    CHECK(format_clock("%Q %H", t) == "%Q 14");
    CHECK(format_clock("%-q", t) == "%-q");
    CHECK(format_clock("50%", t) == "50%");
    CHECK(format_clock("%-", t) == "%-");
    CHECK(format_clock("%年%H", t) == "%年14");  // the '%' alone: a UTF-8 character is never cut

    CHECK(check_clock_format("%H:%M:%S %A %a %% %-H %-m %-d %m %d %Y").empty());
    CHECK(check_clock_format("%Y-%q") == "unknown directive \"%q\" in \"%Y-%q\" (known: %Y %m %d %-m %-d %H %-H %M "
                                         "%S %A %a %%)");
    CHECK_THAT(check_clock_format("50%"), Catch::StartsWith("unknown directive \"%\""));
    CHECK_THAT(check_clock_format("%-M"), Catch::StartsWith("unknown directive \"%-M\""));
    CHECK_THAT(check_clock_format("%年"), Catch::StartsWith("unknown directive \"%\""));
    CHECK_THAT(check_clock_format(""), Catch::Contains("got nothing"));
}

TEST_CASE("a clock showing seconds is redrawn every second, else every minute", "[clock]")
{
    CHECK(clock_period("%H:%M") == 60);
    CHECK(clock_period("%H:%M:%S") == 1);
    CHECK(clock_period("%%S") == 60);
    CHECK(clock_period("%-S") == 60);  // not a directive we know: shown as written, never changes
    CHECK(clock_period("") == 60);
}

TEST_CASE("the clock reads the screen's time zone", "[clock]")
{
    auto shanghai = TimeZone::load("Asia/Shanghai");
    REQUIRE(shanghai.ok());
    auto instant = TimeZone::utc().parse_local("2026-12-06 06:30:00");
    REQUIRE(instant.ok());
    CHECK(format_clock(kDefaultClockFormat, shanghai->local(*instant)) == "2026年12月6日 星期日 14:30");
    // Past midnight in Shanghai, still Saturday in UTC.
    auto late = TimeZone::utc().parse_local("2026-12-05 16:05:00");
    REQUIRE(late.ok());
    CHECK(format_clock(kDefaultClockFormat, shanghai->local(*late)) == "2026年12月6日 星期日 00:05");
    CHECK(format_clock(kDefaultClockFormat, TimeZone::utc().local(*late)) == "2026年12月5日 星期六 16:05");
}
