// One playlist being played (or rendered): its timeline, its loader thread and one item layer
// per item, plus the fallback slide and, after a playlist change, the picture it replaced.
// `play` and `render --at` both drive a Show, so what they show at an instant is the same by
// construction: the same timeline answers, the same layers draw.
//
// A show keeps its own clock, in seconds from the start of its first item (as `render --at`
// counts); the methods take the caller's clock and convert.
#pragma once

#include "playlist/timeline/timeline.h"
#include "player/render/content_loader.h"
#include "player/render/item_layer.h"
#include "playlist/config/config.h"
#include "player/render/slide_composer.h"
#include "player/render/playback_stats.h"
#include "player/render/video_layers.h"
#include "playlist/alerts/alert_folder.h"
#include "playlist/timeline/play_plan.h"

#include <memory>
#include <vector>

namespace signage {

// What the shows of one `play` (or one `render`) share.
struct Stage {
    const Config& config;
    std::string fonts_dir;
    CanvasSize canvas;
    SDL_Renderer* renderer;
    VideoSettings video;
    std::function<void()> wake;      // the loop's waker: a load finished, a frame landed
    PlaybackStats* stats = nullptr;  // nullptr: nobody counts
    AudioOutput* audio = nullptr;    // nullptr: silent
    // A zone of the screen's layout ([screen] layout): the show plays that zone's part of the
    // playlist on a canvas of the zone's size, drawn into `area` (output pixels) of a screen whose
    // canvas is `screen`. Its alerts still take the whole screen (or its banner). area.w == 0: the
    // show is the whole screen, as without a layout.
    ScreenZone zone{};
    Rect area{};
    CanvasSize screen{};
    bool banner_elsewhere = false;  // banner alerts run in a ticker of the layout: not drawn here
};

// Which layers of a picture Show::paint draws: the zone's own, those over the whole screen (its
// alerts, when it is a zone), or all.
enum class PaintPart { All, Zone, ScreenWide };

class Show {
public:
    // `outgoing`: the last picture of the show this one replaces, kept until the first item is in.
    // `wall_now`: the wall-clock instant of the caller's `now` (schedules are in wall time).
    static Result<std::unique_ptr<Show>> start(const PlaylistLoad& load, const Stage& stage, double now,
                                               WallTime wall_now, TexturePtr outgoing = nullptr);
    ~Show();

    // Moves the timeline to `now` with what the layers know so far (`play`).
    void advance(double now);
    // Moves the timeline to `now`, first waiting for every item it asks about (`render`).
    void settle(double now);
    Picture picture(double now) const;

    // Brings the layers in line with the timeline: loads what is on screen or next, lets go of
    // the rest. Returns whether a picture arrived (the timeline may move on now). Until the
    // first frame is up nothing is loaded ahead: on two cores it would slow the start.
    bool prepare(double now, bool first_frame_up);
    // Loads only what comes next, nothing on screen (no video starts, no sound): a show in
    // step waiting to take over has its first picture in when its turn comes.
    void prepare_ahead(double now);
    // Moves the layers on screen to `now` (videos to the frame due); true when one changed.
    bool play(const Picture& picture, double now);
    // `render`: every layer of `picture` at exactly `now`, waiting as long as that takes.
    Status show_exactly(const Picture& picture, double now);
    // Whether the picture can be presented: its top layer has its picture.
    bool ready(const Picture& picture) const;
    // Paints `picture` over the background (not presented).
    void paint(const Picture& picture, PaintPart part = PaintPart::All);
    // Whether an alert covers the whole screen now: the other zones and bands step aside.
    bool alert_covers_screen(const Picture& picture) const;
    // The headlines of the alerts up at `now` (a ticker fed by alerts shows them).
    std::vector<std::string> alert_headlines(double now) const;
    void presented(const Picture& picture, double now);

    // When the picture next changes by itself, or something must be prepared (caller's clock).
    // A transition's frames are not included: the caller paces them (its frame interval).
    double next_change(const Picture& picture, double now) const;
    // When the item on screen has had its full time (caller's clock; infinity with none).
    double slot_end() const;
    // The picture on screen, handed over to the show that replaces this one.
    TexturePtr detach_picture();
    // Whether an item has started: the show's clock has its origin.
    bool started() const { return m_started; }
    // The caller's clock at the show's time 0.
    double origin() const { return m_origin; }

