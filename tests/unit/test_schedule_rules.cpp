// Schedules in local wall-clock time: windows across midnight, both DST change days in New York
// and Berlin, a zone without DST, leap days, date-range edges, next_change() against a
// second-by-second scan, fixed start times, the parsers and their messages, the time zone itself.
#include "playlist/schedule/schedule_rules.h"
#include "playlist/schedule/time_zone.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>

using namespace signage;

namespace {

TimeZone zone(const std::string& name)
{
    auto loaded = TimeZone::load(name);
    REQUIRE(loaded.ok());
    return *loaded;
}

// An instant written as UTC: DST tests name the exact instant, not a local reading that may occur
// twice or never.
WallTime utc(const char* text)
{
    auto t = TimeZone::utc().parse_local(text);
    REQUIRE(t.ok());
    return *t;
}

Schedule schedule(const char* days, const char* hours, const char* dates)
{
    Schedule s;
    if (*days)
        s.days = *parse_days(days);
    if (*hours)
        s.hours = *parse_hours(hours);
    if (*dates)
        s.dates = *parse_dates(dates);
    return s;
}

}  // namespace

TEST_CASE("a window belongs to the day it starts on, and days, dates and DST are read off the clock", "[schedule]")
{
    struct Row {
        const char* zone;
        const char* days;
        const char* hours;
        const char* dates;
        const char* at_utc;  // the instant tested
        bool active;
        const char* why;
    };
    const Row rows[] = {
        // 2026-01-02 is a Friday.
        {"UTC", "fri", "22:00-02:00", "", "2026-01-02 22:00", true, "fri 22:00 opens it"},
        {"UTC", "fri", "22:00-02:00", "", "2026-01-02 21:59:59", false, "a second early"},
        {"UTC", "fri", "22:00-02:00", "", "2026-01-03 01:00", true, "sat 01:00 is still friday's window"},
        {"UTC", "fri", "22:00-02:00", "", "2026-01-03 02:00", false, "the end is exclusive"},
        {"UTC", "fri", "22:00-02:00", "", "2026-01-03 22:30", false, "saturday is not listed"},
        {"UTC", "fri", "22:00-02:00", "", "2026-01-02 01:00", false, "fri 01:00 belongs to thursday"},
        {"UTC", "", "00:00-24:00", "", "2026-01-03 23:59:59", true, "24:00 ends at midnight"},
        {"UTC", "sat,sun", "", "", "2026-01-05 00:00", false, "monday"},
        // New York springs forward on 2026-03-08: 02:00 EST (07:00 UTC) reads 03:00 EDT.
        {"America/New_York", "", "02:00-02:30", "", "2026-03-08 06:59:59", false, "01:59:59 EST"},
        {"America/New_York", "", "02:00-02:30", "", "2026-03-08 07:00", false, "the gap is skipped"},
        {"America/New_York", "", "02:00-02:30", "", "2026-03-09 06:10", true, "02:10 EDT the next day"},
        {"America/New_York", "", "02:30-04:00", "", "2026-03-08 06:59:59", false, "01:59:59 EST"},
        {"America/New_York", "", "02:30-04:00", "", "2026-03-08 07:00", true, "plays from the gap's end"},
        {"America/New_York", "", "02:30-04:00", "", "2026-03-08 07:59:59", true, "03:59:59 EDT"},
        {"America/New_York", "", "02:30-04:00", "", "2026-03-08 08:00", false, "04:00 EDT"},
        // ... and falls back on 2026-11-01: 01:00-02:00 is read from 05:00 to 07:00 UTC, twice.
        {"America/New_York", "", "01:00-01:30", "", "2026-11-01 05:10", true, "01:10 EDT"},
        {"America/New_York", "", "01:00-01:30", "", "2026-11-01 05:40", false, "01:40 EDT"},
        {"America/New_York", "", "01:00-01:30", "", "2026-11-01 06:10", true, "01:10 EST, again"},
        {"America/New_York", "", "01:00-01:30", "", "2026-11-01 06:40", false, "01:40 EST"},
        {"America/New_York", "sun", "23:00-01:30", "", "2026-11-02 06:10", true, "sun's window runs to 01:30 EST"},
        // Berlin: 2026-03-29 02:00 CET (01:00 UTC) reads 03:00 CEST; 2026-10-25 03:00 CEST reads 02:00 CET.
        {"Europe/Berlin", "", "02:00-03:00", "", "2026-03-29 00:59:59", false, "01:59:59 CET"},
        {"Europe/Berlin", "", "02:00-03:00", "", "2026-03-29 01:00", false, "03:00 CEST: the window never came"},
        {"Europe/Berlin", "", "02:15-03:15", "", "2026-03-29 01:00", true, "03:00 CEST, from the gap's end"},
        {"Europe/Berlin", "", "02:15-03:15", "", "2026-03-29 01:15", false, "03:15 CEST"},
        {"Europe/Berlin", "sun", "08:00-09:00", "", "2026-03-29 06:30", true, "08:30 CEST"},
        {"Europe/Berlin", "", "02:00-02:30", "", "2026-10-25 00:10", true, "02:10 CEST"},
        {"Europe/Berlin", "", "02:00-02:30", "", "2026-10-25 00:40", false, "02:40 CEST"},
        {"Europe/Berlin", "", "02:00-02:30", "", "2026-10-25 01:10", true, "02:10 CET, again"},
        {"Europe/Berlin", "", "02:00-02:30", "", "2026-10-25 01:30", false, "02:30 CET"},
        // Shanghai: +8 all year.
        {"Asia/Shanghai", "mon-fri", "08:00-18:00", "", "2026-06-15 00:00", true, "monday 08:00"},
        {"Asia/Shanghai", "mon-fri", "08:00-18:00", "", "2026-06-14 23:59:59", false, "monday 07:59:59"},
        {"Asia/Shanghai", "mon-fri", "08:00-18:00", "", "2026-06-15 10:00", false, "monday 18:00"},
        {"Asia/Shanghai", "周六,周日", "", "", "2026-06-13 16:00", true, "sunday 00:00"},
        // Leap days and date ranges (edges inclusive, a window belongs to its start date).
        {"UTC", "", "", "2024-02-29", "2024-02-29 12:00", true, "the leap day"},
        {"UTC", "", "", "2024-02-29", "2024-02-28 23:59:59", false, "the day before"},
        {"UTC", "", "", "2024-02-29", "2024-03-01 00:00", false, "the day after"},
        {"UTC", "", "", "2024-02-28..2024-03-01", "2024-02-29 00:00", true, "inside a range"},
        {"UTC", "", "22:00-02:00", "2021-05-14..2021-12-31", "2021-05-14 22:00", true, "the first date"},
        {"UTC", "", "22:00-02:00", "2021-05-14..2021-12-31", "2021-05-14 01:00", false, "the 13th's window"},
        {"UTC", "", "22:00-02:00", "2021-05-14..2021-12-31", "2022-01-01 01:00", true, "out of the last date"},
        {"UTC", "", "22:00-02:00", "2021-05-14..2021-12-31", "2022-01-01 02:00", false, "its end"},
        {"UTC", "", "22:00-02:00", "2021-05-14..2021-12-31", "2022-01-01 22:00", false, "after the range"},
    };
    for (const auto& row : rows) {
        INFO(row.zone << " " << row.days << " " << row.hours << " " << row.dates << " at " << row.at_utc << " UTC: "
                      << row.why);
        CHECK(schedule(row.days, row.hours, row.dates).active(utc(row.at_utc), zone(row.zone)) == row.active);
    }
}

