#include "player/render/display.h"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace signage {

namespace {

// A render node means a GPU the renderer can use; without one, SDL's OpenGL path runs on
// Mesa's llvmpipe, which costs ~100 MB of memory and twice the CPU of SDL's own software path.
bool has_gpu_render_node()
{
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/dev/dri", ec))
        if (entry.path().filename().string().rfind("renderD", 0) == 0)
            return true;
    return false;
}

}  // namespace

Result<Display> Display::open(const DisplayOptions& options)
{
    bool software = options.headless || options.renderer == "software" ||
                    (options.renderer == "auto" && !has_gpu_render_node());
    if (software && !std::getenv("SDL_RENDER_DRIVER")) {
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        // Present the window without OpenGL too (SDL would otherwise still use it for that).
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    if (options.headless) {
        // No display needed: SDL's dummy video driver (with the software renderer, above).
        setenv("SDL_VIDEODRIVER", "dummy", 1);
    }
    // We handle SIGTERM/SIGINT ourselves (a kiosk must stop on SIGTERM, not on a stray key).
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    // A fullscreen window must stay up when another window takes the focus.
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    const char* requested = std::getenv("SDL_VIDEODRIVER");
    const bool no_session = !std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY");
    if (!options.headless && (!requested || !*requested) && no_session) {
        // No X or Wayland session: a kiosk box on the bare console draws through KMS/DRM.
        // Asking for it alone also spares the log SDL's noise from probing Wayland.
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "kmsdrm");
    }
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        std::string reason = SDL_GetError();
        if (no_session)
            return Error{"", 0,
                         "no display found (DISPLAY and WAYLAND_DISPLAY are not set, and SDL could not start "
                         "another video driver: " + reason + "); use --headless to play without a screen"};
        return Error{"", 0, "cannot open the display: " + reason + "; use --headless to play without a screen"};
    }
    Display display;
    display.m_owns_sdl = true;
    // SDL falls back to its offscreen driver when there is no display; a screen that shows
    // nothing must not pass for a working one.
    std::string driver = SDL_GetCurrentVideoDriver();
    if (!options.headless && (!requested || !*requested) && (driver == "offscreen" || driver == "dummy"))
        return Error{"", 0,
                     "no display found (DISPLAY and WAYLAND_DISPLAY are not set and no screen is attached); use "
                     "--headless to play without a screen"};
    display.m_kiosk = options.fullscreen && !options.headless;
    int index = options.display_index < SDL_GetNumVideoDisplays() ? options.display_index : 0;
    Uint32 flags = SDL_WINDOW_SHOWN;
    int x = SDL_WINDOWPOS_CENTERED_DISPLAY(index), y = x, w = options.width, h = options.height;
    if (display.m_kiosk) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
        // Without a window manager (a bare X kiosk) nobody resizes the window to the screen:
        // create it with the screen's own bounds.
        SDL_Rect bounds{};
        if (SDL_GetDisplayBounds(index, &bounds) == 0) {
            x = bounds.x;
            y = bounds.y;
            w = bounds.w;
            h = bounds.h;
        }
    }
    display.m_window.reset(SDL_CreateWindow("signage-player", x, y, w, h, flags));
    if (!display.m_window)
        return Error{"", 0, sdl_error("cannot create the window")};
    Uint32 renderer_flags = options.vsync && !options.headless ? SDL_RENDERER_PRESENTVSYNC : 0;
    display.m_renderer.reset(SDL_CreateRenderer(display.m_window.get(), -1, renderer_flags));
    if (!display.m_renderer)  // no usable accelerated renderer: the software one always works
        display.m_renderer.reset(SDL_CreateRenderer(display.m_window.get(), -1, SDL_RENDERER_SOFTWARE));
    if (!display.m_renderer)
        return Error{"", 0, sdl_error("cannot create a renderer")};
    SDL_RendererInfo info{};
    if (SDL_GetRendererInfo(display.m_renderer.get(), &info) == 0 && info.name &&
        std::string_view(info.name) == "software")
        display.m_partial = true;
    if (display.m_kiosk)
        SDL_ShowCursor(SDL_DISABLE);
    SDL_DisableScreenSaver();
    return display;
}

Display::Display(Display&& other) noexcept
    : m_window(std::move(other.m_window)),
      m_renderer(std::move(other.m_renderer)),
      m_kiosk(other.m_kiosk),
      m_partial(other.m_partial),
      m_owns_sdl(other.m_owns_sdl)
{
    other.m_owns_sdl = false;
}

void Display::present_rects(const std::vector<SDL_Rect>& rects)
{
    // The renderer's queued drawing lands on the window surface first; then only those parts go
    // to the window system (on X11: a shared-memory put of the band, not of the whole screen).
    SDL_RenderFlush(m_renderer.get());
    if (SDL_UpdateWindowSurfaceRects(m_window.get(), rects.data(), static_cast<int>(rects.size())) != 0)
        SDL_RenderPresent(m_renderer.get());
}

Display::~Display()
{
    m_renderer.reset();
    m_window.reset();
    if (m_owns_sdl)
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

int Display::width() const
{
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(m_renderer.get(), &w, &h);
    return w;
}

int Display::height() const
{
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(m_renderer.get(), &w, &h);
    return h;
}

std::string Display::describe() const
{
    SDL_RendererInfo info{};
    SDL_GetRendererInfo(m_renderer.get(), &info);
    return std::string("video driver ") + SDL_GetCurrentVideoDriver() + ", renderer " + info.name + ", " +
           std::to_string(width()) + "x" + std::to_string(height()) + (m_kiosk ? ", fullscreen" : ", windowed");
}

}  // namespace signage
