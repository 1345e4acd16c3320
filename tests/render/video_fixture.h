// Video test helpers: clips made at test time with the ffmpeg command line (lavfi testsrc2 and
// sine) in a scratch folder, reference frames extracted by ffmpeg, frames drawn through
// VideoTexture on the software renderer and read back, PSNR.
#pragma once

#include "player/video/video_decoder.h"
#include "player/video/video_texture.h"
#include "tests/render/image_compare.h"
#include "tests/unit/temp_dir.h"

#include <SDL_image.h>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace signage::testing {

// Runs a shell command; throws with the command when it fails (a fixture that cannot be made is
// a broken test environment, not a passing test).
inline void run_or_throw(const std::string& command)
{
    if (std::system(command.c_str()) != 0)
        throw std::runtime_error("command failed: " + command);
}

// Standard output of a shell command, trailing whitespace removed.
inline std::string command_output(const std::string& command)
{
    std::string out;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        char buffer[256];
        while (std::fgets(buffer, sizeof buffer, pipe))
            out += buffer;
        ::pclose(pipe);
    }
    while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back())))
        out.pop_back();
    return out;
}

struct VideoClips {
    TempDir dir;

    std::string path(const std::string& name) const { return dir.file(name); }

    // `ffmpeg -v error -y INPUTS_AND_OPTIONS PATH`; returns PATH.
    std::string make(const std::string& name, const std::string& arguments) const
    {
        std::string out = path(name);
        run_or_throw("ffmpeg -nostdin -v error -y " + arguments + " '" + out + "'");
        return out;
    }

    // 640x360 at 30 fps, H.264 (yuv420p, untagged, so BT.601 by both ffmpeg and the player) with
    // AAC sine audio: the common case, small and short.
    std::string h264_clip(const std::string& name = "clip.mp4", double seconds = 2, const std::string& size = "640x360",
                          const std::string& extra = "") const
    {
        return make(name, "-f lavfi -i testsrc2=size=" + size + ":rate=30 -f lavfi -i sine=frequency=1000:sample_rate=48000 -t " +
                              std::to_string(seconds) + " -c:v libx264 -preset veryfast -pix_fmt yuv420p " + extra +
                              " -c:a aac -shortest");
    }

    // ffmpeg's own picture at T, as the reference: `ffmpeg -ss T -i clip -frames:v 1 out.png`.
    // `options` go after the input (e.g. "-vf format=yuv420p").
    SurfacePtr reference_frame(const std::string& clip, double t, const std::string& name,
                               const std::string& options = "") const
    {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.6f", t);
        std::string png = make(name, std::string("-ss ") + seconds + " -i '" + clip + "' -frames:v 1 " + options);
        SurfacePtr image = load_png(png);
        if (!image)
            throw std::runtime_error("cannot read " + png);
        return image;
    }

    void truncate(const std::string& from, const std::string& to, double fraction) const
    {
        std::string bytes = read(from);
        write_bytes(to, bytes.substr(0, static_cast<size_t>(bytes.size() * fraction)));
    }

    std::string read(const std::string& file) const
    {
        std::ifstream in(file, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    void write_bytes(const std::string& file, const std::string& bytes) const
    {
        std::ofstream(file, std::ios::binary) << bytes;
    }
};

// ffprobe's count of the video frames in a file (decoding them: works for every container).
inline long ffprobe_frame_count(const std::string& clip)
{
    std::string out = command_output("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
                                     "stream=nb_read_frames -of csv=p=0 '" + clip + "'");
    return out.empty() ? -1 : std::stol(out);
}

// The container's own nb_frames (0 when it does not say).
inline long ffprobe_nb_frames(const std::string& clip)
{
    std::string out = command_output("ffprobe -v error -select_streams v:0 -show_entries stream=nb_frames -of csv=p=0 '" +
                                     clip + "'");
    return out.empty() || out == "N/A" ? 0 : std::stol(out);
}

// Every frame's timing, in order (blocking); throws on a stall.
struct DecodedRun {
    std::vector<double> times;
    std::vector<int> plays;
    double last_end = 0;
    // Strictly increasing: a timestamp never repeats or goes back.
    bool increasing() const
    {
        for (size_t i = 1; i < times.size(); ++i)
            if (!(times[i] > times[i - 1]))
                return false;
        return true;
    }
};

inline DecodedRun decode_all(VideoDecoder& decoder)
{
    DecodedRun run;
    while (auto frame = decoder.wait_frame(std::chrono::seconds(10))) {
        run.times.push_back(frame->time);
        run.plays.push_back(frame->play);
        run.last_end = frame->end();
    }
    if (!decoder.finished())
        throw std::runtime_error("decoding stalled in " + decoder.path());
    return run;
}

// The frame as the player shows it: uploaded through VideoTexture, drawn 1:1 by the software
// renderer into an ARGB surface, read back. By default through YUV textures, as on a GPU
// renderer (SDL's software renderer converts them the same way); Conversion::Cpu is the
// software renderer's own path (swscale to RGB).
inline SurfacePtr draw_frame(const AVFrame& frame, std::string* upload_path = nullptr,
                             Conversion conversion = Conversion::Renderer)
{
    SurfacePtr target = make_argb_surface(frame.width, frame.height);
    RendererPtr renderer(SDL_CreateSoftwareRenderer(target.get()));
    if (!renderer)
        throw std::runtime_error(sdl_error("software renderer"));
    VideoTexture texture(renderer.get(), conversion);
    Status uploaded = texture.upload(frame);
    if (!uploaded)
        throw std::runtime_error(uploaded.error().to_string());
    if (upload_path)
        *upload_path = upload_path_name(texture.plan().path);
    SDL_SetRenderDrawColor(renderer.get(), 0, 0, 0, 255);
    SDL_RenderClear(renderer.get());
    texture.draw(nullptr, SDL_Rect{0, 0, frame.width, frame.height});
    SDL_RenderPresent(renderer.get());
    return target;
}

// Peak signal-to-noise ratio over R, G and B in dB; 100 for identical images.
inline double psnr(SDL_Surface* a, SDL_Surface* b)
{
    if (a->w != b->w || a->h != b->h)
        return 0;
    double sum = 0;
    for (int y = 0; y < a->h; ++y)
        for (int x = 0; x < a->w; ++x) {
            Uint32 p = pixel(a, x, y), q = pixel(b, x, y);
            for (int shift : {0, 8, 16}) {
                double d = static_cast<double>((p >> shift) & 0xFF) - static_cast<double>((q >> shift) & 0xFF);
                sum += d * d;
            }
        }
    double mse = sum / (3.0 * a->w * a->h);
    return mse == 0 ? 100 : 10 * std::log10(255.0 * 255.0 / mse);
}

inline bool same_pixels(SDL_Surface* a, SDL_Surface* b)
{
    if (a->w != b->w || a->h != b->h)
        return false;
    for (int y = 0; y < a->h; ++y)
        for (int x = 0; x < a->w; ++x)
            if ((pixel(a, x, y) & 0xFFFFFF) != (pixel(b, x, y) & 0xFFFFFF))
                return false;
    return true;
}

// Saves actual and expected under the build's test-output/ (for a person, when a test fails).
inline std::string save_pair(SDL_Surface* actual, SDL_Surface* expected, const std::string& name)
{
    std::string base = output_dir() + "/" + name;
    IMG_SavePNG(actual, (base + ".actual.png").c_str());
    IMG_SavePNG(expected, (base + ".expected.png").c_str());
    return base + ".{actual,expected}.png";
}

// Resident set size of this process in KiB.
inline long rss_kib()
{
    long pages = 0, resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

}  // namespace signage::testing
