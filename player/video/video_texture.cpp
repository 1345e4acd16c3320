#include "player/video/video_texture.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cmath>
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

// SDL's software renderer converts YUV textures itself and blits RGB at every draw: there the
// CPU conversion saves a copy of the planes and a pass over every frame (upload_plan.h).
Conversion best_conversion(SDL_Renderer* renderer)
{
    SDL_RendererInfo info{};
    if (renderer && SDL_GetRendererInfo(renderer, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE))
        return Conversion::Cpu;
    return Conversion::Renderer;
}

// swscale's SIMD converters write whole groups of pixels: CPU textures get rows of a multiple of
// this many pixels, of which the picture uses the left part.
constexpr int kRowGranule = 16;
// A cover crop of a small part of a picture must not ask for an enormous texture.
constexpr int kMaxScaledSide = 8192;

}  // namespace

VideoTexture::VideoTexture(SDL_Renderer* renderer) : VideoTexture(renderer, best_conversion(renderer)) {}

VideoTexture::VideoTexture(SDL_Renderer* renderer, Conversion conversion)
    : m_renderer(renderer), m_conversion(conversion)
{
    // XRGB8888 and ARGB8888 are laid out alike (FFmpeg's RGB32); the screen's own one makes the
    // draw a plain copy instead of a per-pixel conversion.
    SDL_Window* window = renderer ? SDL_RenderGetWindow(renderer) : nullptr;
    if (window && SDL_GetWindowPixelFormat(window) == SDL_PIXELFORMAT_RGB888)
        m_screen_format = SDL_PIXELFORMAT_RGB888;
}

Status VideoTexture::ensure_texture(Uint32 format, int width, int height)
{
    if (m_texture && format == m_texture_format && width == m_texture_w && height == m_texture_h)
        return {};
    m_texture.reset(SDL_CreateTexture(m_renderer, format, SDL_TEXTUREACCESS_STREAMING, width, height));
    if (!m_texture) {
        m_texture_w = m_texture_h = 0;
        return Error{"", 0,
                     sdl_error("cannot create a " + std::to_string(width) + "x" + std::to_string(height) + " " +
                               SDL_GetPixelFormatName(format) + " video texture")};
    }
    // Video is opaque; a fade sets its own blend mode and alpha.
    SDL_SetTextureBlendMode(m_texture.get(), SDL_BLENDMODE_NONE);
    m_texture_format = format;
    m_texture_w = width;
    m_texture_h = height;
    ++m_stats.textures_created;
    return {};
}

SwsContext* VideoTexture::sws_for(const AVFrame& frame, int out_w, int out_h)
{
    const int w = frame.width, h = frame.height;
    const auto source = static_cast<AVPixelFormat>(frame.format);
    // Bilinear is swscale's area-aware filter when shrinking (its taps widen with the ratio).
    const int flags = out_w == w && out_h == h ? SWS_BICUBIC : SWS_BILINEAR;
    SwsContext* context = sws_getCachedContext(m_sws.release(), w, h, source, out_w, out_h, m_plan.sws_output, flags,
                                               nullptr, nullptr, nullptr);
    m_sws.reset(context);
    if (!context)
        return nullptr;
    // Colour tables are rebuilt only when the context or the stream's colours change.
    if (context != m_sws_configured || !(m_sws_colours == m_plan)) {
        const int* matrix = sws_getCoefficients(sws_colorspace(m_plan.matrix));
        bool rgb_out = m_plan.path == UploadPath::SwsToRgb || m_plan.path == UploadPath::SwsToScreen;
        // YUV to YUV keeps matrix and range (SDL applies them); YUV to RGB applies them here.
        sws_setColorspaceDetails(context, matrix, m_plan.full_range ? 1 : 0, matrix,
                                 rgb_out ? 1 : (m_plan.full_range ? 1 : 0), 0, 1 << 16, 1 << 16);
        m_sws_configured = context;
        m_sws_colours = m_plan;
    }
    return context;
}

