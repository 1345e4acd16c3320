// The background sync's worker with a fake sync: what it logs, what it hands over, its status
// file, and that its owner never waits for a stuck sync. Short real intervals (tens of ms).
#include "playlist/base/file_io.h"
#include "playlist/sync/sync_service.h"
#include "tests/unit/eventually.h"
#include "tests/unit/temp_dir.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

using namespace signage;
using signage::testing::eventually;
namespace fs = std::filesystem;

namespace {

// Log lines and handed snapshots, shared with the worker thread.
struct Recorder {
    std::mutex mutex;
    std::vector<std::string> lines;
    std::vector<std::string> handed;

    void log(SyncLogLevel level, const std::string& text)
    {
        std::lock_guard lock(mutex);
        const char* name = level == SyncLogLevel::Warning ? "warning: " : level == SyncLogLevel::Info ? "info: " : "debug: ";
        lines.push_back(name + text);
    }
    size_t count(const std::string& start)
    {
        std::lock_guard lock(mutex);
        size_t n = 0;
        for (const auto& line : lines)
            n += line.starts_with(start);
        return n;
    }
    std::vector<std::string> snapshots()
    {
        std::lock_guard lock(mutex);
        return handed;
    }
};

// Makes CACHE/current name snapshots/<id>, as a sync would.
void make_current(const fs::path& cache, const std::string& id)
{
    fs::create_directories(cache / "snapshots" / id);
    fs::remove(cache / "current.tmp");
    fs::create_directory_symlink("snapshots/" + id, cache / "current.tmp");
    fs::rename(cache / "current.tmp", cache / "current");
}

SyncServiceOptions fast_options(const fs::path& cache, Recorder& recorder)
{
    SyncServiceOptions options;
    options.timing.every = 0.2;
    options.timing.first_retry = 0.01;
    options.timing.settle = 0.01;
    options.timing.first = 0;
    options.share = "/mnt/share";
    options.cache = cache.string();
    options.log = [&recorder](SyncLogLevel level, const std::string& text) { recorder.log(level, text); };
    options.on_new_snapshot = [&recorder](const std::string& dir) {
        std::lock_guard lock(recorder.mutex);
        recorder.handed.push_back(dir);
    };
    return options;
}

}  // namespace

TEST_CASE("service: unreachable logged once over many failures, reachable again once, status file",
          "[sync-service]")
{
    testing::TempDir temp;
    fs::path cache = temp.path / "cache";
    Recorder recorder;
    std::atomic<int> calls{0};
    std::atomic<bool> share_back{false};
    SyncService service(fast_options(cache, recorder), [&](const std::atomic<bool>&) {
        ++calls;
        SyncOutcome out;
        if (!share_back)
            out.error = "/mnt/share: cannot open the share's top folder: No such file or directory";
        else
            make_current(cache, "A");
        return out;
    });
    // Retries back off from 10 ms up to the 200 ms interval: 6 attempts take about half a second.
    REQUIRE(eventually([&] { return calls >= 6; }));
    CHECK(service.status().state == ShareState::Unreachable);
    CHECK(service.status().failures >= 6);
    CHECK_FALSE(service.status().last_success);
    CHECK(recorder.count("warning: share unreachable: /mnt/share: cannot open") == 1);
    auto status_text = read_file_limited((cache / "status.json").string(), 4096);
    REQUIRE(status_text);
    CHECK(status_text->find("\"state\": \"unreachable\"") != std::string::npos);
    CHECK(status_text->find("No such file or directory") != std::string::npos);

    share_back = true;
    REQUIRE(eventually([&] { return recorder.count("info: share reachable again") == 1; }));
    REQUIRE(eventually([&] { return recorder.snapshots().size() == 1; }));
    CHECK(recorder.snapshots()[0] == (cache / "snapshots" / "A").string());
    REQUIRE(eventually([&] {
        auto text = read_file_limited((cache / "status.json").string(), 4096);
        return text && text->find("\"state\": \"reachable\"") != std::string::npos &&
               text->find("\"snapshot\": \"A\"") != std::string::npos;
    }));
    int seen = calls;
    REQUIRE(eventually([&] { return calls >= seen + 2; }));  // polls go on, quietly
    CHECK(recorder.count("info: share reachable again") == 1);
    CHECK(recorder.count("warning: share unreachable") == 1);
    CHECK(recorder.snapshots().size() == 1);  // the same snapshot is not handed over twice
    SyncStatus status = service.status();
    CHECK(status.failures == 0);
    CHECK(status.last_error.empty());
    REQUIRE(status.last_success);
}

