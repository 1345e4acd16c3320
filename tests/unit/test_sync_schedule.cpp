// The background sync's timing and what it logs, on numbers: no thread, no clock.
#include "playlist/sync/sync_schedule.h"

#include <catch2/catch.hpp>

using namespace signage;

namespace {

SyncTiming minute()
{
    return sync_timing(60, 2);
}

}  // namespace

TEST_CASE("polls every interval, and after failures retries at 5, 10, 20, 40 s, then every interval", "[sync-schedule]")
{
    SyncSchedule schedule(minute(), 100);
    CHECK(schedule.due() == Approx(101));  // the first one a second after start

    double now = schedule.due();
    std::vector<double> waits;
    for (int i = 0; i < 7; ++i) {
        schedule.started(now, 0);
        schedule.failed(now, "gone");
        waits.push_back(schedule.due() - now);
        now = schedule.due();
    }
    CHECK(waits == std::vector<double>{5, 10, 20, 40, 60, 60, 60});
    CHECK(schedule.status().failures == 7);

    schedule.started(now, 0);
    schedule.succeeded(now, 0, "a");
    CHECK(schedule.due() - now == Approx(60));
    CHECK(schedule.retry_delay() == 0);

    // Backoff starts afresh after a success.
    now = schedule.due();
    schedule.started(now, 0);
    schedule.failed(now, "gone");
    CHECK(schedule.due() - now == Approx(5));
}

TEST_CASE("a short interval retries at a quarter of it", "[sync-schedule]")
{
    SyncTiming timing = sync_timing(5, 0);
    CHECK(timing.first_retry == Approx(1.25));
    SyncSchedule schedule(timing, 0);
    double now = schedule.due();
    std::vector<double> waits;
    for (int i = 0; i < 4; ++i) {
        schedule.started(now, 0);
        schedule.failed(now, "gone");
        waits.push_back(schedule.due() - now);
        now = schedule.due();
    }
    CHECK(waits == std::vector<double>{1.25, 2.5, 5, 5});
}

TEST_CASE("logs once per change of state, not once per poll", "[sync-schedule]")
{
    SyncSchedule schedule(minute(), 0);
    double now = 1;
    auto fail = [&](const std::string& reason) {
        schedule.started(now, now);
        auto line = schedule.failed(now, reason);
        now = schedule.due();
        return line;
    };
    auto succeed = [&] {
        schedule.started(now, now);
        auto line = schedule.succeeded(now, 1700000000 + now, "snap");
        now = schedule.due();
        return line;
    };

    CHECK_FALSE(succeed());  // the first success after start: nothing to tell
    auto down = fail("/mnt/share: cannot open: No such file or directory");
    REQUIRE(down);
    CHECK(down->warning);
    CHECK(down->text == "share unreachable: /mnt/share: cannot open: No such file or directory");
    for (int i = 0; i < 5; ++i)
        CHECK_FALSE(fail("/mnt/share: cannot open: No such file or directory"));
    auto other = fail("/mnt/share/manifest.txt:3: bad line");  // another reason is news
    REQUIRE(other);
    CHECK(other->text == "share unreachable: /mnt/share/manifest.txt:3: bad line");

    auto up = succeed();
    REQUIRE(up);
    CHECK_FALSE(up->warning);
    CHECK(up->text.starts_with("share reachable again (last successful sync before: 2023-11-14 "));
    CHECK_FALSE(succeed());
    CHECK(fail("gone again"));
}

TEST_CASE("at first boot an unreachable share is logged at once, and its recovery too", "[sync-schedule]")
{
    SyncSchedule schedule(minute(), 0);
    schedule.started(1, 1);
    auto down = schedule.failed(1, "gone");
    REQUIRE(down);
    CHECK(down->text == "share unreachable: gone");
    schedule.started(6, 6);
    auto up = schedule.succeeded(6, 6, "a");
    REQUIRE(up);
    CHECK(up->text == "share reachable again (no sync had succeeded before)");
}

