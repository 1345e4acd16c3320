// Chinese-aware line breaking for slogans. Fonts stay out of it: widths come from a measure callback,
// so the rules are tested with a fake measure and the renderer passes one backed by its font.
#pragma once

#include "playlist/text/word_breaks.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace signage {

// Pixel width of a piece of text at the current font size.
using MeasureFn = std::function<double(std::u32string_view)>;

struct BrokenLines {
    std::vector<std::u32string> lines;
    bool fits = true;   // every line is no wider than max_width
    double widest = 0;  // widest line, by measure
    BreakClass worst_break = BreakClass::Space;  // the worst break taken (Space for one line)
    int phrase_breaks = 0;        // breaks inside a phrase: not at a space or after clause punctuation
    int short_fragments = 0;      // lines of three letters or fewer cut from a longer phrase (是违法 | 犯罪行为)
    bool lone_character = false;  // some line is one CJK character alone (is_lone_character)
};

// Breaks `text` into the fewest lines no wider than max_width, then balances them:
//  - a line breaks only between words (word_breaks: ICU's dictionary segmentation), at the text's
//    own spaces (U+0020, U+3000) or after clause punctuation; spaces at a break are dropped, runs of
//    spaces become one. Breaks worse than `worst_allowed` (by default only InsideWord) are taken only
//    inside a unit that alone is wider than max_width, which is then split between its characters;
//  - kinsoku: no line starts with a closing mark (is_closing_mark) and none ends with an opening
//    mark (is_opening_mark); Latin words and tokens like 100%, 96110, 3.5, A/B are never split;
//  - among layouts with the fewest lines: no single CJK character alone on the last line, then the
//    fewest doubtful breaks (between two single-character tokens, inside a word), then the fewest
//    breaks inside phrases (not at a space or after clause punctuation), then the most even line
//    widths (least sum of squared slack), where each break between words also costs a little, more
//    next to a single-character token than between two dictionary words;
//  - a unit wider than max_width even character by character goes on a line of its own and the
//    result has fits = false.
// Empty or all-space text gives no lines. Texts over 4096 code points are broken greedily. Without
// ICU's word iterator (no data) every CJK boundary counts as a word boundary.
BrokenLines break_lines(std::u32string_view text, double max_width, const MeasureFn& measure,
                        BreakClass worst_allowed = BreakClass::Singles);

// One letter, digit or ideograph on the line, and that an ideograph, kana or hangul ("骗。").
bool is_lone_character(std::u32string_view line);
// More than one line, and one of them is a lone character.
bool has_lone_character(const std::vector<std::u32string>& lines);

// Marks that may not start a line: closing brackets and quotes, sentence punctuation (ASCII and
// full-width), %, the ellipsis, the wave dash and the small kana / iteration marks.
bool is_closing_mark(char32_t c);
// Marks that may not end a line: opening brackets and quotes, ASCII and full-width.
bool is_opening_mark(char32_t c);

}  // namespace signage
