// Keeps everything a playlist names inside the playlist's folder (the share): no absolute paths,
// no "..", no control characters, and, when the file is opened, no symlink that leads outside.
#pragma once

#include "playlist/base/error.h"

#include <string>

namespace signage {

// Joins a playlist-relative path to base_dir after checking its spelling. The reason in the
// error is for people: "absolute paths are not allowed", "leaves the playlist's folder (..)".
Result<std::string> confine_path(const std::string& base_dir, const std::string& relative);

// At open time: resolves symlinks and refuses a path whose real location is outside base_dir.
Status check_real_path_inside(const std::string& base_dir, const std::string& path);

}  // namespace signage
