// One sync of the share as a child process: `signage-sync sync --once --config FILE
// --result-fd 3`, run by the player's background sync (sync_service.h).
//
// Why a process and not a thread: a stat() or read() on a hung network mount can block for
// ever, and a thread cannot be cancelled. A blocked thread would also keep the process from
// exiting (exit waits for every thread to leave the kernel), so SIGTERM could not end the player
// in time. A child process is killed with SIGKILL when it overruns [content] sync_timeout or
// when the player stops, and the player never waits for it beyond a short grace. A crash or a
// leak in the sync cannot take the screen down either. The price: a fork-exec per poll (a few ms
// with posix_spawn, the lean signage-sync binary loading no SDL or FFmpeg).
//
// The child answers with a structured result (sync_result.h) written to descriptor 3, a memfd
// the player reads after the child has ended: no temporary file, and no pipe the child could
// fill and block on. Its log lines are captured but never parsed: the last one is quoted, for
// people, only when the child ended without a result.
#pragma once

#include "playlist/base/child_process.h"
#include "playlist/sync/sync_service.h"

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace signage {

class SyncProcess {
public:
    // `argv`: the program (a path) and its arguments, to which `--result-fd 3` is added;
    // `timeout`: seconds a sync may take.
    SyncProcess(std::vector<std::string> argv, double timeout_seconds);

    SyncOutcome run(const std::atomic<bool>& stop);

private:
    std::vector<std::string> m_argv;
    double m_timeout;
    std::optional<pid_t> m_stuck;  // a killed sync that has not ended: no second one meanwhile
};

// What a `sync --once --result-fd` run said: from the result it wrote (`result`, "" when none),
// or, without one, from how it ended (killed at the timeout, crashed, exited with a status; then
// its last line of output is quoted for people, not interpreted).
SyncOutcome sync_outcome(const ChildRun& run, std::string_view result, double timeout_seconds);

}  // namespace signage
