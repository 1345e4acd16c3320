#include "player/render/slogan_layout.h"

#include "playlist/text/phrase_breaker.h"

#include <cmath>

namespace signage {

namespace {

enum class Breaking { Phrases, Anywhere };

bool is_fullwidth_opening(char32_t c)
{
    return c == U'“' || c == U'‘' || c == U'（' || c == U'《' || c == U'〈' || c == U'「' || c == U'『' || c == U'【' ||
           c == U'〔';
}

bool is_fullwidth_trailing(char32_t c)
{
    return c == U'，' || c == U'。' || c == U'、' || c == U'？' || c == U'！' || c == U'；' || c == U'：' || c == U'”' ||
           c == U'’' || c == U'）' || c == U'》' || c == U'〉' || c == U'」' || c == U'』' || c == U'】' || c == U'〕';
}

SloganLayout try_size(FontSet& fonts, std::u32string_view text, Rect area, const SloganStyle& style, int size,
                      Breaking breaking)
{
    fonts.set_size(size);
    SloganLayout layout;
    layout.font_size = size;
    auto measure = [&](std::u32string_view piece) { return fonts.measure(piece); };
    BrokenLines broken = breaking == Breaking::Phrases ? break_phrases(text, area.w, measure)
                                                       : break_lines(text, area.w, measure);
    layout.lines = std::move(broken.lines);
    layout.line_advance = static_cast<int>(std::lround(size * style.line_spacing));
    int count = static_cast<int>(layout.lines.size());
    // The block is measured from the first line's top to the last line's bottom.
    layout.block_height = count == 0 ? 0 : (count - 1) * layout.line_advance + fonts.height();
    for (const auto& line : layout.lines) {
        double w = fonts.measure(line);
        // Full-width punctuation sits in one half of its em box: a line ending in "？" or
        // starting with "“" would look off-centre if that empty half counted.
        double lead = 0, trail = 0;
        if (!line.empty() && is_fullwidth_opening(line.front()))
            lead = fonts.measure(line.substr(0, 1)) / 2;
        if (line.size() > 1 && is_fullwidth_trailing(line.back()))
            trail = fonts.measure(line.substr(line.size() - 1)) / 2;
        int visual = static_cast<int>(std::ceil(w - lead - trail));
        layout.line_widths.push_back(visual);
        layout.line_offsets.push_back(static_cast<int>(std::lround(lead)));
        layout.widest = std::max(layout.widest, static_cast<int>(std::ceil(w)));
    }
    layout.fits = broken.fits && layout.widest <= area.w && layout.block_height <= area.h;
    return layout;
}

// The largest size at which the text fits with this way of breaking.
SloganLayout largest_fit(FontSet& fonts, std::u32string_view text, Rect area, const SloganStyle& style,
                         Breaking breaking)
{
    int max_size = style.max_size > 0 ? style.max_size : std::max(style.min_size, area.h / 6);
    int lo = style.min_size, hi = std::max(style.min_size, max_size);
    SloganLayout best = try_size(fonts, text, area, style, lo, breaking);
    if (!best.fits)
        return best;
    // Fitting is monotonic in practice (a larger size never needs fewer lines), so a binary
    // search finds the largest fitting size in about ten layouts.
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        SloganLayout candidate = try_size(fonts, text, area, style, mid, breaking);
        if (candidate.fits) {
            best = std::move(candidate);
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    return best;
}

}  // namespace

SloganLayout layout_slogan(FontSet& fonts, std::u32string_view text, Rect area, const SloganStyle& style)
{
    // Whole phrases per line read best; breaking inside phrases is worth it only when keeping
    // them whole would make the text much smaller.
    SloganLayout phrases = largest_fit(fonts, text, area, style, Breaking::Phrases);
    SloganLayout anywhere = largest_fit(fonts, text, area, style, Breaking::Anywhere);
    constexpr double kPhraseSizeRatio = 0.8;
    bool prefer_phrases = phrases.fits && (!anywhere.fits || phrases.font_size >= kPhraseSizeRatio * anywhere.font_size);
    SloganLayout& best = prefer_phrases ? phrases : anywhere;
    fonts.set_size(best.font_size);
    return best;
}

void draw_slogan(SDL_Surface* target, FontSet& fonts, const SloganLayout& layout, Rect area, SDL_Color color)
{
    fonts.set_size(layout.font_size);
    SDL_Rect clip{area.x, area.y, area.w, area.h};
    if (!layout.fits)
        SDL_SetClipRect(target, &clip);
    int y = area.y + (area.h - layout.block_height) / 2;
    for (size_t i = 0; i < layout.lines.size(); ++i) {
        int x = area.x + (area.w - layout.line_widths[i]) / 2 - layout.line_offsets[i];
        fonts.draw_line(target, layout.lines[i], x, y, color);
        y += layout.line_advance;
    }
    SDL_SetClipRect(target, nullptr);
}

}  // namespace signage
