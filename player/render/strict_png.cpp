// A PNG is a run of chunks ending with IEND. SDL_image decodes the rows (libpng checks their
// data and CRCs) but stops before the end, so a file cut after its last row would pass; walking
// the chunk headers to IEND costs a few reads.
#include "player/render/strict_image.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sys/stat.h>

namespace signage {

namespace {

struct FileCloser {
    void operator()(FILE* file) const { std::fclose(file); }
};

uint32_t big_endian(const unsigned char* p)
{
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

Status check_png_strictly(const std::string& path)
{
    const std::string refused = "PNG refused, partially decodable is not playable: ";
    std::unique_ptr<FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    struct stat info {};
    if (!file || ::fstat(fileno(file.get()), &info) != 0)
        return Error{path, 0, "cannot open"};
    const uint64_t size = static_cast<uint64_t>(info.st_size);
    static constexpr std::array<unsigned char, 8> kSignature{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    std::array<unsigned char, 8> bytes{};
    if (std::fread(bytes.data(), 1, 8, file.get()) != 8 || bytes != kSignature)
        return Error{path, 0, refused + "no PNG signature"};
    uint64_t at = 8;
    for (;;) {
        if (at + 8 > size)
            return Error{path, 0, refused + "the file ends before its IEND chunk (cut short at byte " +
                                      std::to_string(size) + ")"};
        if (std::fseek(file.get(), static_cast<long>(at), SEEK_SET) != 0 || std::fread(bytes.data(), 1, 8, file.get()) != 8)
            return Error{path, 0, refused + "cannot read the chunk at byte " + std::to_string(at)};
        const uint32_t length = big_endian(bytes.data());
        char type[5] = {};
        std::memcpy(type, bytes.data() + 4, 4);
        if (length > 0x7FFFFFFFu)
            return Error{path, 0, refused + "chunk '" + type + "' at byte " + std::to_string(at) + " has an impossible length"};
        const uint64_t end = at + 12 + length;  // length, type, data, CRC
        if (end > size)
            return Error{path, 0, refused + "the file ends inside its '" + type + "' chunk (cut short at byte " +
                                      std::to_string(size) + " of " + std::to_string(end) + ")"};
        if (std::strcmp(type, "IEND") == 0)
            return {};
        at = end;
    }
}

}  // namespace signage
