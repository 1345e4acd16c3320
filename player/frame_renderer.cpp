#include "player/frame_renderer.h"

#include "player/commands.h"
#include "player/content_loader.h"
#include "player/frame_painter.h"
#include "player/slide_textures.h"
#include "player/video_layers.h"

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
    VideoSettings video;
    video.limits.max_megapixels = config.max_image_megapixels;
    video.hardware = false;  // exact, repeatable frames: the software decoder
    ContentLoader loader(std::move(*composer), playlist, config.retry_after, rotation, nullptr, video);
    Sequencer sequencer(item_timings(playlist));
    // Its textures belong to the renderer: closed before it.
    auto video_layers = std::make_unique<VideoLayers>(renderer.get(), ScreenGeometry{canvas_w, canvas_h, rotation},
                                                      loader.playlist(), nullptr);
    VideoLayers& videos = *video_layers;
    auto is_video = [&](size_t item) { return item < playlist.items.size() && playlist.items[item].type == ItemType::Video; };

    // Which items can play is learnt by composing each once; the pictures are dropped at once
    // so a render far into the day does not hold every slide in memory. Videos are opened once
    // to learn their length, as `play` does before they start.
    std::map<size_t, Readiness> known;
    for (size_t item = 0; item < playlist.items.size(); ++item) {
        if (!is_video(item))
            continue;
        Readiness state = loader.wait(item, 0);
        videos.sync(loader, {item}, {});
        if (auto length = videos.length(item)) {
            ItemTiming timing = sequencer.timing(item);
            timing.duration = *length;
            timing.fade_in = playlist.items[item].fade_in();
            sequencer.set_timing(item, timing);
        }
        videos.sync(loader, {}, {});
        known.emplace(item, state);
    }
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
    std::vector<Slot> on_screen;
    for (const auto& slot : {frame.current, frame.previous})
        if (slot)
            on_screen.push_back(*slot);
    if (frame.previous)
        wanted.push_back(frame.previous->item);
    {
        SlideTextures textures(renderer.get());
        std::vector<size_t> slides;
        for (size_t item : wanted)
            if (!is_video(item)) {
                loader.wait(item, 0);
                slides.push_back(item);
            }
        textures.sync(loader, slides);
        // Each video slot gets its own decoder, seeked to the instant (one video may fade into
        // its own next play).
        for (const Slot& slot : on_screen) {
            if (!is_video(slot.item))
                continue;
            loader.wait(slot.item, 0);
            videos.sync(loader, {slot.item}, on_screen);
            Status shown = videos.show_exactly(slot, at);
            if (!shown)
                return shown.error();
        }
        FramePainter painter{renderer.get(), config.background, loader.playlist(), textures, videos};
        painter.paint(frame);
        SDL_RenderPresent(renderer.get());
    }
    RenderedFrame out;
    out.description = frame.current ? playlist.items[frame.current->item].source : "the fallback slide";
    if (frame.previous)
        out.description += " fading in over " + playlist.items[frame.previous->item].source + " (" +
                           std::to_string(static_cast<int>(frame.mix * 100)) + "%)";
    video_layers.reset();
    renderer.reset();
    out.image = std::move(target);
    return out;
}

}  // namespace signage
