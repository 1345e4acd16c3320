#include "playlist/sync_process.h"

#include <cstdio>
#include <cstring>
#include <signal.h>
#include <string_view>

namespace signage {

namespace {

struct LogLine {
    std::string_view level;  // "" for a line that is not one of the log's
    std::string_view message;
};

LogLine parse_log_line(std::string_view line)
{
    constexpr std::string_view kPrefix = "signage-player ";
    size_t at = line.find(kPrefix);
    if (at == std::string_view::npos)
        return {"", line};
    std::string_view rest = line.substr(at + kPrefix.size());
    size_t colon = rest.find(": ");
    if (colon == std::string_view::npos)
        return {"", line};
    std::string_view level = rest.substr(0, colon);
    if (level != "error" && level != "warning" && level != "info" && level != "debug")
        return {"", line};
    return {level, rest.substr(colon + 2)};
}

std::string seconds_text(double seconds)
{
    char text[32];
    std::snprintf(text, sizeof text, "%g s", seconds);
    return text;
}

}  // namespace

SyncOutcome sync_outcome(const ChildRun& run, double timeout_seconds)
{
    SyncOutcome out;
    std::string last_error;
    std::string last_other;
    std::string_view text = run.output;
    while (!text.empty()) {
        size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (line.empty())
            continue;
        LogLine parsed = parse_log_line(line);
        if (parsed.level == "error")
            last_error = parsed.message;
        else if (parsed.level == "warning")
            out.warnings.emplace_back(parsed.message);
        else if (parsed.level == "info" && parsed.message.starts_with("sync: "))
            out.summary = parsed.message;
        else if (parsed.level.empty())
            last_other = line;  // e.g. a config error, printed as it is
    }
    constexpr std::string_view kFailed = "sync failed: ";
    if (last_error.starts_with(kFailed))
        last_error.erase(0, kFailed.size());
    std::string said = !last_error.empty() ? last_error : last_other;
    // SnapshotCache::open's words when another sync holds the cache's lock.
    out.busy = run.end == ChildRun::End::Exited && run.status != 0 &&
               said.find("another sync is using this cache") != std::string::npos;

    switch (run.end) {
    case ChildRun::End::Exited:
        if (run.status != 0)
            out.error = !said.empty() ? said : "sync exited with status " + std::to_string(run.status);
        break;
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
    auto run = run_child(m_argv, m_timeout, stop);
    if (!run) {
        SyncOutcome out;
        out.error = run.error().to_string();
        return out;
    }
    if (!run->reaped)
        m_stuck = run->pid;
    return sync_outcome(*run, m_timeout);
}

}  // namespace signage
