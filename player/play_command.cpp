// `play`: the render thread's flat main loop — events, clock, sequencer, uploads, draw, one
// timed wait. Composing slides happens on the loader thread; nothing here blocks on files.
#include "player/commands.h"

#include "playlist/clock.h"
#include "player/content_loader.h"
#include "player/display.h"
#include "player/log.h"
#include "player/slide_textures.h"
#include "player/waker.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cmath>

namespace signage {

extern std::chrono::steady_clock::time_point g_process_start;

namespace {

std::atomic<bool> g_quit{false};
Waker* g_signal_waker = nullptr;

void on_signal(int)
{
    g_quit = true;
    if (g_signal_waker)
        g_signal_waker->wake();
}

// What the screen shows; a new present is needed only when this changes.
struct Shown {
    long current = -2, previous = -2;
    double start = -1;
    int mix = -1;
    bool current_ready = false, previous_ready = false;
    bool operator==(const Shown&) const = default;
};

constexpr double kFrameInterval = 1.0 / 60;
// Before the first item is ready the screen shows nothing; past this it shows the fallback.
constexpr double kFirstItemPatience = 3.0;

}  // namespace

int run_play(const CliOptions& cli, PlayerSetup& setup)
{
    const Config& config = setup.config;
    Waker waker;
    g_signal_waker = &waker;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);

    DisplayOptions display_options;
    display_options.fullscreen = config.fullscreen && !cli.windowed;
    display_options.headless = cli.headless;
    display_options.width = static_cast<int>(config.width);
    display_options.height = static_cast<int>(config.height);
    display_options.display_index = static_cast<int>(config.display_index);
    display_options.vsync = config.vsync;
    auto display = Display::open(display_options);
    if (!display) {
        log::error(display.error().to_string());
        return 1;
    }
    log::info("display: " + display->describe());

    const int rotation = config.rotation_degrees();
    auto [canvas_w, canvas_h] = canvas_for(display->width(), display->height(), rotation);
    auto composer = SlideComposer::create(config, setup.paths.fonts, {canvas_w, canvas_h});
    if (!composer) {
        log::error(composer.error().to_string());
        return 1;
    }
    const size_t item_count = setup.playlist.playlist.items.size();
    log::info("playlist " + setup.playlist.playlist.file + ": " + std::to_string(item_count) + " items");
    ContentLoader loader(std::move(*composer), setup.playlist.playlist, config.retry_after, rotation,
                         [&waker] { waker.wake(); });
    Sequencer sequencer(item_timings(setup.playlist.playlist));
    SlideTextures textures(display->renderer());
    SteadyClock clock;

    Shown shown;
    bool presented = false;
    bool dirty = true;
    double last_present = -1;
    while (!g_quit) {
        SDL_Event event;
        while (SDL_PollEvent(&event)) {
            // A kiosk ignores its keyboard and window-manager close requests: only SIGTERM
            // (systemctl stop) ends the show. A windowed player quits on Esc, q or close.
            if (!display->kiosk()) {
                if (event.type == SDL_QUIT)
                    g_quit = true;
                if (event.type == SDL_KEYDOWN &&
                    (event.key.keysym.sym == SDLK_ESCAPE || event.key.keysym.sym == SDLK_q))
                    g_quit = true;
            }
            if (event.type == SDL_WINDOWEVENT || event.type == SDL_RENDER_TARGETS_RESET ||
                event.type == SDL_RENDER_DEVICE_RESET)
                dirty = true;
        }
        if (g_quit)
            break;

        const double now = clock.now();
        if (cli.run_for && presented && now >= *cli.run_for)
            break;
        auto readiness = [&](size_t item) { return textures.readiness(loader, item, now); };
        sequencer.advance(now, readiness);
        FrameState frame = sequencer.frame(now);
        auto upcoming = sequencer.upcoming(readiness);

        // The fallback slide is composed only when it is needed: it costs a full-screen texture.
        bool show_fallback = !frame.current && (item_count == 0 || now >= kFirstItemPatience || presented);
        std::vector<size_t> wanted;
        if (show_fallback)
            wanted.push_back(ContentLoader::kFallback);
        if (frame.current)
            wanted.push_back(frame.current->item);
        if (frame.previous)
            wanted.push_back(frame.previous->item);
        if (upcoming)
            wanted.push_back(*upcoming);
        if (textures.sync(loader, wanted))
            continue;  // a picture arrived: the sequencer may move on now, not at the next wake

        if (show_fallback)
            loader.request(ContentLoader::kFallback, now);
        bool starting = !frame.current && !show_fallback;
        size_t on_screen = frame.current ? frame.current->item : ContentLoader::kFallback;
        Shown next{frame.current ? static_cast<long>(frame.current->item) : -1,
                   frame.previous ? static_cast<long>(frame.previous->item) : -1,
                   frame.current ? frame.current->start : -1,
                   static_cast<int>(std::lround(frame.mix * 255)),
                   textures.has(on_screen),
                   frame.previous && textures.has(frame.previous->item)};
        if (!starting && next.current_ready && (dirty || !(next == shown))) {
            textures.draw(frame, config.background);
            SDL_RenderPresent(display->renderer());
            last_present = clock.now();
            if (!presented) {
                double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                      g_process_start)
                                .count();
                log::info("first frame presented " + std::to_string(static_cast<int>(ms)) + " ms after start");
            }
            presented = true;
            shown = next;
            dirty = false;
        }

        // One timed wait until the picture next changes; loader results and signals cut it short.
        double wait = frame.next_change - clock.now();
        if (frame.previous)
            wait = last_present + kFrameInterval - clock.now();  // animating a fade
        if (cli.run_for && presented)
            wait = std::min(wait, *cli.run_for - clock.now());
        // A real window must notice expose events: poll its queue a few times a second.
        wait = std::min(wait, cli.headless ? 1.0 : 0.1);
        waker.wait(std::max(0.0, wait));
    }
    g_signal_waker = nullptr;
    log::info("stopped");
    return 0;
}

}  // namespace signage
