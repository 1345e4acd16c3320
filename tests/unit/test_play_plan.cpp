// The playlist's plan and the timeline over wall-clock time: schedules, tags, groups, fixed
// slots, alerts, idle content, clock jumps. Through preview_schedule, the timeline `schedule`
// prints and `play` follows.
#include "plan_fixture.h"
#include "temp_dir.h"

#include "playlist/timeline/fixed_slot_check.h"

#include <algorithm>
#include <map>
#include <set>

using namespace signage;
using signage::testing::PlanFixture;

namespace {

std::vector<std::string> names(const PlanFixture& f, const std::vector<PlayLine>& lines)
{
    std::vector<std::string> out;
    for (const PlayLine& line : lines)
        out.push_back(f.name(line));
    return out;
}

// Whether every play of `item` starts while the screen's clock is inside [from, to) of the day.
bool starts_within(const PlanFixture& f, const std::vector<PlayLine>& lines, const std::string& item, int from, int to)
{
    for (const PlayLine& line : lines)
        if (f.name(line) == item) {
            int second = f.zone.local(line.start).second_of_day;
            bool inside = from < to ? second >= from && second < to : second >= from || second < to;
            if (!inside)
                return false;
        }
    return true;
}

}  // namespace

TEST_CASE("a playlist without schedules plays in file order, as before", "[plan]")
{
    PlanFixture f("[a]\ntype = slogan\ntext = A\n[b]\ntype = slogan\ntext = B\n[c]\ntype = slogan\ntext = C\n");
    auto lines = f.preview("2026-12-24 10:00", 0.01);  // 36 s: 8 s each
    CHECK(names(f, lines) == std::vector<std::string>{"a", "b", "c", "a", "b"});
    CHECK(lines[1].start - lines[0].start == Approx(8));
    CHECK(lines[0].reason == PlayReason::Scheduled);
}

TEST_CASE("hours, days and dates choose what plays, across midnight", "[plan]")
{
    PlanFixture f(
        "[defaults]\nduration = 60s\ntransition = cut\n"
        "[night]\ntype = slogan\ntext = N\nhours = 22:00-02:00\ndays = fri\n"
        "[day]\ntype = slogan\ntext = D\nhours = 08:00-18:00\n"
        "[always]\ntype = slogan\ntext = A\n"
        "[xmas]\ntype = slogan\ntext = X\ndates = 2026-12-25\n",
        "Asia/Shanghai");
    // Thursday 2026-12-24 00:00 to Sunday 00:00.
    auto lines = f.preview("2026-12-24 00:00", 72);
    CHECK(starts_within(f, lines, "day", 8 * 3600, 18 * 3600));
    CHECK(starts_within(f, lines, "night", 22 * 3600, 2 * 3600));
    std::set<int> night_days, xmas_days;
    for (const PlayLine& line : lines) {
        LocalTime local = f.zone.local(line.start);
        if (f.name(line) == "night")
            night_days.insert(local.date.day);
        if (f.name(line) == "xmas")
            xmas_days.insert(local.date.day);
    }
    // Friday 25th 22:00 to Saturday 26th 02:00: the window belongs to Friday.
    CHECK(night_days == std::set<int>{25, 26});
    CHECK(xmas_days == std::set<int>{25});
    // Nothing of "night" on Saturday night (it starts on Saturday, not a Friday).
    for (const PlayLine& line : lines)
        if (f.name(line) == "night")
            CHECK(line.start < f.at("2026-12-26 02:00"));
}

