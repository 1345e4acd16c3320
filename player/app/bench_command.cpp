#include "player/app/bench_command.h"

#include "playlist/base/geometry.h"
#include "player/media/sdl_handles.h"
#include "player/video/video_decoder.h"
#include "player/video/video_texture.h"

#include <chrono>
#include <cstdio>
#include <optional>
#include <sys/resource.h>

namespace signage {

namespace {

double cpu_seconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);  // every thread of the process: the decoder's included
    auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Pass {
    long frames = 0;
    double wall = 0;
    double cpu = 0;
    long peak_rss_kib = 0;  // the process's high-water mark so far (this pass and those before)
    std::string upload;     // how frames went up, when presented
};

// One run through the file, from opening it to its last frame: decode only, or decode and
// present each frame (upload, draw fitted to the canvas, present).
Result<Pass> run_pass(const std::string& path, bool present, int canvas_w, int canvas_h)
{
    auto wall_start = std::chrono::steady_clock::now();
    double cpu_start = cpu_seconds();
    VideoDecoderOptions options;
    options.threads = 0;  // as fast as it can: every core (playback uses as few threads as real time needs)
    auto opened = VideoDecoder::open(path, options);
    if (!opened)
        return opened.error();
    VideoDecoder& decoder = **opened;
    const VideoStreamInfo& video = *decoder.info().video;
    auto [shown_w, shown_h] = video.display_size();
    int w = canvas_w > 0 ? canvas_w : shown_w, h = canvas_h > 0 ? canvas_h : shown_h;

    SurfacePtr target;
    RendererPtr renderer;
    std::optional<VideoTexture> texture;
    FitResult fit = fit_image(shown_w, shown_h, Rect{0, 0, w, h}, Fit::Contain);
    const SDL_Rect dest{fit.dest.x, fit.dest.y, fit.dest.w, fit.dest.h};
    const bool letterboxed = !(fit.dest == Rect{0, 0, w, h});
    if (present) {
        target = make_argb_surface(w, h);
        if (!target)
            return Error{"", 0, sdl_error("cannot allocate a " + std::to_string(w) + "x" + std::to_string(h) + " canvas")};
        renderer.reset(SDL_CreateSoftwareRenderer(target.get()));
        if (!renderer)
            return Error{"", 0, sdl_error("cannot create the software renderer")};
        texture.emplace(renderer.get());
        texture->draw_into(target.get());  // as `play` draws on its window's surface
        SDL_SetRenderDrawColor(renderer.get(), 0, 0, 0, 255);
    }
    Pass pass;
    while (auto frame = decoder.wait_frame(std::chrono::seconds(30))) {
        ++pass.frames;
        if (!present)
            continue;
        if (Status uploaded = texture->upload(*frame->frame); !uploaded)
            return Error{path, 0, uploaded.error().to_string()};
        if (letterboxed)
            SDL_RenderClear(renderer.get());
        texture->draw(nullptr, dest, video.rotation);
        SDL_RenderPresent(renderer.get());
    }
    if (!decoder.finished())
        return Error{path, 0, "decoding stalled"};
    pass.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    pass.cpu = cpu_seconds() - cpu_start;
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    pass.peak_rss_kib = usage.ru_maxrss;
    if (texture)
        pass.upload = upload_path_name(texture->plan().path);
    return pass;
}

void print_pass(const char* name, const Pass& pass)
{
    std::printf("%-15s %6ld frames in %7.3f s = %8.1f fps, %6.2f CPU-s, peak RSS %4ld MiB%s%s\n", name,
                pass.frames, pass.wall, pass.wall > 0 ? pass.frames / pass.wall : 0.0, pass.cpu, pass.peak_rss_kib / 1024,
                pass.upload.empty() ? "" : ", upload ", pass.upload.c_str());
}

}  // namespace

int run_bench(const CliOptions& cli)
{
    int status = 0;
    for (const std::string& path : cli.files) {
        auto info = probe_media(path);
        if (!info) {
            std::fprintf(stderr, "%s\n", info.error().to_string().c_str());
            status = 1;
            continue;
        }
        std::printf("file: %s (%s)\n", path.c_str(), info->describe().c_str());
        auto decode = run_pass(path, false, cli.width, cli.height);
        auto present = decode ? run_pass(path, true, cli.width, cli.height) : decode;
        if (!decode || !present) {
            std::fprintf(stderr, "%s\n", (decode ? present : decode).error().to_string().c_str());
            status = 1;
            continue;
        }
        print_pass("decode:", *decode);
        print_pass("decode+present:", *present);
        std::fflush(stdout);
    }
    return status;
}

}  // namespace signage
