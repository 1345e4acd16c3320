#include "player/app/frame_renderer.h"

#include "player/front/commands.h"
#include "player/render/screen_zones.h"
#include "player/render/show.h"
#include "player/front/screen.h"

namespace signage {

Result<RenderedFrame> render_frame(const PlayerSetup& setup, double at, WallTime wall_start, int width, int height)
{
    const Config& config = setup.config;
    auto [canvas_w, canvas_h] = canvas_for(width, height, config.rotation_degrees());

    SurfacePtr target = make_argb_surface(width, height);
    if (!target)
        return Error{"", 0, sdl_error("cannot allocate the output image")};
    RendererPtr renderer(SDL_CreateSoftwareRenderer(target.get()));
    if (!renderer)
        return Error{"", 0, sdl_error("cannot create the software renderer")};
    Stage stage{config, setup.paths.fonts, CanvasSize{canvas_w, canvas_h}, renderer.get(), {}, nullptr};
    stage.video.limits.max_megapixels = config.max_image_megapixels;
    stage.video.limits.max_file_bytes = static_cast<uint64_t>(config.max_file_mb) << 20;
    stage.video.read_through = config.share.empty();  // as play
    stage.video.hardware = false;  // exact, repeatable frames: the software decoder
    RenderedFrame out;
    {
        // The zones' and the show's textures belong to the renderer: closed before it.
        ScreenZones zones;
        if (setup.layout) {
            auto time_zone = TimeZone::load(config.timezone);
            if (!time_zone)
                return time_zone.error();
            auto opened = ScreenZones::open(*setup.layout, stage, *time_zone);
            if (!opened)
                return opened.error();
            zones = std::move(*opened);
        }
        auto show = Show::start(setup.playlist, zones.main_stage(stage), 0, wall_start);
        if (!show)
            return show.error();
        if (Status sides = zones.start(setup.playlist, stage, 0, wall_start); !sides)
            return sides.error();
        (*show)->set_alerts(read_alert_folder(alerts_folder(setup), config.alert_language));
        // The same timeline `play` asks, its questions answered by waiting for each load.
        (*show)->settle(0);
        (*show)->settle(at);
        Picture picture = (*show)->picture(at);
        Status shown = (*show)->show_exactly(picture, at);
        if (!shown)
            return shown.error();
        if (Status settled = zones.settle(at, (*show)->wall(at), **show); !settled)
            return settled.error();
        zones.paint(**show, picture, (*show)->wall(at));
        SDL_RenderPresent(renderer.get());
        out.description = (*show)->describe(picture);
    }
    renderer.reset();
    out.image = std::move(target);
    return out;
}

}  // namespace signage
