#include "player/render/strict_image.h"

namespace signage {

Status check_image_strictly(const std::string& path, ImageFormat format)
{
    switch (format) {
    case ImageFormat::Jpeg: return check_jpeg_strictly(path);
    case ImageFormat::Gif: return check_gif_strictly(path);
    case ImageFormat::Png: return check_png_strictly(path);
    case ImageFormat::WebP:
    case ImageFormat::Bmp:
    case ImageFormat::Unknown: return {};
    }
    return {};
}

}  // namespace signage
