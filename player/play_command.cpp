// `play`: the render thread's flat main loop — events, playlist changes, clock, sequencer,
// uploads, draw, one timed wait. Composing slides happens on the loader thread and re-reading
// the playlist on the watcher thread; nothing here blocks on files.
#include "player/commands.h"

#include "playlist/clock.h"
#include "playlist/playlist_watcher.h"
#include "player/content_loader.h"
#include "player/display.h"
#include "player/frame_painter.h"
#include "player/log.h"
#include "player/player_sync.h"
#include "player/slide_textures.h"
#include "player/waker.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <memory>

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

void install_signal_handlers(Waker& waker)
{
    g_signal_waker = &waker;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

// What the screen shows; a new present is needed only when this changes.
struct Shown {
    long current = -2, previous = -2;
    double start = -1;
    int mix = -1;
    bool current_ready = false, previous_ready = false, outgoing = false;
    uint64_t video_frames = 0;  // bumped when a playing video uploads a new frame
    bool operator==(const Shown&) const = default;
};

constexpr double kFrameInterval = 1.0 / 60;
// Before the first item is ready the screen shows nothing; past this it shows the fallback.
constexpr double kFirstItemPatience = 3.0;
// A video is opened this long (plus its fade) before the item on screen ends, not as soon as that
// item starts: a decoder opened ahead holds its pictures next to the playing one's, and opening it
// at the very start of a play competes with that play for the CPU. Opening takes ~0.1 s (0.6 s on
// a loaded 2-core box).
constexpr double kVideoLead = 2.0;

// One playlist being played: its loader thread, its sequencer, its slide textures and videos.
struct Show {
    std::unique_ptr<ContentLoader> loader;
    std::unique_ptr<Sequencer> sequencer;
    std::unique_ptr<SlideTextures> textures;
    std::unique_ptr<VideoLayers> videos;
    size_t item_count = 0;

    bool is_video(size_t item) const
    {
        return item < item_count && loader->playlist().items[item].type == ItemType::Video;
    }
    Readiness readiness(size_t item, double now)
    {
        if (opens_later(item, now))
            return Readiness::Pending;  // not opened yet, on purpose (kVideoLead)
        return is_video(item) ? videos->readiness(*loader, item, now) : textures->readiness(*loader, item, now);
    }
    // When a video that is to follow the item on screen will be opened, if not yet (kVideoLead);
    // nullopt when it may be opened now (or is open, or is not a video).
    std::optional<double> opens_later(size_t item, double now) const
    {
        const auto& current = sequencer->current();
        if (!is_video(item) || !current || videos->waiting(item))
            return std::nullopt;
        double at = current->end() - kVideoLead - loader->playlist().items[item].fade_in();
        return now < at ? std::optional<double>(at) : std::nullopt;
    }
    // A video's length becomes known once it is opened (or shorter, when it ends early).
    void learn_lengths()
    {
        for (size_t item = 0; item < item_count; ++item) {
            if (!is_video(item))
                continue;
            auto length = videos->length(item);
            ItemTiming timing = sequencer->timing(item);
            if (length && *length != timing.duration) {
                timing.duration = *length;
                timing.fade_in = loader->playlist().items[item].fade_in();
                sequencer->set_timing(item, timing);
            }
        }
    }
};

VideoSettings video_settings(const Config& config, Waker& waker, AudioOutput* audio)
{
    VideoSettings settings;
    if (audio)
        settings.audio = audio->format();
    settings.limits.max_megapixels = config.max_image_megapixels;
    settings.hardware = config.hwdec == "auto";
    settings.wake = [&waker] { waker.wake(); };
    return settings;
}

Result<Show> start_show(const PlaylistLoad& load, const PlayerSetup& setup, CanvasSize canvas, SDL_Renderer* renderer,
                        Waker& waker, PlaybackStats& stats, AudioOutput* audio)
{
    auto composer = SlideComposer::create(setup.config, setup.paths.fonts, canvas);
    if (!composer)
        return composer.error();
    Show show;
    show.item_count = load.playlist.items.size();
    show.loader = std::make_unique<ContentLoader>(std::move(*composer), load.playlist, setup.config.retry_after,
                                                  setup.config.rotation_degrees(), [&waker] { waker.wake(); },
                                                  video_settings(setup.config, waker, audio));
    show.sequencer = std::make_unique<Sequencer>(item_timings(load.playlist));
    show.textures = std::make_unique<SlideTextures>(renderer);
    ScreenGeometry geometry{canvas.width, canvas.height, setup.config.rotation_degrees()};
    show.videos = std::make_unique<VideoLayers>(renderer, geometry, show.loader->playlist(), &stats, audio);
    return show;
}

}  // namespace

