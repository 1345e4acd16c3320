// Builds a player setup from config and playlist text in a scratch folder, and renders frames
// of it through the same code `render` and `play` use.
#pragma once

#include "playlist/base/geometry.h"
#include "player/app/frame_renderer.h"
#include "player/render/poster_loader.h"
#include "player/front/player_setup.h"
#include "tests/render/image_compare.h"
#include "tests/unit/temp_dir.h"

#include <filesystem>
#include <fstream>
#include <SDL_image.h>
#include <stdexcept>
#include <unistd.h>

namespace signage::testing {

struct SceneFixture {
    TempDir folder;
    PlayerSetup setup;

    std::string path(const std::string& relative) const { return folder.file(relative); }
    void write(const std::string& relative, const std::string& text) const { folder.write(relative, text); }

    // A solid-colour PNG of the given size.
    void write_png(const std::string& relative, int w, int h, Uint32 argb) const
    {
        SurfacePtr s(SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888));
        SDL_FillRect(s.get(), nullptr, argb);
        std::filesystem::create_directories((folder.path / relative).parent_path());
        IMG_SavePNG(s.get(), path(relative).c_str());
    }

    // Loads player.ini (given text, with its [content] playlist pointing at playlist.ini).
    void load(const std::string& config_text, const std::string& playlist_text)
    {
        write("playlist.ini", playlist_text);
        write("player.ini", config_text);
        ConfigLoad config = load_config(path("player.ini"));
        if (!config.errors.empty())
            throw std::runtime_error(config.errors[0].to_string());
        setup.config = config.config;
        setup.paths = {std::string(SIGNAGE_SOURCE_DIR) + "/assets", std::string(SIGNAGE_SOURCE_DIR) + "/fonts"};
        setup.playlist = load_playlist(setup.config.resolve(setup.config.playlist));
    }

    // `at` seconds after playback started at the wall-clock instant `wall_start` (schedules read it).
    SurfacePtr frame(double at, int w, int h, WallTime wall_start = 1.8e9) const
    {
        auto rendered = render_frame(setup, at, wall_start, w, h);
        if (!rendered)
            throw std::runtime_error(rendered.error().to_string());
        return std::move(rendered->image);
    }
};

// The bounding box of pixels that differ from `background` by more than `threshold`.
inline Rect ink_box(SDL_Surface* s, Uint32 background, int threshold = 40)
{
    int x0 = s->w, y0 = s->h, x1 = -1, y1 = -1;
    for (int y = 0; y < s->h; ++y)
        for (int x = 0; x < s->w; ++x) {
            Uint32 p = pixel(s, x, y);
            int d = std::abs(red(p) - red(background)) + std::abs(green(p) - green(background)) +
                    std::abs(blue(p) - blue(background));
            if (d > threshold) {
                x0 = std::min(x0, x);
                y0 = std::min(y0, y);
                x1 = std::max(x1, x);
                y1 = std::max(y1, y);
            }
        }
    if (x1 < 0)
        return {};
    return {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

}  // namespace signage::testing
