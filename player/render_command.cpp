// `render --at T`: the frame `play` shows T seconds after it starts, drawn by the same
// sequencer, loader and drawing code on a software renderer, with the clock set to T.
#include "player/commands.h"

#include "player/content_loader.h"
#include "player/log.h"
#include "player/slide_textures.h"

#include <SDL_image.h>
#include <map>

namespace signage {

int run_render(const CliOptions& cli, PlayerSetup& setup)
{
    const Config& config = setup.config;
    const int out_w = cli.width > 0 ? cli.width : static_cast<int>(config.width);
    const int out_h = cli.height > 0 ? cli.height : static_cast<int>(config.height);
    const int rotation = config.rotation_degrees();
    auto [canvas_w, canvas_h] = canvas_for(out_w, out_h, rotation);

    SurfacePtr target = make_argb_surface(out_w, out_h);
    if (!target) {
        log::error(sdl_error("cannot allocate the output image"));
        return 1;
    }
    RendererPtr renderer(SDL_CreateSoftwareRenderer(target.get()));
    if (!renderer) {
        log::error(sdl_error("cannot create the software renderer"));
        return 1;
    }
    auto composer = SlideComposer::create(config, setup.paths.fonts, {canvas_w, canvas_h});
    if (!composer) {
        log::error(composer.error().to_string());
        return 1;
    }
    ContentLoader loader(std::move(*composer), setup.playlist.playlist, config.retry_after, rotation, nullptr);
    Sequencer sequencer(item_timings(setup.playlist.playlist));

    // Which items can play is learnt by composing each once; the pictures are dropped at once
    // so a render far into the day does not hold every slide in memory.
    std::map<size_t, Readiness> known;
    auto readiness = [&](size_t item) {
        auto it = known.find(item);
        if (it != known.end())
            return it->second;
        Readiness state = loader.wait(item, 0);
        loader.release(item);
        known.emplace(item, state);
        return state;
    };
    const double at = *cli.at;
    sequencer.advance(0, readiness);
    sequencer.advance(at, readiness);
    FrameState frame = sequencer.frame(at);

    std::vector<size_t> wanted{ContentLoader::kFallback};
    if (frame.current)
        wanted.push_back(frame.current->item);
    if (frame.previous)
        wanted.push_back(frame.previous->item);
    for (size_t item : wanted)
        loader.wait(item, 0);
    SlideTextures textures(renderer.get());
    textures.sync(loader, wanted);
    textures.draw(frame, config.background);
    SDL_RenderPresent(renderer.get());

    if (IMG_SavePNG(target.get(), cli.out.c_str()) != 0) {
        log::error(cli.out + ": cannot write PNG: " + IMG_GetError());
        return 1;
    }
    std::string what = frame.current ? setup.playlist.playlist.items[frame.current->item].source : "fallback slide";
    if (frame.previous)
        what += " fading in over " + setup.playlist.playlist.items[frame.previous->item].source + " (" +
                std::to_string(static_cast<int>(frame.mix * 100)) + "%)";
    log::info("rendered " + what + " at " + format_seconds(at) + " to " + cli.out);
    return 0;
}

}  // namespace signage
