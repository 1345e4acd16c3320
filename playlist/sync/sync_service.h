// The player's background sync: a worker that syncs the share into the cache on a schedule
// (sync_schedule.h), tells the player when `current` names a new snapshot, logs once per change
// of the share's state, and keeps CACHE/status.json up to date for monitoring.
//
// The sync itself is a function given by the owner (in the player: a child process, see
// sync_process.h; in tests: a fake). The worker is stopped by a flag that function must honour
// within a moment; were it stuck anyway, the owner does not wait more than a second for it.
#pragma once

#include "playlist/sync/sync_schedule.h"
#include "playlist/sync/sync_status.h"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace signage {

struct SyncOutcome {
    std::optional<std::string> error;   // why it failed; nullopt: the cache is up to date
    // Another sync holds the cache (a `sync --once` from a timer): not the share's fault, so no
    // change of state; tried again soon.
    bool busy = false;
    std::string summary;                // one line about what it did
    std::vector<std::string> warnings;  // files refused or not taken, playlist problems
};

// Runs one sync; returns soon after `stop` becomes true.
using SyncRun = std::function<SyncOutcome(const std::atomic<bool>& stop)>;

enum class SyncLogLevel { Debug, Info, Warning };

struct SyncServiceOptions {
    SyncTiming timing;
    std::string share;  // named in the status
    std::string cache;  // CACHE: its `current` is followed, status.json written there
    // False: no status.json (the alerts sync, which runs every second: two fsyncs a second for
    // ever would wear a flash card; the content sync's status tells whether the share is there).
    bool write_status = true;
    // The snapshot folder the player started with ("" = none yet: built-in content).
    std::string snapshot_on_screen;
    std::function<void(SyncLogLevel, const std::string&)> log;
    // A sync made `current` name another snapshot (its folder); runs on the worker.
    std::function<void(const std::string& snapshot_dir)> on_new_snapshot;
    // Logged after "snapshot <id> synced: " when it does: what becomes of it.
    std::string new_snapshot_note = "it takes over at the end of the item on screen";
    // Wall clock, seconds since the epoch (tests set it); default: the system clock.
    std::function<double()> wall_clock;
};

class SyncService {
public:
    SyncService(SyncServiceOptions options, SyncRun run);
    ~SyncService();
    SyncService(const SyncService&) = delete;
    SyncService& operator=(const SyncService&) = delete;

    // A change on the share was noticed: sync soon (after `settle`), not at the next poll.
    void change_noticed();
    // Tells the worker to stop (a sync running is killed), without waiting. The destructor waits
    // for it at most a second from the first request: an owner of several services asks them all
    // first, so that their waits overlap (one second in all, not one each).
    void request_stop();
    SyncStatus status() const;

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;  // shared with the worker, which may outlive us if stuck
};

}  // namespace signage
