#include "player/render/video_picture.h"

#include "player/render/surface_ops.h"
#include "player/video/video_texture.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace signage {

namespace {

// As long as `check` waits for a first picture (media_check.cpp).
constexpr std::chrono::seconds kFirstFrameWait{20};

}  // namespace

VideoPlacement place_video(const VideoStreamInfo& video, int stored_w, int stored_h, int canvas_w, int canvas_h,
                           Fit fit)
{
    const AVRational sar = video.sample_aspect_ratio;
    const double pixel_aspect = sar.num > 0 && sar.den > 0 ? static_cast<double>(sar.num) / sar.den : 1.0;
    // The picture as meant to be seen: square pixels, turned by the stream's display matrix.
    const int shown_w = std::max(1, static_cast<int>(std::lround(stored_w * pixel_aspect)));
    const bool sideways = video.rotation == 90 || video.rotation == 270;
    const int seen_w = sideways ? stored_h : shown_w;
    const int seen_h = sideways ? shown_w : stored_h;

    FitResult fitted = fit_image(seen_w, seen_h, {0, 0, canvas_w, canvas_h}, fit);
    // The crop (cover) back in the stored picture's pixels: unturn it, undo the pixel aspect.
    Rect crop = rotate_rect(fitted.source, seen_w, seen_h, (360 - video.rotation) % 360);
    crop.x = static_cast<int>(std::lround(crop.x / pixel_aspect));
    crop.w = std::max(1, static_cast<int>(std::lround(crop.w / pixel_aspect)));
    return {SDL_Rect{crop.x, crop.y, std::min(crop.w, stored_w - crop.x), crop.h}, fitted.dest};
}

Result<SurfacePtr> video_still(VideoDecoder& decoder, Fit fit, Color background, int canvas_w, int canvas_h)
{
    std::optional<VideoFrame> frame = decoder.wait_frame(kFirstFrameWait);
    if (!frame)
        return Error{decoder.path(), 0, "no picture could be decoded"};
    SurfacePtr picture = make_argb_surface(canvas_w, canvas_h);
    if (!picture)
        return Error{"", 0, sdl_error("cannot allocate a video still")};
    fill(picture.get(), background);
    RendererPtr renderer(SDL_CreateSoftwareRenderer(picture.get()));
    if (!renderer)
        return Error{"", 0, sdl_error("cannot create the software renderer")};
    {
        // The texture belongs to the renderer: gone before it.
        VideoTexture texture(renderer.get());
        texture.draw_into(picture.get());
        if (Status uploaded = texture.upload(*frame->frame); !uploaded)
            return Error{decoder.path(), 0, uploaded.error().message};
        const VideoStreamInfo& video = *decoder.info().video;
        VideoPlacement place = place_video(video, texture.width(), texture.height(), canvas_w, canvas_h, fit);
        texture.draw(&place.source, SDL_Rect{place.dest.x, place.dest.y, place.dest.w, place.dest.h}, video.rotation);
        SDL_RenderPresent(renderer.get());
    }
    return picture;
}

}  // namespace signage
