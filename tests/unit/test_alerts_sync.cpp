// The alerts sync (SyncOptions::scope = alerts_scope()): the files directly in the share's alerts/
// folder, into a cache of their own, fast: no playlist, no probe, a short settle, and nothing
// else of the share read, copied or waited for. And the content sync, which leaves alerts/ out.
#include "playlist/config/config.h"
#include "playlist/share/publish.h"
#include "playlist/sync/share_sync.h"
#include "tests/unit/sync_fixture.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <set>
#include <thread>

using namespace signage;
using namespace signage::testing;

namespace {

// The alerts sync over the fixture's share, into CACHE/alerts.
SyncOptions alerts_options(const SyncFixture& f, double settle = 0.5)
{
    SyncOptions o = f.options(settle);
    o.cache = (f.cache / "alerts").string();
    o.scope = alerts_scope();
    return o;
}

SyncReport sync_ok(const SyncOptions& options)
{
    auto report = sync_share(options);
    if (!report)
        FAIL(report.error().to_string());
    return std::move(*report);
}

std::string all_messages(const std::vector<Error>& errors)
{
    std::string out;
    for (const auto& e : errors)
        out += e.to_string() + "\n";
    return out;
}

fs::path alerts_current(const SyncFixture& f)
{
    return f.cache / "alerts" / "current" / "alerts";
}

// The names in CACHE/alerts/current/alerts/.
std::set<std::string> alerts_held(const SyncFixture& f)
{
    std::set<std::string> names;
    for (auto& e : fs::directory_iterator(alerts_current(f)))
        names.insert(e.path().filename().string());
    return names;
}

}  // namespace

TEST_CASE("alerts sync: only the files directly in alerts/, into their own cache, no playlist needed", "[sync][alerts]")
{
    SyncFixture f;
    f.put("alerts/fire.txt", "Fire drill at 10:00");
    f.put("alerts/flood.xml", "<alert/>");
    f.put("alerts/.fire.txt.part", "half");        // a copy tool's unfinished file
    f.put("alerts/archive/old.txt", "last year");  // a folder below alerts/: not an alert
    f.put("videos/big.mp4", pattern(200000, 1));
    f.put("notes.txt", "not an alert");
    // No playlist.ini at all: the alerts sync neither needs nor reads one.

    auto report = sync_ok(alerts_options(f));
    CHECK(report.changed);
    CHECK(report.files == 2);
    CHECK(report.files_copied == 2);
    CHECK(report.hidden_skipped == 1);
    CHECK(report.bytes_copied == 19 + 8);
    CHECK(report.settle_wait_seconds == 0);  // both had settled long ago
    CHECK(report.refused.empty());
    CHECK(alerts_held(f) == std::set<std::string>{"fire.txt", "flood.xml"});
    CHECK(read_bytes(alerts_current(f) / "fire.txt") == "Fire drill at 10:00");
    // Its own cache: the content cache is not touched, nothing else of the share is in it.
    CHECK_FALSE(fs::exists(f.cache / "current"));
    auto snapshot = fs::canonical(f.cache / "alerts" / "current");
    CHECK(snapshot.parent_path() == fs::canonical(f.cache / "alerts" / "snapshots"));
    CHECK_FALSE(fs::exists(snapshot / "videos"));
    CHECK_FALSE(fs::exists(snapshot / "notes.txt"));
    CHECK_FALSE(fs::exists(snapshot / "alerts" / "archive"));
    CHECK(cache_problem(f.cache / "alerts", "") == "");  // every file intact, as its record says

    auto again = sync_ok(alerts_options(f));
    CHECK_FALSE(again.changed);
    CHECK(again.bytes_copied == 0);
}

