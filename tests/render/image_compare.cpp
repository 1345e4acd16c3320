#include "tests/render/image_compare.h"

#include <SDL_image.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace signage::testing {

Uint32 pixel(SDL_Surface* s, int x, int y)
{
    return reinterpret_cast<Uint32*>(static_cast<Uint8*>(s->pixels) + static_cast<ptrdiff_t>(y) * s->pitch)[x];
}

std::string output_dir()
{
    std::string dir = std::string(SIGNAGE_BINARY_DIR) + "/test-output";
    std::filesystem::create_directories(dir);
    return dir;
}

SurfacePtr load_png(const std::string& path)
{
    SurfacePtr raw(IMG_Load(path.c_str()));
    if (!raw)
        return nullptr;
    return SurfacePtr(SDL_ConvertSurfaceFormat(raw.get(), SDL_PIXELFORMAT_ARGB8888, 0));
}

Comparison compare(SDL_Surface* actual, SDL_Surface* expected, int channel_tolerance)
{
    Comparison c;
    c.same_size = actual->w == expected->w && actual->h == expected->h;
    if (!c.same_size) {
        c.report = "size " + std::to_string(actual->w) + "x" + std::to_string(actual->h) + " instead of " +
                   std::to_string(expected->w) + "x" + std::to_string(expected->h);
        return c;
    }
    double sum = 0;
    long differing = 0;
    for (int y = 0; y < actual->h; ++y)
        for (int x = 0; x < actual->w; ++x) {
            Uint32 a = pixel(actual, x, y), e = pixel(expected, x, y);
            int worst = 0;
            for (int shift : {0, 8, 16}) {
                int d = std::abs(static_cast<int>((a >> shift) & 0xFF) - static_cast<int>((e >> shift) & 0xFF));
                sum += d;
                worst = std::max(worst, d);
            }
            if (worst > channel_tolerance)
                ++differing;
        }
    double pixels = static_cast<double>(actual->w) * actual->h;
    c.mean_abs_diff = sum / (pixels * 3);
    c.differing_fraction = differing / pixels;
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, "mean difference %.2f, %.3f%% of pixels off by more than %d",
                  c.mean_abs_diff, c.differing_fraction * 100, channel_tolerance);
    c.report = buffer;
    return c;
}

std::string match_golden(SDL_Surface* actual, const std::string& name, int channel_tolerance,
                         double max_differing_fraction)
{
    std::string golden = std::string(SIGNAGE_SOURCE_DIR) + "/tests/golden/" + name + ".png";
    const char* update = std::getenv("SIGNAGE_UPDATE_GOLDEN");
    bool exists = std::filesystem::exists(golden);
    if (!exists || (update && std::string(update) == "1")) {
        IMG_SavePNG(actual, golden.c_str());
        return exists ? "" : "golden " + golden + " was missing and has been written: look at it, then rerun";
    }
    SurfacePtr expected = load_png(golden);
    if (!expected)
        return "cannot read " + golden;
    Comparison c = compare(actual, expected.get(), channel_tolerance);
    if (c.same_size && c.differing_fraction <= max_differing_fraction)
        return "";
    std::string actual_path = output_dir() + "/" + name + ".actual.png";
    IMG_SavePNG(actual, actual_path.c_str());
    if (c.same_size) {
        SurfacePtr diff(SDL_CreateRGBSurfaceWithFormat(0, actual->w, actual->h, 32, SDL_PIXELFORMAT_ARGB8888));
        for (int y = 0; y < actual->h; ++y)
            for (int x = 0; x < actual->w; ++x) {
                Uint32 a = pixel(actual, x, y), e = pixel(expected.get(), x, y);
                Uint32 out = 0xFF000000;
                for (int shift : {0, 8, 16}) {
                    int d = std::abs(static_cast<int>((a >> shift) & 0xFF) - static_cast<int>((e >> shift) & 0xFF));
                    out |= static_cast<Uint32>(std::min(255, d * 4)) << shift;
                }
                reinterpret_cast<Uint32*>(static_cast<Uint8*>(diff->pixels) + y * diff->pitch)[x] = out;
            }
        IMG_SavePNG(diff.get(), (output_dir() + "/" + name + ".diff.png").c_str());
    }
    return name + ": " + c.report + "; actual image saved as " + actual_path;
}

}  // namespace signage::testing