TEST_CASE("next_change is the first second at which active() differs, DST days included", "[schedule]")
{
    struct Case {
        const char* zone;
        const char* from_utc;  // two days are scanned from here
    };
    const Case days[] = {
        {"America/New_York", "2026-03-07 12:00"}, {"America/New_York", "2026-10-31 12:00"},
        {"Europe/Berlin", "2026-03-28 12:00"},    {"Europe/Berlin", "2026-10-24 12:00"},
        {"Asia/Shanghai", "2024-02-28 12:00"},    {"UTC", "2021-12-30 12:00"},
    };
    const Schedule schedules[] = {
        schedule("", "01:00-01:30", ""),
        schedule("", "02:00-02:30,02:30-04:00", ""),
        schedule("sat,sun", "22:00-02:00", ""),
        schedule("sun", "00:00-24:00", ""),
        schedule("", "08:00-12:00,11:00-13:00,23:59:59-00:00:01", "2021-12-31..2022-01-01, 2024-02-29, 2026-03-08,"
                                                                  "2026-03-29, 2026-10-25, 2026-11-01"),
        schedule("mon,sat", "", "2020-01-01..2030-12-31"),
    };
    constexpr int kSpan = 2 * 86400;
    for (const auto& day : days) {
        const TimeZone tz = zone(day.zone);
        const WallTime start = utc(day.from_utc);
        int flips = 0;  // the scan must see changes, or it proves little
        for (const auto& s : schedules) {
            INFO(day.zone << " from " << day.from_utc << " UTC: " << s.describe());
            // next[i]: the first second after start + i at which active() differs from there.
            std::vector<bool> active(kSpan + 1);
            for (int i = 0; i <= kSpan; ++i)
                active[i] = s.active(start + i, tz);
            std::vector<std::optional<int>> next(kSpan + 1);
            for (int i = kSpan - 1; i >= 0; --i)
                next[i] = active[i + 1] != active[i] ? std::optional<int>(i + 1) : next[i + 1];
            for (int i = 0; i < kSpan; ++i) {
                bool edge = i > 0 && active[i] != active[i - 1];
                flips += edge;
                if (!edge && i % 601 != 0 && !(i + 1 < kSpan && active[i + 1] != active[i]))
                    continue;  // every flip, the second before it, and a sample in between
                WallTime got = s.next_change(start + i, tz);
                INFO("at " << tz.format(start + i) << " next_change says " << tz.format(got));
                if (next[i])
                    REQUIRE(got == start + *next[i]);
                else
                    REQUIRE(got > start + kSpan);
                REQUIRE(s.next_change(start + i + 0.5, tz) == got);  // the same second
            }
        }
        CHECK(flips > 10);
    }
}

