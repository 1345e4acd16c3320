// Pixel work on ARGB surfaces, done on the loader thread: EXIF orientation, good downscaling,
// and drawing a fitted image onto a slide.
#pragma once

#include "playlist/base/geometry.h"
#include "playlist/base/values.h"
#include "player/media/sdl_handles.h"

namespace signage {

// Converts any surface to the player's ARGB format (nullptr on failure).
SurfacePtr to_argb(SDL_Surface* surface);

// Returns the image as it should be displayed for EXIF orientation 1..8.
SurfacePtr apply_exif_orientation(SurfacePtr image, int orientation);

// Scales a region of `source` to w x h. Downscaling averages whole pixel blocks first (box
// filter by halving), then finishes bilinearly, so large reductions do not alias the way a
// single bilinear step does.
SurfacePtr scale_region(SDL_Surface* source, Rect region, int w, int h);

// Draws `image` onto `target` fitted into `area`.
void draw_fitted(SDL_Surface* target, SDL_Surface* image, Rect area, Fit fit);

void fill(SDL_Surface* target, Color color);

}  // namespace signage
