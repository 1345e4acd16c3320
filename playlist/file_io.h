// Small, bounded file reads: nothing from a share may make us allocate without limit.
#pragma once

#include "playlist/error.h"

#include <string>

namespace signage {

// Reads a whole regular file, refusing files larger than max_bytes. Errors name the path.
Result<std::string> read_file_limited(const std::string& path, size_t max_bytes);

// Reads at most max_bytes from the start of a regular file (for header probes).
Result<std::string> read_file_prefix(const std::string& path, size_t max_bytes);

}  // namespace signage
