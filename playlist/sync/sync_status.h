// What the player's background sync reports for monitoring: the share's state, the time of the
// last successful sync, the last error. Kept in memory and written to CACHE/status.json.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signage {

enum class ShareState {
    Unknown,      // no sync finished yet
    Reachable,    // the last sync succeeded
    Unreachable,  // the last sync failed: the cache keeps playing
};

std::string_view share_state_name(ShareState state);

struct SyncStatus {
    ShareState state = ShareState::Unknown;
    std::optional<double> last_success;   // wall clock, seconds since the epoch
    std::optional<double> last_attempt;   // when the last sync started
    std::optional<double> syncing_since;  // a sync is running now, since then
    std::string last_error;               // of the last sync; "" when it succeeded
    int failures = 0;                     // syncs failed in a row
    std::string snapshot;                 // the current snapshot after the last success
    // What the last successful sync reported: files refused or not taken (still being copied,
    // not matching the manifest, not playable), playlist items the player will skip.
    std::vector<std::string> warnings;
};

inline constexpr std::string_view kSyncStatusFileName = "status.json";

// One JSON object, one key a line, times as UTC ISO 8601 ("…Z") and as Unix seconds.
std::string sync_status_json(const SyncStatus& status, const std::string& share);

}  // namespace signage
