#include "player/render/bands.h"

#include "playlist/base/file_io.h"
#include "playlist/base/geometry.h"
#include "playlist/schedule/clock_format.h"
#include "playlist/text/text_encoding.h"
#include "player/render/poster_loader.h"
#include "player/render/slogan_layout.h"
#include "player/render/surface_ops.h"

#include <algorithm>
#include <cmath>

namespace signage {

namespace {

// No ticker entry is longer than this (a runaway line in a slogans file), and no rasterised
// line wider than this many pixels (the largest texture many GPUs take).
constexpr size_t kMaxEntryChars = 400;
constexpr int kMaxLineWidth = 16384;
constexpr size_t kMaxTickerEntries = 200;
constexpr size_t kMaxSlogansFileBytes = 1 << 20;
// The clock's next text is rasterised this long before it is due, so it is on time.
constexpr double kClockAhead = 2.0;

SDL_Color sdl(Color c)
{
    return {c.r, c.g, c.b, c.a};
}

// The fonts a band's loader thread uses: opened on that thread at its first load, kept for the rest.
using SharedFonts = std::shared_ptr<std::optional<FontSet>>;

Result<FontSet*> fonts_at(const SharedFonts& fonts, const std::vector<FontSource>& sources, int size)
{
    if (!*fonts) {
        auto opened = FontSet::open(sources, size);
        if (!opened)
            return opened.error();
        fonts->emplace(std::move(*opened));
    }
    (*fonts)->set_size(size);
    return &**fonts;
}

// One line of text on a transparent surface as wide as the text. The surface's colour is the
// text's, at alpha 0, so the glyphs' edges blend to the text colour, not to black.
LoadJob line_job(std::string text, int size, Color color, std::vector<FontSource> sources, SharedFonts fonts)
{
    return [text = std::move(text), size, color, sources = std::move(sources),
            fonts = std::move(fonts)](SlideComposer&) -> Result<Loaded> {
        auto set = fonts_at(fonts, sources, size);
        if (!set)
            return set.error();
        std::u32string line = utf8_to_u32(text);
        if (line.size() > kMaxEntryChars)
            line = line.substr(0, kMaxEntryChars - 1) + U'…';
        int width = std::clamp(static_cast<int>(std::ceil((*set)->measure(line))), 1, kMaxLineWidth);
        int height = std::max(1, (*set)->height());
        SurfacePtr surface = make_argb_surface(width, height);
        if (!surface)
            return Error{"", 0, sdl_error("cannot make a surface for a band's text")};
        SDL_FillRect(surface.get(), nullptr, SDL_MapRGBA(surface->format, color.r, color.g, color.b, 0));
        (*set)->draw_line(surface.get(), line, 0, 0, sdl(color));
        return Loaded{std::move(surface), {}};
    };
}

TexturePtr upload(SDL_Renderer* renderer, SDL_Surface* surface)
{
    TexturePtr texture(SDL_CreateTextureFromSurface(renderer, surface));
    if (texture)
        SDL_SetTextureBlendMode(texture.get(), SDL_BLENDMODE_BLEND);
    return texture;
}

}  // namespace

Band::Band(const Zone& zone, const BandStage& stage, SlideComposer composer)
    : m_zone(zone), m_area(resolve_area(zone.area, stage.canvas.width, stage.canvas.height)),
      m_renderer(stage.renderer), m_canvas(stage.canvas), m_rotation(stage.config.rotation_degrees()),
      m_fonts(font_chain_for(stage.config, stage.fonts_dir)), m_time_zone(stage.zone),
      m_loader(std::move(composer), stage.config.retry_after, 0, stage.wake)
{
    SDL_RendererInfo info{};
    m_whole_pixels = m_renderer && SDL_GetRendererInfo(m_renderer, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE);
}

void Band::draw_texture(SDL_Texture* texture, double x, double y, double w, double h) const
{
    const double W = m_canvas.width, H = m_canvas.height;
    double ox = x, oy = y, ow = w, oh = h;
    switch (m_rotation) {
    case 90: ox = H - y - h, oy = x, ow = h, oh = w; break;
    case 180: ox = W - x - w, oy = H - y - h; break;
    case 270: ox = y, oy = W - x - w, ow = h, oh = w; break;
    default: break;
    }
    // SDL turns the destination about its centre: the unturned rectangle with the turned one's centre.
    double dx = ox + ow / 2 - w / 2, dy = oy + oh / 2 - h / 2;
    if (m_whole_pixels) {
        // The software renderer casts the position to int, which rounds -3.5 to -3 but 3.5 to 3:
        // a ticker entry crossing the band's left edge would then be drawn one pixel right of the
        // entries after it, stalling a pixel there. Floored, every entry moves alike.
        dx = std::floor(dx);
        dy = std::floor(dy);
    }
    SDL_FRect dest{static_cast<float>(dx), static_cast<float>(dy), static_cast<float>(w), static_cast<float>(h)};
    if (m_rotation == 0)
        SDL_RenderCopyF(m_renderer, texture, nullptr, &dest);
    else
        SDL_RenderCopyExF(m_renderer, texture, nullptr, &dest, m_rotation, nullptr, SDL_FLIP_NONE);
}

void Band::clip_to_band() const
{
    Rect out = rotate_rect(m_area, m_canvas.width, m_canvas.height, m_rotation);
    SDL_Rect clip{out.x, out.y, out.w, out.h};
    if (m_limit && !SDL_IntersectRect(&clip, &*m_limit, &clip))
        clip = SDL_Rect{m_limit->x, m_limit->y, 0, 0};  // nothing of the band is inside
    SDL_RenderSetClipRect(m_renderer, &clip);
}

void Band::release_clip() const
{
    SDL_RenderSetClipRect(m_renderer, m_limit ? &*m_limit : nullptr);
}

void Band::draw_within(WallTime wall, const Rect& limit)
{
    m_limit = SDL_Rect{limit.x, limit.y, limit.w, limit.h};
    SDL_RenderSetClipRect(m_renderer, &*m_limit);
    draw(wall);
    m_limit.reset();
    SDL_RenderSetClipRect(m_renderer, nullptr);
}

void Band::fill_background() const
{
    if (!m_zone.background)
        return;
    const Color& c = *m_zone.background;
    Rect out = rotate_rect(m_area, m_canvas.width, m_canvas.height, m_rotation);
    SDL_Rect rect{out.x, out.y, out.w, out.h};
    SDL_SetRenderDrawBlendMode(m_renderer, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(m_renderer, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(m_renderer, &rect);
}

int Band::text_size() const
{
    if (m_zone.font_size > 0)
        return m_zone.font_size;
    return std::max(8, static_cast<int>(m_area.h * 0.6));
}

// --- ticker ---

TickerBand::TickerBand(const Zone& zone, const BandStage& stage, SlideComposer composer,
                       std::vector<std::string> entries)
    : Band(zone, stage, std::move(composer))
{
    m_wanted = std::move(entries);
    m_pending = make_run(m_wanted);
}

TickerBand::Run TickerBand::make_run(const std::vector<std::string>& entries)
{
    Run run;
    auto fonts = std::make_shared<std::optional<FontSet>>();
    for (size_t i = 0; i < entries.size() && i < kMaxTickerEntries; ++i) {
        Piece piece;
        piece.key = m_next_key++;
        m_loader.add(piece.key, "ticker " + m_zone.name + " entry " + std::to_string(i + 1),
                     line_job(entries[i] + m_zone.separator, text_size(), m_zone.color, m_fonts, fonts));
        m_loader.request(piece.key, 0);
        run.pieces.push_back(std::move(piece));
    }
    return run;
}

bool TickerBand::take_pieces(Run& run)
{
    bool all = true;
    for (Piece& piece : run.pieces) {
        if (piece.texture || piece.width < 0)
            continue;
        Readiness state = m_loader.state(piece.key, 0);
        if (state == Readiness::Pending) {
            all = false;
            continue;
        }
        SurfacePtr surface = state == Readiness::Ready ? m_loader.take(piece.key) : nullptr;
        if (surface && (piece.texture = upload(m_renderer, surface.get()))) {
            piece.width = surface->w;
            piece.height = surface->h;
        } else {
            piece.width = -1;  // failed: left out (the loader has logged why)
        }
        m_loader.release(piece.key);
    }
    return all;
}

void TickerBand::adopt_pending(WallTime wall)
{
    Run run = std::move(*m_pending);
    m_pending.reset();
    std::erase_if(run.pieces, [](const Piece& piece) { return !piece.texture; });
    run.period = 0;
    for (const Piece& piece : run.pieces)
        run.period += piece.width;
    const double s = scroll(wall);
    double begin = 0;  // the very first text: where every screen in step has it now
    if (!m_runs.empty()) {
        // The entry now coming in at the right edge goes on to its end; the new text follows it.
        Run& last = m_runs.back();
        begin = s;
        if (last.period > 0 && last.end == kNever) {
            double pass = std::floor((s - last.start) / last.period);
            double offset = s - last.start - pass * last.period;
            double edge = 0;
            for (const Piece& piece : last.pieces) {
                edge += piece.width;
                if (edge >= offset)
                    break;
            }
            begin = last.start + pass * last.period + edge;
        }
        last.end = std::min(last.end, begin);
    } else if (m_started) {
        begin = s;  // nothing on screen: it comes in at the right edge now
    }
    m_started = true;
    if (run.period <= 0)
        return;  // no text: what is on screen scrolls out, the band empties
    run.start = begin;
    m_runs.push_back(std::move(run));
}

void TickerBand::set_entries(std::vector<std::string> entries, WallTime)
{
    if (entries == m_wanted)
        return;
    m_wanted = std::move(entries);
    if (m_pending)
        for (const Piece& piece : m_pending->pieces)
            m_loader.release(piece.key);
    m_pending = make_run(m_wanted);
}

bool TickerBand::update(WallTime wall)
{
    bool arrived = false;
    if (m_pending && take_pieces(*m_pending)) {
        adopt_pending(wall);
        arrived = true;
    }
    // Runs wholly scrolled past the left edge are let go.
    const double s = scroll(wall);
    std::erase_if(m_runs, [&](const Run& run) { return run.end <= s - m_area.w; });
    return arrived;
}

void TickerBand::settle(WallTime wall)
{
    if (!m_pending)
        return;
    for (const Piece& piece : m_pending->pieces)
        m_loader.wait(piece.key, 0);
    update(wall);
}

bool TickerBand::on_screen(const Run& run, double s) const
{
    return run.period > 0 && s >= run.start && run.end > s - m_area.w;
}

bool TickerBand::shows_text(WallTime wall) const
{
    const double s = scroll(wall);
    return std::any_of(m_runs.begin(), m_runs.end(), [&](const Run& run) { return on_screen(run, s); });
}

void TickerBand::draw(WallTime wall)
{
    const double s = scroll(wall);
    const double right = m_area.x + m_area.w;
    bool background = false;
    for (const Run& run : m_runs) {
        if (!on_screen(run, s))
            continue;
        if (!background) {
            fill_background();
            clip_to_band();
            background = true;
        }
        // The passes of the text whose span reaches into the band.
        double first = std::max(0.0, std::floor((s - m_area.w - run.start) / run.period));
        for (double pass = first;; ++pass) {
            double at = run.start + pass * run.period;
            if (at > s || at >= run.end)
                break;
            for (const Piece& piece : run.pieces) {
                if (at >= run.end)
                    break;
                double x = right - (s - at);
                if (x >= right)
                    break;
                if (x + piece.width > m_area.x)
                    draw_texture(piece.texture.get(), x, m_area.y + (m_area.h - piece.height) / 2.0, piece.width,
                                 piece.height);
                at += piece.width;
            }
        }
    }
    release_clip();
}

WallTime TickerBand::next_change(WallTime wall) const
{
    // Moving: every frame (the caller paces them); empty: only when new text comes.
    for (const Run& run : m_runs)
        if (run.period > 0 && run.end > scroll(wall) - m_area.w)
            return wall;
    return kNever;
}

uint64_t TickerBand::picture_state(WallTime wall) const
{
    // A new picture every quarter pixel moved: sub-pixel positions, not one per frame when slow.
    if (next_change(wall) == kNever)
        return m_runs.size();
    return static_cast<uint64_t>(std::llround(std::fmod(scroll(wall) * 4, 1e15))) ^ (m_runs.size() << 56);
}

// --- clock ---

ClockBand::ClockBand(const Zone& zone, const BandStage& stage, SlideComposer composer)
    : Band(zone, stage, std::move(composer)),
      m_format(zone.format.empty() ? std::string(kDefaultClockFormat) : zone.format),
      m_period(clock_period(m_format)), m_shared_fonts(std::make_shared<std::optional<FontSet>>())
{
}

int64_t ClockBand::period_of(WallTime wall) const
{
    return static_cast<int64_t>(std::floor(wall / m_period));
}

void ClockBand::ask(int64_t period)
{
    for (const Face& face : m_faces)
        if (face.period == period)
            return;
    Face face;
    face.period = period;
    face.key = static_cast<size_t>(period);
    std::string text = format_clock(m_format, m_time_zone.local(static_cast<WallTime>(period) * m_period));
    m_loader.add(face.key, "clock " + m_zone.name, line_job(text, text_size(), m_zone.color, m_fonts, m_shared_fonts));
    m_loader.request(face.key, 0);
    m_faces.push_back(std::move(face));
}

bool ClockBand::update(WallTime wall)
{
    const int64_t now = period_of(wall);
    ask(now);
    if (wall >= static_cast<WallTime>(now + 1) * m_period - kClockAhead)
        ask(now + 1);
    bool arrived = false;
    for (Face& face : m_faces) {
        if (face.texture || m_loader.state(face.key, 0) != Readiness::Ready)
            continue;
        SurfacePtr surface = m_loader.take(face.key);
        m_loader.release(face.key);
        if (surface && (face.texture = upload(m_renderer, surface.get()))) {
            face.width = surface->w;
            face.height = surface->h;
            arrived = true;
        }
    }
    // Older faces go once the current one is in (until then the last minute's stays up).
    const Face* shown = this->shown(wall);
    int64_t keep = shown ? shown->period : now;
    std::erase_if(m_faces, [&](const Face& face) {
        bool gone = face.period < keep;
        if (gone)
            m_loader.release(face.key);
        return gone;
    });
    return arrived;
}

const ClockBand::Face* ClockBand::shown(WallTime wall) const
{
    const int64_t now = period_of(wall);
    const Face* best = nullptr;
    for (const Face& face : m_faces)
        if (face.texture && face.period <= now && (!best || face.period > best->period))
            best = &face;
    return best;
}

void ClockBand::settle(WallTime wall)
{
    ask(period_of(wall));
    for (const Face& face : m_faces)
        m_loader.wait(face.key, 0);
    update(wall);
}

void ClockBand::draw(WallTime wall)
{
    const Face* face = shown(wall);
    fill_background();
    if (!face)
        return;
    const int margin = m_area.h / 5;
    double x = m_area.x + (m_area.w - face->width) / 2.0;
    if (m_zone.align == Align::Left)
        x = m_area.x + margin;
    else if (m_zone.align == Align::Right)
        x = m_area.x + m_area.w - margin - face->width;
    clip_to_band();
    draw_texture(face->texture.get(), std::round(x), std::round(m_area.y + (m_area.h - face->height) / 2.0),
                 face->width, face->height);
    release_clip();
}

WallTime ClockBand::next_change(WallTime wall) const
{
    const WallTime next = static_cast<WallTime>(period_of(wall) + 1) * m_period;
    return wall < next - kClockAhead ? next - kClockAhead : next;
}

uint64_t ClockBand::picture_state(WallTime wall) const
{
    const Face* face = shown(wall);
    return face ? static_cast<uint64_t>(face->period) + 1 : 0;
}

// --- text ---

namespace {

// The band's picture: its background, the logo at its left, the text laid out in the rest.
LoadJob text_band_job(Zone zone, Rect area, std::vector<FontSource> sources)
{
    return [zone = std::move(zone), area, sources = std::move(sources)](SlideComposer& composer) -> Result<Loaded> {
        SurfacePtr surface = make_argb_surface(std::max(1, area.w), std::max(1, area.h));
        if (!surface)
            return Error{"", 0, sdl_error("cannot make a surface for a text band")};
        Color base = zone.background.value_or(Color{zone.color.r, zone.color.g, zone.color.b, 0});
        SDL_FillRect(surface.get(), nullptr, SDL_MapRGBA(surface->format, base.r, base.g, base.b, base.a));
        const int margin = std::max(2, area.h / 10);
        Rect text_area{margin, margin, std::max(1, area.w - 2 * margin), std::max(1, area.h - 2 * margin)};
        if (!zone.image.empty()) {
            // A logo is a poster from the share: the same limits and strict decoding.
            auto logo = load_poster(zone.image, composer.image_limits());
            if (!logo)
                return Error{zone.image, 0, "cannot read the logo: " + logo.error().message};
            SurfacePtr argb = std::move(*logo);
            int h = text_area.h;
            int w = std::min(area.w / 3, static_cast<int>(std::lround(static_cast<double>(argb->w) * h / argb->h)));
            draw_fitted(surface.get(), argb.get(), Rect{margin, margin, w, h}, Fit::Contain);
            text_area.x += w + margin;
            text_area.w = std::max(1, text_area.w - w - margin);
        }
        auto fonts = FontSet::open(sources, 32);
        if (!fonts)
            return fonts.error();
        SloganStyle style;
        style.line_spacing = 1.2;
        style.min_size = 8;
        style.max_size = zone.font_size > 0 ? zone.font_size : std::max(8, text_area.h * 7 / 10);
        std::u32string text = utf8_to_u32(zone.text);
        SloganLayout layout = layout_slogan(*fonts, text, text_area, style);
        // Lines are centred in the area drawn into: narrowed to the text, at the side asked for.
        const int widest = std::min(text_area.w, layout.widest);
        if (zone.align == Align::Left)
            text_area.w = widest;
        else if (zone.align == Align::Right)
            text_area = Rect{text_area.x + text_area.w - widest, text_area.y, widest, text_area.h};
        draw_slogan(surface.get(), *fonts, layout, text_area, sdl(zone.color));
        return Loaded{std::move(surface), {}};
    };
}

}  // namespace

TextBand::TextBand(const Zone& zone, const BandStage& stage, SlideComposer composer)
    : Band(zone, stage, std::move(composer))
{
    m_loader.add(0, "text band " + zone.name, text_band_job(zone, Rect{0, 0, m_area.w, m_area.h}, m_fonts));
    m_loader.request(0, 0);
}

bool TextBand::update(WallTime)
{
    if (m_texture || m_loader.state(0, 0) != Readiness::Ready)
        return false;
    SurfacePtr surface = m_loader.take(0);
    if (surface)
        m_texture = upload(m_renderer, surface.get());
    return m_texture != nullptr;
}

void TextBand::settle(WallTime wall)
{
    m_loader.wait(0, 0);
    update(wall);
}

void TextBand::draw(WallTime)
{
    if (m_texture)
        draw_texture(m_texture.get(), m_area.x, m_area.y, m_area.w, m_area.h);
}

// --- making them ---

Result<std::unique_ptr<Band>> make_band(const Zone& zone, const BandStage& stage, std::vector<std::string> entries)
{
    auto composer = SlideComposer::create(stage.config, stage.fonts_dir, stage.canvas);
    if (!composer)
        return composer.error();
    switch (zone.kind) {
    case ZoneKind::Ticker:
        return std::unique_ptr<Band>(new TickerBand(zone, stage, std::move(*composer), std::move(entries)));
    case ZoneKind::Clock: return std::unique_ptr<Band>(new ClockBand(zone, stage, std::move(*composer)));
    case ZoneKind::Text: return std::unique_ptr<Band>(new TextBand(zone, stage, std::move(*composer)));
    case ZoneKind::Playlist: break;
    }
    return Error{"", 0, "zone " + zone.name + " is a playlist zone, not a band"};
}

Result<std::vector<std::string>> ticker_entries(const Zone& zone)
{
    if (zone.kind != ZoneKind::Ticker || zone.source == TickerSource::Alerts)
        return std::vector<std::string>{};
    if (zone.source == TickerSource::Text)
        return std::vector<std::string>{zone.text};
    if (zone.file.empty())
        return std::vector<std::string>{};
    auto bytes = read_file_limited(zone.file, kMaxSlogansFileBytes);
    if (!bytes)
        return bytes.error();
    auto text = decode_text(*bytes, zone.file);
    if (!text)
        return text.error();
    std::vector<std::string> entries;
    for (const std::string& line : split_lines(text->utf8)) {
        std::string entry = trim(line);
        if (!entry.empty() && entry[0] != '#')
            entries.push_back(std::move(entry));
    }
    return entries;
}

}  // namespace signage
