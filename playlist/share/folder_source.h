// A mounted folder as a sync's source (an SMB/CIFS, NFS or sshfs mount, a USB stick): listed by
// share_scan.h, copied by share_copy.h, its optional manifest.txt read from its top.
#pragma once

#include "playlist/share/share_scan.h"
#include "playlist/share/sync_source.h"

#include <atomic>
#include <memory>
#include <string>

namespace signage {

// Checks that neither folder holds the other (a cache inside the share would sync itself); the
// share itself is first opened by list(), which lists what `scope` takes. `settle_seconds` only
// words the message of recheck().
Result<std::unique_ptr<SyncSource>> open_folder_source(const std::string& share, const std::string& cache,
                                                       const ScanLimits& limits, const ShareScope& scope,
                                                       double settle_seconds,
                                                       const std::atomic<bool>* cancel);

}  // namespace signage
