// Replacing a file so that a reader (or a power cut) sees the old version or the new one, never
// a mixture: write a hidden temporary beside it, fsync, rename over, fsync the folder.
#pragma once

#include "playlist/base/error.h"

#include <string>
#include <string_view>

namespace signage {

Status write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace signage