TEST_CASE("a noticed change syncs `settle` after its last event, never later than the poll", "[sync-schedule]")
{
    SyncSchedule schedule(minute(), 0);
    schedule.started(1, 0);
    schedule.succeeded(1, 0, "a");
    REQUIRE(schedule.due() == Approx(61));

    schedule.change_noticed(10);
    CHECK(schedule.due() == Approx(12));
    schedule.change_noticed(11);  // a copy goes on: wait for it to end
    CHECK(schedule.due() == Approx(13));
    schedule.change_noticed(60);
    CHECK(schedule.due() == Approx(61));  // the poll comes first

    SyncSchedule other(minute(), 0);
    other.started(1, 0);
    other.succeeded(1, 0, "a");
    other.change_noticed(10);
    other.started(12, 0);
    other.change_noticed(12.5);  // during the sync: it may have been scanned already
    other.succeeded(13, 0, "b");
    CHECK(other.due() == Approx(14.5));
    other.started(14.5, 0);
    other.succeeded(15, 0, "b");
    CHECK(other.due() == Approx(75));
}

TEST_CASE("status: last success, last attempt, a sync running, the error, failures in a row", "[sync-schedule]")
{
    SyncSchedule schedule(minute(), 0);
    CHECK(schedule.status().state == ShareState::Unknown);
    schedule.started(1, 1000);
    CHECK(schedule.status().syncing_since == 1000);
    CHECK(schedule.status().last_attempt == 1000);
    schedule.succeeded(2, 1001, "20240501T120000.000Z");
    SyncStatus ok = schedule.status();
    CHECK(ok.state == ShareState::Reachable);
    CHECK(ok.last_success == 1001);
    CHECK_FALSE(ok.syncing_since);
    CHECK(ok.snapshot == "20240501T120000.000Z");

    schedule.started(62, 1061);
    schedule.failed(63, "gone");
    schedule.started(68, 1066);
    schedule.failed(69, "still gone");
    SyncStatus down = schedule.status();
    CHECK(down.state == ShareState::Unreachable);
    CHECK(down.last_success == 1001);  // kept: monitoring sees how long the screen has been stale
    CHECK(down.last_attempt == 1066);
    CHECK(down.last_error == "still gone");
    CHECK(down.failures == 2);
    CHECK(down.snapshot == "20240501T120000.000Z");
}

TEST_CASE("status.json: every field, times in UTC, strings escaped", "[sync-schedule]")
{
    SyncStatus status;
    status.state = ShareState::Unreachable;
    status.last_success = 1714564800.25;  // 2024-05-01 12:00:00 UTC
    status.last_attempt = 1714564860;
    status.last_error = "a \"quoted\" name\\ with a\ttab";
    status.failures = 3;
    status.snapshot = "20240501T120000.000Z";
    status.warnings = {"/mnt/共享/a.mp4: not taken: not a playable video: x; left out for now", "b"};
    std::string json = sync_status_json(status, "/mnt/共享");
    CHECK(json == "{\n"
                  "  \"share\": \"/mnt/共享\",\n"
                  "  \"state\": \"unreachable\",\n"
                  "  \"last_success\": \"2024-05-01T12:00:00Z\",\n"
                  "  \"last_success_unix\": 1714564800,\n"
                  "  \"last_attempt\": \"2024-05-01T12:01:00Z\",\n"
                  "  \"syncing_since\": null,\n"
                  "  \"failures\": 3,\n"
                  "  \"last_error\": \"a \\\"quoted\\\" name\\\\ with a\\u0009tab\",\n"
                  "  \"snapshot\": \"20240501T120000.000Z\",\n"
                  "  \"warnings\": [\n"
                  "    \"/mnt/共享/a.mp4: not taken: not a playable video: x; left out for now\",\n"
                  "    \"b\"\n"
                  "  ]\n"
                  "}\n");
    CHECK(sync_status_json(SyncStatus{}, "s").find("\"last_success\": null") != std::string::npos);
    CHECK(sync_status_json(SyncStatus{}, "s").find("\"warnings\": []\n}") != std::string::npos);
}

TEST_CASE("a sync that could not run (the cache locked by another) changes no state and retries soon",
          "[sync-schedule]")
{
    SyncSchedule schedule(minute(), 0);
    schedule.started(1, 1);
    schedule.succeeded(1, 1, "a");
    schedule.started(61, 61);
    schedule.deferred(61);
    CHECK(schedule.due() == Approx(66));
    CHECK(schedule.status().state == ShareState::Reachable);
    CHECK(schedule.status().failures == 0);
    CHECK_FALSE(schedule.status().syncing_since);
}
