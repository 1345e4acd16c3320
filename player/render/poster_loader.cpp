#include "player/render/poster_loader.h"

#include "playlist/media/image_header.h"
#include "player/render/strict_image.h"
#include "player/render/surface_ops.h"

#include <SDL_image.h>
#include <cmath>
#include <cstdio>
#include <sys/stat.h>

namespace signage {

namespace {

Result<ImageHeader> probe(const std::string& path, const ImageLimits& limits)
{
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0)
        return Error{path, 0, "cannot open: file not found"};
    if (!S_ISREG(info.st_mode))
        return Error{path, 0, "not a regular file"};
    if (static_cast<uint64_t>(info.st_size) > limits.max_file_bytes)
        return Error{path, 0,
                     "file is " + std::to_string(info.st_size >> 20) + " MiB, over the limit of " +
                         std::to_string(limits.max_file_bytes >> 20) + " MiB ([limits] max_file_mb)"};
    auto header = probe_image_file(path);
    if (!header)
        return Error{path, 0, header.error().message};
    double megapixels = static_cast<double>(header->width) * header->height / 1e6;
    double limit = std::min(limits.max_megapixels, kHardMaxMegapixels);
    if (megapixels > limit) {
        char buffer[160];
        std::snprintf(buffer, sizeof buffer,
                      "image is %ux%u (%.1f megapixels), over the limit of %g ([limits] max_image_megapixels); "
                      "refused without decoding",
                      header->width, header->height, megapixels, limit);
        return Error{path, 0, buffer};
    }
    return header;
}

// SDL_image's reader for a format the header probe recognises. Not IMG_Load or IMG_LoadTyped_RW:
// both pick the reader by looking for magic bytes in a fixed order, whatever the type named, and
// a WebP holding "<svg" goes to the SVG reader (which leaks on bad input: found by fuzz_poster).
// The strict check vouched for this format only.
SDL_Surface* decode_as(ImageFormat format, SDL_RWops* file)
{
    switch (format) {
    case ImageFormat::Png: return IMG_LoadPNG_RW(file);
    case ImageFormat::Jpeg: return IMG_LoadJPG_RW(file);
    case ImageFormat::WebP: return IMG_LoadWEBP_RW(file);
    case ImageFormat::Bmp: return IMG_LoadBMP_RW(file);
    case ImageFormat::Gif: return IMG_LoadGIF_RW(file);
    case ImageFormat::Unknown: break;
    }
    SDL_SetError("not an image format the player reads");
    return nullptr;
}

}  // namespace

Status check_poster(const std::string& path, const ImageLimits& limits)
{
    auto header = probe(path, limits);
    if (!header)
        return header.error();
    return Status{};
}

Result<SurfacePtr> load_poster(const std::string& path, const ImageLimits& limits)
{
    auto header = probe(path, limits);
    if (!header)
        return header.error();
    if (Status whole = check_image_strictly(path, header->format); !whole)
        return whole.error();
    RWopsPtr file(SDL_RWFromFile(path.c_str(), "rb"));
    if (!file)
        return Error{path, 0, sdl_error("cannot open")};
    SurfacePtr decoded(decode_as(header->format, file.get()));
    if (!decoded)
        return Error{path, 0, std::string("cannot decode ") + image_format_name(header->format) + ": " + IMG_GetError()};
    // The header was checked, but the decoder is the authority on what it allocated.
    if (static_cast<uint32_t>(decoded->w) != header->width || static_cast<uint32_t>(decoded->h) != header->height)
        return Error{path, 0, "decoded size differs from the file's header; refused"};
    SurfacePtr argb = to_argb(decoded.get());
    if (!argb)
        return Error{path, 0, sdl_error("cannot convert image")};
    decoded.reset();
    return apply_exif_orientation(std::move(argb), header->orientation);
}

}  // namespace signage
