// One file of an HTTP share downloaded into the cache's partial/ folder, named by its SHA-256
// (a name the manifest parser has checked: 64 hex digits, never a path). A download cut off is
// resumed at once with a Range request (206), after a short pause, a few times; what an earlier
// sync left there (one that failed) is resumed the same way. A server that ignores the range
// (200) gets a clean restart. The manifest's size is enforced on the way, so a server that sends
// more is cut off. The caller compares the checksum with the manifest's.
#pragma once

#include "playlist/base/error.h"
#include "playlist/share/http_client.h"
#include "playlist/share/manifest.h"

#include <cstdint>
#include <string>
#include <vector>

namespace signage {

struct Download {
    std::string sha256;     // of the complete file, which is then partial/<entry.sha256>
    std::string not_taken;  // why the server's answer cannot be taken this time
    bool cancelled = false;
    int cuts = 0;        // transfers cut off and resumed
    uint64_t bytes = 0;  // received by this call, over all its requests
};

// Resumes after a cut: at most this many, each after a pause twice as long as the one before.
inline constexpr int kDownloadResumes = 3;
inline constexpr double kFirstResumePauseSeconds = 0.5;

// `dir_fd` is CACHE/partial (`dir_name` its path, for messages). An error is trouble with the
// cache, or a server that cannot be reached, or whose downloads break off again and again: the
// sync fails (what came stays in partial/ for the next one). A server that answers badly about
// this one file gives Download::not_taken.
Result<Download> download_to_partial(HttpClient& client, const std::string& url, const ManifestEntry& entry,
                                     int dir_fd, const std::string& dir_name, std::vector<char>& buffer);

}  // namespace signage
