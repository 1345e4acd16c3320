#include "player/video/upload_plan.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace signage {

namespace {

// SD ends at 576 lines (PAL); above that an untagged stream is HD and BT.709.
constexpr int kSdMaxLines = 576;

YuvMatrix matrix_of(AVColorSpace space, int height)
{
    switch (space) {
    case AVCOL_SPC_BT709: return YuvMatrix::Bt709;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M: return YuvMatrix::Bt601;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return YuvMatrix::Bt2020;
    case AVCOL_SPC_SMPTE240M: return YuvMatrix::Smpte240m;
    case AVCOL_SPC_FCC: return YuvMatrix::Fcc;
    case AVCOL_SPC_RGB: return YuvMatrix::Rgb;
    default: return height > kSdMaxLines ? YuvMatrix::Bt709 : YuvMatrix::Bt601;
    }
}

bool is_jpeg_format(AVPixelFormat format)
{
    switch (format) {
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUVJ444P:
    case AV_PIX_FMT_YUVJ440P:
    case AV_PIX_FMT_YUVJ411P: return true;
    default: return false;
    }
}

}  // namespace

UploadPlan plan_upload(AVPixelFormat format, AVColorSpace space, AVColorRange range, int height,
                       Conversion conversion)
{
    UploadPlan plan;
    plan.matrix = matrix_of(space, height);
    plan.full_range = range == AVCOL_RANGE_JPEG || (range != AVCOL_RANGE_MPEG && is_jpeg_format(format));
    if (conversion == Conversion::Cpu) {
        plan.path = UploadPath::SwsToScreen;
        plan.texture_format = SDL_PIXELFORMAT_ARGB8888;
        plan.sws_output = AV_PIX_FMT_RGB32;  // native-endian 0xAARRGGBB, as SDL's ARGB8888 and XRGB8888
        return plan;
    }

    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format);
    bool yuv = desc && desc->nb_components >= 3 &&
               !(desc->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BAYER |
                                AV_PIX_FMT_FLAG_HWACCEL));
    bool sdl_has_mode = true;
    if (plan.matrix == YuvMatrix::Bt601)
        plan.yuv_mode = plan.full_range ? SDL_YUV_CONVERSION_JPEG : SDL_YUV_CONVERSION_BT601;
    else if (plan.matrix == YuvMatrix::Bt709 && !plan.full_range)
        plan.yuv_mode = SDL_YUV_CONVERSION_BT709;
    else
        sdl_has_mode = false;

    if (!yuv || !sdl_has_mode) {
        plan.path = UploadPath::SwsToRgb;
        plan.texture_format = SDL_PIXELFORMAT_ARGB8888;
        plan.sws_output = AV_PIX_FMT_RGB32;  // native-endian 0xAARRGGBB, as SDL's ARGB8888
        return plan;
    }
    switch (format) {
    case AV_PIX_FMT_YUV420P:
    case AV_PIX_FMT_YUVJ420P: plan.path = UploadPath::Iyuv; break;
    case AV_PIX_FMT_NV12:
        plan.path = UploadPath::Nv12;
        plan.texture_format = SDL_PIXELFORMAT_NV12;
        break;
    case AV_PIX_FMT_NV21:
        plan.path = UploadPath::Nv21;
        plan.texture_format = SDL_PIXELFORMAT_NV21;
        break;
    default:
        plan.path = UploadPath::SwsToIyuv;
        plan.sws_output = AV_PIX_FMT_YUV420P;
        break;
    }
    return plan;
}

const char* upload_path_name(UploadPath path)
{
    switch (path) {
    case UploadPath::Iyuv: return "IYUV";
    case UploadPath::Nv12: return "NV12";
    case UploadPath::Nv21: return "NV21";
    case UploadPath::SwsToIyuv: return "swscale to IYUV";
    case UploadPath::SwsToRgb: return "swscale to RGB";
    case UploadPath::SwsToScreen: return "swscale to the screen's RGB";
    }
    return "?";
}

}  // namespace signage