TEST_CASE("alerts sync: an alert appears, changes, is removed; no alerts/ folder is no alerts", "[sync][alerts]")
{
    SyncFixture f;
    f.put_playlist({});

    // No alerts/ folder yet: an empty alerts folder, so readers find one.
    auto first = sync_ok(alerts_options(f));
    CHECK(first.changed);
    CHECK(first.files == 0);
    REQUIRE(fs::is_directory(alerts_current(f)));
    CHECK(alerts_held(f).empty());

    f.put("alerts/storm.txt", "Storm warning", 60);
    auto appeared = sync_ok(alerts_options(f));
    CHECK(appeared.changed);
    CHECK(alerts_held(f) == std::set<std::string>{"storm.txt"});
    std::string before = fs::canonical(alerts_current(f)).string();

    // Same size, another text (and time): taken.
    f.put("alerts/storm.txt", "Storm is over", 30);
    auto changed = sync_ok(alerts_options(f));
    CHECK(changed.changed);
    CHECK(changed.files_copied == 1);
    CHECK(read_bytes(alerts_current(f) / "storm.txt") == "Storm is over");
    // A new folder for each set of alerts; the one before stays as it was (as `previous`).
    CHECK(fs::canonical(alerts_current(f)).string() != before);
    CHECK(read_bytes(fs::path(before) / "storm.txt") == "Storm warning");

    fs::remove(f.share / "alerts" / "storm.txt");
    auto removed = sync_ok(alerts_options(f));
    CHECK(removed.changed);
    CHECK(removed.files_removed == 1);
    CHECK(alerts_held(f).empty());

    f.put("alerts/again.txt", "x", 60);
    sync_ok(alerts_options(f));
    CHECK(alerts_held(f) == std::set<std::string>{"again.txt"});
    fs::remove_all(f.share / "alerts");
    auto folder_gone = sync_ok(alerts_options(f));
    CHECK(folder_gone.changed);
    CHECK(alerts_held(f).empty());
}

TEST_CASE("alerts sync: a half-written alert is not taken until it has settled", "[sync][alerts]")
{
    SyncFixture f;
    f.put_playlist({});
    f.put("alerts/old.txt", "old alert");
    sync_ok(alerts_options(f));

    SECTION("written to while the sync looks at it")
    {
        // The writer adds a line after the sync copied the file, within the settle time.
        auto options = alerts_options(f, 0.3);
        std::string path = (f.share / "alerts" / "new.txt").string();
        std::ofstream(path) << "EVACUATE BUILDING ";
        options.on_step = [&](SyncStep step, const std::string& detail) {
            if (step == SyncStep::Copied && detail == "alerts/new.txt")
                std::ofstream(path, std::ios::app) << "BY THE EAST STAIRS";
        };
        auto during = sync_ok(options);
        CHECK(alerts_held(f) == std::set<std::string>{"old.txt"});
        CHECK_THAT(all_messages(during.not_taken), Catch::Contains("alerts/new.txt: still being written"));
        CHECK_THAT(all_messages(during.not_taken), Catch::Contains("left out for now"));

        // Quiet for the settle time: the whole text is taken.
        std::this_thread::sleep_for(std::chrono::milliseconds(350));
        auto after = sync_ok(alerts_options(f, 0.3));
        CHECK(after.not_taken.empty());
        CHECK(read_bytes(alerts_current(f) / "new.txt") == "EVACUATE BUILDING BY THE EAST STAIRS");
    }
    SECTION("fresh and untouched: taken after the short settle, not [content] settle")
    {
        f.put("alerts/new.txt", "fresh", -1);
        auto report = sync_ok(alerts_options(f, 0.5));
        CHECK(alerts_held(f) == std::set<std::string>{"new.txt", "old.txt"});
        CHECK(report.settle_wait_seconds > 0.3);
        CHECK(report.settle_wait_seconds < 1.5);
    }
    SECTION("listed in the share's manifest: taken at once, checked against it")
    {
        f.put("alerts/new.txt", "published", 0);
        f.put("alerts/wrong.txt", "before publish", 0);
        REQUIRE(publish_manifest(f.share.string(), ScanLimits{}));
        set_age(f.share / "manifest.txt", 600);
        f.put("alerts/wrong.txt", "after publish!", 300);  // same size, other bytes
        auto report = sync_ok(alerts_options(f, 30));
        CHECK(report.settle_wait_seconds == 0);
        CHECK(read_bytes(alerts_current(f) / "new.txt") == "published");
        CHECK_FALSE(fs::exists(alerts_current(f) / "wrong.txt"));
        CHECK_THAT(all_messages(report.not_taken), Catch::Contains("alerts/wrong.txt: does not match manifest.txt"));
    }
}

