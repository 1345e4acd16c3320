#include "player/app/sheet_painter.h"

#include "playlist/text/line_breaker.h"
#include "playlist/text/text_encoding.h"

#include <algorithm>
#include <cmath>

namespace signage {

namespace {

SDL_Color sdl_color(Color c)
{
    return {c.r, c.g, c.b, 255};
}

Uint32 argb(Color c)
{
    return 0xFF000000u | (Uint32(c.r) << 16) | (Uint32(c.g) << 8) | c.b;
}

}  // namespace

Result<SheetPainter> SheetPainter::create(SDL_Surface* target, const std::string& fonts_dir)
{
    // Labels in the regular weight read better small; the bold chain (the slides' own, with the
    // bundled campaign font) is for names and the title, and both fall back per character.
    std::vector<FontSource> bold_chain = default_font_chain({}, fonts_dir);
    std::vector<FontSource> regular_chain{{"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2}};
    regular_chain.insert(regular_chain.end(), bold_chain.begin(), bold_chain.end());
    auto regular = FontSet::open(regular_chain, 16);
    if (!regular)
        return regular.error();
    auto bold = FontSet::open(bold_chain, 16);
    if (!bold)
        return bold.error();
    return SheetPainter(target, std::move(*regular), std::move(*bold));
}

SheetPainter::SheetPainter(SDL_Surface* target, FontSet regular, FontSet bold)
    : m_target(target), m_regular(std::move(regular)), m_bold(std::move(bold))
{
}

FontSet& SheetPainter::fonts(int px, Weight weight)
{
    FontSet& set = weight == Weight::Bold ? m_bold : m_regular;
    set.set_size(px);
    return set;
}

std::u32string SheetPainter::cut_to(std::u32string text, FontSet& set, int max_width)
{
    if (set.measure(text) <= max_width)
        return text;
    while (!text.empty() && set.measure(text + U"…") > max_width)
        text.pop_back();
    return text + U"…";
}

int SheetPainter::text(std::string_view utf8, int x, int y, int px, Color color, int max_width, Weight weight)
{
    FontSet& set = fonts(px, weight);
    std::u32string line = cut_to(utf8_to_u32(utf8), set, max_width);
    set.draw_line(m_target, line, x, y, sdl_color(color));
    return static_cast<int>(std::ceil(set.measure(line)));
}

int SheetPainter::text_width(std::string_view utf8, int px, Weight weight)
{
    return static_cast<int>(std::ceil(fonts(px, weight).measure(utf8_to_u32(utf8))));
}

void SheetPainter::wrapped(std::string_view utf8, Rect area, int px, Color color)
{
    FontSet& set = fonts(px, Weight::Regular);
    BrokenLines broken = break_lines(utf8_to_u32(utf8), area.w, [&](std::u32string_view t) { return set.measure(t); });
    const int step = line_height(px);
    const size_t room = static_cast<size_t>(std::max(1, area.h / step));
    for (size_t i = 0; i < broken.lines.size() && i < room; ++i) {
        std::u32string line = broken.lines[i];
        if (i + 1 == room && broken.lines.size() > room)
            line += U" …";
        set.draw_line(m_target, cut_to(line, set, area.w), area.x, area.y + static_cast<int>(i) * step,
                      sdl_color(color));
    }
}

int SheetPainter::badge(std::string_view utf8, int x, int y, int px, Color background)
{
    const int pad = px / 2;
    const int w = text_width(utf8, px, Weight::Bold) + 2 * pad;
    const int h = badge_height(px);
    box({x, y, w, h}, background);
    FontSet& set = fonts(px, Weight::Bold);
    set.draw_line(m_target, utf8_to_u32(utf8), x + pad, y + (h - set.height()) / 2, sdl_color({255, 255, 255, 255}));
    return w;
}

void SheetPainter::box(Rect r, Color color)
{
    SDL_Rect rect{r.x, r.y, r.w, r.h};
    SDL_FillRect(m_target, &rect, argb(color));
}

void SheetPainter::outline(Rect r, Color color)
{
    box({r.x - 1, r.y - 1, r.w + 2, 1}, color);
    box({r.x - 1, r.y + r.h, r.w + 2, 1}, color);
    box({r.x - 1, r.y, 1, r.h}, color);
    box({r.x + r.w, r.y, 1, r.h}, color);
}

void SheetPainter::darken(Rect r, double keep)
{
    const Uint32 scale = static_cast<Uint32>(std::lround(std::clamp(keep, 0.0, 1.0) * 256));
    const int x0 = std::max(0, r.x), x1 = std::min(m_target->w, r.x + r.w);
    const int y0 = std::max(0, r.y), y1 = std::min(m_target->h, r.y + r.h);
    for (int y = y0; y < y1; ++y) {
        auto* row = reinterpret_cast<Uint32*>(static_cast<Uint8*>(m_target->pixels) + y * m_target->pitch);
        for (int x = x0; x < x1; ++x) {
            Uint32 p = row[x];
            Uint32 red = ((p >> 16) & 0xFF) * scale >> 8, green = ((p >> 8) & 0xFF) * scale >> 8,
                   blue = (p & 0xFF) * scale >> 8;
            row[x] = 0xFF000000u | red << 16 | green << 8 | blue;
        }
    }
}

void SheetPainter::picture(SDL_Surface* image, Rect at)
{
    SDL_Rect rect{at.x, at.y, at.w, at.h};
    SDL_SetSurfaceBlendMode(image, SDL_BLENDMODE_NONE);
    SDL_BlitSurface(image, nullptr, m_target, &rect);
}

}  // namespace signage
