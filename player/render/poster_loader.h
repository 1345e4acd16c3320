// Loads a poster for display: refuses what would exhaust memory from the header alone, decodes
// with SDL_image, and turns it upright by its EXIF orientation.
#pragma once

#include "playlist/base/error.h"
#include "player/media/sdl_handles.h"

#include <cstdint>
#include <string>

namespace signage {

struct ImageLimits {
    double max_megapixels = 40;
    uint64_t max_file_bytes = 2048ull << 20;
};

// The decoded size must stay under this whatever the config says (4 bytes a pixel).
inline constexpr double kHardMaxMegapixels = 1000;

// Checks size, header and pixel count without decoding (for `check`, and before decoding).
Status check_poster(const std::string& path, const ImageLimits& limits);

Result<SurfacePtr> load_poster(const std::string& path, const ImageLimits& limits);

}  // namespace signage