TEST_CASE("alerts sync: a big video elsewhere on the share is neither copied nor waited for", "[sync][alerts]")
{
    SyncFixture f;
    f.put_playlist({});
    f.put("alerts/fire.txt", "Fire drill");
    // 20 MB still being written (fresh): the content sync would copy it and wait for it to settle.
    f.put("videos/big.mp4", pattern(20 << 20, 1), -1);
    f.put("playlist.ini", "[v]\ntype = video\nfile = videos/big.mp4\n", -1);

    auto started = std::chrono::steady_clock::now();
    auto report = sync_ok(alerts_options(f, 0.5));
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    CHECK(report.settle_wait_seconds == 0);
    CHECK(report.bytes_copied == 10);
    CHECK(took < 0.5);
    CHECK(alerts_held(f) == std::set<std::string>{"fire.txt"});
    CHECK_FALSE(fs::exists(f.cache / "alerts" / "current" / "videos"));
}

TEST_CASE("alerts sync: its own lock, so it runs while a content sync holds the cache", "[sync][alerts]")
{
    SyncFixture f;
    f.put_playlist({});
    f.put("alerts/fire.txt", "Fire drill");
    {
        auto content = SnapshotCache::open(f.cache.string());
        REQUIRE(content);
        CHECK_THAT(sync_share(f.options()).error().to_string(), Catch::Contains("another sync is using this cache"));
        sync_ok(alerts_options(f));
        CHECK(alerts_held(f) == std::set<std::string>{"fire.txt"});
    }
    // And the content cache's tidying leaves the alerts cache alone.
    sync_ok(f.options());
    CHECK(alerts_held(f) == std::set<std::string>{"fire.txt"});
}

TEST_CASE("alerts sync: an empty share (unmounted) keeps the alerts; alerts/ as a link or a file is refused",
          "[sync][alerts]")
{
    SyncFixture f;
    f.put("playlist.ini", "x");
    f.put("alerts/fire.txt", "Fire drill");
    auto first = sync_ok(alerts_options(f));

    SECTION("the share's top empty: a mount point without its mount, not a share without alerts")
    {
        fs::remove_all(f.share);
        fs::create_directories(f.share);
        auto report = sync_share(alerts_options(f));
        REQUIRE_FALSE(report);
        CHECK_THAT(report.error().to_string(), Catch::Contains("the share is empty (not mounted?)"));
        CHECK(alerts_held(f) == std::set<std::string>{"fire.txt"});
    }
    SECTION("alerts/ a link to a folder elsewhere")
    {
        fs::rename(f.share / "alerts", f.share / "elsewhere");
        fs::create_directory_symlink("elsewhere", f.share / "alerts");
        auto report = sync_ok(alerts_options(f));
        CHECK_THAT(all_messages(report.refused), Catch::Contains("/share/alerts: is a link; not followed"));
        CHECK(alerts_held(f).empty());
    }
    SECTION("alerts a file")
    {
        fs::remove_all(f.share / "alerts");
        f.put("alerts", "not a folder");
        auto report = sync_ok(alerts_options(f));
        CHECK_THAT(all_messages(report.refused), Catch::Contains("/share/alerts: is not a folder"));
        CHECK(alerts_held(f).empty());
    }
    SECTION("a file over max_file_mb is refused, like any")
    {
        auto options = alerts_options(f);
        options.limits.max_file_bytes = 100;
        f.put("alerts/huge.png", pattern(1000, 1));
        auto report = sync_ok(options);
        CHECK_THAT(all_messages(report.refused), Catch::Contains("alerts/huge.png: is 1 MB, more than"));
        CHECK(alerts_held(f) == std::set<std::string>{"fire.txt"});
    }
}