TEST_CASE("schedules on DST change days follow the clock's reading", "[plan]")
{
    const char* text = "[defaults]\nduration = 60s\ntransition = cut\n"
                       "[early]\ntype = slogan\ntext = E\nhours = 02:30-04:00\n"
                       "[fill]\ntype = slogan\ntext = F\n";
    SECTION("Europe/Berlin spring forward: 02:30-04:00 plays from 03:00")
    {
        PlanFixture f(text, "Europe/Berlin");
        auto lines = f.preview("2026-03-29 00:00", 6);
        auto first = std::find_if(lines.begin(), lines.end(), [&](const PlayLine& l) { return f.name(l) == "early"; });
        REQUIRE(first != lines.end());
        CHECK(f.zone.format(first->start) == "2026-03-29 03:00:00");
        CHECK(starts_within(f, lines, "early", 3 * 3600, 4 * 3600));
    }
    SECTION("America/New_York fall back: a window in the doubled hour plays both times")
    {
        PlanFixture f("[defaults]\nduration = 60s\ntransition = cut\n"
                      "[twice]\ntype = slogan\ntext = T\nhours = 01:00-01:30\n[fill]\ntype = slogan\ntext = F\n",
                      "America/New_York");
        auto lines = f.preview("2026-11-01 00:00", 4);
        double seconds = 0;
        for (const PlayLine& line : lines)
            if (f.name(line) == "twice")
                seconds += line.end - line.start;
        // 30 minutes twice, half of it "twice" (it alternates with "fill").
        CHECK(seconds == Approx(1800).margin(120));
    }
    SECTION("Asia/Shanghai has no DST: the same window every day")
    {
        PlanFixture f(text, "Asia/Shanghai");
        auto lines = f.preview("2026-03-29 00:00", 6);
        auto first = std::find_if(lines.begin(), lines.end(), [&](const PlayLine& l) { return f.name(l) == "early"; });
        REQUIRE(first != lines.end());
        CHECK(f.zone.format(first->start) == "2026-03-29 02:30:00");
    }
}

TEST_CASE("a leap day in a date range", "[plan]")
{
    PlanFixture f("[defaults]\nduration = 1h\ntransition = cut\n"
                  "[leap]\ntype = slogan\ntext = L\ndates = 2028-02-29\n[fill]\ntype = slogan\ntext = F\n");
    auto lines = f.preview("2028-02-28 00:00", 72);
    std::set<int> days;
    for (const PlayLine& line : lines)
        if (f.name(line) == "leap")
            days.insert(f.zone.local(line.start).date.day);
    CHECK(days == std::set<int>{29});
}

TEST_CASE("tags and not_tags pick a screen's part of one playlist", "[plan]")
{
    PlanFixture f("[bank]\ntype = slogan\ntext = B\ntags = bank\n"
                  "[hall]\ntype = slogan\ntext = H\ntags = hall, Bank-Lobby\n"
                  "[everyone]\ntype = slogan\ntext = E\n"
                  "[not-cinema]\ntype = slogan\ntext = N\nnot_tags = cinema\n");
    auto kinds = [&](std::vector<std::string> tags) {
        std::set<std::string> seen;
        for (const std::string& n : names(f, f.preview("2026-12-24 10:00", 0.1, tags)))
            seen.insert(n);
        return seen;
    };
    CHECK(kinds({"bank"}) == std::set<std::string>{"bank", "everyone", "not-cinema"});
    CHECK(kinds({"bank-lobby"}) == std::set<std::string>{"hall", "everyone", "not-cinema"});
    CHECK(kinds({"cinema"}) == std::set<std::string>{"everyone"});
    CHECK(kinds({}) == std::set<std::string>{"everyone", "not-cinema"});
}