TEST_CASE("service: hands over each new current snapshot once, not the one on screen", "[sync-service]")
{
    testing::TempDir temp;
    fs::path cache = temp.path / "cache";
    make_current(cache, "A");
    Recorder recorder;
    SyncServiceOptions options = fast_options(cache, recorder);
    options.snapshot_on_screen = (cache / "snapshots" / "A").string();
    std::atomic<int> calls{0};
    SyncService service(options, [&](const std::atomic<bool>&) {
        ++calls;
        SyncOutcome out;
        out.summary = "sync: up to date";
        out.warnings = {"share/x.png: refused"};
        return out;
    });
    REQUIRE(eventually([&] { return calls >= 3; }));
    CHECK(recorder.snapshots().empty());
    CHECK(recorder.count("warning: share/x.png: refused") == 1);  // the same warnings: once
    CHECK(recorder.count("debug: sync: up to date") >= 2);

    make_current(cache, "B");  // e.g. `sync --once` run from a timer
    REQUIRE(eventually([&] { return recorder.snapshots().size() == 1; }));
    CHECK(recorder.snapshots()[0] == (cache / "snapshots" / "B").string());
    CHECK(recorder.count("info: sync: up to date") == 1);  // the summary of a new snapshot is news
}

TEST_CASE("service: a noticed change syncs at once instead of at the next poll", "[sync-service]")
{
    testing::TempDir temp;
    Recorder recorder;
    SyncServiceOptions options = fast_options(temp.path / "cache", recorder);
    options.timing.every = 3600;
    std::atomic<int> calls{0};
    SyncService service(options, [&](const std::atomic<bool>&) {
        ++calls;
        return SyncOutcome{};
    });
    REQUIRE(eventually([&] { return calls == 1; }));  // the first one, at start
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(calls == 1);
    service.change_noticed();
    REQUIRE(eventually([&] { return calls == 2; }, 2));
}

TEST_CASE("service: its owner waits for a sync that honours stop, and not long for one that is stuck",
          "[sync-service]")
{
    testing::TempDir temp;
    Recorder recorder;
    std::atomic<bool> running{false};
    {
        auto honest = std::make_unique<SyncService>(
            fast_options(temp.path / "cache", recorder), [&running](const std::atomic<bool>& stop) {
                running = true;
                while (!stop)
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                return SyncOutcome{};
            });
        REQUIRE(eventually([&] { return running.load(); }));
        auto start = std::chrono::steady_clock::now();
        honest.reset();
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(300));
    }
    // Stuck: ignores stop (a thread in a hung stat). Captures nothing of this scope: it outlives it.
    auto stuck_running = std::make_shared<std::atomic<bool>>(false);
    Recorder quiet;
    SyncServiceOptions options = fast_options(temp.path / "cache2", quiet);
    options.log = nullptr;
    options.on_new_snapshot = nullptr;
    auto stuck = std::make_unique<SyncService>(options, [stuck_running](const std::atomic<bool>&) {
        *stuck_running = true;
        std::this_thread::sleep_for(std::chrono::seconds(2));
        return SyncOutcome{};
    });
    REQUIRE(eventually([&] { return stuck_running->load(); }));
    auto start = std::chrono::steady_clock::now();
    stuck.reset();
    double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(waited >= 0.9);
    CHECK(waited < 1.5);
}

TEST_CASE("service: a sync kept out by another one holding the cache is no failure", "[sync-service]")
{
    testing::TempDir temp;
    Recorder recorder;
    std::atomic<int> calls{0};
    SyncService service(fast_options(temp.path / "cache", recorder), [&](const std::atomic<bool>&) {
        ++calls;
        SyncOutcome out;
        out.error = "another sync is using this cache";
        out.busy = true;
        return out;
    });
    REQUIRE(eventually([&] { return calls >= 3; }));
    CHECK(recorder.count("warning:") == 0);
    CHECK(service.status().state == ShareState::Unknown);
    CHECK(service.status().failures == 0);
}

TEST_CASE("service: the alerts sync's: no status file, its own word for a new snapshot", "[sync-service]")
{
    testing::TempDir temp;
    fs::path cache = temp.path / "cache";
    Recorder recorder;
    SyncServiceOptions options = fast_options(cache, recorder);
    options.write_status = false;
    options.new_snapshot_note = "its alerts are shown now";
    std::atomic<int> calls{0};
    SyncService service(options, [&](const std::atomic<bool>&) {
        if (++calls == 2)
            make_current(cache, "A");
        return SyncOutcome{};
    });
    REQUIRE(eventually([&] { return recorder.snapshots().size() == 1; }));
    CHECK(recorder.count("info: snapshot A synced: its alerts are shown now") == 1);
    CHECK_FALSE(fs::exists(cache / "status.json"));
}

TEST_CASE("service: two stuck services asked to stop together cost their owner one wait, not two",
          "[sync-service]")
{
    testing::TempDir temp;
    std::vector<std::unique_ptr<SyncService>> services;
    auto running = std::make_shared<std::atomic<int>>(0);
    for (const char* name : {"cache", "cache/alerts"}) {
        Recorder quiet;
        SyncServiceOptions options = fast_options(temp.path / name, quiet);
        options.log = nullptr;
        options.on_new_snapshot = nullptr;
        services.push_back(std::make_unique<SyncService>(options, [running](const std::atomic<bool>&) {
            ++*running;
            std::this_thread::sleep_for(std::chrono::seconds(2));
            return SyncOutcome{};
        }));
    }
    REQUIRE(eventually([&] { return *running == 2; }));
    auto start = std::chrono::steady_clock::now();
    for (auto& service : services)
        service->request_stop();
    services.clear();
    double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(waited >= 0.9);
    CHECK(waited < 1.5);
}
