// Where a video's picture sits on the canvas, and a still of it: the play loop draws its frames
// with place_video, and the contact sheet's thumbnail of a video is video_still, the same
// placement, so a thumbnail is cropped and letterboxed as the screen shows it.
#pragma once

#include "playlist/base/error.h"
#include "playlist/base/geometry.h"
#include "playlist/base/values.h"
#include "player/media/sdl_handles.h"
#include "player/video/video_decoder.h"

namespace signage {

struct VideoPlacement {
    SDL_Rect source;  // the part of the stored picture that shows (a cover crop), stored pixels
    Rect dest;        // where it goes on the canvas (before the screen's rotation)
};

// The stored picture (stored_w x stored_h, as decoded) as meant to be seen, square pixels and
// turned by the stream's display matrix, fitted on a canvas_w x canvas_h canvas. Draw `source`
// into `dest` turned clockwise by video.rotation.
VideoPlacement place_video(const VideoStreamInfo& video, int stored_w, int stored_h, int canvas_w, int canvas_h,
                           Fit fit);

// The decoder's next frame fitted on a canvas-sized picture over `background`, drawn by the
// player's own video texture code on a software renderer (colours, crops and turns as on
// screen). Waits for the frame: not for the play loop.
Result<SurfacePtr> video_still(VideoDecoder& decoder, Fit fit, Color background, int canvas_w, int canvas_h);

}  // namespace signage
