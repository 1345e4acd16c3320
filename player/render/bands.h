// The zones of a screen layout that are not playlists: a ticker, a clock, a text band (a header
// with the hotline and a logo). Each is drawn over the zones below it, every frame it is on the
// screen, from textures rasterised once per string on their own loader thread: a ticker's entry
// is drawn as a texture moved to its position, never rasterised again per frame.
//
// What a band shows is a pure function of the wall clock and its text: `render --at` draws the
// ticker at the position and the clock at the minute `play` shows at that instant, and screens in
// step scroll their tickers together.
#pragma once

#include "playlist/base/wall_time.h"
#include "playlist/config/config.h"
#include "playlist/layout/screen_layout.h"
#include "playlist/schedule/time_zone.h"
#include "player/render/content_loader.h"
#include "player/render/font_set.h"
#include "player/render/slide_composer.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace signage {

// Where bands draw: the renderer, the canvas (before the screen's rotation) and that rotation.
struct BandStage {
    const Config& config;
    std::string fonts_dir;
    SDL_Renderer* renderer = nullptr;
    CanvasSize canvas;
    TimeZone zone = TimeZone::utc();
    std::function<void()> wake;  // a load finished
};

class Band {
public:
    virtual ~Band() = default;
    const Zone& zone() const { return m_zone; }
    Rect area() const { return m_area; }

    // Asks for what it shows at `wall` and takes what has loaded (never waits); true when a
    // picture arrived.
    virtual bool update(WallTime wall) = 0;
    // `render`: waits until what it shows at `wall` is loaded.
    virtual void settle(WallTime wall) = 0;
    virtual void draw(WallTime wall) = 0;
    // Draws as draw() does, only inside `limit` (output pixels): a band drawn over another that
    // is redrawn alone gets redrawn over it, inside its area.
    void draw_within(WallTime wall, const Rect& limit);
    // When its picture next changes by itself (kNever: not by itself); a ticker moves every frame.
    virtual WallTime next_change(WallTime wall) const = 0;
    // A number that changes whenever its picture does (the play loop presents only then).
    virtual uint64_t picture_state(WallTime wall) const = 0;
    // Whether draw(wall) covers every pixel of the band opaquely, so that it can be redrawn over
    // a stale picture of itself without the zones under it: an opaque background, drawn.
    virtual bool fills(WallTime wall) const = 0;

protected:
    Band(const Zone& zone, const BandStage& stage, SlideComposer composer);
    // Draws `texture` at the canvas rectangle `dest` (fractional: a ticker's sub-pixel position),
    // turned to the screen's rotation, clipped to the band. On the software renderer, which draws
    // whole pixels only, the position is floored to one.
    void draw_texture(SDL_Texture* texture, double x, double y, double w, double h) const;
    void fill_background() const;
    // Sets the clip to the band (in output pixels, within draw_within's limit); release_clip()
    // ends it.
    void clip_to_band() const;
    void release_clip() const;
    // The font size the band's text gets: its font_size, else about 60% of its height.
    int text_size() const;
    bool opaque() const { return m_zone.background && m_zone.background->a == 255; }

    Zone m_zone;
    Rect m_area;
    SDL_Renderer* m_renderer;
    CanvasSize m_canvas;
    int m_rotation;
    // SDL's software renderer truncates a fractional position toward zero: the caller floors it.
    bool m_whole_pixels = false;
    std::optional<SDL_Rect> m_limit;  // draw_within's
    std::vector<FontSource> m_fonts;
    TimeZone m_time_zone;
    ContentLoader m_loader;
};

// The entries a ticker scrolls: the lines of its slogans file, its text, or set from outside
// (the playlist's slogans for its zone, the alerts up).
class TickerBand final : public Band {
public:
    TickerBand(const Zone& zone, const BandStage& stage, SlideComposer composer, std::vector<std::string> entries);
    // New entries take over where the entry now coming in at the right edge ends: what is on
    // screen scrolls on without a jump. Unchanged entries are no change.
    void set_entries(std::vector<std::string> entries, WallTime wall);
    const std::vector<std::string>& entries() const { return m_wanted; }

    bool update(WallTime wall) override;
    void settle(WallTime wall) override;
    void draw(WallTime wall) override;
    WallTime next_change(WallTime wall) const override;
    uint64_t picture_state(WallTime wall) const override;
    // An empty ticker (no text, or its last text scrolled out) draws nothing, not even its background.
    bool fills(WallTime wall) const override { return opaque() && shows_text(wall); }

private:
    struct Piece {
        size_t key = 0;
        TexturePtr texture;
        int width = 0, height = 0;
    };
    // One version of the ticker's text, repeating from `start` (a scroll position) until `end`.
    struct Run {
        std::vector<Piece> pieces;
        double period = 0;  // the pieces' widths summed: one pass of the text
        double start = 0;
        double end = kNever;
    };
    Run make_run(const std::vector<std::string>& entries);
    bool take_pieces(Run& run);
    double scroll(WallTime wall) const { return m_zone.speed * wall; }
    bool on_screen(const Run& run, double scroll) const;
    bool shows_text(WallTime wall) const;
    void adopt_pending(WallTime wall);

    std::vector<std::string> m_wanted;
    std::vector<Run> m_runs;        // on screen, oldest first
    std::optional<Run> m_pending;   // loading; takes over when all its pieces are in
    size_t m_next_key = 0;
    bool m_started = false;  // a text has been adopted before
};

// The date and time in the screen's zone, in the band's format, redrawn when the text changes
// (once a minute unless the format shows seconds).
class ClockBand final : public Band {
public:
    ClockBand(const Zone& zone, const BandStage& stage, SlideComposer composer);
    bool update(WallTime wall) override;
    void settle(WallTime wall) override;
    void draw(WallTime wall) override;
    WallTime next_change(WallTime wall) const override;
    uint64_t picture_state(WallTime wall) const override;
    bool fills(WallTime) const override { return opaque(); }

private:
    int64_t period_of(WallTime wall) const;
    void ask(int64_t period);
    struct Face {
        int64_t period = 0;
        size_t key = 0;
        TexturePtr texture;
        int width = 0, height = 0;
    };
    const Face* shown(WallTime wall) const;
    std::vector<Face> m_faces;  // asked for, the one shown and the next one
    std::string m_format;
    int m_period = 60;
    std::shared_ptr<std::optional<FontSet>> m_shared_fonts;
};

// A fixed band: its text laid out to fit (the slogan layout, line breaks and all), a logo at
// its left.
class TextBand final : public Band {
public:
    TextBand(const Zone& zone, const BandStage& stage, SlideComposer composer);
    bool update(WallTime wall) override;
    void settle(WallTime wall) override;
    void draw(WallTime wall) override;
    WallTime next_change(WallTime) const override { return kNever; }
    uint64_t picture_state(WallTime) const override { return m_texture ? 1 : 0; }
    bool fills(WallTime) const override { return m_texture && opaque(); }

private:
    TexturePtr m_texture;
};

// `entries`: a ticker's first text (ticker_entries, or what feeds it from outside).
Result<std::unique_ptr<Band>> make_band(const Zone& zone, const BandStage& stage,
                                        std::vector<std::string> entries = {});

// A ticker's own entries: its text, or the lines of its slogans file (empty lines and # comments
// left out); none for a ticker fed from outside (alerts, or the playlist's slogans for its zone).
Result<std::vector<std::string>> ticker_entries(const Zone& zone);

}  // namespace signage