TEST_CASE("next_change looks 400 days ahead, and never changes what has no restriction", "[schedule]")
{
    const TimeZone ny = zone("America/New_York");
    const WallTime t = utc("2026-01-01 00:00");
    CHECK(Schedule{}.always());
    CHECK(Schedule{}.active(t, ny));
    CHECK(Schedule{}.next_change(t, ny) == kNever);
    CHECK(schedule("", "", "2020-01-01..2020-12-31").next_change(t, ny) == kNever);  // over, never again
    CHECK(schedule("", "", "2027-01-15").next_change(t, ny) == *ny.parse_local("2027-01-15 00:00"));
    CHECK(schedule("", "", "2027-03-15..2027-03-16").next_change(t, ny) == kNever);  // 438 days away
    // Active from now to the end of the range: the change is the range's end, 300 days on.
    auto s = schedule("", "", "2025-06-01..2026-10-27");
    CHECK(s.active(t, ny));
    CHECK(s.next_change(t, ny) == *ny.parse_local("2026-10-28 00:00"));
    // Whole days back to back never change.
    CHECK(schedule("", "00:00-24:00", "").next_change(t, ny) == kNever);
}

TEST_CASE("fixed times start when the gap ends and once in a doubled hour", "[schedule]")
{
    const TimeZone ny = zone("America/New_York");
    FixedTimes reel{*parse_times("09:00, 02:30"), 0x7f, {}};
    CHECK(reel.times == std::vector<int>{2 * 3600 + 1800, 9 * 3600});
    struct Row {
        const char* times;
        const char* days;
        const char* at_utc;
        const char* next_utc;  // "" = kNever
        const char* last_utc;  // "" = -kNever
        const char* why;
    };
    const Row rows[] = {
        {"02:30, 09:00", "", "2026-03-08 06:00", "2026-03-08 07:00", "2026-03-07 14:00", "02:30 in the gap: 03:00 EDT"},
        {"02:30, 09:00", "", "2026-03-08 07:00", "2026-03-08 07:00", "2026-03-08 07:00", "at the start itself"},
        {"02:30, 09:00", "", "2026-03-08 07:00:01", "2026-03-08 13:00", "2026-03-08 07:00", "09:00 EDT next"},
        {"01:30", "", "2026-11-01 04:00", "2026-11-01 05:30", "2026-10-31 05:30", "01:30 EDT, the first"},
        {"01:30", "", "2026-11-01 05:30:01", "2026-11-02 06:30", "2026-11-01 05:30", "not again at 01:30 EST"},
        {"01:30", "", "2026-11-01 06:45", "2026-11-02 06:30", "2026-11-01 05:30", "in the second 01:30"},
        {"19:25, 21:55", "mon-fri", "2026-01-03 12:00", "2026-01-06 00:25", "2026-01-03 02:55", "the weekend"},
    };
    for (const auto& row : rows) {
        INFO(row.times << " " << row.days << " at " << row.at_utc << " UTC: " << row.why);
        FixedTimes fixed{*parse_times(row.times), static_cast<std::uint8_t>(*row.days ? *parse_days(row.days) : 0x7f),
                         {}};
        CHECK(fixed.next_start(utc(row.at_utc), ny) == (*row.next_utc ? utc(row.next_utc) : kNever));
        CHECK(fixed.last_start(utc(row.at_utc), ny) == (*row.last_utc ? utc(row.last_utc) : -kNever));
    }
    FixedTimes past{{3600}, 0x7f, *parse_dates("2020-01-01..2020-12-31")};
    CHECK(past.next_start(utc("2026-01-01 00:00"), ny) == kNever);
    CHECK(past.last_start(utc("2026-01-01 00:00"), ny) == -kNever);
    CHECK(past.last_start(utc("2021-01-01 00:00"), ny) == utc("2020-12-31 06:00"));
    CHECK(FixedTimes{{19 * 3600 + 25 * 60, 21 * 3600 + 55 * 60}, 0x1f, {}}.describe() == "at 19:25,21:55 mon-fri");
}

