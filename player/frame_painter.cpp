#include "player/frame_painter.h"

namespace signage {

bool FramePainter::is_video(size_t item) const
{
    return item < playlist.items.size() && playlist.items[item].type == ItemType::Video;
}

bool FramePainter::ready(const Slot& slot) const
{
    return is_video(slot.item) ? videos.has_picture(slot) : slides.has(slot.item);
}

void FramePainter::layer(const Slot& slot, double alpha)
{
    if (is_video(slot.item))
        videos.draw(slot, background, alpha);
    else
        slides.draw_item(slot.item, alpha);
}

void FramePainter::paint(const FrameState& frame, SDL_Texture* outgoing)
{
    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(renderer, background.r, background.g, background.b, 255);
    SDL_RenderClear(renderer);
    if (!frame.current) {
        slides.draw_item(ContentLoader::kFallback, 1.0);
        return;
    }
    bool fading = frame.mix < 1.0 && (outgoing || frame.previous);
    if (fading) {
        if (outgoing)
            draw_full_texture(renderer, outgoing, 1.0);
        else
            layer(*frame.previous, 1.0);
    }
    layer(*frame.current, fading ? frame.mix : 1.0);
}

}  // namespace signage
