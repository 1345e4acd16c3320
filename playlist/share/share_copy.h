// Copying one file off the share without ever taking a file that is still being written: it
// must be, before and after the copy, exactly as the scan saw it (size and modification time),
// and must not grow while it is read. The bytes are hashed on the way (SHA-256), so the copy can
// be checked against the share's manifest without reading it twice.
#pragma once

#include "playlist/base/error.h"
#include "playlist/share/share_scan.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace signage {

struct ShareCopy {
    std::string sha256;     // of the copy, when taken
    std::string not_taken;  // why it is not taken, when the file changed under our hands
    uint64_t bytes = 0;     // read from the share and written, also when not taken
};

// Copies `file` to `target`, a new read-only file below `target_dir_fd` (`target_name` is its
// full name, for messages), and gives it the share's modification time. A file that is not as
// the scan saw it is not taken (ShareCopy::not_taken says why); the error is for trouble with
// the share as a whole, the cache, or `cancel`.
Result<ShareCopy> copy_from_share(const ShareRoot& share, const ShareFile& file, int target_dir_fd,
                                  const std::string& target, const std::string& target_name,
                                  std::vector<char>& buffer, const std::atomic<bool>* cancel);

// Writes all of `bytes`; a full disk is named as such.
Status write_to_cache(int fd, const char* bytes, size_t size, const std::string& name);

Error share_disappeared(const std::string& share);
Error sync_cancelled(const std::string& share);

}  // namespace signage