TEST_CASE("the content sync leaves alerts/ out: an alert never makes a new content snapshot", "[sync][alerts]")
{
    SyncFixture f;
    f.put_playlist({"posters/a.png"});
    f.put("posters/a.png", pattern(3000, 1));
    f.put("alerts/fire.txt", "Fire drill");
    f.put("notes/alerts/kept.txt", "an alerts folder below the top is content");
    auto first = sync_ok(f.options());
    CHECK(first.files == 3);
    CHECK_FALSE(f.in_current("alerts"));
    CHECK(f.in_current("notes/alerts/kept.txt"));

    f.put("alerts/flood.txt", "Flood warning");
    auto after = sync_ok(f.options());
    CHECK_FALSE(after.changed);

    // A playlist naming a file in alerts/ is told why it is missing.
    f.put("playlist.ini", "[a]\ntype = image\nfile = alerts/map.png\n", 300);
    f.put("alerts/map.png", pattern(3000, 2));
    auto report = sync_share(f.options());
    REQUIRE_FALSE(report);
    CHECK_THAT(report.error().to_string(),
               Catch::Contains("names alerts/map.png, which is in the share's alerts/ folder, which only the alerts "
                               "sync takes"));
}

TEST_CASE("alerts sync options come from the config: CACHE/alerts, [alerts] settle", "[sync][alerts]")
{
    ConfigLoad load = parse_config_text("[content]\nshare = /mnt/share\ncache = /var/cache/signage\nsettle = 5s\n"
                                        "[alerts]\nsettle = 250ms\npoll_every = 0.5s\n",
                                        "/etc/signage/player.ini", "/etc/signage");
    REQUIRE(load.errors.empty());
    CHECK(load.config.alerts_poll_every == 0.5);
    SyncOptions alerts = alerts_sync_options_from_config(load.config);
    CHECK(alerts.cache == "/var/cache/signage/alerts");
    CHECK(alerts.share == "/mnt/share");
    CHECK(alerts.settle_seconds == 0.25);
    CHECK(alerts.scope.only == "alerts");
    SyncOptions content = sync_options_from_config(load.config);
    CHECK(content.cache == "/var/cache/signage");
    CHECK(content.settle_seconds == 5);
    CHECK(content.scope.leave_out == "alerts");

    Config defaults = default_config();
    CHECK(defaults.alerts_settle == 0.5);
    CHECK(defaults.alerts_poll_every == 1);
    ConfigLoad too_fast = parse_config_text("[alerts]\npoll_every = 100ms\n", "p.ini", ".");
    REQUIRE(too_fast.errors.size() == 1);
    CHECK_THAT(too_fast.errors[0].to_string(), Catch::Contains("poll_every"));
}

TEST_CASE("share scope: what the content sync and the alerts sync each take", "[sync][alerts]")
{
    ShareScope alerts = alerts_scope();
    CHECK(alerts.includes("alerts/fire.txt"));
    CHECK(alerts.includes("alerts/.hidden"));  // in scope; the hidden-name rule skips it
    CHECK_FALSE(alerts.includes("alerts/archive/old.txt"));
    CHECK_FALSE(alerts.includes("alerts"));
    CHECK_FALSE(alerts.includes("alerts/"));
    CHECK_FALSE(alerts.includes("alertsx/fire.txt"));
    CHECK_FALSE(alerts.includes("playlist.ini"));
    ShareScope content = content_scope();
    CHECK(content.includes("playlist.ini"));
    CHECK(content.includes("alerts"));  // a file of that name is content
    CHECK(content.includes("alertsx/fire.txt"));
    CHECK(content.includes("notes/alerts/x.txt"));
    CHECK_FALSE(content.includes("alerts/fire.txt"));
    CHECK_FALSE(content.includes("alerts/archive/old.txt"));
    CHECK(ShareScope{}.includes("alerts/fire.txt"));  // publish: everything
}
