// The contact sheet's drawing: lines of text cut to a width, wrapped text, boxes, badges and
// dimming, on one ARGB surface. Text goes through the player's FontSet, so item names and
// messages in Chinese render as slogans do.
#pragma once

#include "playlist/base/error.h"
#include "playlist/base/geometry.h"
#include "playlist/base/values.h"
#include "player/media/sdl_handles.h"
#include "player/render/font_set.h"

#include <string_view>

namespace signage {

enum class Weight { Regular, Bold };

class SheetPainter {
public:
    static Result<SheetPainter> create(SDL_Surface* target, const std::string& fonts_dir);

    // One line with its top at y, cut with "…" to max_width; returns the width drawn.
    int text(std::string_view utf8, int x, int y, int px, Color color, int max_width, Weight weight = Weight::Regular);
    int text_width(std::string_view utf8, int px, Weight weight = Weight::Regular);
    // `utf8` broken into lines inside `area` (the last one cut with "…" when it runs over).
    void wrapped(std::string_view utf8, Rect area, int px, Color color);
    // A label on a coloured box with its top-left at (x, y); returns its width.
    int badge(std::string_view utf8, int x, int y, int px, Color background);
    static int badge_height(int px) { return px + px / 2; }
    // Top to top of lines at this size: room for CJK ascenders and Latin descenders.
    static int line_height(int px) { return px * 135 / 100; }

    void box(Rect r, Color color);
    void outline(Rect r, Color color);  // one pixel wide, just outside r
    // Keeps `keep` (0..1) of every colour in r: a dimmed picture still shows what it is.
    void darken(Rect r, double keep);
    void picture(SDL_Surface* image, Rect at);

private:
    SheetPainter(SDL_Surface* target, FontSet regular, FontSet bold);
    FontSet& fonts(int px, Weight weight);
    std::u32string cut_to(std::u32string text, FontSet& fonts, int max_width);

    SDL_Surface* m_target;
    FontSet m_regular;
    FontSet m_bold;
};

}  // namespace signage
