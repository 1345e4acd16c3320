// Golden-image comparison with a tolerance; on failure the actual image (and a diff) are saved
// next to the build for a person to look at.
#pragma once

#include "player/media/sdl_handles.h"

#include <string>

namespace signage::testing {

struct Comparison {
    bool same_size = false;
    double mean_abs_diff = 0;       // per channel, 0..255
    double differing_fraction = 0;  // pixels with any channel off by more than the tolerance
    std::string report;
};

// Reads a pixel as 0xAARRGGBB from an ARGB8888 surface.
Uint32 pixel(SDL_Surface* s, int x, int y);
inline int red(Uint32 p) { return (p >> 16) & 0xFF; }
inline int green(Uint32 p) { return (p >> 8) & 0xFF; }
inline int blue(Uint32 p) { return p & 0xFF; }

SurfacePtr load_png(const std::string& path);
Comparison compare(SDL_Surface* actual, SDL_Surface* expected, int channel_tolerance);

// Compares with tests/golden/NAME.png. Missing golden or SIGNAGE_UPDATE_GOLDEN=1: writes it
// (and the test fails when the golden was missing, so a new golden is always looked at).
// Returns "" when within tolerance, else a message naming the saved actual and diff images.
std::string match_golden(SDL_Surface* actual, const std::string& name, int channel_tolerance = 24,
                         double max_differing_fraction = 0.002);

// Where failing tests leave images.
std::string output_dir();

}  // namespace signage::testing
