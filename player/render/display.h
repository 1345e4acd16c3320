// The screen: an SDL window and renderer, fullscreen for a kiosk, windowed for a desk, or on
// SDL's dummy driver with the software renderer when there is no display at all (--headless).
#pragma once

#include "playlist/base/error.h"
#include "player/media/sdl_handles.h"

#include <vector>

namespace signage {

struct DisplayOptions {
    bool fullscreen = true;
    bool headless = false;
    int width = 1920;
    int height = 1080;
    int display_index = 0;
    bool vsync = true;
    std::string renderer = "auto";  // auto | software | accelerated
};

class Display {
public:
    static Result<Display> open(const DisplayOptions& options);
    ~Display();
    Display(Display&&) noexcept;
    Display& operator=(Display&&) = delete;

    SDL_Renderer* renderer() const { return m_renderer.get(); }
    SDL_Window* window() const { return m_window.get(); }
    int width() const;   // output size in pixels
    int height() const;
    bool kiosk() const { return m_kiosk; }
    // Whether part of the screen can be presented alone: SDL's software renderer draws straight
    // into the window's surface, which keeps what was drawn, and the window system can be sent
    // just the rectangles that changed (a ticker's band, not the whole screen, every frame).
    bool partial_presents() const { return m_partial; }
    // Presents only `rects` (output pixels) of what was drawn; needs partial_presents().
    void present_rects(const std::vector<SDL_Rect>& rects);
    std::string describe() const;  // video driver, renderer, size: for the log

private:
    Display() = default;
    WindowPtr m_window;
    RendererPtr m_renderer;
    bool m_kiosk = false;
    bool m_partial = false;
    bool m_owns_sdl = false;
};

}  // namespace signage
