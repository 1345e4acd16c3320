#include "player/frame_renderer.h"

#include "player/commands.h"
#include "player/content_loader.h"
#include "player/slide_textures.h"

#include <map>

namespace signage {

Result<RenderedFrame> render_frame(const PlayerSetup& setup, double at, int width, int height)
{
    const Config& config = setup.config;
    const int rotation = config.rotation_degrees();
    auto [canvas_w, canvas_h] = canvas_for(width, height, rotation);

    SurfacePtr target = make_argb_surface(width, height);
    if (!target)
        return Error{"", 0, sdl_error("cannot allocate the output image")};
    RendererPtr renderer(SDL_CreateSoftwareRenderer(target.get()));
    if (!renderer)
        return Error{"", 0, sdl_error("cannot create the software renderer")};
    auto composer = SlideComposer::create(config, setup.paths.fonts, {canvas_w, canvas_h});
    if (!composer)
        return composer.error();
    const Playlist& playlist = setup.playlist.playlist;
    ContentLoader loader(std::move(*composer), playlist, config.retry_after, rotation, nullptr);
    Sequencer sequencer(item_timings(playlist));

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
    sequencer.advance(0, readiness);
    sequencer.advance(at, readiness);
    FrameState frame = sequencer.frame(at);

    std::vector<size_t> wanted{frame.current ? frame.current->item : ContentLoader::kFallback};
    if (frame.previous)
        wanted.push_back(frame.previous->item);
    for (size_t item : wanted)
        loader.wait(item, 0);
    {
        SlideTextures textures(renderer.get());
        textures.sync(loader, wanted);
        textures.draw(frame, config.background);
        SDL_RenderPresent(renderer.get());
    }
    RenderedFrame out;
    out.description = frame.current ? playlist.items[frame.current->item].source : "the fallback slide";
    if (frame.previous)
        out.description += " fading in over " + playlist.items[frame.previous->item].source + " (" +
                           std::to_string(static_cast<int>(frame.mix * 100)) + "%)";
    renderer.reset();
    out.image = std::move(target);
    return out;
}

}  // namespace signage