int run_play(const CliOptions& cli, PlayerSetup& setup)
{
    const Config& config = setup.config;
    Waker waker;
    install_signal_handlers(waker);

    DisplayOptions display_options;
    display_options.fullscreen = config.fullscreen && !cli.windowed;
    display_options.headless = cli.headless;
    display_options.width = static_cast<int>(config.width);
    display_options.height = static_cast<int>(config.height);
    display_options.display_index = static_cast<int>(config.display_index);
    display_options.vsync = config.vsync;
    display_options.renderer = config.renderer;
    auto display = Display::open(display_options);
    if (!display) {
        log::error(display.error().to_string());
        return 1;
    }
    log::info("display: " + display->describe());
    // The background at once, while the first item loads. It also makes the window's first
    // present (on X11: the shared-memory image, the mapping; ~0.1 s) happen now rather than as
    // the first item's first frame, which would then stall a video's opening frames.
    SDL_SetRenderDrawColor(display->renderer(), config.background.r, config.background.g, config.background.b, 255);
    SDL_RenderClear(display->renderer());
    SDL_RenderPresent(display->renderer());

    SDL_RendererInfo renderer_info{};
    SDL_GetRendererInfo(display->renderer(), &renderer_info);
    int max_texture = std::min(renderer_info.max_texture_width, renderer_info.max_texture_height);
    auto [canvas_w, canvas_h] =
        canvas_for(display->width(), display->height(), config.rotation_degrees(), max_texture);
    const CanvasSize canvas{canvas_w, canvas_h};

    log::info("playlist " + setup.playlist.playlist.file + ": " + std::to_string(setup.playlist.playlist.items.size()) +
              " items");
    // One audio device for the player's life, opened when a playlist first has a video with sound
    // (slides need none); none at all when the config is silent.
    std::unique_ptr<AudioOutput> audio;
    bool audio_tried = false;
    auto ensure_audio = [&](const Playlist& playlist) {
        bool wanted = std::any_of(playlist.items.begin(), playlist.items.end(), [](const PlaylistItem& item) {
            return item.type == ItemType::Video && !item.muted && item.volume > 0;
        });
        if (audio_tried || config.silent() || !wanted)
            return audio.get();
        audio_tried = true;
        AudioOutputOptions audio_options;
        audio_options.volume = static_cast<double>(config.volume) / 100.0;
        auto opened = AudioOutput::open(audio_options);
        if (opened) {
            audio = std::move(*opened);
            log::info("audio: " + audio->format().describe());
        } else {
            log::warn(opened.error().to_string() + "; videos play without sound");
        }
        return audio.get();
    };
    PlaybackStats stats;
    auto started = start_show(setup.playlist, setup, canvas, display->renderer(), waker, stats,
                              ensure_audio(setup.playlist.playlist));
    if (!started) {
        log::error(started.error().to_string());
        return 1;
    }
    Show show = std::move(*started);
    PlaylistWatcher watcher(setup.playlist, config.check_every, [&waker] { waker.wake(); });
    // With [content] share: syncs in the background; a new snapshot's playlist arrives through `watcher`.
    auto share_sync = PlayerSync::start(setup, watcher);
    std::optional<PlaylistLoad> next_playlist;
    // The last picture of a replaced playlist, kept on screen until the new one can fade in over it.
    TexturePtr outgoing;
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

        // A changed playlist takes over when the item on screen has had its full time.
        if (auto fresh = watcher.take()) {
            log_playlist_problems(*fresh);
            if (fresh->playlist.items.empty() && !fresh->errors.empty())
                log::warn("playlist " + fresh->playlist.file + " now has no playable items; keeping the previous one");
            else
                next_playlist = std::move(fresh);
        }
        const auto& on_air = show.sequencer->current();
        if (next_playlist && (!on_air || now >= on_air->end())) {
            auto replacement =
                start_show(*next_playlist, setup, canvas, display->renderer(), waker, stats,
                           ensure_audio(next_playlist->playlist));
            if (replacement) {
                log::info("playlist " + next_playlist->playlist.file + " changed: " +
                          std::to_string(show.item_count) + " -> " + std::to_string(next_playlist->playlist.items.size()) +
                          " items");
                TexturePtr last = show.textures->detach(on_air ? on_air->item : ContentLoader::kFallback);
                if (last)
                    outgoing = std::move(last);
                show = std::move(*replacement);
            } else {
                log::error(replacement.error().to_string());
            }
            next_playlist.reset();
        }

        ContentLoader& loader = *show.loader;
        SlideTextures& textures = *show.textures;
        VideoLayers& videos = *show.videos;
        auto readiness = [&](size_t item) { return show.readiness(item, now); };
        show.learn_lengths();
        // A video heard through the sound card ends when its sound has been heard.
        if (const auto& playing = show.sequencer->current(); playing && show.is_video(playing->item))
            show.sequencer->delay_current_end(videos.end_delay(*playing));
        show.sequencer->advance(now, readiness);
        FrameState frame = show.sequencer->frame(now);
        // Preparing the next item waits until the first frame is up: on two cores it would
        // otherwise slow the start.
        std::optional<size_t> upcoming;
        if (presented || !frame.current)
            upcoming = show.sequencer->upcoming(readiness);

        // The fallback slide is composed only when it is needed: it costs a full-screen texture.
        // Nothing to wait for when every item has already failed (no upcoming candidate).
        bool show_fallback = !frame.current && !outgoing &&
                             (!upcoming || show.item_count == 0 || now >= kFirstItemPatience || presented);
        std::vector<size_t> wanted, wanted_videos;
        std::vector<Slot> on_screen;
        if (show_fallback)
            wanted.push_back(ContentLoader::kFallback);
        for (const auto& slot : {frame.current, frame.previous})
            if (slot) {
                if (!show.is_video(slot->item))
                    wanted.push_back(slot->item);
                on_screen.push_back(*slot);
            }
        // A video's next play needs a decoder of its own, opened ahead (upcoming() asked for it
        // once its time came: Show::opens_later).
        std::optional<double> open_video_at = upcoming ? show.opens_later(*upcoming, now) : std::nullopt;
        if (upcoming && !open_video_at)
            (show.is_video(*upcoming) ? wanted_videos : wanted).push_back(*upcoming);
        videos.sync(loader, wanted_videos, on_screen);
        if (textures.sync(loader, wanted))
            continue;  // a picture arrived: the sequencer may move on now, not at the next wake
        // Playing videos move to the frame due now.
        uint64_t video_frames = shown.video_frames;
        for (const Slot& slot : on_screen)
            if (show.is_video(slot.item) && videos.advance(slot, now))
                ++video_frames;
        if (show_fallback)
            loader.request(ContentLoader::kFallback, now);

        // After a playlist change: the old picture until the new first item is ready, then a fade.
        if (outgoing && frame.current) {
            // The new first item comes in with its own transition.
            double fade = loader.playlist().items[frame.current->item].fade_in();
            double t = fade > 0 ? (now - frame.current->start) / fade : 1.0;
            if (t >= 1.0) {
                outgoing.reset();
            } else {
                frame.previous.reset();
                frame.mix = std::clamp(t, 0.0, 1.0);
                frame.next_change = now;
            }
        }

        FramePainter painter{display->renderer(), config.background, loader.playlist(), textures, videos};
        bool holding_outgoing = outgoing && !frame.current;
        Shown next{frame.current ? static_cast<long>(frame.current->item) : -1,
                   frame.previous ? static_cast<long>(frame.previous->item) : -1,
                   frame.current ? frame.current->start : -1,
                   static_cast<int>(std::lround(frame.mix * 255)),
                   frame.current ? painter.ready(*frame.current) : textures.has(ContentLoader::kFallback),
                   frame.previous && painter.ready(*frame.previous),
                   outgoing != nullptr,
                   video_frames};
        bool starting = !frame.current && !show_fallback && !holding_outgoing;
        if (!starting && (next.current_ready || holding_outgoing) && (dirty || !(next == shown))) {
            if (holding_outgoing) {
                SDL_RenderCopy(display->renderer(), outgoing.get(), nullptr, nullptr);
            } else {
                painter.paint(frame, outgoing.get());
            }
            SDL_RenderPresent(display->renderer());
            last_present = clock.now();
            videos.presented(last_present);
            if (!presented) {
                double ms =
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - g_process_start)
                        .count();
                log::info("first frame presented " + std::to_string(static_cast<int>(ms)) + " ms after start");
            }
            if (frame.current && (next.current != shown.current || next.start != shown.start))
                log::debug("showing " + loader.playlist().items[frame.current->item].source);
            presented = true;
            shown = next;
            dirty = false;
        }

        // One timed wait until the picture next changes; loader results and signals cut it short.
        double wait = frame.next_change - clock.now();
        if (frame.previous || (outgoing && frame.current))
            wait = last_present + kFrameInterval - clock.now();  // animating a fade
        for (const Slot& slot : on_screen)
            if (auto due = show.is_video(slot.item) ? videos.next_change(slot, clock.now()) : std::nullopt)
                wait = std::min(wait, *due - clock.now());
        if (next_playlist && show.sequencer->current())
            wait = std::min(wait, show.sequencer->current()->end() - clock.now());
        if (open_video_at)
            wait = std::min(wait, *open_video_at - clock.now());
        if (cli.run_for && presented)
            wait = std::min(wait, *cli.run_for - clock.now());
        // A real window must notice expose events: poll its queue a few times a second.
        wait = std::min(wait, cli.headless ? 1.0 : 0.1);
        waker.wait(std::max(0.0, wait));
    }
    g_signal_waker = nullptr;
    show = Show{};  // closes the videos, which hand in their last figures
    if (!cli.stats_file.empty()) {
        Status written = stats.write(cli.stats_file, clock.now());
        if (!written)
            log::error("--stats: " + written.error().to_string());
    }
    log::info("stopped");
    return 0;
}

}  // namespace signage