TEST_CASE("the parsers read days, hours, dates and times", "[schedule]")
{
    struct Days {
        const char* text;
        unsigned days;
    };
    for (auto [text, days] : {Days{"mon-fri", 0x1f}, Days{"sat,sun", 0x60}, Days{"fri-mon", 0x71},
                              Days{"mon, wed-fri", 0x1d}, Days{"daily", 0x7f}, Days{"SAT, Sunday", 0x60},
                              Days{"周一至周五", 0x1f}, Days{"周六、周日", 0x60}, Days{"sun-sun", 0x40}}) {
        INFO(text);
        auto parsed = parse_days(text);
        REQUIRE(parsed.ok());
        CHECK(*parsed == days);
    }
    auto hours = parse_hours("08:00-12:00, 14:00-18:00,22:00-02:00 , 00:00-24:00,07:30:15-07:45");
    REQUIRE(hours.ok());
    REQUIRE(hours->size() == 5);
    CHECK((*hours)[2].start == 22 * 3600);
    CHECK((*hours)[2].end == 2 * 3600);
    CHECK((*hours)[3].end == 86400);
    CHECK((*hours)[4].start == 7 * 3600 + 30 * 60 + 15);
    auto dates = parse_dates("2021-05-14..2021-12-31, 2022-01-01, 2024-02-29");
    REQUIRE(dates.ok());
    REQUIRE(dates->size() == 3);
    CHECK((*dates)[0].last == CivilDate{2021, 12, 31});
    CHECK(((*dates)[1].first == CivilDate{2022, 1, 1} && (*dates)[1].last == CivilDate{2022, 1, 1}));
    auto times = parse_times("21:55, 19:25, 19:25:30, 21:55");
    REQUIRE(times.ok());
    CHECK(*times == std::vector<int>{19 * 3600 + 25 * 60, 19 * 3600 + 25 * 60 + 30, 21 * 3600 + 55 * 60});
}

