#include "playlist/sync/sync_process.h"

#include "playlist/base/file_io.h"
#include "playlist/base/posix_handles.h"
#include "playlist/sync/sync_result.h"

#include <algorithm>
#include <cstdio>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace signage {

namespace {

std::string seconds_text(double seconds)
{
    char text[32];
    std::snprintf(text, sizeof text, "%g s", seconds);
    return text;
}

// The last non-empty line of `output`, quoted in a message when the child left no result.
std::string_view last_line(std::string_view output)
{
    while (!output.empty() && (output.back() == '\n' || output.back() == '\r'))
        output.remove_suffix(1);
    size_t end = output.rfind('\n');
    return end == std::string_view::npos ? output : output.substr(end + 1);
}

// The result a child wrote into `fd` (the file offset it shares with the child rewound), at
// most kMaxSyncResultBytes and one more byte, so that a larger one is refused as such.
std::string read_result(int fd)
{
    struct stat info {};
    if (::fstat(fd, &info) != 0 || info.st_size <= 0)
        return "";
    std::string text(std::min<size_t>(static_cast<size_t>(info.st_size), kMaxSyncResultBytes + 1), '\0');
    ssize_t got = ::lseek(fd, 0, SEEK_SET) == 0 ? read_full(fd, text.data(), text.size()) : -1;
    text.resize(got > 0 ? static_cast<size_t>(got) : 0);
    return text;
}

}  // namespace

SyncOutcome sync_outcome(const ChildRun& run, std::string_view result, double timeout_seconds)
{
    SyncOutcome out;
    switch (run.end) {
    case ChildRun::End::Exited: {
        if (!result.empty()) {
            auto parsed = parse_sync_result(result);
            if (parsed)
                return std::move(*parsed);
            out.error = parsed.error().to_string() + " (exit status " + std::to_string(run.status) + ")";
            return out;
        }
        // No result: it could not load, or its command line or config was refused before the
        // sync began (it writes a result from then on).
        std::string text = "sync exited with status " + std::to_string(run.status) + " without a result";
        if (std::string_view line = last_line(run.output); !line.empty())
            text += ": " + std::string(line);
        out.error = text;
        break;
    }
    case ChildRun::End::Signalled: out.error = "sync ended by " + signal_text(run.status); break;
    case ChildRun::End::TimedOut:
        out.error = "sync did not finish within " + seconds_text(timeout_seconds) +
                    " ([content] sync_timeout); stopped it. A hung network mount?";
        break;
    case ChildRun::End::Stopped: out.error = "sync stopped: the player is ending"; break;
    }
    return out;
}

SyncProcess::SyncProcess(std::vector<std::string> argv, double timeout_seconds)
    : m_argv(std::move(argv)), m_timeout(timeout_seconds)
{
    m_argv.push_back("--result-fd");
    m_argv.push_back(std::to_string(kChildPassedFd));
}

SyncOutcome SyncProcess::run(const std::atomic<bool>& stop)
{
    if (m_stuck) {
        if (!reap_child(*m_stuck)) {
            SyncOutcome out;
            out.error = "the sync stopped before (process " + std::to_string(*m_stuck) +
                        ") is still stuck in the kernel, a hung network mount?; no new one until it ends";
            return out;
        }
        m_stuck.reset();
    }
    // Above the descriptors a child gets (0 to 3), so that run_child's dup2 makes a copy.
    UniqueFd made(::memfd_create("signage-sync-result", MFD_CLOEXEC));
    UniqueFd result(made.valid() ? ::fcntl(made.get(), F_DUPFD_CLOEXEC, 10) : -1);
    if (!result.valid()) {
        SyncOutcome out;
        out.error = os_error("memfd", "create the sync's result", errno).to_string();
        return out;
    }
    made.reset();
    auto run = run_child(m_argv, m_timeout, stop, result.get());
    if (!run) {
        SyncOutcome out;
        out.error = run.error().to_string();
        return out;
    }
    if (!run->reaped)
        m_stuck = run->pid;
    // Read only once it has ended: a killed child's half-written result is not one.
    std::string text = run->end == ChildRun::End::Exited ? read_result(result.get()) : std::string();
    return sync_outcome(*run, text, m_timeout);
}

}  // namespace signage
