// `publish DIR`: the manifest of a share, written by whoever puts content on it, so players can
// tell a complete file from one still being copied (and a share served over HTTP needs it).
#pragma once

#include "playlist/base/error.h"
#include "playlist/share/share_scan.h"

#include <string>
#include <vector>

namespace signage {

struct PublishReport {
    std::string manifest;  // DIR/manifest.txt
    size_t files = 0;
    uint64_t bytes = 0;
    std::vector<Error> refused;  // what players will refuse too (see share_scan.h)
    size_t hidden_skipped = 0;
};

// Hashes every file a player would sync from `dir` (the manifest itself excepted) and replaces
// DIR/manifest.txt atomically. Fails, writing nothing, when a file changes while it is hashed.
Result<PublishReport> publish_manifest(const std::string& dir, const ScanLimits& limits);

}  // namespace signage
