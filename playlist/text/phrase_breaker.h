// Phrase-first layout for slogans. The campaign writes a slogan as phrases separated by spaces
// ("放下电话想一想 切莫轻易去转帐 筑牢反诈防火墙不听不信不转账"); a reader takes each phrase in
// at a glance, so a line should hold whole phrases, and a phrase too long for one line gets
// lines of its own instead of sharing a line with the end of another phrase.
#pragma once

#include "playlist/text/line_breaker.h"

namespace signage {

// Lines made of whole phrases where they fit (packed into the fewest, most even lines, breaking
// only at spaces or after clause punctuation such as ？ or ，); a phrase wider than max_width is
// broken by break_lines (between words, `worst_allowed` as there) and stands alone.
BrokenLines break_phrases(std::u32string_view text, double max_width, const MeasureFn& measure,
                          BreakClass worst_allowed = BreakClass::Singles);

// Splits at runs of spaces (U+0020, U+3000); no empty phrases.
std::vector<std::u32string> split_phrases(std::u32string_view text);

}  // namespace signage
