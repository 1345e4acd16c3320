// Rectangles and fitting, shared by posters, background images and the safe area.
#pragma once

#include <algorithm>
#include <cmath>

namespace signage {

// How a picture fills its area (an item's `fit`).
enum class Fit { Contain, Cover, Stretch };

struct Rect {
    int x = 0, y = 0, w = 0, h = 0;
    bool operator==(const Rect&) const = default;
};

struct FitResult {
    Rect source;  // the part of the image that shows (cover crops it)
    Rect dest;    // where it goes on the canvas
};

// Places an image of image_w x image_h into the area: contain letterboxes (centred, whole image),
// cover fills the area and crops the image's overflow (centred), stretch fills and distorts.
inline FitResult fit_image(int image_w, int image_h, Rect area, Fit fit)
{
    FitResult r{{0, 0, image_w, image_h}, area};
    if (image_w <= 0 || image_h <= 0 || area.w <= 0 || area.h <= 0 || fit == Fit::Stretch)
        return r;
    double sx = static_cast<double>(area.w) / image_w;
    double sy = static_cast<double>(area.h) / image_h;
    if (fit == Fit::Contain) {
        double s = std::min(sx, sy);
        int w = std::clamp(static_cast<int>(std::lround(image_w * s)), 1, area.w);
        int h = std::clamp(static_cast<int>(std::lround(image_h * s)), 1, area.h);
        r.dest = {area.x + (area.w - w) / 2, area.y + (area.h - h) / 2, w, h};
    } else {
        double s = std::max(sx, sy);
        int w = std::clamp(static_cast<int>(std::lround(area.w / s)), 1, image_w);
        int h = std::clamp(static_cast<int>(std::lround(area.h / s)), 1, image_h);
        r.source = {(image_w - w) / 2, (image_h - h) / 2, w, h};
    }
    return r;
}

// Where a rectangle of a width x height picture lands once the picture is turned clockwise by
// `rotation` (0, 90, 180, 270), as a turned screen shows the canvas.
inline Rect rotate_rect(Rect r, int width, int height, int rotation)
{
    switch (rotation) {
    case 90: return {height - r.y - r.h, r.x, r.h, r.w};
    case 180: return {width - r.x - r.w, height - r.y - r.h, r.w, r.h};
    case 270: return {r.y, width - r.x - r.w, r.h, r.w};
    default: return r;
    }
}

// The area inside a margin of `percent` of the width and height on each edge.
inline Rect safe_area(int width, int height, double percent)
{
    int mx = static_cast<int>(std::lround(width * percent / 100.0));
    int my = static_cast<int>(std::lround(height * percent / 100.0));
    return {mx, my, std::max(1, width - 2 * mx), std::max(1, height - 2 * my)};
}

}  // namespace signage
