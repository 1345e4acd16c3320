// RAII for every SDL handle: one owner, freed exactly once, on every path.
#pragma once

#include <SDL.h>
#include <SDL_ttf.h>

#include <memory>
#include <string>

namespace signage {

struct SurfaceDeleter {
    void operator()(SDL_Surface* s) const { SDL_FreeSurface(s); }
};
struct TextureDeleter {
    void operator()(SDL_Texture* t) const { SDL_DestroyTexture(t); }
};
struct RendererDeleter {
    void operator()(SDL_Renderer* r) const { SDL_DestroyRenderer(r); }
};
struct WindowDeleter {
    void operator()(SDL_Window* w) const { SDL_DestroyWindow(w); }
};
struct RWopsDeleter {
    void operator()(SDL_RWops* rw) const { SDL_RWclose(rw); }
};
struct FontDeleter {
    void operator()(TTF_Font* f) const { TTF_CloseFont(f); }
};

using SurfacePtr = std::unique_ptr<SDL_Surface, SurfaceDeleter>;
using TexturePtr = std::unique_ptr<SDL_Texture, TextureDeleter>;
using RendererPtr = std::unique_ptr<SDL_Renderer, RendererDeleter>;
using WindowPtr = std::unique_ptr<SDL_Window, WindowDeleter>;
using FontPtr = std::unique_ptr<TTF_Font, FontDeleter>;
using RWopsPtr = std::unique_ptr<SDL_RWops, RWopsDeleter>;

// "what failed: SDL's reason", for every SDL failure message.
inline std::string sdl_error(const std::string& what)
{
    return what + ": " + SDL_GetError();
}

// A surface in the one pixel format the player composes in (32-bit ARGB).
inline SurfacePtr make_argb_surface(int width, int height)
{
    return SurfacePtr(SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888));
}

}  // namespace signage