TEST_CASE("zone picks the zone of the screen's layout an entry plays in, a group's for its members", "[plan]")
{
    PlanFixture f("[main-slogan]\ntype = slogan\ntext = M\n"
                  "[side-poster]\ntype = slogan\ntext = S\nzone = Side\n"
                  "[column]\ntype = group\nzone = side\n"
                  "[in-column]\ntype = slogan\ntext = C\ngroup = column\n"
                  "[own-zone]\ntype = slogan\ntext = T\ngroup = column\nzone = top\n");
    auto plays = [&](ScreenZone screen_zone) {
        PlayPlan plan(f.playlist, f.zone, {}, -kNever, screen_zone);
        std::set<std::string> seen;
        for (size_t i = 0; i < f.playlist->items.size(); ++i)
            if (plan.targeted(i))
                seen.insert(f.playlist->items[i].name);
        return seen;
    };
    CHECK(plays({}) == std::set<std::string>{"main-slogan"});  // no layout: entries with a zone are not shown
    CHECK(plays({"main", true}) == std::set<std::string>{"main-slogan"});
    CHECK(plays({"side", false}) == std::set<std::string>{"side-poster", "in-column"});
    CHECK(plays({"top", false}) == std::set<std::string>{"own-zone"});
    CHECK(plays({"nowhere", false}).empty());
}

TEST_CASE("one of a group after every N items", "[plan]")
{
    PlanFixture f("[a]\ntype = slogan\ntext = A\n[b]\ntype = slogan\ntext = B\n[c]\ntype = slogan\ntext = C\n"
                  "[psa]\ntype = group\nevery = 3\n"
                  "[p1]\ntype = slogan\ntext = P1\ngroup = psa\n[p2]\ntype = slogan\ntext = P2\ngroup = psa\n");
    auto lines = f.preview("2026-12-24 10:00", 0.02);  // 72 s: 9 plays of 8 s
    CHECK(names(f, lines) == std::vector<std::string>{"a", "b", "c", "p1", "a", "b", "c", "p2", "a"});
}

TEST_CASE("a shuffle is the same for the same seed and never repeats at once", "[plan]")
{
    std::string text = "[mix]\ntype = group\norder = shuffle\nseed = 42\n";
    for (int i = 0; i < 6; ++i)
        text += "[s" + std::to_string(i) + "]\ntype = slogan\ntext = S\ngroup = mix\n";
    PlanFixture f(text);
    auto first = names(f, f.preview("2026-12-24 10:00", 2));
    auto second = names(f, f.preview("2026-12-24 10:00", 2));
    CHECK(first == second);
    for (size_t i = 1; i < first.size(); ++i)
        CHECK(first[i] != first[i - 1]);
    // Every pass plays each member once: the first six are a permutation.
    std::set<std::string> pass(first.begin(), first.begin() + 6);
    CHECK(pass.size() == 6);
    // Not file order (this seed).
    CHECK(std::vector<std::string>(first.begin(), first.begin() + 6) !=
          std::vector<std::string>{"s0", "s1", "s2", "s3", "s4", "s5"});
    PlanFixture other(std::string(text).replace(text.find("seed = 42"), 9, "seed = 7"));
    CHECK(names(other, other.preview("2026-12-24 10:00", 2)) != first);
}

TEST_CASE("weights in a pick-one group", "[plan]")
{
    for (const char* order : {"sequence", "shuffle"}) {
        PlanFixture f(std::string("[one]\ntype = group\npick = one\norder = ") + order +
                      "\n[heavy]\ntype = slogan\ntext = H\ngroup = one\nweight = 3\n"
                      "[light]\ntype = slogan\ntext = L\ngroup = one\n");
        std::map<std::string, int> count;
        for (const std::string& n : names(f, f.preview("2026-12-24 10:00", 8)))
            ++count[n];
        double ratio = static_cast<double>(count["heavy"]) / count["light"];
        INFO(order << ": " << count["heavy"] << " to " << count["light"]);
        CHECK(ratio > 2.5);
        CHECK(ratio < 3.5);
    }
}

TEST_CASE("max_per_hour holds in every hour", "[plan]")
{
    PlanFixture f("[limited]\ntype = slogan\ntext = L\nmax_per_hour = 4\n[a]\ntype = slogan\ntext = A\n");
    auto lines = f.preview("2026-12-24 10:00", 5);
    std::vector<WallTime> starts;
    for (const PlayLine& line : lines)
        if (f.name(line) == "limited")
            starts.push_back(line.start);
    REQUIRE(starts.size() >= 16);
    CHECK(starts.size() <= 21);
    for (size_t i = 4; i < starts.size(); ++i)
        CHECK(starts[i] - starts[i - 4] >= 3600 - 1e-6);
}

