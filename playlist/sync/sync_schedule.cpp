#include "playlist/sync/sync_schedule.h"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace signage {

SyncTiming sync_timing(double every, double settle)
{
    SyncTiming timing;
    timing.every = every;
    timing.first_retry = std::min(5.0, every / 4);
    timing.settle = settle;
    timing.first = std::min(1.0, every);
    return timing;
}

SyncSchedule::SyncSchedule(SyncTiming timing, double now) : m_timing(timing), m_poll_due(now + timing.first) {}

double SyncSchedule::due() const
{
    return m_change_due ? std::min(m_poll_due, *m_change_due) : m_poll_due;
}

void SyncSchedule::change_noticed(double now)
{
    // Each event pushes the sync back: a copy of many files is synced once, when it is done. The
    // poll still comes on time, so a share that never stops changing is synced anyway.
    m_change_due = now + m_timing.settle;
}

void SyncSchedule::started(double, double wall)
{
    m_change_due.reset();
    m_status.last_attempt = wall;
    m_status.syncing_since = wall;
}

double SyncSchedule::retry_delay() const
{
    if (m_status.failures == 0)
        return 0;
    // 5, 10, 20, 40, 60, 60… for the default minute; exponent capped so the double stays finite.
    double delay = m_timing.first_retry * std::pow(2.0, std::min(m_status.failures - 1, 30));
    return std::min(delay, m_timing.every);
}

std::optional<ShareLogLine> SyncSchedule::succeeded(double now, double wall, const std::string& snapshot,
                                                    std::vector<std::string> warnings)
{
    ShareState before = m_status.state;
    std::optional<double> last_success = m_status.last_success;
    m_status.state = ShareState::Reachable;
    m_status.last_success = wall;
    m_status.syncing_since.reset();
    m_status.last_error.clear();
    m_status.failures = 0;
    m_status.snapshot = snapshot;
    m_status.warnings = std::move(warnings);
    m_poll_due = now + m_timing.every;
    if (before != ShareState::Unreachable)
        return std::nullopt;
    std::string since = "no sync had succeeded before";
    if (last_success) {
        std::time_t whole = static_cast<std::time_t>(*last_success);
        std::tm utc{};
        ::gmtime_r(&whole, &utc);
        char text[40];
        std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
        since = std::string("last successful sync before: ") + text;
    }
    return ShareLogLine{false, "share reachable again (" + since + ")"};
}

void SyncSchedule::deferred(double now)
{
    m_status.syncing_since.reset();
    m_poll_due = now + m_timing.first_retry;
}

std::optional<ShareLogLine> SyncSchedule::failed(double now, const std::string& reason)
{
    ShareState before = m_status.state;
    std::string before_reason = m_status.last_error;
    m_status.state = ShareState::Unreachable;
    m_status.syncing_since.reset();
    m_status.last_error = reason;
    ++m_status.failures;
    m_poll_due = now + retry_delay();
    if (before == ShareState::Unreachable && before_reason == reason)
        return std::nullopt;
    return ShareLogLine{true, "share unreachable: " + reason};
}

}  // namespace signage
