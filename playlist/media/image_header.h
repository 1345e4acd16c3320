// Image dimensions and EXIF orientation read from a file's header, without decoding any pixels.
//
// A poster on a share may be a 20000x20000 PNG that is a few KB on disk (a "decompression bomb");
// the player refuses such files from their header before handing them to a decoder. Phone photos
// also need their EXIF orientation, which SDL_image does not expose. The input is untrusted: every
// read is bounds-checked and every loop consumes at least one byte per step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "playlist/base/error.h"

namespace signage {

enum class ImageFormat { Unknown, Png, Jpeg, WebP, Bmp, Gif };

// "PNG", "JPEG", "WebP", "BMP", "GIF" or "unknown".
const char* image_format_name(ImageFormat format);

struct ImageHeader {
    ImageFormat format = ImageFormat::Unknown;
    uint32_t width = 0;   // as stored, before EXIF rotation
    uint32_t height = 0;  // as stored, before EXIF rotation
    int orientation = 1;  // EXIF orientation 1..8 (1 when absent or invalid)

    // Orientations 5..8 rotate by 90 or 270 degrees, so the displayed width and height swap.
    bool swaps_axes() const { return orientation >= 5 && orientation <= 8; }
    uint32_t display_width() const { return swaps_axes() ? height : width; }
    uint32_t display_height() const { return swaps_axes() ? width : height; }
};

// Parses the leading bytes of a PNG, JPEG, WebP, BMP or GIF file. Never reads outside `bytes`.
//
// Sizes come from: PNG IHDR; JPEG's first SOFn frame header (EXIF orientation from an APP1
// segment before it); WebP's VP8, VP8L or VP8X chunk (EXIF orientation from an EXIF chunk when
// VP8X flags one and it lies within `bytes`); BMP's info or core header (absolute height);
// GIF's logical screen, grown to the first frame's extent when that frame lies within `bytes`
// and reaches past it, because decoders allocate the frame's size, not the screen's.
//
// Errors name the problem: "not an image: unknown signature", "truncated PNG header",
// "JPEG: no frame header in the first N bytes", "GIF: zero width", ...
Result<ImageHeader> probe_image_header(std::span<const uint8_t> bytes);

// Reads at most max_bytes from the start of the file and probes them; errors carry file = path.
Result<ImageHeader> probe_image_file(const std::string& path, size_t max_bytes = size_t{1} << 20);

}  // namespace signage