TEST_CASE("a fixed slot cuts a long video on its second and the video resumes where it was cut", "[plan]")
{
    PlanFixture f("[defaults]\ntransition = cut\n"
                  "[film]\ntype = video\nfile = long.mp4\nduration = 600s\n"
                  "[slogan]\ntype = slogan\ntext = S\n"
                  "[reel]\ntype = group\nat = 19:25\n"
                  "[r1]\ntype = slogan\ntext = R1\nduration = 20s\ngroup = reel\n"
                  "[r2]\ntype = slogan\ntext = R2\nduration = 10s\ngroup = reel\n",
                  "Asia/Shanghai");
    auto lines = f.preview("2026-12-24 19:20", 0.5);
    REQUIRE(lines.size() >= 5);
    CHECK(names(f, lines)[0] == "film");
    CHECK(f.zone.format(lines[0].end) == "2026-12-24 19:25:00");
    CHECK(names(f, lines)[1] == "r1");
    CHECK(lines[1].reason == PlayReason::Fixed);
    CHECK(f.zone.format(lines[1].start) == "2026-12-24 19:25:00");
    CHECK(names(f, lines)[2] == "r2");
    CHECK(names(f, lines)[3] == "film");
    CHECK(lines[3].offset == Approx(300));  // cut 5 minutes in
    CHECK(f.zone.format(lines[3].start) == "2026-12-24 19:25:30");
    CHECK(lines[3].end - lines[3].start == Approx(300));  // the rest of its 10 minutes
    CHECK(names(f, lines)[4] == "slogan");
}

TEST_CASE("alert items and alert files come and go", "[plan]")
{
    PlanFixture f("[a]\ntype = slogan\ntext = A\n"
                  "[notice]\ntype = slogan\ntext = N\npriority = alert\ndates = 2026-12-24\nhours = 10:01-10:02\n");
    WallTime from = f.at("2026-12-24 10:00");
    auto lines = f.preview("2026-12-24 10:00", 0.1, {}, {AlertSpan{from + 200, from + 260}});
    std::vector<std::pair<std::string, std::string>> alerts;
    for (const PlayLine& line : lines)
        if (line.reason == PlayReason::Alert)
            alerts.push_back({f.name(line), f.zone.format(line.start) + "-" + f.zone.format(line.end)});
    REQUIRE(alerts.size() == 2);
    CHECK(alerts[0] == std::pair<std::string, std::string>{"notice", "2026-12-24 10:01:00-2026-12-24 10:02:00"});
    CHECK(alerts[1] == std::pair<std::string, std::string>{"alert0", "2026-12-24 10:03:20-2026-12-24 10:04:20"});
    // The loop held while they were up, and resumed after.
    for (const PlayLine& line : lines)
        if (line.reason != PlayReason::Alert)
            CHECK(!(line.start >= from + 60 && line.start < from + 120));
}

TEST_CASE("idle entries play when nothing else is in schedule", "[plan]")
{
    PlanFixture f("[open]\ntype = slogan\ntext = O\nhours = 09:00-17:00\n"
                  "[closed]\ntype = slogan\ntext = C\nidle = yes\n");
    auto lines = f.preview("2026-12-24 16:59", 0.05);
    CHECK(names(f, lines).front() == "open");
    CHECK(names(f, lines).back() == "closed");
    CHECK(lines.back().reason == PlayReason::Idle);
    CHECK(starts_within(f, lines, "open", 9 * 3600, 17 * 3600));
}

