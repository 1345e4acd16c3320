// One entry of the alerts folder: what its name says it is, and its bytes, read without following a
// link, opening a FIFO or a device, or reading more than the limit. Anyone who can write to the share
// can plant such entries; a FIFO opened for reading would block the reader for ever.
#pragma once

#include "playlist/base/error.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <sys/stat.h>

namespace signage {

enum class AlertFileType { Text, Image, Cap };

// Hidden names and copies in progress (.tmp, .part, a trailing ~): not an alert yet, or never.
bool is_skipped_alert_name(std::string_view name);

// By extension, in any case: .txt; .png .jpg .jpeg .webp .bmp .gif; .xml .cap. nullopt for the rest.
std::optional<AlertFileType> alert_file_type(std::string_view name);

// From the entry's lstat, before anything is opened: refuses symlinks, anything but a regular file,
// and files over max_bytes.
Status check_alert_entry(int dir_fd, const std::string& name, const std::string& path, const struct stat& seen,
                         size_t max_bytes);

// The bytes of `name` in the open folder `dir_fd` (O_NOFOLLOW, O_NONBLOCK, then checked again on the
// open file, since the entry may have been swapped since the lstat). `path` is for errors.
Result<std::string> read_alert_file(int dir_fd, const std::string& name, const std::string& path, size_t max_bytes);

}  // namespace signage
