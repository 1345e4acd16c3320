#include "player/render/slide_layer.h"

#include "playlist/base/path_guard.h"
#include "playlist/base/log.h"

#include <algorithm>
#include <cmath>

namespace signage {

void draw_full_texture(SDL_Renderer* renderer, SDL_Texture* texture, double alpha)
{
    bool blend = alpha < 1.0;
    SDL_SetTextureBlendMode(texture, blend ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
    SDL_SetTextureAlphaMod(texture, blend ? static_cast<Uint8>(std::lround(std::clamp(alpha, 0.0, 1.0) * 255)) : 255);
    SDL_RenderCopy(renderer, texture, nullptr, nullptr);
}

SlideLayer::SlideLayer(SDL_Renderer* renderer, ContentLoader& loader, size_t key, std::string name, LoadJob job,
                       ItemTiming timing)
    : m_renderer(renderer), m_loader(loader), m_key(key), m_timing(timing)
{
    m_loader.add(key, std::move(name), std::move(job));
}

Readiness SlideLayer::readiness(double now) const
{
    if (m_texture)
        return Readiness::Ready;  // only once uploaded: a switch never shows a missing picture
    Readiness state = m_loader.state(m_key, now);
    return state == Readiness::Ready ? Readiness::Pending : state;
}

bool SlideLayer::upload()
{
    SurfacePtr picture = m_loader.take(m_key);
    if (!picture)
        return false;
    m_texture.reset(SDL_CreateTextureFromSurface(m_renderer, picture.get()));
    if (!m_texture) {
        log::on_change(log::Level::Error, "texture", SDL_GetError(), sdl_error("cannot upload a slide"));
        return false;
    }
    return true;
}

bool SlideLayer::update(double now, std::span<const Slot> slots, bool wanted)
{
    if (slots.empty() && !wanted) {
        if (m_texture) {
            m_texture.reset();
            m_loader.release(m_key);
        }
        return false;
    }
    if (m_texture)
        return false;
    m_loader.request(m_key, now);
    return upload();
}

Readiness SlideLayer::settle(double now)
{
    if (m_texture)
        return Readiness::Ready;
    // Composed once to learn whether it can play; the picture is dropped at once, so a render
    // far into the day does not hold every slide in memory.
    Readiness state = m_loader.wait(m_key, now);
    m_loader.release(m_key);
    return state;
}

Status SlideLayer::show_exactly(const Slot&, double now)
{
    if (m_texture)
        return {};
    m_loader.wait(m_key, now);
    upload();
    return {};
}

void SlideLayer::draw(const Slot&, double opacity)
{
    if (!m_texture)
        return;
    if (!m_place) {
        draw_full_texture(m_renderer, m_texture.get(), opacity);
        return;
    }
    bool blend = opacity < 1.0;
    SDL_SetTextureBlendMode(m_texture.get(), blend ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
    SDL_SetTextureAlphaMod(m_texture.get(), static_cast<Uint8>(std::lround(std::clamp(opacity, 0.0, 1.0) * 255)));
    SDL_RenderCopy(m_renderer, m_texture.get(), nullptr, &*m_place);
}

namespace {

using Compose = Result<SurfacePtr> (SlideComposer::*)(const PlaylistItem&);

LoadJob compose_job(std::shared_ptr<const Playlist> playlist, size_t item, Compose compose)
{
    return [playlist = std::move(playlist), item, compose](SlideComposer& composer) -> Result<Loaded> {
        const PlaylistItem& entry = playlist->items.at(item);
        for (const std::string* path : {&entry.path, &entry.background_image}) {
            if (path->empty())
                continue;
            // A symlink on the share may point anywhere; only the share's own files are shown.
            Status inside = check_real_path_inside(playlist->base_dir, *path);
            if (!inside)
                return inside.error();
        }
        auto picture = (composer.*compose)(entry);
        if (!picture)
            return picture.error();
        return Loaded{std::move(*picture), {}};
    };
}

}  // namespace

LoadJob slogan_job(std::shared_ptr<const Playlist> playlist, size_t item)
{
    return compose_job(std::move(playlist), item, &SlideComposer::compose_slogan);
}

LoadJob poster_job(std::shared_ptr<const Playlist> playlist, size_t item)
{
    return compose_job(std::move(playlist), item, &SlideComposer::compose_image);
}

LoadJob fallback_job()
{
    return [](SlideComposer& composer) -> Result<Loaded> {
        SurfacePtr fallback = composer.compose_fallback();
        if (!fallback)
            return Error{"", 0, "cannot compose the fallback slide"};
        return Loaded{std::move(fallback), {}};
    };
}

LoadJob alert_job(const Alert& alert, std::string folder)
{
    return [alert, folder = std::move(folder)](SlideComposer& composer) -> Result<Loaded> {
        // Shown as an item of its own: white on the red of public warnings, or the image as a poster.
        PlaylistItem item;
        item.name = alert.id;
        item.source = alert.id;
        if (alert.kind == Alert::Kind::Image) {
            Status inside = check_real_path_inside(folder, alert.image);
            if (!inside)
                return inside.error();
            item.type = ItemType::Image;
            item.path = alert.image;
            auto picture = composer.compose_image(item);
            if (!picture)
                return picture.error();
            return Loaded{std::move(*picture), {}};
        }
        item.type = ItemType::Slogan;
        item.text = alert.description.empty() ? alert.headline : alert.headline + "  " + alert.description;
        item.color = Color{255, 255, 255};
        item.background = Color{0xB0, 0x00, 0x20};
        auto picture = composer.compose_slogan(item);
        if (!picture)
            return picture.error();
        return Loaded{std::move(*picture), {}};
    };
}

SDL_Rect alert_band_rect(CanvasSize canvas)
{
    int height = std::max(1, canvas.height / 6);
    return SDL_Rect{0, canvas.height - height, canvas.width, height};
}

LoadJob alert_band_job(std::string headline, const Config& config, std::string fonts_dir, CanvasSize band)
{
    Config band_config = config;
    band_config.safe_area = 4;  // of the band: its text fills it, with a margin
    band_config.max_font_size = std::max(16, band.height * 45 / 100);
    return [headline = std::move(headline), band_config, fonts_dir = std::move(fonts_dir),
            band](SlideComposer&) -> Result<Loaded> {
        // A composer of the band's size: the text is laid out for the band, not the screen.
        auto composer = SlideComposer::create(band_config, fonts_dir, band);
        if (!composer)
            return composer.error();
        PlaylistItem item;
        item.type = ItemType::Slogan;
        item.text = headline;
        item.color = Color{255, 255, 255};
        item.background = Color{0xB0, 0x00, 0x20};
        auto picture = composer->compose_slogan(item);
        if (!picture)
            return picture.error();
        return Loaded{std::move(*picture), {}};
    };
}

}  // namespace signage
