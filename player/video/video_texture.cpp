#include "player/video/video_texture.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cmath>
#include <cstring>
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
    // A window's software renderer draws on the window's surface (SDL's SW_CreateRenderer): the
    // direct path may write there.
    if (window && m_conversion == Conversion::Cpu && best_conversion(renderer) == Conversion::Cpu)
        m_window = window;
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

SwsContext* VideoTexture::sws_for(Scaler& scaler, const AVFrame& frame, int in_w, int in_h, int out_w, int out_h)
{
    const auto source = static_cast<AVPixelFormat>(frame.format);
    // Bilinear is swscale's area-aware filter when shrinking (its taps widen with the ratio).
    const int flags = out_w == in_w && out_h == in_h ? SWS_BICUBIC : SWS_BILINEAR;
    SwsContext* context = sws_getCachedContext(scaler.context.release(), in_w, in_h, source, out_w, out_h,
                                               m_plan.sws_output, flags, nullptr, nullptr, nullptr);
    scaler.context.reset(context);
    if (!context)
        return nullptr;
    if (context != scaler.configured || !(scaler.colours == m_plan)) {
        const int* matrix = sws_getCoefficients(sws_colorspace(m_plan.matrix));
        bool rgb_out = m_plan.path == UploadPath::SwsToRgb || m_plan.path == UploadPath::SwsToScreen;
        // YUV to YUV keeps matrix and range (SDL applies them); YUV to RGB applies them here.
        sws_setColorspaceDetails(context, matrix, m_plan.full_range ? 1 : 0, matrix,
                                 rgb_out ? 1 : (m_plan.full_range ? 1 : 0), 0, 1 << 16, 1 << 16);
        scaler.configured = context;
        scaler.colours = m_plan;
    }
    return context;
}

Status VideoTexture::convert(const AVFrame& frame)
{
    const int w = frame.width, h = frame.height;
    SwsContext* context = sws_for(m_scaler, frame, w, h, w, h);
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

// The held frame, whole, at out_w x out_h, onto the RGB texture.
Status VideoTexture::convert_to_texture(int out_w, int out_h)
{
    if (!m_texture_stale && m_texture && out_w == m_stored_w && out_h == m_stored_h)
        return {};
    const AVFrame& frame = *m_held;
    const int texture_w = (out_w + kRowGranule - 1) / kRowGranule * kRowGranule;
    if (Status made = ensure_texture(m_plan.texture_format, texture_w, out_h); !made)
        return made;
    SwsContext* context = sws_for(m_scaler, frame, frame.width, frame.height, out_w, out_h);
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
    m_texture_stale = false;
    ++m_stats.sws_conversions;
    return {};
}

SDL_Surface* VideoTexture::direct_target() const
{
    if (m_direct_target)
        return m_direct_target;
    // Asked at every draw: SDL makes a new window surface when the window is resized.
    return m_window ? SDL_GetWindowSurface(m_window) : nullptr;
}

// Converts the held frame's `crop` straight into the target surface at `dest`. False when that
// cannot be done (the caller draws through the texture).
bool VideoTexture::draw_direct(const SDL_Rect& crop, const SDL_Rect& dest)
{
    SDL_Surface* target = direct_target();
    if (!target || !target->pixels || SDL_MUSTLOCK(target))
        return false;
    const Uint32 format = target->format->format;
    if (format != SDL_PIXELFORMAT_RGB888 && format != SDL_PIXELFORMAT_ARGB8888)
        return false;
    // swscale may write whole groups of pixels past the width: they must land inside the row.
    const int written_w = (dest.w + kRowGranule - 1) / kRowGranule * kRowGranule;
    if (dest.x < 0 || dest.y < 0 || dest.w <= 0 || dest.h <= 0 || dest.x + written_w > target->w ||
        dest.y + dest.h > target->h)
        return false;
    const AVFrame& frame = *m_held;
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame.format));
    if (!desc || (desc->flags & (AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_PAL)))
        return false;
    // The crop's planes: its corner rounded down to whole chroma samples (at most a pixel off).
    const int x = crop.x >> desc->log2_chroma_w << desc->log2_chroma_w;
    const int y = crop.y >> desc->log2_chroma_h << desc->log2_chroma_h;
    const uint8_t* planes[4] = {};
    for (int plane = 0; plane < 4 && frame.data[plane]; ++plane) {
        int step = 0;
        bool chroma = false;
        for (int c = 0; c < desc->nb_components; ++c)
            if (desc->comp[c].plane == plane) {
                step = desc->comp[c].step;
                chroma = (c == 1 || c == 2) && !(desc->flags & AV_PIX_FMT_FLAG_RGB);
            }
        if (step == 0)
            return false;
        const int px = chroma ? x >> desc->log2_chroma_w : x;
        const int py = chroma ? y >> desc->log2_chroma_h : y;
        planes[plane] = frame.data[plane] + static_cast<ptrdiff_t>(py) * frame.linesize[plane] + px * step;
    }
    const int crop_w = std::min(crop.w, frame.width - x), crop_h = std::min(crop.h, frame.height - y);
    if (crop_w <= 0 || crop_h <= 0)
        return false;
    SwsContext* context = sws_for(m_direct_scaler, frame, crop_w, crop_h, dest.w, dest.h);
    if (!context)
        return false;
    // What is drawn already (bars, the background) reaches the surface first.
    SDL_RenderFlush(m_renderer);
    const int pitch = target->pitch;
    uint8_t* corner = static_cast<uint8_t*>(target->pixels) + static_cast<ptrdiff_t>(dest.y) * pitch + dest.x * 4;
    // The pixels swscale may write over right of the picture are put back after it.
    const size_t strip = static_cast<size_t>(written_w - dest.w) * 4;
    if (strip) {
        m_saved_strip.resize(strip * dest.h);
        for (int row = 0; row < dest.h; ++row)
            std::memcpy(m_saved_strip.data() + row * strip, corner + row * pitch + dest.w * 4, strip);
    }
    uint8_t* out[4] = {corner, nullptr, nullptr, nullptr};
    int strides[4] = {pitch, 0, 0, 0};
    sws_scale(context, planes, frame.linesize, 0, crop_h, out, strides);
    for (int row = 0; strip && row < dest.h; ++row)
        std::memcpy(corner + row * pitch + dest.w * 4, m_saved_strip.data() + row * strip, strip);
    ++m_stats.sws_conversions;
    ++m_stats.direct_draws;
    // The texture is only for fades and turned pictures: its memory goes back meanwhile.
    m_texture.reset();
    m_texture_w = m_texture_h = 0;
    m_texture_stale = true;
    return true;
}

