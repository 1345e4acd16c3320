// Lays a slogan out at the largest size at which it fits the safe area, using the line
// breaker's Chinese rules, and draws it centred. Rasterised once per item by the loader.
#pragma once

#include "playlist/base/geometry.h"
#include "player/render/font_set.h"

#include <string>
#include <vector>

namespace signage {

struct SloganLayout {
    int font_size = 0;
    std::vector<std::u32string> lines;
    std::vector<int> line_widths;   // visual width: full-width punctuation's empty half excluded
    std::vector<int> line_offsets;  // how far the ink starts right of the pen (leading “ 《 「…)
    int line_advance = 0;  // baseline to baseline
    int block_height = 0;
    int widest = 0;
    bool fits = true;  // false: even min_size overflows (drawn clipped; `check` reports it)
};

struct SloganStyle {
    double line_spacing = 1.35;
    int min_size = 16;
    int max_size = 0;  // 0: automatic, a sixth of the area's height
};

SloganLayout layout_slogan(FontSet& fonts, std::u32string_view text, Rect area, const SloganStyle& style);

// Draws the laid-out lines centred in `area`.
void draw_slogan(SDL_Surface* target, FontSet& fonts, const SloganLayout& layout, Rect area, SDL_Color color);

}  // namespace signage
