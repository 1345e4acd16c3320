#include "playlist/sync/sync_status.h"

#include "playlist/base/json.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace signage {

std::string_view share_state_name(ShareState state)
{
    switch (state) {
    case ShareState::Unknown: return "unknown";
    case ShareState::Reachable: return "reachable";
    case ShareState::Unreachable: return "unreachable";
    }
    return "?";
}

namespace {

std::string json_time(const std::optional<double>& seconds)
{
    if (!seconds)
        return "null";
    std::time_t whole = static_cast<std::time_t>(std::floor(*seconds));
    std::tm utc{};
    ::gmtime_r(&whole, &utc);
    char text[40];
    std::strftime(text, sizeof text, "\"%Y-%m-%dT%H:%M:%SZ\"", &utc);
    return text;
}

std::string json_unix(const std::optional<double>& seconds)
{
    return seconds ? std::to_string(static_cast<long long>(std::floor(*seconds))) : "null";
}

}  // namespace

std::string sync_status_json(const SyncStatus& status, const std::string& share)
{
    std::string out = "{\n";
    out += "  \"share\": " + json_string(share) + ",\n";
    out += "  \"state\": " + json_string(share_state_name(status.state)) + ",\n";
    out += "  \"last_success\": " + json_time(status.last_success) + ",\n";
    out += "  \"last_success_unix\": " + json_unix(status.last_success) + ",\n";
    out += "  \"last_attempt\": " + json_time(status.last_attempt) + ",\n";
    out += "  \"syncing_since\": " + json_time(status.syncing_since) + ",\n";
    out += "  \"failures\": " + std::to_string(status.failures) + ",\n";
    out += "  \"last_error\": " + json_string(status.last_error) + ",\n";
    out += "  \"snapshot\": " + json_string(status.snapshot) + ",\n";
    out += "  \"warnings\": [";
    for (size_t i = 0; i < status.warnings.size(); ++i)
        out += std::string(i == 0 ? "\n" : ",\n") + "    " + json_string(status.warnings[i]);
    out += status.warnings.empty() ? "]\n" : "\n  ]\n";
    return out + "}\n";
}

}  // namespace signage
