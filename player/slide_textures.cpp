#include "player/slide_textures.h"

#include "player/log.h"

#include <algorithm>
#include <cmath>

namespace signage {

bool SlideTextures::sync(ContentLoader& loader, const std::vector<size_t>& wanted)
{
    for (auto it = m_textures.begin(); it != m_textures.end();) {
        if (std::find(wanted.begin(), wanted.end(), it->first) == wanted.end()) {
            loader.release(it->first);
            it = m_textures.erase(it);
        } else {
            ++it;
        }
    }
    bool uploaded = false;
    for (size_t item : wanted) {
        if (has(item))
            continue;
        SurfacePtr picture = loader.take(item);
        if (!picture)
            continue;
        TexturePtr texture(SDL_CreateTextureFromSurface(m_renderer, picture.get()));
        if (!texture) {
            log::on_change(log::Level::Error, "texture", SDL_GetError(), sdl_error("cannot upload a slide"));
            continue;
        }
        m_textures.emplace(item, std::move(texture));
        uploaded = true;
    }
    return uploaded;
}

Readiness SlideTextures::readiness(ContentLoader& loader, size_t item, double now)
{
    if (has(item))
        return Readiness::Ready;
    Readiness state = loader.readiness(item, now);
    return state == Readiness::Ready ? Readiness::Pending : state;
}

SDL_Texture* SlideTextures::find(size_t item) const
{
    auto it = m_textures.find(item);
    return it == m_textures.end() ? nullptr : it->second.get();
}

TexturePtr SlideTextures::detach(size_t item)
{
    auto it = m_textures.find(item);
    if (it == m_textures.end())
        return nullptr;
    TexturePtr texture = std::move(it->second);
    m_textures.erase(it);
    return texture;
}

void draw_full_texture(SDL_Renderer* renderer, SDL_Texture* texture, double alpha)
{
    bool blend = alpha < 1.0;
    SDL_SetTextureBlendMode(texture, blend ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
    SDL_SetTextureAlphaMod(texture, blend ? static_cast<Uint8>(std::lround(std::clamp(alpha, 0.0, 1.0) * 255)) : 255);
    SDL_RenderCopy(renderer, texture, nullptr, nullptr);
}

bool SlideTextures::draw_item(size_t item, double alpha)
{
    SDL_Texture* texture = find(item);
    if (!texture)
        return false;
    draw_full_texture(m_renderer, texture, alpha);
    return true;
}

}  // namespace signage
