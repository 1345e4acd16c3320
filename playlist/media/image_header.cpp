#include "playlist/media/image_header.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace signage {

namespace {

// Bounds-checked view of untrusted bytes. Callers test has() first so they can report what is
// missing; a read outside the buffer still returns 0 instead of touching memory it must not.
class Bytes {
public:
    explicit Bytes(std::span<const uint8_t> data) : m_data(data) {}

    size_t size() const { return m_data.size(); }
    bool has(size_t offset, size_t count) const
    {
        return offset <= m_data.size() && count <= m_data.size() - offset;
    }
    uint8_t u8(size_t offset) const { return has(offset, 1) ? m_data[offset] : 0; }
    uint16_t be16(size_t offset) const
    {
        return static_cast<uint16_t>(u8(offset) << 8 | u8(offset + 1));
    }
    uint16_t le16(size_t offset) const
    {
        return static_cast<uint16_t>(u8(offset + 1) << 8 | u8(offset));
    }
    uint32_t be32(size_t offset) const { return uint32_t{be16(offset)} << 16 | be16(offset + 2); }
    uint32_t le32(size_t offset) const { return uint32_t{le16(offset + 2)} << 16 | le16(offset); }
    uint32_t le24(size_t offset) const { return uint32_t{u8(offset + 2)} << 16 | le16(offset); }
    uint16_t u16(size_t offset, bool little_endian) const
    {
        return little_endian ? le16(offset) : be16(offset);
    }
    uint32_t u32(size_t offset, bool little_endian) const
    {
        return little_endian ? le32(offset) : be32(offset);
    }
    bool matches(size_t offset, std::string_view text) const
    {
        if (!has(offset, text.size()))
            return false;
        return std::memcmp(m_data.data() + offset, text.data(), text.size()) == 0;
    }
    // The part of [offset, offset + count) that lies inside the buffer.
    std::span<const uint8_t> slice(size_t offset, size_t count) const
    {
        if (offset >= m_data.size())
            return {};
        return m_data.subspan(offset, std::min(count, m_data.size() - offset));
    }

private:
    std::span<const uint8_t> m_data;
};

Error fail(std::string message)
{
    return Error{"", 0, std::move(message)};
}

// Four-character codes come from the file, so show anything unprintable as '?'.
std::string fourcc(const Bytes& b, size_t offset)
{
    std::string out;
    for (size_t i = 0; i < 4; ++i) {
        uint8_t c = b.u8(offset + i);
        out += (c >= 0x20 && c < 0x7F) ? static_cast<char>(c) : '?';
    }
    return out;
}

Result<ImageHeader> sized(ImageFormat format, uint32_t width, uint32_t height, int orientation = 1)
{
    std::string name = image_format_name(format);
    if (width == 0)
        return fail(name + ": zero width");
    if (height == 0)
        return fail(name + ": zero height");
    ImageHeader header;
    header.format = format;
    header.width = width;
    header.height = height;
    header.orientation = orientation;
    return header;
}

// EXIF orientation from a TIFF structure ("II*\0" or "MM\0*", then IFD0). EXIF damage never fails
// the probe: the picture still decodes, it is just shown as stored (orientation 1).
int exif_orientation(std::span<const uint8_t> tiff_bytes)
{
    Bytes tiff(tiff_bytes);
    bool little_endian;
    if (tiff.matches(0, std::string_view("II\x2A\0", 4)))
        little_endian = true;
    else if (tiff.matches(0, std::string_view("MM\0\x2A", 4)))
        little_endian = false;
    else
        return 1;
    if (!tiff.has(4, 4))
        return 1;
    size_t ifd = tiff.u32(4, little_endian);
    if (!tiff.has(ifd, 2))
        return 1;
    constexpr uint16_t kOrientationTag = 0x0112;
    constexpr uint16_t kShortType = 3;
    uint16_t entries = tiff.u16(ifd, little_endian);
    for (size_t i = 0; i < entries; ++i) {
        size_t entry = ifd + 2 + 12 * i;
        if (!tiff.has(entry, 12))
            break;
        if (tiff.u16(entry, little_endian) != kOrientationTag)
            continue;
        if (tiff.u16(entry + 2, little_endian) != kShortType || tiff.u32(entry + 4, little_endian) != 1)
            return 1;
        uint16_t value = tiff.u16(entry + 8, little_endian);  // a lone SHORT sits left-aligned
        return (value >= 1 && value <= 8) ? value : 1;
    }
    return 1;
}

Result<ImageHeader> probe_png(const Bytes& b)
{
    // Signature (8), IHDR length (4) and type (4), width (4), height (4).
    if (!b.has(0, 24))
        return fail("truncated PNG header");
    if (!b.matches(12, "IHDR"))
        return fail("PNG: first chunk is '" + fourcc(b, 12) + "', expected IHDR");
    if (b.be32(8) != 13)
        return fail("PNG: IHDR length is " + std::to_string(b.be32(8)) + ", expected 13");
    uint32_t width = b.be32(16);
    uint32_t height = b.be32(20);
    constexpr uint32_t kPngMax = 0x7FFFFFFF;  // PNG spec: dimensions fit in 31 bits
    if (width > kPngMax || height > kPngMax)
        return fail("PNG: dimension above 2^31-1 in IHDR");
    return sized(ImageFormat::Png, width, height);
}

bool is_jpeg_frame_marker(uint8_t marker)
{
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

Result<ImageHeader> probe_jpeg(const Bytes& b)
{
    const std::string no_frame =
        "JPEG: no frame header in the first " + std::to_string(b.size()) + " bytes";
    int orientation = 1;
    bool seen_exif = false;
    size_t pos = 2;  // after SOI
    // Each pass consumes at least the marker byte, so the loop ends within b.size() passes.
    while (true) {
        // Like libjpeg, tolerate stray bytes before a marker, then skip any 0xFF fill bytes.
        while (pos < b.size() && b.u8(pos) != 0xFF)
            ++pos;
        while (pos < b.size() && b.u8(pos) == 0xFF)
            ++pos;
        if (pos >= b.size())
            return fail(no_frame);
        uint8_t marker = b.u8(pos++);
        if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            continue;  // stuffed zero, TEM, RSTn: no length field
        if (marker == 0xD8)
            return fail("JPEG: second start-of-image marker before frame header");
        if (marker == 0xD9)
            return fail("JPEG: end of image before frame header");
        if (marker == 0xDA)
            return fail("JPEG: scan data before frame header");
        if (!b.has(pos, 2))
            return fail(no_frame);
        size_t length = b.be16(pos);  // counts itself, not the marker
        if (length < 2)
            return fail("JPEG: segment length " + std::to_string(length) + " at offset " +
                        std::to_string(pos) + " is below 2");
        if (is_jpeg_frame_marker(marker)) {
            // Length (2), precision (1), height (2), width (2), component count (1).
            if (length < 8)
                return fail("JPEG: frame header too short");
            if (!b.has(pos, 8))
                return fail("truncated JPEG frame header");
            return sized(ImageFormat::Jpeg, b.be16(pos + 5), b.be16(pos + 3), orientation);
        }
        if (marker == 0xE1 && !seen_exif && length >= 8 && b.has(pos, length) &&
            b.matches(pos + 2, std::string_view("Exif\0\0", 6))) {
            seen_exif = true;
            orientation = exif_orientation(b.slice(pos + 8, length - 8));
        }
        pos += length;
    }
}

Result<ImageHeader> probe_webp(const Bytes& b)
{
    // "RIFF", size, "WEBP", then the first chunk's type and size.
    if (!b.has(0, 20))
        return fail("truncated WebP header");
    const size_t chunk = 12;
    const size_t data = chunk + 8;
    if (b.matches(chunk, "VP8 ")) {
        // Frame tag (3), start code 9D 01 2A, 14-bit width and height each with a 2-bit scale.
        if (!b.has(data, 10))
            return fail("truncated WebP VP8 header");
        if (b.u8(data) & 0x01)
            return fail("WebP: VP8 frame is not a key frame");
        if (b.u8(data + 3) != 0x9D || b.u8(data + 4) != 0x01 || b.u8(data + 5) != 0x2A)
            return fail("WebP: bad VP8 start code");
        return sized(ImageFormat::WebP, b.le16(data + 6) & 0x3FFFu, b.le16(data + 8) & 0x3FFFu);
    }
    if (b.matches(chunk, "VP8L")) {
        // Signature 0x2F, then 14 bits width-1, 14 bits height-1, alpha bit, 3-bit version.
        if (!b.has(data, 5))
            return fail("truncated WebP VP8L header");
        if (b.u8(data) != 0x2F)
            return fail("WebP: bad VP8L signature");
        uint32_t bits = b.le32(data + 1);
        if (bits >> 29 != 0)
            return fail("WebP: unsupported VP8L version " + std::to_string(bits >> 29));
        return sized(ImageFormat::WebP, (bits & 0x3FFFu) + 1, ((bits >> 14) & 0x3FFFu) + 1);
    }
    if (b.matches(chunk, "VP8X")) {
        // Flags (1), reserved (3), canvas width-1 (24 bits), canvas height-1 (24 bits).
        if (!b.has(data, 10))
            return fail("truncated WebP VP8X header");
        int orientation = 1;
        constexpr uint8_t kExifFlag = 0x08;
        if (b.u8(data) & kExifFlag) {
            // Walk the chunks after VP8X for EXIF. Sizes are padded to even; each step advances
            // at least 8 bytes, so the walk ends at the buffer's end.
            uint64_t pos = uint64_t{data} + b.le32(chunk + 4) + (b.le32(chunk + 4) & 1u);
            while (pos <= b.size() && b.has(static_cast<size_t>(pos), 8)) {
                size_t at = static_cast<size_t>(pos);
                uint32_t size = b.le32(at + 4);
                if (b.matches(at, "EXIF")) {
                    std::span<const uint8_t> exif = b.slice(at + 8, size);
                    // Some writers keep the JPEG APP1 prefix; the container does not need it.
                    if (Bytes(exif).matches(0, std::string_view("Exif\0\0", 6)))
                        exif = exif.subspan(6);
                    orientation = exif_orientation(exif);
                    break;
                }
                pos += uint64_t{8} + size + (size & 1u);
            }
        }
        return sized(ImageFormat::WebP, b.le24(data + 4) + 1, b.le24(data + 7) + 1, orientation);
    }
    return fail("WebP: unknown first chunk '" + fourcc(b, chunk) + "'");
}

Result<ImageHeader> probe_bmp(const Bytes& b)
{
    // File header (14), then the DIB header, whose size tells its kind.
    if (!b.has(0, 18))
        return fail("truncated BMP header");
    uint32_t dib_size = b.le32(14);
    if (dib_size == 12) {  // BITMAPCOREHEADER: unsigned 16-bit width and height
        if (!b.has(14, 12))
            return fail("truncated BMP header");
        return sized(ImageFormat::Bmp, b.le16(18), b.le16(20));
    }
    // BITMAPINFOHEADER (40) and its extensions (52, 56, 108, 124), OS/2 2.x (16..64): signed
    // 32-bit width and height; a negative height means rows are stored top-down.
    if (dib_size < 16 || dib_size > 124)
        return fail("BMP: unsupported header size " + std::to_string(dib_size));
    if (!b.has(14, 16))
        return fail("truncated BMP header");
    auto width = static_cast<int32_t>(b.le32(18));
    auto height = static_cast<int32_t>(b.le32(22));
    if (width < 0)
        return fail("BMP: negative width");
    // Through int64 so that abs(INT32_MIN) is defined; it fits in uint32_t.
    auto abs_height = static_cast<uint32_t>(height < 0 ? -int64_t{height} : int64_t{height});
    return sized(ImageFormat::Bmp, static_cast<uint32_t>(width), abs_height);
}

Result<ImageHeader> probe_gif(const Bytes& b)
{
    // Signature (6), logical screen width and height (2 each), flags, background, aspect.
    if (!b.has(0, 13))
        return fail("truncated GIF header");
    uint32_t width = b.le16(6);
    uint32_t height = b.le16(8);

    // Decoders allocate the first frame at its own size, which may exceed the logical screen, so
    // find that frame's descriptor. Each step consumes at least one byte.
    size_t pos = 13;
    uint8_t flags = b.u8(10);
    if (flags & 0x80)
        pos += size_t{3} << ((flags & 0x07) + 1);  // global colour table
    while (pos < b.size()) {
        uint8_t introducer = b.u8(pos);
        if (introducer == 0x2C) {  // image descriptor: left, top, width, height
            if (b.has(pos, 9)) {
                width = std::max(width, uint32_t{b.le16(pos + 1)} + b.le16(pos + 5));
                height = std::max(height, uint32_t{b.le16(pos + 3)} + b.le16(pos + 7));
            }
            break;
        }
        if (introducer != 0x21)  // trailer or damage: no frame to look at
            break;
        pos += 2;  // introducer and label, then data sub-blocks up to a zero length
        while (pos < b.size()) {
            uint8_t length = b.u8(pos++);
            if (length == 0)
                break;
            pos += length;
        }
    }
    return sized(ImageFormat::Gif, width, height);
}

struct Signature {
    ImageFormat format;
    std::string_view magic;  // '?' matches any byte
};

constexpr std::array kSignatures{
    Signature{ImageFormat::Png, std::string_view("\x89PNG\r\n\x1A\n", 8)},
    Signature{ImageFormat::Jpeg, std::string_view("\xFF\xD8\xFF", 3)},
    Signature{ImageFormat::WebP, std::string_view("RIFF????WEBP", 12)},
    Signature{ImageFormat::Bmp, std::string_view("BM", 2)},
    Signature{ImageFormat::Gif, std::string_view("GIF87a", 6)},
    Signature{ImageFormat::Gif, std::string_view("GIF89a", 6)},
};

// How much of the signature the bytes match: all of it, a prefix cut short by the buffer's
// end (a truncated file of that format), or not at all.
enum class Match { Full, Truncated, None };

Match match_signature(const Bytes& b, std::string_view magic)
{
    for (size_t i = 0; i < magic.size(); ++i) {
        if (i >= b.size())
            return Match::Truncated;
        if (magic[i] != '?' && b.u8(i) != static_cast<uint8_t>(magic[i]))
            return Match::None;
    }
    return Match::Full;
}

}  // namespace

const char* image_format_name(ImageFormat format)
{
    switch (format) {
    case ImageFormat::Png:
        return "PNG";
    case ImageFormat::Jpeg:
        return "JPEG";
    case ImageFormat::WebP:
        return "WebP";
    case ImageFormat::Bmp:
        return "BMP";
    case ImageFormat::Gif:
        return "GIF";
    case ImageFormat::Unknown:
        break;
    }
    return "unknown";
}

Result<ImageHeader> probe_image_header(std::span<const uint8_t> bytes)
{
    Bytes b(bytes);
    if (b.size() == 0)
        return fail("not an image: empty file");
    for (const Signature& signature : kSignatures) {
        Match match = match_signature(b, signature.magic);
        if (match == Match::None)
            continue;
        if (match == Match::Truncated)
            return fail(std::string("truncated ") + image_format_name(signature.format) + " header");
        switch (signature.format) {
        case ImageFormat::Png:
            return probe_png(b);
        case ImageFormat::Jpeg:
            return probe_jpeg(b);
        case ImageFormat::WebP:
            return probe_webp(b);
        case ImageFormat::Bmp:
            return probe_bmp(b);
        case ImageFormat::Gif:
            return probe_gif(b);
        case ImageFormat::Unknown:
            break;
        }
    }
    return fail("not an image: unknown signature");
}

Result<ImageHeader> probe_image_file(const std::string& path, size_t max_bytes)
{
    struct FileCloser {
        void operator()(std::FILE* file) const { std::fclose(file); }
    };
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file) {
        int error = errno;
        return Error{path, 0, std::string("cannot open: ") + std::strerror(error)};
    }

    // Grow the buffer as data arrives, so a small file does not cost a max_bytes allocation.
    std::vector<uint8_t> bytes;
    constexpr size_t kChunk = 64 * 1024;
    while (bytes.size() < max_bytes) {
        size_t offset = bytes.size();
        size_t want = std::min(kChunk, max_bytes - offset);
        bytes.resize(offset + want);
        size_t got = std::fread(bytes.data() + offset, 1, want, file.get());
        bytes.resize(offset + got);
        if (got < want) {
            if (std::ferror(file.get())) {
                int error = errno;
                return Error{path, 0, std::string("read failed: ") + std::strerror(error)};
            }
            break;  // end of file
        }
    }

    Result<ImageHeader> header = probe_image_header(bytes);
    if (!header.ok()) {
        Error error = header.error();
        error.file = path;
        return error;
    }
    return header;
}

}  // namespace signage