TEST_CASE("with idle = blank the screen is black out of schedule; without, the fallback slide", "[plan]")
{
    PlanFixture f("[open]\ntype = slogan\ntext = O\nhours = 09:00-17:00\n");
    for (bool blank : {false, true}) {
        TimelineOptions options;
        options.plan = f.plan();
        options.wall_origin = f.at("2026-12-24 20:00");
        options.idle_blank = blank;
        Timeline timeline(f.timings(), options);
        signage::testing::AllReady facts;
        timeline.advance(0, facts);
        timeline.advance(5, facts);
        Picture picture = timeline.picture(5);
        REQUIRE(picture.layers.size() == 1);
        CHECK(picture.layers[0].source == (blank ? LayerSource::Blank : LayerSource::Fallback));
        // It wakes when 09:00 comes.
        CHECK(picture.next_change == Approx(13 * 3600));
    }
}

TEST_CASE("an unset clock plays only unscheduled entries", "[plan]")
{
    PlanFixture f("[scheduled]\ntype = slogan\ntext = S\nhours = 00:00-24:00\n[plain]\ntype = slogan\ntext = P\n"
                  "[reel]\ntype = slogan\ntext = R\nat = 00:00:30\n");
    PreviewSetup setup;
    setup.plan = f.plan({}, f.at("2025-01-01 00:00"));
    setup.timings = f.timings();
    setup.from = 0;  // 1970: a box that booted without its time
    setup.seconds = 120;
    std::set<std::string> seen;
    for (const PlayLine& line : preview_schedule(setup))
        seen.insert(f.name(line));
    CHECK(seen == std::set<std::string>{"plain"});
}

TEST_CASE("a wall clock set forward or back reads the schedule again, with no stuck item", "[plan]")
{
    PlanFixture f("[defaults]\ntransition = cut\n"
                  "[day]\ntype = slogan\ntext = D\nhours = 08:00-20:00\n"
                  "[night]\ntype = slogan\ntext = N\nhours = 20:00-08:00\n");
    signage::testing::AllReady facts;
    for (double jump : {+12 * 3600.0, -12 * 3600.0}) {
        TimelineOptions options;
        options.plan = f.plan();
        WallTime start = jump > 0 ? f.at("2026-12-24 12:00") : f.at("2026-12-25 00:00");
        options.wall_origin = start;
        Timeline timeline(f.timings(), options);
        std::vector<std::string> shown;
        for (double t = 0; t < 60; t += 0.5) {
            if (t == 20)  // the clock is set: from now on it reads 12 h later (or earlier)
                timeline.set_wall_origin(start + jump);
            timeline.advance(t, facts);
            Picture picture = timeline.picture(t);
            const Layer* top = picture.top();
            REQUIRE(top);
            REQUIRE(top->source == LayerSource::Item);
            std::string name = f.playlist->items[top->slot.item].name;
            if (shown.empty() || shown.back() != name)
                shown.push_back(name);
        }
        // The slot on screen at the jump finishes its time; then the other part of the day.
        CHECK(shown == std::vector<std::string>{jump > 0 ? "day" : "night", jump > 0 ? "night" : "day"});
    }
}

TEST_CASE("groups that nest in a circle, unknown groups and misplaced keys are reported", "[plan]")
{
    PlaylistLoad load = parse_playlist_text("[g1]\ntype = group\ngroup = g2\n[g2]\ntype = group\ngroup = g1\n"
                                            "[x]\ntype = slogan\ntext = X\ngroup = nowhere\n"
                                            "[y]\ntype = slogan\ntext = Y\nevery = 3\n"
                                            "[z]\ntype = slogan\ntext = Z\nhours = 25:00-26:00\n",
                                            "p.ini", "/tmp");
    std::vector<std::string> messages;
    for (const Error& e : load.errors)
        messages.push_back(e.to_string());
    for (const Error& e : load.warnings)
        messages.push_back(e.to_string());
    auto has = [&](const std::string& part) {
        return std::any_of(messages.begin(), messages.end(), [&](const std::string& m) { return m.find(part) != std::string::npos; });
    };
    CHECK(has("p.ini:4: group = g1: groups would nest in a circle"));
    CHECK(has("p.ini:7: group = nowhere: no section [nowhere] with type = group"));
    CHECK(has("p.ini:14: every applies to groups only"));
    CHECK(has("p.ini:18: hours: "));
}

