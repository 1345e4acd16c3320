// JPEG, decoded strictly: libjpeg only *warns* about a file that ends early ("premature end of
// data") or whose data is corrupt, and SDL_image then shows it with its missing part grey. On a
// public screen partially decodable is not playable, so a JPEG is first decoded here with every
// libjpeg warning taken as a refusal (at 1/8 scale: the whole entropy-coded data is still read,
// which is where truncation and corruption show, for a fraction of a full decode).
#pragma once

#include "playlist/base/error.h"

#include <string>

namespace signage {

// Ok when libjpeg decodes the whole file without a warning; else an error naming the file and
// libjpeg's reason.
Status check_jpeg_strictly(const std::string& path);

}  // namespace signage
