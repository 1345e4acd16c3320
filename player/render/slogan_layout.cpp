#include "player/render/slogan_layout.h"

#include "playlist/text/phrase_breaker.h"

#include <cmath>
#include <limits>
#include <map>
#include <optional>

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

// How well a layout reads, best first: every break between words and no CJK character alone on a
// line; a break between two single-character tokens (likely inside a word ICU did not know);
// anything (a break inside a word, a lone character).
enum class Quality { Words, Singles, Any };

Quality quality_of(const SloganLayout& layout)
{
    if (layout.lone_character)
        return Quality::Any;
    if (layout.worst_break <= BreakClass::WordAndSingle)
        return Quality::Words;
    if (layout.worst_break <= BreakClass::Singles)
        return Quality::Singles;
    return Quality::Any;
}

// The breaks a layout aiming at that quality may take freely (worse ones only inside a unit wider
// than a line, and the layout then falls short of the aim).
BreakClass allowed_for(Quality quality)
{
    return quality == Quality::Words ? BreakClass::WordAndSingle : BreakClass::Singles;
}

SloganLayout try_size(FontSet& fonts, std::u32string_view text, Rect area, const SloganStyle& style, int size,
                      Breaking breaking, Quality aim)
{
    fonts.set_size(size);
    SloganLayout layout;
    layout.font_size = size;
    auto measure = [&](std::u32string_view piece) { return fonts.measure(piece); };
    BreakClass allowed = allowed_for(aim);
    BrokenLines broken = breaking == Breaking::Phrases ? break_phrases(text, area.w, measure, allowed)
                                                       : break_lines(text, area.w, measure, allowed);
    layout.worst_break = broken.worst_break;
    layout.phrase_breaks = broken.phrase_breaks;
    layout.short_fragments = broken.short_fragments;
    layout.lone_character = broken.lone_character;
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

// A slogan is written as phrases a reader takes in at a glance, so a break inside a phrase, even
// between words, has to buy a larger size: each costs a fifth of the size (a layout with one break
// inside a phrase wins only if its text is a quarter larger, with two 56%...), and so does each
// line of three characters or fewer cut from a longer phrase (是违法 | 犯罪行为, 部分 | 受害者…),
// which reads as a fragment, not a phrase: on a portrait screen a few whole phrases a little
// smaller read better than a column of huge fragments. A layout that lets a phrase's end share a
// line with the next one's start reads worse again, as if 20% smaller.
constexpr double kPhraseBreakFactor = 0.8;
constexpr double kMixedPhrasesFactor = 0.8;

double mode_factor(Breaking breaking)
{
    return breaking == Breaking::Phrases ? 1.0 : kMixedPhrasesFactor;
}

double score(const SloganLayout& layout, Breaking breaking)
{
    return layout.font_size * mode_factor(breaking) *
           std::pow(kPhraseBreakFactor, layout.phrase_breaks + layout.short_fragments);
}

// The largest size at which the text fits the area at all, breaking anyhow; min_size's layout
// when even that overflows. Fitting is monotonic in practice (a larger size never needs fewer
// lines), so a binary search finds it in about ten layouts.
SloganLayout largest_fitting(FontSet& fonts, std::u32string_view text, Rect area, const SloganStyle& style)
{
    int max_size = style.max_size > 0 ? style.max_size : std::max(style.min_size, area.h / 6);
    int lo = style.min_size, hi = std::max(style.min_size, max_size);
    SloganLayout best = try_size(fonts, text, area, style, lo, Breaking::Anywhere, Quality::Any);
    if (!best.fits)
        return best;
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        SloganLayout candidate = try_size(fonts, text, area, style, mid, Breaking::Anywhere, Quality::Any);
        if (candidate.fits) {
            best = std::move(candidate);
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    return best;
}

int penalties(const SloganLayout& layout)
{
    return layout.phrase_breaks + layout.short_fragments;
}

// The best-scoring layout that fits at `aim` quality, from `largest` down to min_size, for both
// ways of breaking; none when no size reaches that quality. Within one number of penalties (breaks
// inside phrases, short fragments) the largest size scores best, and a smaller size never needs
// more of them, so for 0, 1, 2... penalties a binary search finds the largest size with no more,
// until no larger number could win: a few dozen layouts, where trying every size would take a
// hundred or more.
std::optional<SloganLayout> best_at(FontSet& fonts, std::u32string_view text, Rect area, const SloganStyle& style,
                                    int largest, Quality aim)
{
    std::optional<SloganLayout> best;
    double best_score = 0;
    for (Breaking breaking : {Breaking::Phrases, Breaking::Anywhere}) {
        std::map<int, std::optional<SloganLayout>> tried;  // by size: the layout when it reaches the aim
        auto at = [&](int size) -> const std::optional<SloganLayout>& {
            auto found = tried.find(size);
            if (found == tried.end()) {
                SloganLayout layout = try_size(fonts, text, area, style, size, breaking, aim);
                bool ok = layout.fits && quality_of(layout) <= aim;
                found = tried.emplace(size, ok ? std::optional(std::move(layout)) : std::nullopt).first;
            }
            return found->second;
        };
        // The smallest size reaches a quality first; when it cannot, no size can (almost: not worth
        // a layout at every size to find the exception).
        if (!at(style.min_size))
            continue;
        int floor = style.min_size;  // the largest size found so far: later answers are no smaller
        int most = at(largest) ? penalties(*at(largest)) : 64;  // no slogan has that many
        for (int allowed = 0; allowed <= most; ++allowed) {
            if (best && largest * mode_factor(breaking) * std::pow(kPhraseBreakFactor, allowed) <= best_score)
                break;  // even the largest size could not win with this many
            auto within = [&](int size) { return at(size) && penalties(*at(size)) <= allowed; };
            if (!within(floor))
                continue;
            int lo = floor, hi = largest;
            while (lo < hi) {
                int mid = lo + (hi - lo + 1) / 2;
                if (within(mid))
                    lo = mid;
                else
                    hi = mid - 1;
            }
            floor = lo;
            double s = score(*at(lo), breaking);
            if (!best || s > best_score) {
                best_score = s;
                best = at(lo);
            }
            if (lo == largest)
                break;
        }
    }
    return best;
}

}  // namespace

SloganLayout layout_slogan(FontSet& fonts, std::u32string_view text, Rect area, const SloganStyle& style)
{
    SloganLayout fitting = largest_fitting(fonts, text, area, style);
    if (!fitting.fits)
        return fitting;  // even min_size overflows: `check` reports it
    std::optional<SloganLayout> best;
    for (Quality aim : {Quality::Words, Quality::Singles})
        if (!best)
            best = best_at(fonts, text, area, style, fitting.font_size, aim);
    SloganLayout chosen = best ? std::move(*best) : std::move(fitting);
    fonts.set_size(chosen.font_size);
    return chosen;
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
