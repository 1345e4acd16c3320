// When the player syncs its share next, and what it says about it: a poll every `every`
// seconds; after a failure a quick retry that backs off (doubling) up to `every`; a sync soon
// after a change was noticed on the share (debounced: `settle` after the last event, never later
// than the next poll); a log line only when the share's state changes, not on every poll.
// Pure logic on numbers, so tests run hours of polling in microseconds.
#pragma once

#include "playlist/sync/sync_status.h"

#include <optional>
#include <string>

namespace signage {

struct SyncTiming {
    double every = 60;       // poll interval ([content] sync_every)
    double first_retry = 5;  // after the first failure in a row; doubles with each one, up to `every`
    double settle = 2;       // a noticed change is synced this long after its last event
    double first = 1;        // the first sync, this long after start (not competing with the first frame)
};

// For [content] sync_every and settle: retries start at 5 s (a quarter of the interval when that
// is shorter), so a share back after a blip is found within seconds.
SyncTiming sync_timing(double every, double settle);

struct ShareLogLine {
    bool warning = false;
    std::string text;
};

class SyncSchedule {
public:
    SyncSchedule(SyncTiming timing, double now);

    // Steady-clock time the next sync is due.
    double due() const;
    // A change on the share was noticed (inotify).
    void change_noticed(double now);

    // A sync starts now; it covers the changes noticed so far (later ones get their own).
    void started(double now, double wall);
    // It ended. A line to log when the share's state (or the reason it fails) changed.
    std::optional<ShareLogLine> succeeded(double now, double wall, const std::string& snapshot,
                                          std::vector<std::string> warnings = {});
    std::optional<ShareLogLine> failed(double now, const std::string& reason);
    // It could not run (another sync held the cache): the state stays, a retry comes soon.
    void deferred(double now);

    const SyncStatus& status() const { return m_status; }
    // How long after the last failure the next retry comes (0 while syncs succeed).
    double retry_delay() const;

private:
    SyncTiming m_timing;
    SyncStatus m_status;
    double m_poll_due;
    std::optional<double> m_change_due;
};

}  // namespace signage