Status VideoTexture::upload(const AVFrame& frame)
{
    UploadPlan plan = plan_upload(static_cast<AVPixelFormat>(frame.format), frame.colorspace, frame.color_range,
                                  frame.height, m_conversion);
    if (plan.path == UploadPath::SwsToScreen) {
        // Converted when drawn, at the size and place it is drawn (draw()).
        const auto format = static_cast<AVPixelFormat>(frame.format);
        if (!sws_isSupportedInput(format))
            return Error{"", 0, "swscale cannot convert " + format_name(frame.format) + " to RGB"};
        if (!m_held && !(m_held = make_frame()))
            return Error{"", 0, "out of memory holding a video frame"};
        av_frame_unref(m_held.get());
        if (int rc = av_frame_ref(m_held.get(), &frame); rc < 0)
            return av_error("", "cannot hold a video frame", rc);
        plan.texture_format = m_screen_format;
        m_plan = plan;
        m_width = frame.width;
        m_height = frame.height;
        m_texture_stale = true;
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

void VideoTexture::draw(const SDL_Rect* source, const SDL_Rect& dest, int rotation, Uint8 alpha)
{
    if (m_width <= 0 || m_height <= 0)
        return;
    const SDL_Rect whole{0, 0, m_width, m_height};
    const SDL_Rect crop = source ? *source : whole;
    if (m_conversion == Conversion::Cpu) {
        if (!m_held || crop.w <= 0 || crop.h <= 0)
            return;
        if (alpha == 255 && rotation == 0 && draw_direct(crop, dest))
            return;
        // The whole picture at the size where `crop` fills `dest` (unturned).
        const bool sideways = rotation == 90 || rotation == 270;
        const double kx = static_cast<double>(sideways ? dest.h : dest.w) / crop.w;
        const double ky = static_cast<double>(sideways ? dest.w : dest.h) / crop.h;
        const int out_w = std::clamp(static_cast<int>(std::lround(m_width * kx)), 1, kMaxScaledSide);
        const int out_h = std::clamp(static_cast<int>(std::lround(m_height * ky)), 1, kMaxScaledSide);
        if (Status converted = convert_to_texture(out_w, out_h); !converted)
            return;  // nothing drawn: the layer below shows (the error repeats at every frame)
    }
    if (!m_texture)
        return;
    apply_yuv_mode();
    SDL_SetTextureBlendMode(m_texture.get(), alpha == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetTextureAlphaMod(m_texture.get(), alpha);
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