TEST_CASE("the examples in docs/playlist.md parse without errors", "[plan]")
{
    std::string guide(playlist_guide_markdown());
    size_t at = 0;
    int blocks = 0;
    while ((at = guide.find("```ini\n", at)) != std::string::npos) {
        size_t end = guide.find("```", at + 7);
        std::string block = guide.substr(at + 7, end - at - 7);
        at = end + 3;
        if (block.find("[screen]") != std::string::npos)
            continue;  // player.ini, not a playlist
        signage::testing::TempDir dir;
        dir.write("bank-slogans.txt", "炒股软件不可信\n高额回报是陷阱\n");
        PlaylistLoad load = parse_playlist_text(block, "example.ini", dir.path.string());
        for (const Error& e : load.errors)
            FAIL_CHECK(e.to_string() << "\n" << block);
        for (const Error& e : load.warnings)
            FAIL_CHECK(e.to_string() << "\n" << block);
        ++blocks;
    }
    CHECK(blocks == 4);
}

TEST_CASE("fixed slots whose reels overlap are reported once, naming both", "[plan]")
{
    PlanFixture f("[a]\ntype = slogan\ntext = A\nduration = 30s\nat = 19:25\n"
                  "[b]\ntype = slogan\ntext = B\nduration = 60s\nat = 19:25:20\n"
                  "[c]\ntype = slogan\ntext = C\nduration = 10s\nat = 20:00\n",
                  "Asia/Shanghai");
    auto plan = f.plan();
    auto length = [&](size_t item) { return f.playlist->items.at(item).duration; };
    auto collisions = fixed_slot_collisions(*plan, length, f.at("2026-12-24 00:00"));
    REQUIRE(collisions.size() == 1);
    CHECK(collisions[0].to_string() ==
          "p.ini:6: fixed slot [b] at 2026-12-24 19:25:20 collides with [a] (line 1), which runs from "
          "2026-12-24 19:25:00 to 2026-12-24 19:25:30; the later one cuts it short");
}

