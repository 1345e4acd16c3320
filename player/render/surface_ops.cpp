#include "player/render/surface_ops.h"

#include <cstring>

namespace signage {

SurfacePtr to_argb(SDL_Surface* surface)
{
    if (!surface)
        return nullptr;
    return SurfacePtr(SDL_ConvertSurfaceFormat(surface, SDL_PIXELFORMAT_ARGB8888, 0));
}

namespace {

Uint32* row(SDL_Surface* s, int y)
{
    return reinterpret_cast<Uint32*>(static_cast<Uint8*>(s->pixels) + static_cast<ptrdiff_t>(y) * s->pitch);
}

// Halves a surface with a 2x2 box filter (odd last row/column folded in by clamping).
SurfacePtr halve(SDL_Surface* src)
{
    int w = std::max(1, src->w / 2);
    int h = std::max(1, src->h / 2);
    SurfacePtr out = make_argb_surface(w, h);
    if (!out)
        return nullptr;
    for (int y = 0; y < h; ++y) {
        const Uint32* a = row(src, std::min(2 * y, src->h - 1));
        const Uint32* b = row(src, std::min(2 * y + 1, src->h - 1));
        Uint32* o = row(out.get(), y);
        for (int x = 0; x < w; ++x) {
            int x0 = std::min(2 * x, src->w - 1), x1 = std::min(2 * x + 1, src->w - 1);
            Uint32 p[4] = {a[x0], a[x1], b[x0], b[x1]};
            Uint32 result = 0;
            for (int shift = 0; shift < 32; shift += 8) {
                Uint32 sum = 2;  // rounding
                for (Uint32 px : p)
                    sum += (px >> shift) & 0xFF;
                result |= ((sum / 4) & 0xFF) << shift;
            }
            o[x] = result;
        }
    }
    return out;
}

}  // namespace

SurfacePtr apply_exif_orientation(SurfacePtr image, int orientation)
{
    if (!image || orientation <= 1 || orientation > 8)
        return image;
    const int w = image->w, h = image->h;
    const bool swap = orientation >= 5;
    SurfacePtr out = make_argb_surface(swap ? h : w, swap ? w : h);
    if (!out)
        return image;
    const int ow = out->w, oh = out->h;
    for (int y = 0; y < h; ++y) {
        const Uint32* in = row(image.get(), y);
        for (int x = 0; x < w; ++x) {
            // Where the stored pixel (x, y) lands on the displayed image.
            int dx = x, dy = y;
            switch (orientation) {
            case 2: dx = w - 1 - x; break;                      // mirrored
            case 3: dx = w - 1 - x; dy = h - 1 - y; break;      // upside down
            case 4: dy = h - 1 - y; break;                      // flipped vertically
            case 5: dx = y; dy = x; break;                      // transposed
            case 6: dx = h - 1 - y; dy = x; break;              // rotate 90 clockwise
            case 7: dx = h - 1 - y; dy = w - 1 - x; break;      // transverse
            case 8: dx = y; dy = w - 1 - x; break;              // rotate 90 counter-clockwise
            }
            if (dx >= 0 && dx < ow && dy >= 0 && dy < oh)
                row(out.get(), dy)[dx] = in[x];
        }
    }
    return out;
}

SurfacePtr scale_region(SDL_Surface* source, Rect region, int w, int h)
{
    if (!source || w <= 0 || h <= 0 || region.w <= 0 || region.h <= 0)
        return nullptr;
    // Start from an exact copy of the region, then halve while it is at least twice too big.
    SurfacePtr current = make_argb_surface(region.w, region.h);
    if (!current)
        return nullptr;
    SDL_Rect src{region.x, region.y, region.w, region.h};
    SDL_SetSurfaceBlendMode(source, SDL_BLENDMODE_NONE);
    SDL_BlitSurface(source, &src, current.get(), nullptr);
    while (current->w >= 2 * w && current->h >= 2 * h) {
        SurfacePtr half = halve(current.get());
        if (!half)
            return nullptr;
        current = std::move(half);
    }
    if (current->w == w && current->h == h)
        return current;
    SurfacePtr out = make_argb_surface(w, h);
    if (!out)
        return nullptr;
    if (SDL_SoftStretchLinear(current.get(), nullptr, out.get(), nullptr) != 0)
        SDL_BlitScaled(current.get(), nullptr, out.get(), nullptr);
    return out;
}

void draw_fitted(SDL_Surface* target, SDL_Surface* image, Rect area, Fit fit)
{
    FitResult placement = fit_image(image->w, image->h, area, fit);
    SurfacePtr scaled = scale_region(image, placement.source, placement.dest.w, placement.dest.h);
    if (!scaled)
        return;
    SDL_Rect at{placement.dest.x, placement.dest.y, placement.dest.w, placement.dest.h};
    // Posters with transparency sit on the slide's background.
    SDL_SetSurfaceBlendMode(scaled.get(), SDL_BLENDMODE_BLEND);
    SDL_BlitSurface(scaled.get(), nullptr, target, &at);
}

void fill(SDL_Surface* target, Color color)
{
    SDL_FillRect(target, nullptr, SDL_MapRGBA(target->format, color.r, color.g, color.b, 255));
}

}  // namespace signage
