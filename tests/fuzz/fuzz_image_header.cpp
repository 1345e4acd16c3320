// Feeds arbitrary bytes to the image header probe. Besides crashes and sanitizer reports, a
// header that parses must be sane: nonzero size and an orientation in 1..8.
#include <cstddef>
#include <cstdint>
#include <span>

#include "playlist/media/image_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    signage::Result<signage::ImageHeader> result = signage::probe_image_header(std::span(data, size));
    if (result.ok()) {
        const signage::ImageHeader& header = *result;
        if (header.format == signage::ImageFormat::Unknown || header.width == 0 || header.height == 0 ||
            header.orientation < 1 || header.orientation > 8 ||
            header.display_width() * uint64_t{header.display_height()} !=
                uint64_t{header.width} * header.height)
            __builtin_trap();
    } else if (result.error().message.empty()) {
        __builtin_trap();
    }
    return 0;
}