    const Playlist& playlist() const { return *m_playlist; }
    const PlayPlan& plan() const { return *m_plan; }

    // The alert files now in the alerts folder (read_alert_folder); those up show per the timeline.
    void set_alerts(const AlertFolder& alerts);
    // The wall clock was set: the caller's `now` is now this wall instant.
    void set_wall_clock(double now, WallTime wall_now);
    // The wall-clock instant of the caller's `now`, as the show maps it.
    WallTime wall(double now) const { return m_timeline->wall(local(now)); }
    // Screens in step: the wall-clock instant (the next local midnight) at which the loop is
    // counted afresh on every screen (the caller starts a new show of the same playlist there).
    std::optional<WallTime> next_anchor() const
    {
        return m_locked ? std::optional<WallTime>(m_next_anchor) : std::nullopt;
    }
    bool locked() const { return m_locked; }
    // Whether the slot on screen began a pass of the loop at or after `since` (caller's clock);
    // `any_slot`: any slot that began then will do. Screens in step switch playlists there.
    bool slot_began_since(double since, bool any_slot) const
    {
        const auto& current = m_timeline->current();
        return current && (any_slot || current->loop_start) && current->start + m_origin >= since;
    }
    // Whether nothing of the playlist is on (nothing in schedule, or nothing can play).
    bool idle() const { return !m_timeline->current(); }

    // Whether the wall clock looks set (no more than a year before this build): if not, only
    // unscheduled entries play.
    bool clock_plausible(double now) const;
    // The alerts up at `now`, by name (for the log: they are logged as they come and go).
    std::vector<std::string> alerts_up(double now) const;
    // A description of `picture` for the log ("playlist.ini:3 fading in over ... (40%)").
    std::string describe(const Picture& picture) const;

private:
    Show() = default;
    ItemLayer* layer_for(const Layer& layer) const;
    bool prepare_wanted(double t, const Preparation& wanted);
    double local(double now) const { return now - m_origin; }
    void find_origin();
    void catch_up(double now);

    std::shared_ptr<const Playlist> m_playlist;
    std::unique_ptr<ContentLoader> m_loader;
    std::unique_ptr<VideoLayers> m_videos;   // before the layers that use it, after the loader
    std::vector<std::unique_ptr<ItemLayer>> m_items;
    std::unique_ptr<ItemLayer> m_fallback;
    std::unique_ptr<ItemLayer> m_outgoing;
    std::shared_ptr<const PlayPlan> m_plan;
    // The alert files' layers, in the order given to the timeline; keyed to keep those unchanged.
    struct AlertLayer {
        std::string key;
        std::string name;
        std::unique_ptr<ItemLayer> layer;
        std::string headline;
    };
    std::vector<AlertLayer> m_alerts;
    size_t m_next_alert_key = 0;
    std::unique_ptr<ItemLayer> alert_layer(const Alert& alert);
    bool m_banner = false;
    bool m_banner_elsewhere = false;
    bool screen_wide(const Layer& layer) const;
    Rect m_area;                // in a layout: where the zone is (output pixels); w == 0: everywhere
    CanvasSize m_screen;
    bool m_locked = false;
    WallTime m_next_anchor = kNever;
    CanvasSize m_canvas;
    Config m_config;
    std::string m_fonts_dir;
    std::unique_ptr<Timeline> m_timeline;
    std::vector<size_t> m_active;  // items given slots or a wanted load at the last prepare
    bool m_fallback_active = false;
    SDL_Renderer* m_renderer = nullptr;
    Color m_background;
    double m_origin = 0;
    bool m_started = false;
};

// The one place that asks what kind an item is: what loads it (a slide composed, a video
// opened), and its layer, which runs that load on the loader thread. The contact sheet runs the
// same load itself, so its thumbnails are the pictures the screen shows.
LoadJob item_load_job(const std::shared_ptr<const Playlist>& playlist, size_t item, const VideoSettings& video);
std::unique_ptr<ItemLayer> make_item_layer(const std::shared_ptr<const Playlist>& playlist, size_t item,
                                           const Stage& stage, ContentLoader& loader, VideoLayers& videos);

}  // namespace signage
