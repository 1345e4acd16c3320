// Feeds arbitrary text and widths to the line breaker with a font-free measure, and so to ICU's word
// segmentation (word_breaks) under it. Besides crashes, sanitizer reports and runaway time: every
// layout keeps the kinsoku rules, loses no character, and reports fits, widest and the worst break
// truthfully, with the default breaks and with only word boundaries allowed; word_breaks gives one
// class per code point. The first byte picks the width, the rest is the text (UTF-8, invalid bytes
// become U+FFFD).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "playlist/text/line_breaker.h"
#include "playlist/text/text_encoding.h"

namespace {

void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

bool is_space(char32_t c)
{
    return c == U' ' || c == 0x3000;
}

double fake_width(std::u32string_view text)
{
    double w = 0;
    for (char32_t c : text)
        w += c == U' ' ? 0.3 : c < 0x80 ? 0.5 : c < 0x300 ? 0.7 : 1.0;
    return w;
}

std::u32string without_spaces(std::u32string_view s)
{
    std::u32string out;
    for (char32_t c : s)
        if (!is_space(c))
            out += c;
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    double width = data[0] / 8.0;  // 0 .. 31.875, so zero and too-narrow widths come up too
    std::u32string text = signage::utf8_to_u32(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));

    auto classes = signage::word_breaks(text);
    check(classes && classes->size() == text.size());
    check(text.empty() || (*classes)[0] == signage::BreakClass::Space);

    for (signage::BreakClass allowed : {signage::BreakClass::Singles, signage::BreakClass::WordAndSingle}) {
        signage::BrokenLines b = signage::break_lines(text, width, fake_width, allowed);

        std::u32string content = without_spaces(text);
        if (content.empty()) {
            check(b.lines.empty() && b.fits && b.widest == 0);
            return 0;
        }
        check(!b.lines.empty());
        check(b.lines.size() > 1 || (b.worst_break == signage::BreakClass::Space && b.phrase_breaks == 0));
        check(b.phrase_breaks <= static_cast<int>(b.lines.size()) - 1);

        std::u32string all;
        double widest = 0;
        bool fits = true;
        for (size_t i = 0; i < b.lines.size(); ++i) {
            const std::u32string& line = b.lines[i];
            check(!line.empty());
            check(!is_space(line.front()) && !is_space(line.back()));
            for (size_t k = 1; k < line.size(); ++k)
                check(!(is_space(line[k - 1]) && is_space(line[k])));  // runs of spaces collapse
            // Only the text's own first character may be a closing mark at the start of a line.
            if (i > 0)
                check(!signage::is_closing_mark(line.front()));
            if (i + 1 < b.lines.size())
                check(!signage::is_opening_mark(line.back()));
            all += line;
            double w = fake_width(line);
            widest = std::max(widest, w);
            fits = fits && w <= width + 1e-9 * std::max(1.0, width);
        }
        check(without_spaces(all) == content);
        check(b.widest == widest);
        check(b.fits == fits);
        check(b.lone_character == signage::has_lone_character(b.lines));

        // Deterministic.
        signage::BrokenLines again = signage::break_lines(text, width, fake_width, allowed);
        check(again.lines == b.lines && again.fits == b.fits && again.widest == b.widest &&
              again.worst_break == b.worst_break);
    }
    return 0;
}