TEST_CASE("parse errors say what is wrong and what is expected", "[schedule]")
{
    struct Row {
        const char* parser;
        const char* text;
        std::vector<const char*> says;
    };
    const Row rows[] = {
        {"days", "", {"no days", "mon-fri"}},
        {"days", "mon-fry", {"\"fry\" is not a day", "mon, tue"}},
        {"days", "weekend", {"\"weekend\"", "daily"}},
        {"hours", "08:00", {"\"08:00\" is not a window", "08:00-12:00"}},
        {"hours", "08:00-08:00", {"same time", "00:00-24:00"}},
        {"hours", "25:00-26:00", {"\"25:00\"", "not a time of day", "HH:MM"}},
        {"hours", "24:00-02:00", {"starts at 24:00"}},
        {"hours", "8am-noon", {"\"8am\"", "HH:MM"}},
        {"dates", "2023-02-29", {"2023-02-29 is not a real date", "YYYY-MM-DD"}},
        {"dates", "2021-13-01", {"not a real date"}},
        {"dates", "2021/05/14", {"\"2021/05/14\" is not a date", "YYYY-MM-DD..YYYY-MM-DD"}},
        {"dates", "2021-12-31..2021-05-14", {"ends before it starts"}},
        {"times", "19:60", {"\"19:60\" is not a time of day", "19:25"}},
        {"times", "24:00", {"not a time of day", "23:59:59"}},
        {"times", " , ", {"no times"}},
    };
    for (const auto& row : rows) {
        INFO(row.parser << ": \"" << row.text << "\"");
        std::string parser = row.parser;
        std::optional<Error> error;
        if (parser == "days" && !parse_days(row.text).ok())
            error = parse_days(row.text).error();
        if (parser == "hours" && !parse_hours(row.text).ok())
            error = parse_hours(row.text).error();
        if (parser == "dates" && !parse_dates(row.text).ok())
            error = parse_dates(row.text).error();
        if (parser == "times" && !parse_times(row.text).ok())
            error = parse_times(row.text).error();
        REQUIRE(error);
        INFO(error->message);
        CHECK(error->file.empty());
        CHECK(error->line == 0);
        for (const char* words : row.says)
            CHECK(error->message.find(words) != std::string::npos);
    }
}

TEST_CASE("describe writes a rule back in the parsers' words", "[schedule]")
{
    CHECK(Schedule{}.describe() == "always");
    CHECK(schedule("mon-fri", "08:00-12:00,22:00-02:00", "2021-05-14..2021-12-31").describe() ==
          "mon-fri 08:00-12:00,22:00-02:00 2021-05-14..2021-12-31");
    CHECK(schedule("fri-mon", "", "").describe() == "fri-mon");
    CHECK(schedule("mon, wed-fri, sun", "07:30:15-24:00", "2024-02-29").describe() == "wed-fri,sun,mon 07:30:15-24:00 2024-02-29");
    CHECK(schedule("sat,sun", "", "").describe() == "sat,sun");
    for (const char* days : {"mon-fri", "sat,sun", "fri-mon", "tue,thu,sat", "wed-fri,sun,mon", "daily"}) {
        FixedTimes fixed{{3600}, *parse_days(days), {}};
        std::string text = fixed.describe();
        INFO(text);
        std::string written = text.size() > 8 ? text.substr(9) : "daily";
        CHECK(*parse_days(written) == *parse_days(days));
    }
}