TEST_CASE("a simulated week of play, stepped as the play loop steps, is what schedule prints", "[plan][week]")
{
    // A bank's week: opening hours, a PSA group every 3 items, a lunchtime poster limited per
    // hour, a fixed slot on weekdays, an alert one afternoon, idle content at night.
    PlanFixture f("[defaults]\ntransition = fade\ntransition_duration = 0.5s\n"
                  "[open-1]\ntype = slogan\ntext = O1\nhours = 09:00-17:00\ndays = mon-fri\n"
                  "[open-2]\ntype = slogan\ntext = O2\nhours = 09:00-17:00\ndays = mon-fri\nduration = 12s\n"
                  "[weekend]\ntype = slogan\ntext = W\ndays = sat,sun\nhours = 10:00-16:00\n"
                  "[lunch]\ntype = image\nfile = lunch.png\nhours = 11:30-13:30\nmax_per_hour = 6\n"
                  "[film]\ntype = video\nfile = film.mp4\nhours = 09:00-17:00\n"
                  "[psa]\ntype = group\nevery = 3\norder = shuffle\nseed = 9\nhours = 08:00-18:00\n"
                  "[psa-1]\ntype = slogan\ntext = P1\ngroup = psa\n[psa-2]\ntype = slogan\ntext = P2\ngroup = psa\n"
                  "[psa-3]\ntype = slogan\ntext = P3\ngroup = psa\n"
                  "[noon]\ntype = slogan\ntext = N\nduration = 20s\nat = 12:00\ndays = mon-fri\n"
                  "[warning]\ntype = slogan\ntext = W\npriority = alert\ndates = 2026-12-23\nhours = 15:00-15:10\n"
                  "[night]\ntype = slogan\ntext = Z\nidle = yes\nduration = 60s\n",
                  "Asia/Shanghai");
    const WallTime from = f.at("2026-12-21 00:00");  // a Monday
    const double week = 7 * 86400;
    auto predicted = f.preview("2026-12-21 00:00", week / 3600);

    // The play loop's way: advance at irregular instants (frames, wakes, late wakes), never
    // past the next change it was told of, and note each new slot on top.
    TimelineOptions options;
    options.plan = f.plan();
    options.wall_origin = from;
    Timeline timeline(f.timings(), options);
    signage::testing::AllReady facts;
    std::vector<std::pair<WallTime, std::string>> played;
    std::optional<std::pair<size_t, double>> last;
    uint64_t noise = 12345;
    double t = 0;
    while (t < week) {
        timeline.advance(t, facts);
        Picture picture = timeline.picture(t);
        if (const Layer* top = picture.top(); top && top->source == LayerSource::Item) {
            std::pair<size_t, double> now_on{top->slot.item, top->slot.start};
            if (!last || *last != now_on)
                played.push_back({from + top->slot.start, f.playlist->items[top->slot.item].name});
            last = now_on;
        }
        noise = noise * 6364136223846793005ull + 1442695040888963407ull;
        double jitter = static_cast<double>(noise >> 40) / (1ull << 24);  // 0..1
        double next = std::min({picture.next_change, timeline.next_preparation(t), t + 0.5 + 4 * jitter});
        t = std::max(next, t + 0.001) + jitter * 0.004;  // a wake is a few ms late
    }
    std::vector<std::pair<WallTime, std::string>> expected;
    for (const PlayLine& line : predicted)
        if (line.item && line.reason != PlayReason::Alert && line.start < from + week - 60)
            expected.push_back({line.start, f.name(line)});
    REQUIRE(expected.size() > 10000);
    size_t compared = std::min(expected.size(), played.size());
    size_t mismatches = 0;
    for (size_t i = 0; i < compared; ++i)
        if (std::abs(played[i].first - expected[i].first) > 1e-6 || played[i].second != expected[i].second) {
            if (++mismatches <= 3)
                FAIL_CHECK("play " << i << ": " << f.zone.format(played[i].first) << " " << played[i].second
                                   << ", schedule: " << f.zone.format(expected[i].first) << " " << expected[i].second);
        }
    CHECK(mismatches == 0);
    CHECK(played.size() >= expected.size());
}

TEST_CASE("scheduled_at reads an item's schedule with its groups', and a fixed slot by its day", "[plan]")
{
    PlanFixture f("[mornings]\ntype = group\nhours = 08:00-12:00\n"
                  "[m1]\ntype = slogan\ntext = M\ngroup = mornings\ndays = mon-fri\n"
                  "[always]\ntype = slogan\ntext = A\n"
                  "[reel]\ntype = slogan\ntext = R\nat = 19:25\ndays = thu\n");
    auto plan = f.plan();
    // 2026-12-24 is a Thursday, 12-26 a Saturday.
    CHECK(plan->scheduled_at(0, f.at("2026-12-24 09:00")));
    CHECK_FALSE(plan->scheduled_at(0, f.at("2026-12-24 13:00")));  // the group's hours
    CHECK_FALSE(plan->scheduled_at(0, f.at("2026-12-26 09:00")));  // its own days
    CHECK(plan->scheduled_at(1, f.at("2026-12-26 03:00")));
    CHECK(plan->scheduled_at(2, f.at("2026-12-24 08:00")));        // due later that day
    CHECK_FALSE(plan->scheduled_at(2, f.at("2026-12-25 19:25")));  // not on a Friday
}
