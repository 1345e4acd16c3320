// What one `signage-sync sync --once --result-fd N` tells the player that ran it (sync_process.h):
// a JSON object written to descriptor N when the sync is over, so the parent never reads the
// child's log lines for it. Documented in docs/sync.md:
//
//   {"signage_sync_result": 1, "result": "ok" | "failed" | "busy", "reason": "why not ok",
//    "summary": "one line about what it did", "warnings": ["file refused or not taken", …]}
//
// "busy": another sync held the cache (a `sync --once` from a timer), not the share's fault.
// A child that ends without writing one (killed, crashed, could not start) is told by its exit.
#pragma once

#include "playlist/base/error.h"
#include "playlist/sync/sync_service.h"

#include <string>
#include <string_view>

namespace signage {

inline constexpr int kSyncResultVersion = 1;
// A result larger than this is refused (the warnings of a huge share are cut before).
inline constexpr size_t kMaxSyncResultBytes = 4 << 20;

std::string sync_result_json(const SyncOutcome& outcome);

// The outcome a result holds; an error when it is not one (for people: what is wrong with it).
Result<SyncOutcome> parse_sync_result(std::string_view json);

}  // namespace signage
