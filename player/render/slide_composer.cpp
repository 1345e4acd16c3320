#include "player/render/slide_composer.h"

#include "player/render/media_check.h"
#include "playlist/base/path_guard.h"
#include "playlist/text/text_encoding.h"
#include "playlist/base/log.h"
#include "player/render/surface_ops.h"

namespace signage {

namespace {

SDL_Color sdl_color(Color c)
{
    return {c.r, c.g, c.b, 255};
}

}  // namespace

std::vector<FontSource> font_chain_for(const Config& config, const std::string& fonts_dir)
{
    std::vector<std::string> configured;
    if (!config.font.empty())
        configured.push_back(config.resolve(config.font));
    for (const auto& path : config.fallback_fonts)
        configured.push_back(config.resolve(path));
    return default_font_chain(configured, fonts_dir);
}

Result<SlideComposer> SlideComposer::create(const Config& config, const std::string& fonts_dir, CanvasSize canvas)
{
    auto fonts = FontSet::open(font_chain_for(config, fonts_dir), 48);
    if (!fonts)
        return fonts.error();
    return SlideComposer(config, std::move(*fonts), canvas);
}

SlideComposer::SlideComposer(const Config& config, FontSet fonts, CanvasSize canvas)
    : m_config(config), m_fonts(std::move(fonts)), m_canvas(canvas)
{
}

Rect SlideComposer::text_area() const
{
    return safe_area(m_canvas.width, m_canvas.height, m_config.safe_area);
}

ImageLimits SlideComposer::image_limits() const
{
    return image_limits_for(m_config);
}

SloganLayout SlideComposer::layout(const std::string& text)
{
    SloganStyle style{m_config.line_spacing, static_cast<int>(m_config.min_font_size),
                      static_cast<int>(m_config.max_font_size)};
    return layout_slogan(m_fonts, utf8_to_u32(text), text_area(), style);
}

std::u32string SlideComposer::missing_characters(const std::string& text)
{
    return m_fonts.missing(utf8_to_u32(text));
}

void SlideComposer::draw_background_image(SDL_Surface* target, const std::string& path)
{
    auto cached = m_backgrounds.find(path);
    if (cached == m_backgrounds.end()) {
        SurfacePtr ready;
        auto image = load_poster(path, image_limits());
        if (image) {
            ready = make_argb_surface(m_canvas.width, m_canvas.height);
            if (ready) {
                fill(ready.get(), m_config.background);
                draw_fitted(ready.get(), image->get(), {0, 0, m_canvas.width, m_canvas.height}, Fit::Cover);
            }
        } else {
            log::on_change(log::Level::Warn, "background:" + path, image.error().message,
                           "background image " + image.error().to_string() + "; using the background colour");
        }
        cached = m_backgrounds.emplace(path, std::move(ready)).first;
    }
    if (cached->second)
        SDL_BlitSurface(cached->second.get(), nullptr, target, nullptr);
}

Result<SurfacePtr> SlideComposer::compose_slogan(const PlaylistItem& item)
{
    SurfacePtr slide = make_argb_surface(m_canvas.width, m_canvas.height);
    if (!slide)
        return Error{item.source, 0, sdl_error("cannot allocate a slide")};
    Color background = item.background.value_or(m_config.text_background.value_or(m_config.background));
    fill(slide.get(), background);
    std::string background_image = item.background_image;
    if (background_image.empty() && !m_config.text_background_image.empty())
        background_image = m_config.resolve(m_config.text_background_image);
    if (!background_image.empty())
        draw_background_image(slide.get(), background_image);
    SloganLayout laid_out = layout(item.text);
    draw_slogan(slide.get(), m_fonts, laid_out, text_area(), sdl_color(item.color.value_or(m_config.text_color)));
    return slide;
}

Result<SurfacePtr> SlideComposer::compose_image(const PlaylistItem& item)
{
    auto image = load_poster(item.path, image_limits());
    if (!image)
        return image.error();
    SurfacePtr slide = make_argb_surface(m_canvas.width, m_canvas.height);
    if (!slide)
        return Error{item.path, 0, sdl_error("cannot allocate a slide")};
    fill(slide.get(), item.background.value_or(m_config.background));
    draw_fitted(slide.get(), image->get(), {0, 0, m_canvas.width, m_canvas.height}, item.fit);
    return slide;
}

SurfacePtr SlideComposer::compose_fallback()
{
    SurfacePtr slide = make_argb_surface(m_canvas.width, m_canvas.height);
    if (!slide)
        return nullptr;
    fill(slide.get(), m_config.background);
    // The campaign's first slogan and the national anti-fraud hotline: useful to a passer-by even
    // while the playlist is broken, and a sign to the technician that the player is alive.
    Rect area = text_area();
    Rect upper{area.x, area.y, area.w, area.h * 3 / 4};
    Rect lower{area.x, area.y + area.h * 3 / 4, area.w, area.h / 4};
    SloganStyle big{m_config.line_spacing, 16, 0};
    SloganLayout headline = layout_slogan(m_fonts, U"不轻信 不透露 不转账", upper, big);
    draw_slogan(slide.get(), m_fonts, headline, upper, sdl_color(m_config.text_color));
    SloganStyle small{1.3, 12, std::max(12, m_canvas.height / 24)};
    SloganLayout hotline = layout_slogan(m_fonts, U"全民反诈 96110", lower, small);
    Color dim = m_config.text_color;
    dim.r = static_cast<uint8_t>((dim.r + m_config.background.r) / 2);
    dim.g = static_cast<uint8_t>((dim.g + m_config.background.g) / 2);
    dim.b = static_cast<uint8_t>((dim.b + m_config.background.b) / 2);
    draw_slogan(slide.get(), m_fonts, hotline, lower, sdl_color(dim));
    return slide;
}

}  // namespace signage
