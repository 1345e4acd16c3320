// Turns a playlist item into one finished, opaque canvas-sized picture (background, text or
// poster), on the loader thread. A crossfade is then an exact blend of two such pictures, and a
// static slide costs nothing per frame.
#pragma once

#include <algorithm>
#include <utility>

#include "playlist/config/config.h"
#include "playlist/timeline/playlist.h"
#include "player/render/font_set.h"
#include "player/render/poster_loader.h"
#include "player/render/slogan_layout.h"

#include <map>

namespace signage {

struct CanvasSize {
    int width = 1920;
    int height = 1080;
};

// The canvas is the picture before screen rotation: portrait for a 90/270 screen. A screen
// larger than the renderer's largest texture (small GPUs: 4096) gets a canvas scaled down to fit,
// which the renderer scales back up when presenting.
inline std::pair<int, int> canvas_for(int output_w, int output_h, int rotation, int max_texture = 0)
{
    if (max_texture > 0 && (output_w > max_texture || output_h > max_texture)) {
        double scale = static_cast<double>(max_texture) / std::max(output_w, output_h);
        output_w = std::max(1, static_cast<int>(output_w * scale));
        output_h = std::max(1, static_cast<int>(output_h * scale));
    }
    return rotation == 90 || rotation == 270 ? std::pair{output_h, output_w} : std::pair{output_w, output_h};
}

// The fonts [text] font and fallback_fonts name, then the bundled and Debian ones.
std::vector<FontSource> font_chain_for(const Config& config, const std::string& fonts_dir);

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
