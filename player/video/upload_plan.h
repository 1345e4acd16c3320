// How a decoded frame becomes an SDL texture with the right colours, decided from its pixel
// format, colour matrix and range alone (a pure function, tested without a renderer).
//
// What SDL 2.26 can do: YUV textures (IYUV, NV12, NV21) converted with one global
// SDL_YUV_CONVERSION_MODE — JPEG (BT.601 full range), BT601 (limited), BT709 (limited). There is
// no full-range BT.709 and no BT.2020. So:
//   - yuv420p / yuvj420p / nv12 / nv21 whose matrix and range SDL has: uploaded as they are;
//   - other YUV layouts (10-bit, 4:2:2, 4:4:4…) whose matrix and range SDL has: swscale to
//     yuv420p (same range; swscale does not change the matrix between YUV formats), then IYUV;
//   - anything else (RGB and grey formats, full-range BT.709, BT.2020, 10-bit HDR): swscale to
//     32-bit RGB with the stream's own matrix and range. BT.2020 is matrix-converted only — no
//     tone mapping or gamut mapping, so PQ/HLG HDR shows flat.
// Untagged streams follow the usual convention (and mpv's): BT.709 above 576 lines, BT.601 at or
// below; limited range unless the format (yuvj*) or the stream says full.
//
// On SDL's software renderer none of that is worth it: SDL would copy the planes, convert them to
// RGB at upload, then copy (or scale) the RGB at every draw. There every frame goes through
// swscale once, straight into an RGB texture in the screen's layout at the size it is drawn at
// (Conversion::Cpu, SwsToScreen), with the stream's matrix and range; the draw is a plain copy.
#pragma once

extern "C" {
#include <libavutil/pixfmt.h>
}

#include <SDL.h>

namespace signage {

enum class UploadPath {
    Iyuv,       // SDL_UpdateYUVTexture from the frame's three planes
    Nv12,       // SDL_UpdateNVTexture from the frame's two planes
    Nv21,
    SwsToIyuv,  // swscale to yuv420p, then as Iyuv
    SwsToRgb,   // swscale to ARGB8888 with the stream's matrix and range, then SDL_UpdateTexture
    SwsToScreen,  // swscale (colour and scale in one pass) straight into a locked RGB texture
};

// Where YUV becomes RGB: in the renderer (a GPU; SDL's own code on the software renderer), or on
// the CPU through swscale (best for the software renderer).
enum class Conversion { Renderer, Cpu };

enum class YuvMatrix { Bt601, Bt709, Bt2020, Smpte240m, Fcc, Rgb };

struct UploadPlan {
    UploadPath path = UploadPath::Iyuv;
    Uint32 texture_format = SDL_PIXELFORMAT_IYUV;
    SDL_YUV_CONVERSION_MODE yuv_mode = SDL_YUV_CONVERSION_BT601;  // for YUV textures
    YuvMatrix matrix = YuvMatrix::Bt601;  // of the source, after guessing
    bool full_range = false;              // of the source
    AVPixelFormat sws_output = AV_PIX_FMT_NONE;  // for the Sws paths
    bool operator==(const UploadPlan&) const = default;
};

// `height` picks the matrix of an untagged stream. With Conversion::Cpu every format takes
// SwsToScreen (texture_format ARGB8888: the caller may use XRGB8888, which has the same layout).
UploadPlan plan_upload(AVPixelFormat format, AVColorSpace space, AVColorRange range, int height,
                       Conversion conversion = Conversion::Renderer);

const char* upload_path_name(UploadPath path);

}  // namespace signage
