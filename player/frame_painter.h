// Draws one frame of the show: the background, the item before (during a fade) and the current
// item blended over it — each a composed slide or a playing video. Used by `play` and `render`.
#pragma once

#include "playlist/sequencer.h"
#include "playlist/values.h"
#include "player/slide_textures.h"
#include "player/video_layers.h"

namespace signage {

struct FramePainter {
    SDL_Renderer* renderer;
    Color background;
    const Playlist& playlist;
    SlideTextures& slides;
    VideoLayers& videos;

    // `outgoing`, when given, stands in for the previous item: the last picture of a playlist
    // that has just been replaced.
    void paint(const FrameState& frame, SDL_Texture* outgoing = nullptr);

    // Whether the layer of `slot` has its picture (slide texture or a video frame).
    bool ready(const Slot& slot) const;

private:
    void layer(const Slot& slot, double alpha);
    bool is_video(size_t item) const;
};

}  // namespace signage
