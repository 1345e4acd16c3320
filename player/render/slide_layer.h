// Slides: a slogan, a poster, the fallback slide. Composed once on the loader thread into a
// screen-sized picture, uploaded once as a texture, held while on screen or next.
#pragma once

#include "playlist/alerts/alert_folder.h"

#include "playlist/timeline/playlist.h"
#include "player/render/content_loader.h"
#include "player/render/item_layer.h"
#include "player/render/slide_composer.h"

#include <memory>

namespace signage {

// Copies a screen-sized texture over the whole screen with opacity `alpha` (1: replaces).
void draw_full_texture(SDL_Renderer* renderer, SDL_Texture* texture, double alpha);

class SlideLayer final : public ItemLayer {
public:
    // `key` names it to the loader, which runs `job` to compose it.
    SlideLayer(SDL_Renderer* renderer, ContentLoader& loader, size_t key, std::string name, LoadJob job,
               ItemTiming timing = {});

    ItemTiming timing() const override { return m_timing; }
    Readiness readiness(double now) const override;
    bool update(double now, std::span<const Slot> slots, bool wanted) override;
    Readiness settle(double now) override;
    Status show_exactly(const Slot& slot, double now) override;
    bool has_picture(const Slot&) const override { return m_texture != nullptr; }
    void draw(const Slot& slot, double opacity) override;
    TexturePtr detach_picture() override { return std::move(m_texture); }

    // Drawn into this rectangle of the canvas instead of over all of it (an alert's band).
    void place_in(SDL_Rect rect) { m_place = rect; }

private:
    bool upload();

    SDL_Renderer* m_renderer;
    ContentLoader& m_loader;
    size_t m_key;
    ItemTiming m_timing;
    TexturePtr m_texture;
    std::optional<SDL_Rect> m_place;
};

// A picture kept on screen as it is: the last one of a playlist that was just replaced.
class HeldPicture final : public ItemLayer {
public:
    HeldPicture(SDL_Renderer* renderer, TexturePtr texture) : m_renderer(renderer), m_texture(std::move(texture)) {}

    ItemTiming timing() const override { return {}; }
    Readiness readiness(double) const override { return Readiness::Ready; }
    bool update(double, std::span<const Slot>, bool) override { return false; }
    Readiness settle(double) override { return Readiness::Ready; }
    Status show_exactly(const Slot&, double) override { return {}; }
    bool has_picture(const Slot&) const override { return true; }
    void draw(const Slot&, double opacity) override { draw_full_texture(m_renderer, m_texture.get(), opacity); }

private:
    SDL_Renderer* m_renderer;
    TexturePtr m_texture;
};

// The loader's work for a slogan's and a poster's slide (paths confined to the playlist's
// folder), and for the fallback slide.
LoadJob slogan_job(std::shared_ptr<const Playlist> playlist, size_t item);
LoadJob poster_job(std::shared_ptr<const Playlist> playlist, size_t item);
LoadJob fallback_job();
// An alert file: its text on the alert colours, or its image, which must stay inside `folder`.
LoadJob alert_job(const Alert& alert, std::string folder);
// The band an alert shows in over the loop ([alerts] mode = banner): its headline on the alert
// colours, composed for a band of `band` pixels, `config`'s fonts.
LoadJob alert_band_job(std::string headline, const Config& config, std::string fonts_dir, CanvasSize band);
// Where the band goes: the bottom sixth of the canvas.
SDL_Rect alert_band_rect(CanvasSize canvas);

}  // namespace signage
