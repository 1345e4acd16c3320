// The render thread's side of the loader: uploads finished pictures as textures (once per item)
// and draws a frame from them. Only the render thread touches SDL_Renderer and textures.
#pragma once

#include "playlist/sequencer.h"
#include "playlist/values.h"
#include "player/content_loader.h"
#include "player/sdl_handles.h"

#include <map>
#include <vector>

namespace signage {

// Copies a screen-sized texture over the whole screen with opacity `alpha` (1: replaces).
void draw_full_texture(SDL_Renderer* renderer, SDL_Texture* texture, double alpha);

class SlideTextures {
public:
    explicit SlideTextures(SDL_Renderer* renderer) : m_renderer(renderer) {}

    // Uploads whatever the loader has finished among `wanted`; drops textures not wanted any
    // more (and lets the loader forget them). Returns whether anything new was uploaded.
    bool sync(ContentLoader& loader, const std::vector<size_t>& wanted);
    bool has(size_t item) const { return m_textures.count(item) != 0; }

    // Ready only once the texture is here, so a switch never shows a missing picture.
    Readiness readiness(ContentLoader& loader, size_t item, double now);

    // Draws an item's slide over the whole screen with opacity `alpha` (the fallback slide for
    // ContentLoader::kFallback). False when its texture is not here.
    bool draw_item(size_t item, double alpha);

    // Hands over the texture of an item (nullptr if absent), e.g. to keep it on screen while a
    // new playlist takes over.
    TexturePtr detach(size_t item);

private:
    SDL_Texture* find(size_t item) const;

    SDL_Renderer* m_renderer;
    std::map<size_t, TexturePtr> m_textures;
};

}  // namespace signage
