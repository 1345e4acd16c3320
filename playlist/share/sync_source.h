// Where a sync takes content from: a mounted folder (folder_source.h) or an HTTP(S) origin
// (http_source.h). The pipeline in share_sync.cpp (plan, staging, settle, verify, switch) is the
// same for both; a source only lists what the share offers and fetches one file at a time.
#pragma once

#include "playlist/base/error.h"
#include "playlist/share/manifest.h"
#include "playlist/share/share_copy.h"
#include "playlist/share/share_scan.h"
#include "playlist/share/snapshot_cache.h"

#include <optional>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace signage {

struct SourceListing {
    ShareListing listing;              // the files offered, sorted by path; refused; hidden
    std::optional<Manifest> manifest;  // the share's manifest.txt, when it has one
    // The share says nothing changed since the current snapshot was made from it (HTTP 304 for
    // manifest.txt): `listing` is empty and the sync is done.
    bool unchanged = false;
};

// Where fetch() puts a file: a new name below the staging folder.
struct FetchTarget {
    int dir_fd = -1;
    std::string name;       // relative to dir_fd (a hidden temporary name)
    std::string full_name;  // for messages
    std::vector<char>* buffer = nullptr;  // scratch space, reused across files
};

class SyncSource {
public:
    virtual ~SyncSource() = default;

    // The share as messages name it (a folder, or a URL without its trailing '/'), and one of
    // its files.
    virtual const std::string& name() const = 0;
    virtual std::string file_name(const std::string& path) const = 0;

    // What the share offers. The cache is locked; `current` is the current snapshot's id.
    virtual Result<SourceListing> list(const SnapshotCache& cache, const std::optional<std::string>& current) = 0;

    // Whether the current snapshot's version of `file` (of the same size; `current` is its
    // stat) can be taken as unchanged without reading it. When the manifest lists the file,
    // its checksum is compared next.
    virtual bool looks_unchanged(const ShareFile& file, const struct stat& current) const = 0;

    // Puts a new or changed file at `target`, hashing it on the way. A file that cannot be
    // taken this time comes back with ShareCopy::not_taken; the error is for trouble with the
    // share as a whole, the cache, or the cancel flag.
    virtual Result<ShareCopy> fetch(const ShareFile& file, const ManifestEntry* listed, const FetchTarget& target) = 0;

    // After the settle wait, for a copy the manifest does not vouch for: "" when the file is
    // still as it was listed, else why it is not taken.
    virtual Result<std::string> recheck(const ShareFile& file) const = 0;

    // The last look before the switch: an error when the share cannot be trusted any more.
    virtual Status confirm() const = 0;

    // The sync succeeded and `snapshot` is current. `complete`: it holds everything the share
    // lists (nothing refused or left out), so the share's state may be remembered.
    virtual void synced(const SnapshotCache& cache, const std::string& snapshot, bool complete) = 0;
};

}  // namespace signage
