// One sync of the share as a child process: `signage-player sync --once --config FILE`, run by
// the player's background sync (sync_service.h).
//
// Why a process and not a thread: a stat() or read() on a hung network mount can block for
// ever, and a thread cannot be cancelled. A blocked thread would also keep the process from
// exiting (exit waits for every thread to leave the kernel), so SIGTERM could not end the player
// in time. A child process is killed with SIGKILL when it overruns [content] sync_timeout or
// when the player stops, and the player never waits for it beyond a short grace. A crash or a
// leak in the sync cannot take the screen down either. The price: a fork-exec per poll (a few ms
// with posix_spawn) and reading the result from the child's log lines.
#pragma once

#include "playlist/child_process.h"
#include "playlist/sync_service.h"

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace signage {

class SyncProcess {
public:
    // `argv`: the program (a path) and its arguments; `timeout`: seconds a sync may take.
    SyncProcess(std::vector<std::string> argv, double timeout_seconds);

    SyncOutcome run(const std::atomic<bool>& stop);

private:
    std::vector<std::string> m_argv;
    double m_timeout;
    std::optional<pid_t> m_stuck;  // a killed sync that has not ended: no second one meanwhile
};

// What a `sync --once` run said, from its exit and its log lines ("[time ]signage-player
// <level>: <message>", player/log.cpp): the error line names why it failed, warnings name files
// refused or not taken, the "sync: …" line sums it up; "another sync is using this cache" (the
// lock held by a `sync --once` from a timer) makes it `busy`, not a failure.
SyncOutcome sync_outcome(const ChildRun& run, double timeout_seconds);

}  // namespace signage
