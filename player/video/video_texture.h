// The render thread's side of video: puts decoded frames on one SDL texture, reused while the
// picture size and upload path stay the same (ffplay's upload_texture, SDL's testffmpeg.c).
// See upload_plan.h for which frames go up as YUV and which through swscale, and why the
// software renderer gets RGB converted on the CPU at the drawn size. Render thread only.
#pragma once

#include "playlist/base/error.h"
#include "player/media/sdl_handles.h"
#include "player/media/ffmpeg_handles.h"
#include "player/video/upload_plan.h"

#include <cstdint>
#include <vector>

namespace signage {

struct VideoTextureStats {
    uint64_t uploads = 0;
    uint64_t textures_created = 0;
    uint64_t sws_conversions = 0;
    uint64_t direct_draws = 0;  // Conversion::Cpu: pictures written straight into the target surface
};

class VideoTexture {
public:
    // Conversion::Cpu on SDL's software renderer, Conversion::Renderer on the others.
    explicit VideoTexture(SDL_Renderer* renderer);
    VideoTexture(SDL_Renderer* renderer, Conversion conversion);

    // Copies the frame onto the texture. Errors carry SDL_GetError() or FFmpeg's reason; after
    // one, show the texture only if the frame's size and format were those of the last upload
    // (it then still holds the previous picture).
    Status upload(const AVFrame& frame);

    // nullptr before the first successful upload.
    SDL_Texture* texture() const { return m_texture.get(); }
    // The picture's size as decoded (the texture may hold it scaled: draw() knows).
    int width() const { return m_width; }
    int height() const { return m_height; }
    Conversion conversion() const { return m_conversion; }
    const UploadPlan& plan() const { return m_plan; }
    const VideoTextureStats& stats() const { return m_stats; }

    // SDL's YUV conversion mode is one global, read when a YUV texture is converted: at upload by
    // the software renderer, at draw time by the GPU renderers. upload() sets it; call this
    // before drawing when anything else may have changed it (another video on screen).
    void apply_yuv_mode() const;

    // Draws the picture into `dest` as seen on the canvas, turned clockwise by `rotation`
    // (0/90/180/270, the stream's display matrix): for 90 and 270 `dest` is the turned picture's
    // box. `source` (optional) crops the unturned picture, in the picture's pixels. `alpha`
    // below 255 blends it over what is drawn already.
    //
    // Conversion::Cpu converts the frame here, at the size drawn. An opaque, unturned picture is
    // written straight into the software renderer's target (the window surface, or the one given
    // to draw_into()): no texture, and no copy of the picture at every present (mpv's x11 output
    // does the same with its XShm image). Fades and turned pictures go through an RGB texture.
    void draw(const SDL_Rect* source, const SDL_Rect& dest, int rotation = 0, Uint8 alpha = 255);

    // Conversion::Cpu: the surface the renderer draws on, when it was made with
    // SDL_CreateSoftwareRenderer (a window's software renderer is found by itself).
    void draw_into(SDL_Surface* target) { m_direct_target = target; }

private:
    Status ensure_texture(Uint32 format, int width, int height);
    struct Scaler;
    SwsContext* sws_for(Scaler& scaler, const AVFrame& frame, int in_w, int in_h, int out_w, int out_h);
    Status convert(const AVFrame& frame);
    Status convert_to_texture(int out_w, int out_h);
    SDL_Surface* direct_target() const;
    bool draw_direct(const SDL_Rect& crop, const SDL_Rect& dest);

    SDL_Renderer* m_renderer;
    Conversion m_conversion;
    Uint32 m_screen_format = SDL_PIXELFORMAT_ARGB8888;  // Cpu: the RGB layout the texture is made in
    TexturePtr m_texture;
    Uint32 m_texture_format = 0;
    int m_texture_w = 0, m_texture_h = 0;
    int m_width = 0, m_height = 0;        // the picture's, as decoded
    int m_stored_w = 0, m_stored_h = 0;   // the picture's in the texture (Cpu: maybe scaled)
    UploadPlan m_plan;
    // sws_getCachedContext keeps a context while its conversion stays; colour tables are set
    // again only when the context or the stream's colours change. Two: a fade alternates the
    // texture (whole picture) and the direct (cropped, another size) conversions.
    struct Scaler {
        SwsContextPtr context;
        const SwsContext* configured = nullptr;
        UploadPlan colours;
    };
    Scaler m_scaler;                 // uploads (Renderer) and the texture (Cpu)
    Scaler m_direct_scaler;          // Cpu: straight into the target surface
    FramePtr m_held;                 // Cpu: the frame uploaded last, converted when drawn
    bool m_texture_stale = true;     // Cpu: m_held is not on the texture yet
    SDL_Surface* m_direct_target = nullptr;  // draw_into()
    SDL_Window* m_window = nullptr;          // Cpu on a window's software renderer: its surface is the target
    std::vector<uint8_t> m_saved_strip;  // Cpu: pixels right of a direct picture that swscale may write over
    FramePtr m_converted;            // swscale's output, reused while size and format stay
    VideoTextureStats m_stats;
};

}  // namespace signage