TEST_CASE("time zones: load, offsets, readings that occur twice or never, local text", "[schedule]")
{
    auto unknown = TimeZone::load("Mars/Olympus_Mons");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().message.find("\"Mars/Olympus_Mons\"") != std::string::npos);
    CHECK(unknown.error().message.find("Asia/Shanghai") != std::string::npos);

    // "" is the system's zone: TZ first (with or without the leading ':').
    const char* saved = std::getenv("TZ");
    std::string saved_tz = saved ? saved : "";
    setenv("TZ", ":Asia/Shanghai", 1);
    CHECK(zone("").name() == "Asia/Shanghai");
    setenv("TZ", "CST-8", 1);  // a POSIX rule, not a zone: the system's zone file, else UTC
    CHECK(TimeZone::load("").ok());
    saved ? setenv("TZ", saved_tz.c_str(), 1) : unsetenv("TZ");

    const TimeZone ny = zone("America/New_York"), berlin = zone("Europe/Berlin"), shanghai = zone("Asia/Shanghai");
    CHECK(ny.name() == "America/New_York");
    CHECK(ny.utc_offset(utc("2026-07-01 00:00")) == -4 * 3600);
    CHECK(ny.utc_offset(utc("2026-12-01 00:00")) == -5 * 3600);
    CHECK(berlin.utc_offset(utc("2026-07-01 00:00")) == 2 * 3600);
    CHECK(shanghai.utc_offset(utc("2026-07-01 00:00")) == 8 * 3600);
    CHECK(shanghai.next_offset_change(utc("2026-01-01 00:00")) == kNever);
    CHECK(TimeZone::utc().next_offset_change(0) == kNever);
    CHECK(ny.next_offset_change(utc("2026-01-01 00:00")) == utc("2026-03-08 07:00"));
    CHECK(ny.next_offset_change(utc("2026-03-08 07:00")) == utc("2026-11-01 06:00"));  // strictly after
    CHECK(berlin.next_offset_change(utc("2026-03-29 00:59:59") + 0.5) == utc("2026-03-29 01:00"));

    LocalTime reading = shanghai.local(utc("2024-02-28 16:00:30") + 0.9);
    CHECK(reading.date == CivilDate{2024, 2, 29});
    CHECK(reading.weekday == 3);  // a Thursday
    CHECK(reading.second_of_day == 30);

    CHECK(ny.instants({2026, 11, 1}, 5400) == std::vector<WallTime>{utc("2026-11-01 05:30"), utc("2026-11-01 06:30")});
    CHECK(ny.instants({2026, 3, 8}, 9000).empty());
    CHECK(ny.instants({2026, 3, 8}, 10800) == std::vector<WallTime>{utc("2026-03-08 07:00")});
    CHECK(ny.first_instant({2026, 3, 8}, 9000) == utc("2026-03-08 07:00"));
    CHECK(ny.first_instant({2026, 3, 7}, 86400) == utc("2026-03-08 05:00"));

    struct Text {
        const char* zone;
        const char* local;
        const char* at_utc;
        const char* formatted;
    };
    for (auto [name, local, at_utc, formatted] : {
             Text{"America/New_York", "2026-03-08 02:30", "2026-03-08 07:00", "2026-03-08 03:00:00"},
             Text{"America/New_York", "2026-11-01T01:30:15", "2026-11-01 05:30:15", "2026-11-01 01:30:15"},
             Text{"Europe/Berlin", "2026-10-25 02:30", "2026-10-25 00:30", "2026-10-25 02:30:00"},
             Text{"Asia/Shanghai", " 2024-02-29 23:59:59 ", "2024-02-29 15:59:59", "2024-02-29 23:59:59"},
         }) {
        INFO(name << " " << local);
        const TimeZone tz = zone(name);
        auto t = tz.parse_local(local);
        REQUIRE(t.ok());
        CHECK(*t == utc(at_utc));
        CHECK(tz.format(*t) == formatted);
        CHECK(tz.format(*t + 0.75) == formatted);
        CHECK(*tz.parse_local(tz.format(*t)) == *t);
    }
    for (const char* bad : {"2023-02-29 10:00", "2026-03-08", "10:00", "2026-03-08 25:00", "2026-03-08 8:00",
                            "2026-03-08 10:00:00 EST"}) {
        INFO(bad);
        auto t = ny.parse_local(bad);
        REQUIRE_FALSE(t.ok());
        CHECK(t.error().message.find("YYYY-MM-DD HH:MM") != std::string::npos);
    }
    CHECK(add_days({2024, 2, 28}, 1) == CivilDate{2024, 2, 29});
    CHECK(add_days({2023, 2, 28}, 1) == CivilDate{2023, 3, 1});
    CHECK(add_days({2021, 1, 1}, -1) == CivilDate{2020, 12, 31});
    CHECK(weekday_of({2026, 1, 2}) == 4);
    CHECK(weekday_of({2026, 1, 4}) == 6);
}
