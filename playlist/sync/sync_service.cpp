#include "playlist/sync/sync_service.h"

#include "playlist/base/atomic_file.h"
#include "playlist/share/snapshot_cache.h"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

namespace signage {

namespace fs = std::filesystem;

namespace {

double steady_now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double system_now()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

struct SyncService::Shared {
    Shared(SyncServiceOptions o, SyncRun r) : options(std::move(o)), run(std::move(r)), schedule(options.timing, steady_now())
    {
        if (!options.wall_clock)
            options.wall_clock = system_now;
        handed = options.snapshot_on_screen;
    }

    SyncServiceOptions options;
    SyncRun run;
    mutable std::mutex mutex;
    std::condition_variable wake;
    std::atomic<bool> stop{false};
    std::chrono::steady_clock::time_point stop_deadline;  // the owner waits for the worker until then
    bool finished = false;
    SyncSchedule schedule;
    std::string handed;                       // the snapshot folder the player has (or is getting)
    std::vector<std::string> last_warnings;  // logged once, again only when they change
    std::string status_error;                // the status file's own trouble, logged once

    // Called with `mutex` held, and only before the owner stops: the callbacks refer to its objects.
    void log(SyncLogLevel level, const std::string& text) const
    {
        if (options.log && !stop)
            options.log(level, text);
    }

    // Outside the lock: an fsync on a busy disk must not hold up change_noticed() or status().
    void write_status(const SyncStatus& status)
    {
        if (!options.write_status)
            return;
        std::string path = (fs::path(options.cache) / kSyncStatusFileName).string();
        std::error_code ec;
        fs::create_directories(options.cache, ec);
        Status written = write_file_atomically(path, sync_status_json(status, options.share));
        std::string trouble = written ? "" : written.error().to_string();
        std::lock_guard lock(mutex);
        if (trouble != status_error && !trouble.empty())
            log(SyncLogLevel::Warning, "cannot write the sync status: " + trouble);
        status_error = trouble;
    }

    void work();
    void report(const SyncOutcome& outcome);

    // With `mutex` held. The sync honours `stop` within a moment (a child process is killed).
    // Should it not, it is left behind a second later: the player must still end within 2 s of
    // SIGTERM, however many services it stops.
    void ask_to_stop()
    {
        if (!stop)
            stop_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        stop = true;
        wake.notify_all();
    }
};

void SyncService::Shared::work()
{
    std::unique_lock lock(mutex);
    while (!stop) {
        double now = steady_now();
        double due = schedule.due();
        if (now < due) {
            wake.wait_for(lock, std::chrono::duration<double>(due - now));
            continue;
        }
        schedule.started(now, options.wall_clock());
        SyncStatus running = schedule.status();
        lock.unlock();
        write_status(running);
        SyncOutcome outcome = run(stop);
        lock.lock();
        if (stop)
            break;
        report(outcome);
        SyncStatus done = schedule.status();
        lock.unlock();
        write_status(done);
        lock.lock();
    }
    finished = true;
    wake.notify_all();
}

void SyncService::Shared::report(const SyncOutcome& outcome)
{
    double now = steady_now();
    if (outcome.busy) {
        schedule.deferred(now);
        log(SyncLogLevel::Debug, "sync deferred: " + outcome.error.value_or("another sync is running"));
        return;
    }
    if (outcome.error) {
        if (auto line = schedule.failed(now, *outcome.error))
            log(line->warning ? SyncLogLevel::Warning : SyncLogLevel::Info, line->text);
        else
            log(SyncLogLevel::Debug, "sync failed again: " + *outcome.error);
        return;
    }
    // The cache is up to date; `current` may name a new snapshot, made by this sync or by a
    // `sync --once` run from a timer meanwhile.
    std::string current = current_snapshot_dir(options.cache).value_or("");
    std::string id = current.empty() ? "" : fs::path(current).filename().string();
    auto line = schedule.succeeded(now, options.wall_clock(), id, outcome.warnings);
    bool is_new = !current.empty() && current != handed;
    if (!outcome.summary.empty())
        log(is_new ? SyncLogLevel::Info : SyncLogLevel::Debug, outcome.summary);
    if (outcome.warnings != last_warnings) {
        for (const auto& warning : outcome.warnings)
            log(SyncLogLevel::Warning, warning);
        last_warnings = outcome.warnings;
    }
    if (line)
        log(line->warning ? SyncLogLevel::Warning : SyncLogLevel::Info, line->text);
    if (is_new) {
        handed = current;
        log(SyncLogLevel::Info, "snapshot " + id + " synced: " + options.new_snapshot_note);
        if (options.on_new_snapshot && !stop)
            options.on_new_snapshot(current);
    }
}

SyncService::SyncService(SyncServiceOptions options, SyncRun run)
    : m_shared(std::make_shared<Shared>(std::move(options), std::move(run)))
{
    std::thread([shared = m_shared] { shared->work(); }).detach();
}

SyncService::~SyncService()
{
    std::unique_lock lock(m_shared->mutex);
    m_shared->ask_to_stop();
    m_shared->wake.wait_until(lock, m_shared->stop_deadline, [&] { return m_shared->finished; });
}

void SyncService::request_stop()
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->ask_to_stop();
}

void SyncService::change_noticed()
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->schedule.change_noticed(steady_now());
    m_shared->wake.notify_all();
}

SyncStatus SyncService::status() const
{
    std::lock_guard lock(m_shared->mutex);
    return m_shared->schedule.status();
}

}  // namespace signage
