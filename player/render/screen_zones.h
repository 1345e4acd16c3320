// A screen laid out in zones ([screen] layout, docs/layout.md): the main zone's show (the
// caller's: it has the alerts, the sync and screens in step), a show per other playlist zone, and
// the bands (ticker, clock, text) over them, painted in the layout's order. `play` and `render`
// both drive one, so a frame shows the same zones, ticker position and clock in both.
//
// Without a layout it is empty and the main show is the whole screen, as before layouts.
#pragma once

#include "playlist/layout/screen_layout.h"
#include "player/render/bands.h"
#include "player/render/show.h"

#include <memory>
#include <optional>
#include <vector>

namespace signage {

class ScreenZones {
public:
    ScreenZones() = default;
    // `base`: the stage of the whole screen (its canvas is the screen's). The layout's bands are
    // made here; the side shows when the first playlist comes (start).
    static Result<ScreenZones> open(const ScreenLayout& layout, const Stage& base, const TimeZone& zone);

    bool active() const { return m_layout.has_value(); }
    // The stage of the main zone's show (the screen's, unchanged without a layout).
    Stage main_stage(const Stage& base) const;

    // Starts the side zones' shows on `load` (a show per playlist zone but the main one).
    Status start(const PlaylistLoad& load, const Stage& base, double now, WallTime wall);
    // A new playlist: each side zone takes it over when its item on screen has had its time; a
    // ticker fed by the playlist's slogans takes them at once.
    void replace(const PlaylistLoad& load, WallTime wall);
    // Screens in step, at midnight or when the clock is set back: every side zone starts afresh.
    void restart(const PlaylistLoad& load, double now, WallTime wall);
    void set_wall_clock(double now, WallTime wall);

    // One pass of the play loop, after the main show's: `main` feeds the alerts tickers.
    // Returns whether a picture arrived.
    bool advance(double now, WallTime wall, const Show& main, bool first_frame_up);
    // `render`: every zone and band settled at exactly `now`.
    Status settle(double now, WallTime wall, const Show& main);

    // Paints the main show's picture and every zone and band, in the layout's order.
    void paint(Show& main, const Picture& main_picture, WallTime wall);
    // What is on screen now, as numbers that change when it does (the loop presents only then):
    // the other playlist zones', then one per band.
    struct State {
        std::vector<uint64_t> sides;
        std::vector<uint64_t> bands;
        bool operator==(const State&) const = default;
    };
    State picture_state(WallTime wall) const;
    // Redraws just the bands `changed` (indices into State::bands) when each can be drawn alone
    // (it covers its area at `wall`, Band::fills, and no playlist zone is drawn over it; bands
    // drawn over it are drawn again, inside its area) and returns their output rectangles to
    // present; nullopt when one cannot (then the whole screen is painted).
    std::optional<std::vector<SDL_Rect>> paint_bands(const std::vector<size_t>& changed, WallTime wall);
    // When the zones next change by themselves (caller's clock); whether a ticker is moving.
    double next_change(double now, WallTime wall) const;
    bool animating(WallTime wall) const;

private:
    struct Side {
        size_t zone = 0;  // in m_layout->zones
        std::unique_ptr<Show> show;
        std::optional<PlaylistLoad> next;  // waiting for its slot's end
        Picture picture;
    };
    Stage side_stage(const Stage& base, const Zone& zone) const;
    void feed_tickers(const Show& main, double now, WallTime wall);
    void feed_playlist_tickers(const Playlist& playlist, WallTime wall);

    std::optional<ScreenLayout> m_layout;
    std::shared_ptr<const Stage> m_base;  // a pointer: a Stage holds a reference, so cannot be assigned
    std::vector<Side> m_sides;
    std::vector<std::unique_ptr<Band>> m_bands;  // per zone of the layout; nullptr for a playlist zone
    size_t m_main = 0;                           // the main zone, in m_layout->zones
    std::vector<char> m_alone;                   // per band (State::bands order): can be redrawn alone
    std::vector<std::vector<size_t>> m_over;     // per band: the bands drawn over it (zone indices)
    std::vector<size_t> m_band_zone;             // per band: its zone's index
    TimeZone m_time_zone = TimeZone::utc();
};

// Where a zone of the canvas is on the output: the canvas turned to the screen's rotation.
Rect zone_output_rect(const Zone& zone, CanvasSize canvas, int rotation);

}  // namespace signage
