// Small, bounded file reads: nothing from a share may make us allocate without limit.
#pragma once

#include "playlist/base/error.h"

#include <string>
#include <sys/types.h>

namespace signage {

// Reads a whole regular file, refusing files larger than max_bytes. Errors name the path.
Result<std::string> read_file_limited(const std::string& path, size_t max_bytes);

// Reads at most max_bytes from the start of a regular file (for header probes).
Result<std::string> read_file_prefix(const std::string& path, size_t max_bytes);

// The one place that retries read(2) and write(2) after a signal (EINTR), for every file,
// pipe and socket the player reads or writes by hand.

// One read(2), retried on EINTR: the bytes read, 0 at the end, or -1 with errno set.
ssize_t read_some(int fd, void* buffer, size_t size);
// Reads until `size` bytes or the end: the bytes read (fewer only at the end), or -1 with errno set.
ssize_t read_full(int fd, void* buffer, size_t size);
// Writes all `size` bytes (a short write is continued): false with errno set.
bool write_all(int fd, const void* bytes, size_t size);

}  // namespace signage
