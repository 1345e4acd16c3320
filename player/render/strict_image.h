// Images, decoded strictly: partially decodable is not playable. A poster must decode whole, and
// every decoder is asked the same question, since not every one answers it by itself:
// - libjpeg only *warns* about a file that ends early ("premature end of data") or whose data is
//   corrupt, and SDL_image then shows it with its missing part grey;
// - SDL_image's GIF reader shows whatever rows arrived before the data ended;
// - SDL_image reads a PNG's rows but never its end, so a file cut after its last row passes.
// WebP (libwebp) and BMP (SDL) refuse short data themselves; a bit flipped in a BMP's pixels is
// still a whole picture, which no reader can tell from the intended one.
#pragma once

#include "playlist/base/error.h"
#include "playlist/media/image_header.h"

#include <string>

namespace signage {

// Ok when libjpeg decodes the whole file without a warning; else an error naming the file and
// libjpeg's reason. (Decoded at 1/8 scale: the whole entropy-coded data is still read, which is
// where truncation and corruption show, for a fraction of a full decode.)
Status check_jpeg_strictly(const std::string& path);

// Ok when giflib reads every image of the file to its last row, every extension, and the
// trailer; else giflib's reason. Rows go through one buffer: memory is one row, whatever the
// frame count.
Status check_gif_strictly(const std::string& path);

// Ok when the file's chunks follow each other to an IEND chunk inside the file (the rows
// themselves, and their CRCs, are libpng's to check as SDL_image decodes them).
Status check_png_strictly(const std::string& path);

// The check above for `format`; Ok for formats whose reader refuses short data itself.
Status check_image_strictly(const std::string& path, ImageFormat format);

}  // namespace signage
