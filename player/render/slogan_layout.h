// Lays a slogan out at the largest size at which it fits the safe area, using the line
// breaker's Chinese rules, and draws it centred. Rasterised once per item by the loader.
#pragma once

#include "playlist/base/geometry.h"
#include "playlist/text/word_breaks.h"
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
    BreakClass worst_break = BreakClass::Space;  // the worst line break taken
    int phrase_breaks = 0;        // line breaks inside a phrase (not at a space or clause mark)
    int short_fragments = 0;      // lines of three letters or fewer cut from a longer phrase
    bool lone_character = false;  // a line holds one CJK character alone
};

struct SloganStyle {
    double line_spacing = 1.35;
    int min_size = 16;
    int max_size = 0;  // 0: automatic, a sixth of the area's height
};

// The largest size from min_size up whose lines fit `area` and break only between words
// (BreakClass::WordAndSingle or better) with no CJK character alone on a line, where each break
// inside a phrase, and each line of three characters or fewer cut from a phrase, must buy a quarter
// more size (whole phrases per line read best). When no size can
// break only between words, breaks between two single-character tokens are allowed, and only when
// that fails too anything that fits (a word wider than the area still shows, as large as it fits).
SloganLayout layout_slogan(FontSet& fonts, std::u32string_view text, Rect area, const SloganStyle& style);

// Draws the laid-out lines centred in `area`.
void draw_slogan(SDL_Surface* target, FontSet& fonts, const SloganLayout& layout, Rect area, SDL_Color color);

}  // namespace signage
