// Turns a playlist item into one finished, opaque canvas-sized picture (background, text or
// poster), on the loader thread. A crossfade is then an exact blend of two such pictures, and a
// static slide costs nothing per frame.
#pragma once

#include "playlist/config.h"
#include "playlist/playlist.h"
#include "player/font_set.h"
#include "player/poster_loader.h"
#include "player/slogan_layout.h"

#include <map>

namespace signage {

struct CanvasSize {
    int width = 1920;
    int height = 1080;
};

class SlideComposer {
public:
    static Result<SlideComposer> create(const Config& config, const std::string& fonts_dir, CanvasSize canvas);

    Result<SurfacePtr> compose_slogan(const PlaylistItem& item);
    Result<SurfacePtr> compose_image(const PlaylistItem& item);
    // Shown when nothing in the playlist can play: a campaign message, never a black screen.
    SurfacePtr compose_fallback();

    // For `check`: the layout a slogan gets on this canvas, and characters no font has.
    SloganLayout layout(const std::string& text);
    std::u32string missing_characters(const std::string& text);

    CanvasSize canvas() const { return m_canvas; }
    Rect text_area() const;
    ImageLimits image_limits() const;

private:
    SlideComposer(const Config& config, FontSet fonts, CanvasSize canvas);
    void draw_background_image(SDL_Surface* target, const std::string& path);

    Config m_config;
    FontSet m_fonts;
    CanvasSize m_canvas;
    std::map<std::string, SurfacePtr> m_backgrounds;  // canvas-sized, cover-fitted, by path
};

}  // namespace signage
