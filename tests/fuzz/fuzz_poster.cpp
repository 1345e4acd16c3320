// Feeds arbitrary bytes to load_poster as an image file on the share — the header probe, the
// limits, the strict checks (libjpeg, giflib, the PNG chunk walk), SDL_image's decode and the
// EXIF rotation — through a memfd, so it opens them as a file. The limits are small, so a
// decompression bomb must be refused from its header, cheaply. Besides crashes, sanitizer
// reports and hangs: an accepted poster is an ARGB surface within the pixel limit; a refusal
// names the file and says why.
#include "player/render/poster_loader.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace signage;
    static const int fd = ::memfd_create("fuzz-poster", 0);
    if (fd < 0 || ::ftruncate(fd, 0) != 0 ||
        (size > 0 && ::pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)))
        __builtin_trap();  // the harness itself failed
    const std::string path = "/proc/self/fd/" + std::to_string(fd);

    const ImageLimits limits{4, 8ull << 20};  // 4 megapixels, 8 MiB
    auto poster = load_poster(path, limits);
    if (!poster) {
        if (poster.error().file != path || poster.error().message.empty())
            __builtin_trap();
        return 0;
    }
    const SDL_Surface* surface = poster->get();
    if (!surface || !surface->format || surface->format->format != SDL_PIXELFORMAT_ARGB8888 ||
        surface->w <= 0 || surface->h <= 0 ||
        static_cast<double>(surface->w) * surface->h > limits.max_megapixels * 1e6)
        __builtin_trap();
    return 0;
}
