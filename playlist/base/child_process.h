// A helper process the caller can always walk away from: its standard output and error
// captured, killed (SIGKILL) when it overruns its time or the caller is asked to stop. The
// player's background sync runs this way because a stat() on a hung network mount can block
// for ever: a process can be killed, a thread cannot.
#pragma once

#include "playlist/base/error.h"

#include <atomic>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace signage {

struct ChildRun {
    enum class End {
        Exited,     // `status` is its exit status
        Signalled,  // `status` is the signal that ended it
        TimedOut,   // killed: still running after the timeout
        Stopped,    // killed: the caller was asked to stop
    };
    End end = End::Exited;
    int status = 0;
    std::string output;   // what it wrote (standard error and output), the last 64 KB
    pid_t pid = -1;
    bool reaped = true;   // false: killed, but still there after a grace period (stuck in the kernel)
};

// The descriptor a child gets `pass_fd` as (the answer of a sync: sync_result.h).
inline constexpr int kChildPassedFd = 3;

// Runs argv[0] (a path) with argv, standard input from /dev/null, the caller's environment,
// default signal handling and no inherited descriptors but `pass_fd` (>= 0), which it gets as
// kChildPassedFd. Fails only when it cannot be started.
Result<ChildRun> run_child(const std::vector<std::string>& argv, double timeout_seconds,
                           const std::atomic<bool>& stop, int pass_fd = -1);

// For a child run_child left unreaped: true once it has ended (and is reaped now).
bool reap_child(pid_t pid);

// "signal 11 (Segmentation fault)": how a child ended by `signal` is told in messages.
std::string signal_text(int signal);

// This very program, to run one of its own commands as a child.
// Resolved when called, so after a package upgrade replaced the file on disk the new one runs.
std::string own_program();

// The program `name` in the folder of this very program: the two binaries, signage-player and
// signage-sync, run each other so (`sync --once` in the background of `play`, the media `probe`
// of a sync); they are built into one folder and installed into one. Not checked for existence.
std::string program_beside_me(std::string_view name);

}  // namespace signage