Status VideoTexture::convert(const AVFrame& frame)
{
    const int w = frame.width, h = frame.height;
    SwsContext* context = sws_for(frame, w, h);
    if (!context)
        return Error{"", 0, "swscale cannot convert " + format_name(frame.format) + " to " +
                                format_name(m_plan.sws_output)};
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

Status VideoTexture::convert_to_screen(const AVFrame& frame)
{
    // At the size the last draw needed. Before any draw, a picture larger than the screen either
    // way up (it may be drawn turned) is shrunk to fit: a 4K frame never takes a 4K texture on a
    // 1080p screen.
    int out_w = frame.width, out_h = frame.height;
    if (m_wanted_w > 0) {
        out_w = m_wanted_w;
        out_h = m_wanted_h;
    } else {
        int screen_w = 0, screen_h = 0;
        SDL_GetRendererOutputSize(m_renderer, &screen_w, &screen_h);
        const int side = std::max(screen_w, screen_h);
        if (side > 0 && (frame.width > side || frame.height > side)) {
            double k = std::min(static_cast<double>(side) / frame.width, static_cast<double>(side) / frame.height);
            out_w = std::max(1, static_cast<int>(std::lround(frame.width * k)));
            out_h = std::max(1, static_cast<int>(std::lround(frame.height * k)));
        }
    }
    const int texture_w = (out_w + kRowGranule - 1) / kRowGranule * kRowGranule;
    if (Status made = ensure_texture(m_plan.texture_format, texture_w, out_h); !made)
        return made;
    SwsContext* context = sws_for(frame, out_w, out_h);
    if (!context)
        return Error{"", 0, "swscale cannot convert " + format_name(frame.format) + " to RGB"};
    void* pixels = nullptr;
    int pitch = 0;
    if (SDL_LockTexture(m_texture.get(), nullptr, &pixels, &pitch) != 0)
        return Error{"", 0, sdl_error("cannot write to the video texture")};
    uint8_t* planes[4] = {static_cast<uint8_t*>(pixels), nullptr, nullptr, nullptr};
    int strides[4] = {pitch, 0, 0, 0};
    sws_scale(context, frame.data, frame.linesize, 0, frame.height, planes, strides);
    SDL_UnlockTexture(m_texture.get());
    m_stored_w = out_w;
    m_stored_h = out_h;
    ++m_stats.sws_conversions;
    return {};
}

Status VideoTexture::upload(const AVFrame& frame)
{
    UploadPlan plan = plan_upload(static_cast<AVPixelFormat>(frame.format), frame.colorspace, frame.color_range,
                                  frame.height, m_conversion);
    if (plan.path == UploadPath::SwsToScreen) {
        plan.texture_format = m_screen_format;
        m_plan = plan;
        if (frame.width != m_width || frame.height != m_height)
            m_wanted_w = m_wanted_h = 0;  // drawn at a size meant for another picture
        if (Status converted = convert_to_screen(frame); !converted)
            return converted;
        m_width = frame.width;
        m_height = frame.height;
        ++m_stats.uploads;
        return {};
    }
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
    m_width = m_stored_w = frame.width;
    m_height = m_stored_h = frame.height;
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
    case UploadPath::SwsToScreen: break;  // handled above
    }
    if (rc != 0)
        return Error{"", 0, sdl_error("cannot upload a video frame")};
    ++m_stats.uploads;
    return {};
}

void VideoTexture::apply_yuv_mode() const
{
    if (m_texture && SDL_ISPIXELFORMAT_FOURCC(m_texture_format))
        SDL_SetYUVConversionMode(m_plan.yuv_mode);
}

void VideoTexture::draw(const SDL_Rect* source, const SDL_Rect& dest, int rotation)
{
    if (!m_texture || m_width <= 0 || m_height <= 0)
        return;
    apply_yuv_mode();
    const SDL_Rect whole{0, 0, m_width, m_height};
    const SDL_Rect crop = source ? *source : whole;
    if (m_conversion == Conversion::Cpu && crop.w > 0 && crop.h > 0) {
        // The size of the whole picture when `crop` fills `dest` (unturned): the next frames are
        // converted at it, and drawing them is a copy.
        const bool sideways = rotation == 90 || rotation == 270;
        const double kx = static_cast<double>(sideways ? dest.h : dest.w) / crop.w;
        const double ky = static_cast<double>(sideways ? dest.w : dest.h) / crop.h;
        m_wanted_w = std::clamp(static_cast<int>(std::lround(m_width * kx)), 1, kMaxScaledSide);
        m_wanted_h = std::clamp(static_cast<int>(std::lround(m_height * ky)), 1, kMaxScaledSide);
    }
    // The crop in the texture's pixels: the picture may be stored scaled, and never fills the
    // padding at the end of a CPU texture's rows.
    SDL_Rect area = crop;
    if (m_stored_w != m_width || m_stored_h != m_height) {
        const double kx = static_cast<double>(m_stored_w) / m_width, ky = static_cast<double>(m_stored_h) / m_height;
        area.x = static_cast<int>(std::lround(crop.x * kx));
        area.y = static_cast<int>(std::lround(crop.y * ky));
        area.w = std::max(1, static_cast<int>(std::lround((crop.x + crop.w) * kx)) - area.x);
        area.h = std::max(1, static_cast<int>(std::lround((crop.y + crop.h) * ky)) - area.y);
    }
    source = &area;
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
