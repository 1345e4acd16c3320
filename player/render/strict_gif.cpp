// giflib walks the file record by record, as SDL_image's own reader does not: it stops with a
// reason where the data ends early or its LZW codes are broken.
#include "player/render/strict_image.h"

#include <gif_lib.h>
#include <memory>
#include <vector>

namespace signage {

namespace {

struct GifCloser {
    void operator()(GifFileType* gif) const
    {
        int ignored = 0;
        DGifCloseFile(gif, &ignored);
    }
};
using GifPtr = std::unique_ptr<GifFileType, GifCloser>;

std::string gif_reason(int code)
{
    const char* text = GifErrorString(code);
    return text ? text : "unknown giflib error " + std::to_string(code);
}

}  // namespace

Status check_gif_strictly(const std::string& path)
{
    const std::string refused = "GIF refused, partially decodable is not playable: ";
    int code = 0;
    GifPtr gif(DGifOpenFileName(path.c_str(), &code));
    if (!gif)
        return Error{path, 0, refused + gif_reason(code)};
    std::vector<GifPixelType> row;
    int images = 0;
    for (;;) {
        GifRecordType record = UNDEFINED_RECORD_TYPE;
        if (DGifGetRecordType(gif.get(), &record) == GIF_ERROR)
            return Error{path, 0, refused + gif_reason(gif->Error)};
        if (record == TERMINATE_RECORD_TYPE)
            break;
        if (record == EXTENSION_RECORD_TYPE) {
            int extension_code = 0;
            GifByteType* block = nullptr;
            if (DGifGetExtension(gif.get(), &extension_code, &block) == GIF_ERROR)
                return Error{path, 0, refused + gif_reason(gif->Error)};
            while (block)
                if (DGifGetExtensionNext(gif.get(), &block) == GIF_ERROR)
                    return Error{path, 0, refused + gif_reason(gif->Error)};
            continue;
        }
        if (record != IMAGE_DESC_RECORD_TYPE)
            return Error{path, 0, refused + "unknown record in the file"};
        if (DGifGetImageDesc(gif.get()) == GIF_ERROR)
            return Error{path, 0, refused + gif_reason(gif->Error)};
        const GifImageDesc& frame = gif->Image;
        // The header probe bounded the screen; a frame larger than its screen is malformed.
        if (frame.Width <= 0 || frame.Height <= 0 || frame.Left < 0 || frame.Top < 0 ||
            frame.Left + frame.Width > gif->SWidth || frame.Top + frame.Height > gif->SHeight)
            return Error{path, 0, refused + "frame " + std::to_string(images + 1) + " lies outside the picture"};
        row.resize(static_cast<size_t>(frame.Width));
        for (int y = 0; y < frame.Height; ++y)
            if (DGifGetLine(gif.get(), row.data(), frame.Width) == GIF_ERROR)
                return Error{path, 0,
                             refused + gif_reason(gif->Error) + " (frame " + std::to_string(images + 1) + ", row " +
                                 std::to_string(y + 1) + " of " + std::to_string(frame.Height) + ")"};
        ++images;
    }
    if (images == 0)
        return Error{path, 0, refused + "the file holds no picture"};
    return {};
}

}  // namespace signage
