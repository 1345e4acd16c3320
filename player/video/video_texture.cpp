#include "player/video/video_texture.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <string>

namespace signage {

namespace {

int sws_colorspace(YuvMatrix matrix)
{
    switch (matrix) {
    case YuvMatrix::Bt709: return SWS_CS_ITU709;
    case YuvMatrix::Bt2020: return SWS_CS_BT2020;
    case YuvMatrix::Smpte240m: return SWS_CS_SMPTE240M;
    case YuvMatrix::Fcc: return SWS_CS_FCC;
    case YuvMatrix::Bt601:
    case YuvMatrix::Rgb: break;
    }
    return SWS_CS_ITU601;
}

std::string format_name(int format)
{
    const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(format));
    return name ? name : "pixel format " + std::to_string(format);
}

}  // namespace

Status VideoTexture::ensure_texture(Uint32 format, int width, int height)
{
    if (m_texture && format == m_texture_format && width == m_width && height == m_height)
        return {};
    m_texture.reset(SDL_CreateTexture(m_renderer, format, SDL_TEXTUREACCESS_STREAMING, width, height));
    if (!m_texture) {
        m_width = m_height = 0;
        return Error{"", 0,
                     sdl_error("cannot create a " + std::to_string(width) + "x" + std::to_string(height) + " " +
                               SDL_GetPixelFormatName(format) + " video texture")};
    }
    // Video is opaque; a fade sets its own blend mode and alpha.
    SDL_SetTextureBlendMode(m_texture.get(), SDL_BLENDMODE_NONE);
    m_texture_format = format;
    m_width = width;
    m_height = height;
    ++m_stats.textures_created;
    return {};
}

Status VideoTexture::convert(const AVFrame& frame)
{
    const int w = frame.width, h = frame.height;
    const auto source = static_cast<AVPixelFormat>(frame.format);
    SwsContext* context = sws_getCachedContext(m_sws.release(), w, h, source, w, h, m_plan.sws_output, SWS_BICUBIC,
                                               nullptr, nullptr, nullptr);
    m_sws.reset(context);
    if (!context)
        return Error{"", 0, "swscale cannot convert " + format_name(frame.format) + " to " +
                                format_name(m_plan.sws_output)};
    // Colour tables are rebuilt only when the context or the stream's colours change.
    if (context != m_sws_configured || !(m_sws_colours == m_plan)) {
        const int* matrix = sws_getCoefficients(sws_colorspace(m_plan.matrix));
        bool rgb_out = m_plan.path == UploadPath::SwsToRgb;
        // YUV to YUV keeps matrix and range (SDL applies them); YUV to RGB applies them here.
        sws_setColorspaceDetails(context, matrix, m_plan.full_range ? 1 : 0, matrix,
                                 rgb_out ? 1 : (m_plan.full_range ? 1 : 0), 0, 1 << 16, 1 << 16);
        m_sws_configured = context;
        m_sws_colours = m_plan;
    }
    if (!m_converted || m_converted->width != w || m_converted->height != h || m_converted->format != m_plan.sws_output) {
        m_converted = make_frame();
        if (!m_converted)
            return Error{"", 0, "out of memory converting a video frame"};
        m_converted->width = w;
        m_converted->height = h;
        m_converted->format = m_plan.sws_output;
        int rc = av_frame_get_buffer(m_converted.get(), 0);
        if (rc < 0) {
            m_converted.reset();
            return av_error("", "cannot allocate a converted video frame", rc);
        }
    }
    sws_scale(context, frame.data, frame.linesize, 0, h, m_converted->data, m_converted->linesize);
    ++m_stats.sws_conversions;
    return {};
}

Status VideoTexture::upload(const AVFrame& frame)
{
    UploadPlan plan = plan_upload(static_cast<AVPixelFormat>(frame.format), frame.colorspace, frame.color_range,
                                  frame.height);
    // Bottom-up planes (negative strides) are rare; swscale reads them, SDL's uploads do not.
    bool bottom_up = frame.linesize[0] < 0 || frame.linesize[1] < 0 || frame.linesize[2] < 0;
    if (bottom_up && (plan.path == UploadPath::Iyuv || plan.path == UploadPath::Nv12 || plan.path == UploadPath::Nv21)) {
        plan.path = UploadPath::SwsToIyuv;
        plan.texture_format = SDL_PIXELFORMAT_IYUV;
        plan.sws_output = AV_PIX_FMT_YUV420P;
    }
    m_plan = plan;
    if (Status made = ensure_texture(plan.texture_format, frame.width, frame.height); !made)
        return made;
    apply_yuv_mode();

    SDL_Texture* texture = m_texture.get();
    int rc = 0;
    switch (plan.path) {
    case UploadPath::Iyuv:
        rc = SDL_UpdateYUVTexture(texture, nullptr, frame.data[0], frame.linesize[0], frame.data[1], frame.linesize[1],
                                  frame.data[2], frame.linesize[2]);
        break;
    case UploadPath::Nv12:
    case UploadPath::Nv21:
        rc = SDL_UpdateNVTexture(texture, nullptr, frame.data[0], frame.linesize[0], frame.data[1], frame.linesize[1]);
        break;
    case UploadPath::SwsToIyuv:
    case UploadPath::SwsToRgb: {
        if (Status converted = convert(frame); !converted)
            return converted;
        const AVFrame& c = *m_converted;
        rc = plan.path == UploadPath::SwsToIyuv
                 ? SDL_UpdateYUVTexture(texture, nullptr, c.data[0], c.linesize[0], c.data[1], c.linesize[1],
                                        c.data[2], c.linesize[2])
                 : SDL_UpdateTexture(texture, nullptr, c.data[0], c.linesize[0]);
        break;
    }
    }
    if (rc != 0)
        return Error{"", 0, sdl_error("cannot upload a video frame")};
    ++m_stats.uploads;
    return {};
}

void VideoTexture::apply_yuv_mode() const
{
    if (m_texture && m_texture_format != SDL_PIXELFORMAT_ARGB8888)
        SDL_SetYUVConversionMode(m_plan.yuv_mode);
}

void VideoTexture::draw(const SDL_Rect* source, const SDL_Rect& dest, int rotation) const
{
    if (!m_texture)
        return;
    apply_yuv_mode();
    if (rotation == 0) {
        SDL_RenderCopy(m_renderer, m_texture.get(), source, &dest);
        return;
    }
    // SDL turns the picture about the centre of the rectangle it is given: for a quarter turn
    // that rectangle is the unturned picture, centred where the turned one goes.
    SDL_Rect unturned = dest;
    if (rotation == 90 || rotation == 270) {
        unturned.w = dest.h;
        unturned.h = dest.w;
        unturned.x = dest.x + (dest.w - dest.h) / 2;
        unturned.y = dest.y + (dest.h - dest.w) / 2;
    }
    SDL_RenderCopyEx(m_renderer, m_texture.get(), source, &unturned, rotation, nullptr, SDL_FLIP_NONE);
}

}  // namespace signage
