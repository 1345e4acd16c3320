// Chinese-aware line breaking for slogans. Fonts stay out of it: widths come from a measure callback,
// so the rules are tested with a fake measure and the renderer passes one backed by its font.
#pragma once

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
};

// Breaks `text` into the fewest lines no wider than max_width, then balances them:
//  - breaks at the text's own spaces (U+0020, U+3000) whenever that needs no more lines, and between
//    CJK characters only otherwise; spaces at a break are dropped, runs of spaces become one;
//  - kinsoku: no line starts with a closing mark (is_closing_mark) and none ends with an opening
//    mark (is_opening_mark); Latin words and tokens like 100%, 96110, 3.5, A/B are never split;
//  - among layouts with the fewest lines: no single CJK character alone on the last line, then the
//    fewest breaks between CJK characters, then the most even line widths (least sum of squared slack);
//  - a unit wider than max_width goes on a line of its own and the result has fits = false.
// Empty or all-space text gives no lines. Texts over 4096 code points are broken greedily.
BrokenLines break_lines(std::u32string_view text, double max_width, const MeasureFn& measure);

// Marks that may not start a line: closing brackets and quotes, sentence punctuation (ASCII and
// full-width), %, the ellipsis, the wave dash and the small kana / iteration marks.
bool is_closing_mark(char32_t c);
// Marks that may not end a line: opening brackets and quotes, ASCII and full-width.
bool is_opening_mark(char32_t c);

}  // namespace signage
