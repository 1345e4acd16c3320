// One file of an HTTP share downloaded into the cache's partial/ folder, named by its SHA-256
// (a name the manifest parser has checked: 64 hex digits, never a path). What an earlier sync
// left there is resumed with a Range request (206), or restarted when the server ignores the
// range (200); the manifest's size is enforced on the way, so a server that sends more is cut
// off. The caller compares the checksum with the manifest's.
#pragma once

#include "playlist/error.h"
#include "playlist/http_client.h"
#include "playlist/manifest.h"

#include <cstdint>
#include <string>
#include <vector>

namespace signage {

struct Download {
    std::string sha256;     // of the complete file, which is then partial/<entry.sha256>
    std::string not_taken;  // why the server's answer cannot be taken this time
    // The transfer broke after some bytes arrived; what came is kept for the next sync.
    bool resumable = false;
    bool cancelled = false;
    bool resumed = false;   // a Range request continued an earlier download
    uint64_t bytes = 0;     // received by this call
};

// `dir_fd` is CACHE/partial (`dir_name` its path, for messages). An error is trouble with the
// cache, or a server that cannot be reached at all (the sync fails); a server that answers
// badly about this one file gives Download::not_taken.
Result<Download> download_to_partial(HttpClient& client, const std::string& url, const ManifestEntry& entry,
                                     int dir_fd, const std::string& dir_name, std::vector<char>& buffer);

}  // namespace signage
