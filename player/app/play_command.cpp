// `play`: the render thread's main loop, a short list of named steps and one timed wait (as mpv's
// run_playloop): handle events, adopt a new playlist, ask the timeline, prepare what is coming,
// present if the picture changed, wait until the next deadline. Loading happens on the show's
// loader thread, decoding on the decoders' threads and re-reading the playlist on the watcher's;
// nothing here blocks on files.
#include "player/front/commands.h"

#include "playlist/base/clock.h"
#include "playlist/timeline/alert_watcher.h"
#include "playlist/timeline/playlist_watcher.h"
#include "playlist/base/wall_time.h"
#include "player/render/display.h"
#include "playlist/base/log.h"
#include "player/app/player_sync.h"
#include "player/render/media_lengths.h"
#include "player/render/screen_zones.h"
#include "player/render/show.h"
#include "player/render/surface_ops.h"
#include "player/app/waker.h"
#include "player/front/screen.h"

#include <SDL_image.h>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <deque>
#include <limits>
#include <memory>
#include <semaphore.h>
#include <thread>
#include <tuple>
#include <unistd.h>

namespace signage {

extern std::chrono::steady_clock::time_point g_process_start;

namespace {

std::atomic<bool> g_quit{false};
Waker* g_signal_waker = nullptr;

// After SIGTERM the player is gone within 2 s, whatever a worker is blocked in. A read on a hung
// mount cannot be interrupted, and the orderly stop joins the threads that make them (the
// loader, a video's demuxer): it gets this long, then the process ends as it is.
constexpr double kStopGrace = 1.5;
sem_t g_stop_signalled;  // posted by the handler (sem_post is async-signal-safe)

void on_signal(int)
{
    g_quit = true;
    sem_post(&g_stop_signalled);
    if (g_signal_waker)
        g_signal_waker->wake();
}

void start_stop_deadline()
{
    sem_init(&g_stop_signalled, 0, 0);
    std::thread([] {
        while (sem_wait(&g_stop_signalled) != 0) {
        }
        std::this_thread::sleep_for(std::chrono::duration<double>(kStopGrace));
        log::warn("stopping took longer than " + format_seconds(kStopGrace) +
                  " (a worker is blocked: a hung mount, a stalled decode); exiting now");
        ::_exit(0);
    }).detach();
}

void install_signal_handlers(Waker& waker)
{
    start_stop_deadline();
    g_signal_waker = &waker;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

constexpr double kFrameInterval = 1.0 / 60;
constexpr double kAudioRetry = 3.0;  // seconds between tries of a lost sound device
// A wall clock that moved this far from where playback put it was set, not drifting: logged.
constexpr double kWallClockJump = 2.0;
// In step, a new playlist waits at most this long for its loop to begin a pass.
constexpr double kLoopWait = 3600;
// Beyond this the schedule follows the wall clock (NTP slews it slowly; the monotonic clock does not).
constexpr double kWallClockDrift = 0.005;

// What the screen shows; a new present is needed only when this changes.
struct ShownPicture {
    struct Entry {
        LayerSource source;
        size_t item;
        size_t alert;
        double start;
        int opacity;  // in 1/255
        bool has_picture;
        bool operator==(const Entry&) const = default;
    };
    std::vector<Entry> layers;
    ScreenZones::State zones;  // the other zones and bands of a layout
    uint64_t video_frames = 0;  // bumped when a playing video uploads a new frame
    bool operator==(const ShownPicture&) const = default;
};

// Screens in step learn every video's length when a playlist is read (on the watcher's thread).
std::function<void(Playlist&)> lengths_for(const Config& config)
{
    if (!config.clock_locked)
        return nullptr;
    return [](Playlist& playlist) { learn_video_lengths(playlist); };
}

DisplayOptions display_options(const Config& config, const CliOptions& cli)
{
    DisplayOptions options;
    options.fullscreen = config.fullscreen && !cli.windowed;
    options.headless = cli.headless;
    options.width = static_cast<int>(config.width);
    options.height = static_cast<int>(config.height);
    options.display_index = static_cast<int>(config.display_index);
    options.vsync = config.vsync;
    options.renderer = config.renderer;
    return options;
}

class PlayLoop {
public:
    PlayLoop(const CliOptions& cli, PlayerSetup& setup, Display& display, Waker& waker);
    Status start();
    void run();
    void stop();

private:
    void handle_events();
    void adopt_playlist(double now);
    void adopt_in_step(double now);
    void follow_wall_clock(double now);
    WallTime wall_at(double now) const;
    void restart_show(double now, const char* why);
    void take_alerts(double now);
    double capture_instant(double now);
    void present_if_changed(const Picture& picture, bool video_changed);
    bool present_bands_only(const Picture& picture, ShownPicture& next);
    void capture(double at);
    double seconds_to_next_deadline(const Picture& picture) const;
    Stage stage(const Playlist& playlist);
    Stage screen_stage(const Playlist& playlist);
    AudioOutput* ensure_audio(const Playlist& playlist);
    void reopen_lost_audio(double now);
    std::string lapse_stamp(double now) const;

    const CliOptions& m_cli;
    PlayerSetup& m_setup;
    Display& m_display;
    Waker& m_waker;
    CanvasSize m_canvas{};
    LapseClock m_clock;                         // steady, or sped up by --time-lapse
    std::unique_ptr<WallClock> m_wall;          // what schedules read (--wall-clock, --time-lapse, --clock-jump)
    AlertFolder m_alerts;                       // the alerts folder as last read
    std::vector<std::string> m_alerts_logged;   // the alerts up, as last logged
    bool m_clock_warned = false;
    PlaybackStats m_stats;
    std::unique_ptr<AudioOutput> m_audio;  // one device for the player's life
    bool m_audio_tried = false;
    double m_audio_retry = 0;              // a lost device is tried again from then on
    std::unique_ptr<Show> m_show;
    ScreenZones m_zones;  // [screen] layout: the other zones and the bands; empty without one
    std::unique_ptr<PlaylistWatcher> m_watcher;
    std::unique_ptr<PlayerSync> m_sync;
    std::unique_ptr<AlertWatcher> m_alert_watcher;  // after m_sync: it asks m_sync, so it goes first
    std::optional<PlaylistLoad> m_next_playlist;
    PlaylistLoad m_playing;                     // the playlist m_show plays (a show in step restarts from it)
    std::unique_ptr<Show> m_next_show;          // in step: the new playlist's show, waiting for its loop to begin
    double m_next_since = 0;                    // when m_next_show was made
    std::deque<double> m_captures;            // --capture-at instants still to come
    std::optional<double> m_playback_origin;  // the clock when the first item started
    std::optional<double> m_capturing;        // this pass shows exactly that instant
    ShownPicture m_shown;
    uint64_t m_video_frames = 0;
    bool m_presented = false;
    bool m_dirty = true;
    double m_last_present = -1;
};

PlayLoop::PlayLoop(const CliOptions& cli, PlayerSetup& setup, Display& display, Waker& waker)
    : m_cli(cli), m_setup(setup), m_display(display), m_waker(waker), m_clock(cli.time_lapse),
      m_captures(cli.capture_at.begin(), cli.capture_at.end())
{
    std::sort(m_captures.begin(), m_captures.end());
    SDL_RendererInfo info{};
    SDL_GetRendererInfo(display.renderer(), &info);
    int max_texture = std::min(info.max_texture_width, info.max_texture_height);
    auto [w, h] = canvas_for(display.width(), display.height(), setup.config.rotation_degrees(), max_texture);
    m_canvas = {w, h};
}

// One audio device for the player's life, opened when a playlist first has a video with sound
// (slides need none); none at all when the config is silent.
AudioOutput* PlayLoop::ensure_audio(const Playlist& playlist)
{
    bool wanted = std::any_of(playlist.items.begin(), playlist.items.end(),
                              [](const PlaylistItem& item) { return item.plays_sound(); });
    if (m_audio_tried || m_setup.config.silent() || !wanted)
        return m_audio.get();
    m_audio_tried = true;
    if (m_clock.factor() != 1) {
        log::info("--time-lapse: videos play without sound (a sound card keeps real time)");
        return nullptr;
    }
    AudioOutputOptions options;
    options.volume = static_cast<double>(m_setup.config.volume) / 100.0;
    auto opened = AudioOutput::open(options);
    if (opened) {
        m_audio = std::move(*opened);
        log::info("audio: " + m_audio->format().describe());
    } else {
        log::warn(opened.error().to_string() + "; videos play without sound");
    }
    return m_audio.get();
}

// A lost sound device is tried again when SDL reports a device added, and every few seconds
// (not every backend reports one).
void PlayLoop::reopen_lost_audio(double now)
{
    if (!m_audio || !m_audio->lost() || now < m_audio_retry)
        return;
    m_audio_retry = now + kAudioRetry;  // a time lapse opens no sound device
    if (m_audio->reopen())
        log::info("the sound device is back: " + m_audio->format().describe());
}

// In a time lapse the log's own stamps are real time: lines that say what the screen did also
// say when on the screen's clock.
std::string PlayLoop::lapse_stamp(double now) const
{
    if (m_clock.factor() == 1)
        return "";
    return " (screen clock " + m_show->plan().zone().format(m_show->wall(now)) + ")";
}

// The main zone's stage: the whole screen's without a layout.
Stage PlayLoop::stage(const Playlist& playlist)
{
    return m_zones.main_stage(screen_stage(playlist));
}

// The whole screen's stage, which the layout's zones are cut from.
Stage PlayLoop::screen_stage(const Playlist& playlist)
{
    Stage screen{m_setup.config, m_setup.paths.fonts, m_canvas, m_display.renderer(), {}, [this] { m_waker.wake(); },
                 &m_stats, ensure_audio(playlist)};
    if (screen.audio)
        screen.video.audio = screen.audio->format();
    screen.video.limits.max_megapixels = m_setup.config.max_image_megapixels;
    screen.video.limits.max_file_bytes = static_cast<uint64_t>(m_setup.config.max_file_mb) << 20;
    screen.video.hardware = m_setup.config.hwdec == "auto";
    screen.video.read_through = m_setup.config.share.empty();
    screen.video.wake = screen.wake;
    return screen;
}

Status PlayLoop::start()
{
    log::info("playlist " + m_setup.playlist.playlist.file + ": " +
              std::to_string(m_setup.playlist.playlist.items.size()) + " items");
    if (m_setup.config.clock_locked)
        learn_video_lengths(m_setup.playlist.playlist);  // in step: every length known in advance
    auto wall = wall_clock_for(m_cli, m_setup.config, &m_clock);
    if (!wall)
        return wall.error();
    m_wall = std::move(*wall);
    log::info(describe_screen(m_setup.config));
    if (m_setup.layout) {
        auto time_zone = TimeZone::load(m_setup.config.timezone);
        if (!time_zone)
            return time_zone.error();
        auto zones = ScreenZones::open(*m_setup.layout, screen_stage(m_setup.playlist.playlist), *time_zone);
        if (zones) {
            m_zones = std::move(*zones);
            log::info("layout " + m_setup.layout->file + ": " + std::to_string(m_setup.layout->zones.size()) + " zones");
        } else {
            log::error(zones.error().to_string() + "; the playlist takes the whole screen");
        }
    }
    const double now = m_clock.now();
    auto show = Show::start(m_setup.playlist, stage(m_setup.playlist.playlist), now, wall_at(now));
    if (!show)
        return show.error();
    m_show = std::move(*show);
    if (Status sides = m_zones.start(m_setup.playlist, screen_stage(m_setup.playlist.playlist), now, wall_at(now));
        !sides)
        return sides.error();
    m_playing = m_setup.playlist;
    m_watcher = std::make_unique<PlaylistWatcher>(m_setup.playlist, m_setup.config.check_every,
                                                  [this] { m_waker.wake(); }, lengths_for(m_setup.config));
    // With [content] share: syncs in the background; a new snapshot's playlist arrives through the watcher.
    m_sync = PlayerSync::start(m_setup, *m_watcher);
    // With a share, the folder the alerts sync hands out (pinned while in use); else alerts/
    // beside the playlist.
    std::function<std::string()> folder = [local = alerts_folder(m_setup)] { return local; };
    if (m_sync)
        folder = [sync = m_sync.get()] { return sync->alerts_folder(); };
    m_alert_watcher = std::make_unique<AlertWatcher>(std::move(folder), m_setup.config.alert_language,
                                                     [this] { m_waker.wake(); });
    return {};
}

void PlayLoop::run()
{
    while (!g_quit) {
        handle_events();
        if (g_quit)
            break;
        double now = m_clock.now();
        if (m_cli.run_for && m_presented && now >= *m_cli.run_for)
            break;
        reopen_lost_audio(now);
        adopt_playlist(now);
        follow_wall_clock(now);
        take_alerts(now);
        now = capture_instant(now);
        m_show->advance(now);
        if (m_show->prepare(now, m_presented))
            continue;  // a picture arrived: the timeline may move on now, not at the next wake
        if (m_zones.advance(now, m_show->wall(now), *m_show, m_presented))
            m_dirty = true;  // another zone or a band has a new picture
        Picture picture = m_show->picture(now);
        bool video_changed = m_show->play(picture, now);
        present_if_changed(picture, video_changed);
        m_waker.wait(std::max(0.0, seconds_to_next_deadline(picture)) / m_clock.factor());
    }
}

void PlayLoop::stop()
{
    g_signal_waker = nullptr;
    m_zones = ScreenZones();
    m_show.reset();  // closes the videos, which hand in their last figures
    if (!m_cli.stats_file.empty()) {
        Status written = m_stats.write(m_cli.stats_file, m_clock.now());
        if (!written)
            log::error("--stats: " + written.error().to_string());
    }
}

void PlayLoop::handle_events()
{
    SDL_Event event;
    while (SDL_PollEvent(&event)) {
        // A kiosk ignores its keyboard and window-manager close requests: only SIGTERM
        // (systemctl stop) ends the show. A windowed player quits on Esc, q or close.
        if (!m_display.kiosk()) {
            if (event.type == SDL_QUIT)
                g_quit = true;
            if (event.type == SDL_KEYDOWN && (event.key.keysym.sym == SDLK_ESCAPE || event.key.keysym.sym == SDLK_q))
                g_quit = true;
        }
        if (event.type == SDL_AUDIODEVICEREMOVED && !event.adevice.iscapture && m_audio &&
            event.adevice.which == m_audio->device_id() && !m_audio->lost()) {
            m_audio->mark_lost();
            log::warn("the sound device went away; pictures go on, and sound comes back with a device");
        }
        if (event.type == SDL_AUDIODEVICEADDED && !event.adevice.iscapture)
            m_audio_retry = 0;  // a device came: try it now
        if (event.type == SDL_WINDOWEVENT || event.type == SDL_RENDER_TARGETS_RESET ||
            event.type == SDL_RENDER_DEVICE_RESET)
            m_dirty = true;
    }
}

// A changed playlist takes over when the item on screen has had its full time, fading in over
// that item's last picture.
void PlayLoop::adopt_playlist(double now)
{
    if (auto fresh = m_watcher->take()) {
        log_playlist_problems(*fresh);
        if (fresh->playlist.items.empty() && !fresh->errors.empty())
            log::warn("playlist " + fresh->playlist.file + " now has no playable items; keeping the previous one");
        else {
            m_next_playlist = std::move(fresh);
            m_next_show.reset();  // in step: the show of an older new playlist is not wanted
        }
    }
    if (m_show->locked()) {
        adopt_in_step(now);
        return;
    }
    // With nothing on screen (every item failed, or none has loaded yet) there is no slot to
    // wait for: the new playlist takes over at once.
    const double slot_end = m_show->slot_end();
    if (!m_next_playlist || (std::isfinite(slot_end) && now < slot_end))
        return;
    size_t before = m_show->playlist().items.size();
    TexturePtr last = m_show->detach_picture();
    auto replacement =
        Show::start(*m_next_playlist, stage(m_next_playlist->playlist), now, m_show->wall(now), std::move(last));
    if (replacement) {
        (*replacement)->set_alerts(m_alerts);
        log::info("playlist " + m_next_playlist->playlist.file + " changed: " + std::to_string(before) + " -> " +
                  std::to_string(m_next_playlist->playlist.items.size()) + " items" + lapse_stamp(now));
        m_show = std::move(*replacement);
        m_playing = std::move(*m_next_playlist);
        m_zones.replace(m_playing, m_show->wall(now));
        m_dirty = true;
    } else {
        log::error(replacement.error().to_string());
    }
    m_next_playlist.reset();
}

// Screens in step: a new playlist's show is made at once (it walks its loop from midnight, as
// every screen does) and takes over when its loop begins a pass, an instant every screen
// computes alike. A loop that begins none within an hour (schedules) takes over at a slot's
// start; one with nothing on, at once.
void PlayLoop::adopt_in_step(double now)
{
    if (m_next_playlist && !m_next_show) {
        // On the playing show's mapping of the wall clock, not a fresh reading of it: both then
        // put the pass's instant at the same `now`, and the old show never starts a slot there
        // a moment before the new one takes over.
        auto show = Show::start(*m_next_playlist, stage(m_next_playlist->playlist), now, m_show->wall(now));
        if (!show) {
            log::error(show.error().to_string());
            m_next_playlist.reset();
            return;
        }
        m_next_show = std::move(*show);
        m_next_since = now;
    }
    if (!m_next_show)
        return;
    m_next_show->advance(now);
    if (!m_next_show->idle() && !m_next_show->slot_began_since(m_next_since, now > m_next_since + kLoopWait)) {
        m_next_show->prepare_ahead(now);  // its first picture loads before its turn, not at it
        return;
    }
    m_next_show->set_alerts(m_alerts);
    log::info("playlist " + m_next_playlist->playlist.file + " changed: " +
              std::to_string(m_show->playlist().items.size()) + " -> " +
              std::to_string(m_next_playlist->playlist.items.size()) + " items, in step from now" + lapse_stamp(now));
    m_show = std::move(m_next_show);
    m_playing = std::move(*m_next_playlist);
    m_next_playlist.reset();
    m_zones.restart(m_playing, now, wall_at(now));
    m_dirty = true;
}

// Screens in step count their loop from each local midnight, and a clock set back is joined
// afresh: a new show of the same playlist, where every screen's loop is at that instant.
void PlayLoop::restart_show(double now, const char* why)
{
    auto show = Show::start(m_playing, stage(m_playing.playlist), now, wall_at(now));
    if (!show) {
        log::error(show.error().to_string());
        return;
    }
    log::info(std::string("in step: the loop is counted afresh (") + why + ")");
    (*show)->set_alerts(m_alerts);
    m_show = std::move(*show);
    m_zones.restart(m_playing, now, wall_at(now));
    m_dirty = true;
}

// The wall clock's reading as of `now`: the pass began a moment ago (in a time lapse, a moment
// of many seconds), and the wall clock has run on since.
WallTime PlayLoop::wall_at(double now) const
{
    if (auto exact = m_wall->at_playback(now))
        return *exact;
    const double before = m_clock.now();
    WallTime reading = m_wall->now();
    return reading - ((before + m_clock.now()) / 2 - now);
}

// The wall clock was set (NTP stepped it, a person changed it): schedules, fixed slots and
// alerts are asked again at the new time; the slot on screen runs on (the monotonic clock drives
// playback). Small drifts are followed too, so the schedule never lags the clock.
void PlayLoop::follow_wall_clock(double now)
{
    WallTime reading = wall_at(now);
    double moved = reading - m_show->wall(now);
    if (m_show->locked() && (moved < -kWallClockJump || reading >= m_show->next_anchor().value_or(kNever))) {
        restart_show(now, moved < -kWallClockJump ? "the wall clock was set back" : "midnight");
        return;
    }
    if (std::abs(moved) > kWallClockJump)
        log::warn("the wall clock moved by " + format_seconds(moved) + "; the schedule is read again at " +
                  m_show->plan().zone().format(reading));
    if (std::abs(moved) > kWallClockDrift) {
        m_show->set_wall_clock(now, reading);
        m_zones.set_wall_clock(now, reading);
    }
    bool plausible = m_show->clock_plausible(now);
    if (!plausible && !m_clock_warned)
        log::warn("the wall clock reads " + m_show->plan().zone().format(reading) +
                  ", more than a year before this player was built: it looks unset, so only entries "
                  "without days, hours, dates or at play until it is set");
    m_clock_warned = !plausible;
}

// A new version of the alerts folder; alerts coming and going are logged.
void PlayLoop::take_alerts(double now)
{
    if (auto fresh = m_alert_watcher->take()) {
        for (const Error& error : fresh->errors)
            log::on_change(log::Level::Warn, "alert:" + error.file, error.message, "alert " + error.to_string());
        for (const Error& notice : fresh->notices)
            log::on_change(log::Level::Info, "alert:" + notice.file, notice.message, "alert " + notice.to_string());
        m_alerts = std::move(*fresh);
        m_show->set_alerts(m_alerts);
        m_dirty = true;
    }
    std::vector<std::string> up = m_show->alerts_up(now);
    if (up == m_alerts_logged)
        return;
    for (const std::string& name : up)
        if (std::find(m_alerts_logged.begin(), m_alerts_logged.end(), name) == m_alerts_logged.end())
            log::warn("alert up: " + name + lapse_stamp(now));
    for (const std::string& name : m_alerts_logged)
        if (std::find(up.begin(), up.end(), name) == up.end())
            log::info("alert gone: " + name + lapse_stamp(now));
    m_alerts_logged = std::move(up);
}

// With --capture-at: once an instant has come, this pass shows exactly it (a few ms after it
// came), so the frame written is the one `render --at` draws.
double PlayLoop::capture_instant(double now)
{
    if (!m_playback_origin && m_show->started())
        m_playback_origin = m_show->origin();
    m_capturing.reset();
    if (m_captures.empty() || !m_playback_origin || now < *m_playback_origin + m_captures.front())
        return now;
    m_capturing = m_captures.front();
    // The show subtracts its origin again: the smallest clock reading whose show time is not
    // before the instant (origin + T - origin may round below T, and miss a switch at T).
    double at = *m_playback_origin + *m_capturing;
    while (at - *m_playback_origin < *m_capturing)
        at = std::nextafter(at, std::numeric_limits<double>::infinity());
    return at;
}

void PlayLoop::capture(double at)
{
    SDL_Renderer* renderer = m_display.renderer();
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer, &w, &h);
    SurfacePtr image = make_argb_surface(w, h);
    std::string path = m_cli.capture_dir + "/capture-" + std::to_string(std::lround(at * 1000)) + ".png";
    if (!image || SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_ARGB8888, image->pixels, image->pitch) != 0 ||
        IMG_SavePNG(image.get(), path.c_str()) != 0)
        log::error(path + ": " + sdl_error("cannot capture the frame"));
    else
        log::info("captured the frame at " + format_seconds(at) + " to " + path);
}

// A ticker moving over a still screen: only its band is drawn and sent to the screen (the
// software renderer keeps the rest of the window as it was), not the whole screen each frame.
bool PlayLoop::present_bands_only(const Picture& picture, ShownPicture& next)
{
    if (!m_display.partial_presents() || m_dirty || m_capturing || !m_presented || next.layers != m_shown.layers ||
        next.video_frames != m_shown.video_frames || next.zones.sides != m_shown.zones.sides ||
        next.zones.bands.size() != m_shown.zones.bands.size())
        return false;
    // An alert drawn over the screen may cover a band.
    for (const Layer& layer : picture.layers)
        if (layer.source == LayerSource::AlertFile || layer.source == LayerSource::AlertItem)
            return false;
    std::vector<size_t> changed;
    for (size_t i = 0; i < next.zones.bands.size(); ++i)
        if (next.zones.bands[i] != m_shown.zones.bands[i])
            changed.push_back(i);
    if (changed.empty())
        return false;
    const double now = m_clock.now();
    auto rects = m_zones.paint_bands(changed, m_show->wall(now));
    if (!rects)
        return false;
    m_display.present_rects(*rects);
    m_last_present = m_clock.now();
    m_shown = std::move(next);
    return true;
}

void PlayLoop::present_if_changed(const Picture& picture, bool video_changed)
{
    if (video_changed)
        ++m_video_frames;
    if (!m_show->ready(picture))
        return;  // starting (nothing to show yet), or the top layer's picture is not here
    ShownPicture next;
    for (const Layer& layer : picture.layers)
        next.layers.push_back({layer.source, layer.slot.item, layer.alert, layer.slot.start,
                               static_cast<int>(std::lround(layer.opacity * 255)), true});
    next.video_frames = m_video_frames;
    const double now = m_clock.now();
    next.zones = m_zones.picture_state(m_show->wall(now));
    if (!m_dirty && next == m_shown && !m_capturing)
        return;
    if (present_bands_only(picture, next))
        return;
    m_zones.paint(*m_show, picture, m_show->wall(now));
    if (m_capturing) {
        capture(*m_capturing);
        m_captures.pop_front();
    }
    SDL_RenderPresent(m_display.renderer());
    m_last_present = m_clock.now();
    m_show->presented(picture, m_last_present);
    if (!m_presented) {
        double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - g_process_start).count();
        log::info("first frame presented " + std::to_string(static_cast<int>(ms)) + " ms after start");
    }
    auto top_of = [](const ShownPicture& shown) {
        const auto& top = shown.layers.back();
        return std::tuple(top.source, top.item, top.alert, top.start);
    };
    bool new_item = m_shown.layers.empty() || top_of(next) != top_of(m_shown);
    if (new_item && log::enabled(log::Level::Debug))
        log::debug("showing " + m_show->describe(picture) + lapse_stamp(now));
    m_presented = true;
    m_shown = std::move(next);
    m_dirty = false;
}

// The one timed wait: until the picture next changes by itself, a fade's next frame, a video's
// next frame, the next load to start, a playlist waiting for its turn, or a capture instant.
// Loader results, decoded frames and signals cut it short.
double PlayLoop::seconds_to_next_deadline(const Picture& picture) const
{
    const double now = m_clock.now();
    double deadline = std::min(m_show->next_change(picture, now), m_zones.next_change(now, m_show->wall(now)));
    // Frames are paced in real time (a time lapse shows no more of them than a screen could).
    if (picture.animating || m_zones.animating(m_show->wall(now)))
        deadline = std::min(deadline, m_last_present + kFrameInterval * m_clock.factor());
    if (m_next_playlist)
        deadline = std::min(deadline, m_next_show ? m_next_show->slot_end() : m_show->slot_end());
    if (auto anchor = m_show->next_anchor())  // in step: the loop is counted afresh at midnight
        deadline = std::min(deadline, now + (*anchor - m_show->wall(now)));
    if (m_cli.run_for && m_presented)
        deadline = std::min(deadline, *m_cli.run_for);
    if (!m_captures.empty() && m_playback_origin)
        deadline = std::min(deadline, *m_playback_origin + m_captures.front());
    // A real window must notice expose events: poll its queue a few times a second.
    return std::min(deadline - now, (m_cli.headless ? 1.0 : 0.1) * m_clock.factor());
}

}  // namespace

int run_play(const CliOptions& cli, PlayerSetup& setup)
{
    Waker waker;
    install_signal_handlers(waker);
    auto display = Display::open(display_options(setup.config, cli));
    if (!display) {
        log::error(display.error().to_string());
        return 1;
    }
    log::info("display: " + display->describe());
    // The background at once, while the first item loads. It also makes the window's first
    // present (on X11: the shared-memory image, the mapping; ~0.1 s) happen now rather than as
    // the first item's first frame, which would then stall a video's opening frames.
    const Color& background = setup.config.background;
    SDL_SetRenderDrawColor(display->renderer(), background.r, background.g, background.b, 255);
    SDL_RenderClear(display->renderer());
    SDL_RenderPresent(display->renderer());

    PlayLoop loop(cli, setup, *display, waker);
    if (Status started = loop.start(); !started) {
        log::error(started.error().to_string());
        return 1;
    }
    loop.run();
    loop.stop();
    log::info("stopped");
    return 0;
}

}  // namespace signage
