#include "playlist/media/image_header.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

using namespace signage;
using namespace std::string_view_literals;
using ByteVec = std::vector<uint8_t>;

namespace {

void put(ByteVec& out, std::string_view text)
{
    out.insert(out.end(), text.begin(), text.end());
}
void put_u8(ByteVec& out, unsigned value)
{
    out.push_back(static_cast<uint8_t>(value));
}
void put_be16(ByteVec& out, unsigned value)
{
    put_u8(out, value >> 8);
    put_u8(out, value);
}
void put_le16(ByteVec& out, unsigned value)
{
    put_u8(out, value);
    put_u8(out, value >> 8);
}
void put_be32(ByteVec& out, uint32_t value)
{
    put_be16(out, value >> 16);
    put_be16(out, value & 0xFFFF);
}
void put_le32(ByteVec& out, uint32_t value)
{
    put_le16(out, value & 0xFFFF);
    put_le16(out, value >> 16);
}
void put_le24(ByteVec& out, uint32_t value)
{
    put_le16(out, value & 0xFFFF);
    put_u8(out, value >> 16);
}

ByteVec png(uint32_t width, uint32_t height)
{
    ByteVec out;
    put(out, std::string_view("\x89PNG\r\n\x1A\n", 8));
    put_be32(out, 13);
    put(out, "IHDR");
    put_be32(out, width);
    put_be32(out, height);
    put(out, std::string_view("\x08\x02\x00\x00\x00", 5));  // 8-bit RGB
    put_be32(out, 0);                                        // CRC, not checked by the probe
    return out;
}

// TIFF structure with IFD0 = { Make "abc", Orientation }, as found after "Exif\0\0".
ByteVec tiff_with_orientation(bool little_endian, unsigned orientation, unsigned type = 3)
{
    ByteVec out;
    auto u16 = [&](unsigned v) { little_endian ? put_le16(out, v) : put_be16(out, v); };
    auto u32 = [&](uint32_t v) { little_endian ? put_le32(out, v) : put_be32(out, v); };
    put(out, little_endian ? "II" : "MM");
    u16(0x2A);
    u32(8);  // IFD0 right after the header
    u16(2);  // entries
    u16(0x010F);
    u16(2);
    u32(4);
    put(out, std::string_view("abc\0", 4));
    u16(0x0112);
    u16(type);
    u32(1);
    u16(orientation);  // a lone SHORT is left-aligned in the 4-byte value field
    u16(0);
    u32(0);  // no next IFD
    return out;
}

ByteVec jpeg_app1_exif(const ByteVec& tiff)
{
    ByteVec out;
    put_be16(out, 0xFFE1);
    put_be16(out, static_cast<unsigned>(2 + 6 + tiff.size()));
    put(out, std::string_view("Exif\0\0", 6));
    out.insert(out.end(), tiff.begin(), tiff.end());
    return out;
}

// SOI, JFIF APP0, the given extra segments, SOF0, SOS, one byte of scan data, EOI.
ByteVec jpeg(unsigned width, unsigned height, const ByteVec& extra = {}, unsigned sof = 0xC0)
{
    ByteVec out;
    put_be16(out, 0xFFD8);
    put_be16(out, 0xFFE0);
    put_be16(out, 16);
    put(out, std::string_view("JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00", 14));
    out.insert(out.end(), extra.begin(), extra.end());
    put_u8(out, 0xFF);
    put_u8(out, sof);
    put_be16(out, 17);
    put_u8(out, 8);
    put_be16(out, height);
    put_be16(out, width);
    put(out, std::string_view("\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10));
    put_be16(out, 0xFFDA);
    put_be16(out, 12);
    put(out, std::string_view("\x03\x01\x00\x02\x11\x03\x11\x00\x3F\x00", 10));
    put_u8(out, 0x00);
    put_be16(out, 0xFFD9);
    return out;
}

ByteVec riff_webp(const ByteVec& chunks)
{
    ByteVec out;
    put(out, "RIFF");
    put_le32(out, static_cast<uint32_t>(4 + chunks.size()));
    put(out, "WEBP");
    out.insert(out.end(), chunks.begin(), chunks.end());
    return out;
}

ByteVec vp8_chunk(unsigned width, unsigned height)
{
    ByteVec out;
    put(out, "VP8 ");
    put_le32(out, 10);
    put(out, std::string_view("\x10\x02\x00\x9D\x01\x2A", 6));  // key frame tag, start code
    put_le16(out, width);
    put_le16(out, height);
    return out;
}

ByteVec vp8l_chunk(uint32_t width, uint32_t height)
{
    ByteVec out;
    put(out, "VP8L");
    put_le32(out, 5);  // odd: the chunk is followed by a pad byte
    put_u8(out, 0x2F);
    put_le32(out, (width - 1) | (height - 1) << 14 | 1u << 28);  // alpha hint, version 0
    put_u8(out, 0);
    return out;
}

ByteVec webp_vp8x(uint32_t width, uint32_t height, const ByteVec* exif)
{
    ByteVec chunks;
    put(chunks, "VP8X");
    put_le32(chunks, 10);
    put_u8(chunks, exif ? 0x08 : 0x00);
    put_le24(chunks, 0);
    put_le24(chunks, width - 1);
    put_le24(chunks, height - 1);
    ByteVec image = vp8l_chunk(width, height);
    chunks.insert(chunks.end(), image.begin(), image.end());
    if (exif) {
        put(chunks, "EXIF");
        put_le32(chunks, static_cast<uint32_t>(exif->size()));
        chunks.insert(chunks.end(), exif->begin(), exif->end());
        if (exif->size() % 2)
            put_u8(chunks, 0);
    }
    return riff_webp(chunks);
}

ByteVec bmp_info(int32_t width, int32_t height)
{
    ByteVec out;
    put(out, "BM");
    put_le32(out, 54);
    put_le32(out, 0);
    put_le32(out, 54);
    put_le32(out, 40);
    put_le32(out, static_cast<uint32_t>(width));
    put_le32(out, static_cast<uint32_t>(height));
    put_le16(out, 1);
    put_le16(out, 24);
    for (int i = 0; i < 6; ++i)
        put_le32(out, 0);
    return out;
}

ByteVec bmp_core(unsigned width, unsigned height)
{
    ByteVec out;
    put(out, "BM");
    put_le32(out, 26);
    put_le32(out, 0);
    put_le32(out, 26);
    put_le32(out, 12);
    put_le16(out, width);
    put_le16(out, height);
    put_le16(out, 1);
    put_le16(out, 24);
    return out;
}

// GIF89a with a 2-entry global colour table, a graphic control extension and one frame.
ByteVec gif(unsigned width, unsigned height, unsigned frame_left = 0, unsigned frame_top = 0,
            unsigned frame_width = 1, unsigned frame_height = 1)
{
    ByteVec out;
    put(out, "GIF89a");
    put_le16(out, width);
    put_le16(out, height);
    put(out, std::string_view("\x80\x00\x00", 3));
    put(out, std::string_view("\x00\x00\x00\xFF\xFF\xFF", 6));
    put(out, std::string_view("\x21\xF9\x04\x00\x00\x00\x00\x00", 8));
    put_u8(out, 0x2C);
    put_le16(out, frame_left);
    put_le16(out, frame_top);
    put_le16(out, frame_width);
    put_le16(out, frame_height);
    put_u8(out, 0);
    put(out, std::string_view("\x02\x02\x44\x01\x00\x3B", 6));
    return out;
}

ImageHeader probe_ok(const ByteVec& bytes)
{
    Result<ImageHeader> result = probe_image_header(bytes);
    INFO((result.ok() ? std::string("ok") : result.error().to_string()));
    REQUIRE(result.ok());
    return *result;
}

std::string probe_error(const ByteVec& bytes)
{
    Result<ImageHeader> result = probe_image_header(bytes);
    REQUIRE_FALSE(result.ok());
    return result.error().message;
}

ByteVec from_string(std::string_view text)
{
    return ByteVec(text.begin(), text.end());
}

}  // namespace

TEST_CASE("image header: format names", "[image_header]")
{
    CHECK(std::string(image_format_name(ImageFormat::Png)) == "PNG");
    CHECK(std::string(image_format_name(ImageFormat::Jpeg)) == "JPEG");
    CHECK(std::string(image_format_name(ImageFormat::WebP)) == "WebP");
    CHECK(std::string(image_format_name(ImageFormat::Bmp)) == "BMP");
    CHECK(std::string(image_format_name(ImageFormat::Gif)) == "GIF");
    CHECK(std::string(image_format_name(ImageFormat::Unknown)) == "unknown");
}

TEST_CASE("image header: orientation 5..8 swaps the displayed axes", "[image_header]")
{
    ImageHeader header;
    header.width = 400;
    header.height = 300;
    for (int orientation = 1; orientation <= 8; ++orientation) {
        header.orientation = orientation;
        bool swapped = orientation >= 5;
        CHECK(header.swaps_axes() == swapped);
        CHECK(header.display_width() == (swapped ? 300u : 400u));
        CHECK(header.display_height() == (swapped ? 400u : 300u));
    }
}

TEST_CASE("image header: PNG", "[image_header]")
{
    ImageHeader header = probe_ok(png(640, 480));
    CHECK(header.format == ImageFormat::Png);
    CHECK(header.width == 640);
    CHECK(header.height == 480);
    CHECK(header.orientation == 1);

    SECTION("a decompression bomb reports its full size from a few bytes")
    {
        ImageHeader bomb = probe_ok(png(20000, 20000));
        CHECK(bomb.width == 20000);
        CHECK(bomb.height == 20000);
    }
    SECTION("errors")
    {
        ByteVec bytes = png(640, 480);
        CHECK(probe_error(ByteVec(bytes.begin(), bytes.begin() + 20)) == "truncated PNG header");
        CHECK(probe_error(ByteVec(bytes.begin(), bytes.begin() + 5)) == "truncated PNG header");
        CHECK(probe_error(png(0, 480)) == "PNG: zero width");
        CHECK(probe_error(png(640, 0)) == "PNG: zero height");
        CHECK(probe_error(png(0x80000000u, 1)) == "PNG: dimension above 2^31-1 in IHDR");
        bytes[12] = 'C';  // e.g. Apple's CgBI chunk first
        CHECK(probe_error(bytes) == "PNG: first chunk is 'CHDR', expected IHDR");
        bytes = png(640, 480);
        bytes[11] = 14;
        CHECK(probe_error(bytes) == "PNG: IHDR length is 14, expected 13");
    }
}

TEST_CASE("image header: JPEG", "[image_header]")
{
    ImageHeader header = probe_ok(jpeg(1920, 1080));
    CHECK(header.format == ImageFormat::Jpeg);
    CHECK(header.width == 1920);
    CHECK(header.height == 1080);
    CHECK(header.orientation == 1);

    SECTION("every SOFn marker gives the size; DHT, JPG and DAC do not")
    {
        for (unsigned marker : {0xC0u, 0xC1u, 0xC2u, 0xC3u, 0xC5u, 0xC6u, 0xC7u, 0xC9u, 0xCAu,
                                0xCBu, 0xCDu, 0xCEu, 0xCFu}) {
            INFO("marker " << marker);
            CHECK(probe_ok(jpeg(33, 44, {}, marker)).width == 33);
        }
        for (unsigned marker : {0xC4u, 0xC8u, 0xCCu}) {
            INFO("marker " << marker);
            CHECK(probe_error(jpeg(33, 44, {}, marker)) == "JPEG: scan data before frame header");
        }
    }
    SECTION("fill bytes, standalone markers and stray bytes before the frame header")
    {
        ByteVec extra{0xFF, 0xFF, 0xFF, 0x01, 0xFF, 0xD3, 0x12, 0x34, 0xFF, 0x00, 0xFF, 0xFE, 0x00, 0x04, 'h', 'i'};
        ImageHeader tolerant = probe_ok(jpeg(35, 12, extra));
        CHECK(tolerant.width == 35);
        CHECK(tolerant.height == 12);
    }
    SECTION("errors")
    {
        CHECK(probe_error(jpeg(0, 10)) == "JPEG: zero width");
        CHECK(probe_error(jpeg(10, 0)) == "JPEG: zero height");
        CHECK(probe_error(from_string("\xFF\xD8"sv)) == "truncated JPEG header");
        CHECK(probe_error(from_string("\xFF\xD8\xFF\xD9"sv)) == "JPEG: end of image before frame header");
        CHECK(probe_error(from_string("\xFF\xD8\xFF\xD8"sv)) ==
              "JPEG: second start-of-image marker before frame header");
        CHECK(probe_error(from_string(std::string_view("\xFF\xD8\xFF\xE0\x00\x01", 6))) ==
              "JPEG: segment length 1 at offset 4 is below 2");
        CHECK(probe_error(from_string(std::string_view("\xFF\xD8\xFF\xC0\x00\x07\x08\x00\x01\x00\x01", 11))) ==
              "JPEG: frame header too short");

        ByteVec full = jpeg(1920, 1080);
        // Cut inside the APP0 segment: the frame header is never reached.
        ByteVec cut(full.begin(), full.begin() + 12);
        CHECK(probe_error(cut) == "JPEG: no frame header in the first 12 bytes");
        // Cut inside the frame header itself (SOF0 starts at offset 20).
        cut.assign(full.begin(), full.begin() + 26);
        CHECK(probe_error(cut) == "truncated JPEG frame header");
    }
}

TEST_CASE("image header: JPEG EXIF orientation", "[image_header]")
{
    for (bool little_endian : {true, false}) {
        INFO((little_endian ? "II" : "MM"));
        ImageHeader rotated = probe_ok(jpeg(4032, 3024, jpeg_app1_exif(tiff_with_orientation(little_endian, 6))));
        CHECK(rotated.orientation == 6);
        CHECK(rotated.width == 4032);
        CHECK(rotated.height == 3024);
        CHECK(rotated.swaps_axes());
        CHECK(rotated.display_width() == 3024);
        CHECK(rotated.display_height() == 4032);

        ImageHeader upside_down = probe_ok(jpeg(40, 30, jpeg_app1_exif(tiff_with_orientation(little_endian, 3))));
        CHECK(upside_down.orientation == 3);
        CHECK(upside_down.display_width() == 40);

        // Out of range values and a wrong type are ignored: the picture is shown as stored.
        CHECK(probe_ok(jpeg(40, 30, jpeg_app1_exif(tiff_with_orientation(little_endian, 9)))).orientation == 1);
        CHECK(probe_ok(jpeg(40, 30, jpeg_app1_exif(tiff_with_orientation(little_endian, 0)))).orientation == 1);
        CHECK(probe_ok(jpeg(40, 30, jpeg_app1_exif(tiff_with_orientation(little_endian, 6, 4)))).orientation == 1);
    }

    SECTION("a damaged EXIF block never fails the probe")
    {
        ByteVec tiff = tiff_with_orientation(true, 6);
        tiff[4] = 0xF0;  // IFD0 offset far past the segment
        CHECK(probe_ok(jpeg(40, 30, jpeg_app1_exif(tiff))).orientation == 1);
        tiff = tiff_with_orientation(true, 6);
        tiff[8] = 0xFF;  // 255 entries claimed, 2 present
        tiff[9] = 0x00;
        CHECK(probe_ok(jpeg(40, 30, jpeg_app1_exif(tiff))).orientation == 6);
        tiff = tiff_with_orientation(true, 6);
        tiff.resize(20);  // Orientation entry cut off
        CHECK(probe_ok(jpeg(40, 30, jpeg_app1_exif(tiff))).orientation == 1);
        ByteVec bad_order = tiff_with_orientation(true, 6);
        bad_order[0] = 'X';
        CHECK(probe_ok(jpeg(40, 30, jpeg_app1_exif(bad_order))).orientation == 1);
    }
    SECTION("an APP1 that is not EXIF (XMP) is skipped")
    {
        ByteVec xmp{0xFF, 0xE1, 0x00, 0x0A, 'h', 't', 't', 'p', ':', '/', '/', 'x'};
        ByteVec segments = xmp;
        ByteVec exif = jpeg_app1_exif(tiff_with_orientation(false, 8));
        segments.insert(segments.end(), exif.begin(), exif.end());
        CHECK(probe_ok(jpeg(40, 30, segments)).orientation == 8);
    }
}

TEST_CASE("image header: WebP", "[image_header]")
{
    SECTION("lossy VP8; the scale bits are not part of the size")
    {
        ImageHeader header = probe_ok(riff_webp(vp8_chunk(0x4000 | 320, 0xC000 | 240)));
        CHECK(header.format == ImageFormat::WebP);
        CHECK(header.width == 320);
        CHECK(header.height == 240);
    }
    SECTION("lossless VP8L")
    {
        ImageHeader header = probe_ok(riff_webp(vp8l_chunk(16384, 3)));
        CHECK(header.width == 16384);
        CHECK(header.height == 3);
    }
    SECTION("extended VP8X, with and without EXIF")
    {
        ImageHeader plain = probe_ok(webp_vp8x(16777216, 7, nullptr));
        CHECK(plain.width == 16777216);
        CHECK(plain.height == 7);
        CHECK(plain.orientation == 1);

        ByteVec exif = tiff_with_orientation(true, 8);
        ImageHeader rotated = probe_ok(webp_vp8x(100, 50, &exif));
        CHECK(rotated.orientation == 8);
        CHECK(rotated.display_width() == 50);

        ByteVec prefixed = from_string(std::string_view("Exif\0\0", 6));
        ByteVec tiff = tiff_with_orientation(false, 5);
        prefixed.insert(prefixed.end(), tiff.begin(), tiff.end());
        CHECK(probe_ok(webp_vp8x(100, 50, &prefixed)).orientation == 5);

        ByteVec unflagged = webp_vp8x(100, 50, &exif);
        unflagged[20] = 0;  // EXIF flag cleared: the chunk is not trusted
        CHECK(probe_ok(unflagged).orientation == 1);
    }
    SECTION("errors")
    {
        CHECK(probe_error(from_string("RIFF"sv)) == "truncated WebP header");
        CHECK(probe_error(from_string("RIFF\x10\0\0\0WEBP"sv)) == "truncated WebP header");
        CHECK(probe_error(from_string(std::string_view("RIFF\x10\0\0\0WAVEfmt ", 16))) ==
              "not an image: unknown signature");
        CHECK(probe_error(riff_webp(from_string(std::string_view("ALPH\0\0\0\0", 8)))) ==
              "WebP: unknown first chunk 'ALPH'");
        ByteVec vp8 = riff_webp(vp8_chunk(320, 240));
        CHECK(probe_error(ByteVec(vp8.begin(), vp8.begin() + 26)) == "truncated WebP VP8 header");
        vp8[20] |= 1;
        CHECK(probe_error(vp8) == "WebP: VP8 frame is not a key frame");
        vp8 = riff_webp(vp8_chunk(320, 240));
        vp8[23] = 0;
        CHECK(probe_error(vp8) == "WebP: bad VP8 start code");
        CHECK(probe_error(riff_webp(vp8_chunk(0, 240))) == "WebP: zero width");
        ByteVec vp8l = riff_webp(vp8l_chunk(10, 10));
        vp8l[20] = 0x2E;
        CHECK(probe_error(vp8l) == "WebP: bad VP8L signature");
        vp8l = riff_webp(vp8l_chunk(10, 10));
        vp8l[24] |= 0x20;
        CHECK(probe_error(vp8l) == "WebP: unsupported VP8L version 1");
    }
}

TEST_CASE("image header: BMP", "[image_header]")
{
    ImageHeader header = probe_ok(bmp_info(800, 600));
    CHECK(header.format == ImageFormat::Bmp);
    CHECK(header.width == 800);
    CHECK(header.height == 600);

    SECTION("negative height means top-down rows")
    {
        CHECK(probe_ok(bmp_info(800, -600)).height == 600);
        CHECK(probe_ok(bmp_info(1, INT32_MIN)).height == 2147483648u);
    }
    SECTION("OS/2 core header")
    {
        ImageHeader core = probe_ok(bmp_core(65535, 2));
        CHECK(core.width == 65535);
        CHECK(core.height == 2);
    }
    SECTION("errors")
    {
        CHECK(probe_error(bmp_info(-800, 600)) == "BMP: negative width");
        CHECK(probe_error(bmp_info(800, 0)) == "BMP: zero height");
        CHECK(probe_error(from_string("BM"sv)) == "truncated BMP header");
        ByteVec info = bmp_info(800, 600);
        CHECK(probe_error(ByteVec(info.begin(), info.begin() + 25)) == "truncated BMP header");
        ByteVec core = bmp_core(10, 10);
        CHECK(probe_error(ByteVec(core.begin(), core.begin() + 21)) == "truncated BMP header");
        info[14] = 200;
        CHECK(probe_error(info) == "BMP: unsupported header size 200");
    }
}

TEST_CASE("image header: GIF", "[image_header]")
{
    ImageHeader header = probe_ok(gif(300, 200));
    CHECK(header.format == ImageFormat::Gif);
    CHECK(header.width == 300);
    CHECK(header.height == 200);

    ByteVec gif87 = gif(3, 4);
    gif87[4] = '7';
    CHECK(probe_ok(gif87).width == 3);

    SECTION("a first frame reaching past the logical screen grows the size")
    {
        ImageHeader grown = probe_ok(gif(10, 10, 5, 0, 20000, 20000));
        CHECK(grown.width == 20005);
        CHECK(grown.height == 20000);
        // Without the frame in the buffer, only the screen is known.
        ByteVec bytes = gif(10, 10, 5, 0, 20000, 20000);
        bytes.resize(30);
        CHECK(probe_ok(bytes).width == 10);
        // A zero screen is legal when a frame gives the size.
        CHECK(probe_ok(gif(0, 0, 0, 0, 7, 9)).height == 9);
    }
    SECTION("errors")
    {
        CHECK(probe_error(from_string("GIF8"sv)) == "truncated GIF header");
        CHECK(probe_error(from_string("GIF89a\x01\x00\x01\x00"sv)) == "truncated GIF header");
        CHECK(probe_error(from_string("GIF90a\x01\x00\x01\x00\x00\x00\x00"sv)) == "not an image: unknown signature");
        ByteVec zero = gif(0, 5, 0, 0, 0, 1);
        CHECK(probe_error(zero) == "GIF: zero width");
    }
}

TEST_CASE("image header: garbage and truncation never crash", "[image_header]")
{
    CHECK(probe_error({}) == "not an image: empty file");
    CHECK(probe_error(from_string("hello, world"sv)) == "not an image: unknown signature");
    CHECK(probe_error(from_string("<svg xmlns="sv)) == "not an image: unknown signature");

    ByteVec exif = tiff_with_orientation(false, 7);
    std::vector<ByteVec> samples{
        png(640, 480),
        jpeg(1920, 1080, jpeg_app1_exif(tiff_with_orientation(true, 6))),
        riff_webp(vp8_chunk(320, 240)),
        riff_webp(vp8l_chunk(10, 10)),
        webp_vp8x(100, 50, &exif),
        bmp_info(800, -600),
        bmp_core(10, 10),
        gif(300, 200),
    };
    for (const ByteVec& sample : samples) {
        ImageHeader full = probe_ok(sample);
        // Every prefix either fails with a message or gives the same size as the whole file.
        for (size_t length = 0; length < sample.size(); ++length) {
            Result<ImageHeader> result = probe_image_header(std::span(sample.data(), length));
            if (result.ok()) {
                CHECK(result->width == full.width);
                CHECK(result->height == full.height);
            } else {
                CHECK_FALSE(result.error().message.empty());
            }
        }
        // Random corruption of the valid header: any outcome is fine as long as it is sane.
        std::mt19937 rng(static_cast<uint32_t>(sample.size()));
        for (int round = 0; round < 500; ++round) {
            ByteVec mutated = sample;
            for (int edit = 0; edit < 3; ++edit)
                mutated[rng() % mutated.size()] = static_cast<uint8_t>(rng());
            Result<ImageHeader> result = probe_image_header(mutated);
            if (result.ok()) {
                CHECK(result->width > 0);
                CHECK(result->height > 0);
                CHECK(result->orientation >= 1);
                CHECK(result->orientation <= 8);
            }
        }
    }
}

namespace {

// A fresh directory under the system temp dir, removed with everything in it.
struct TempDir {
    std::filesystem::path path;
    TempDir()
    {
        std::random_device random;
        path = std::filesystem::temp_directory_path() /
               ("signage-image-header-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
        std::filesystem::create_directories(path);
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

bool have_ffmpeg()
{
    return std::system("command -v ffmpeg >/dev/null 2>&1") == 0;
}

bool ffmpeg_still(const std::filesystem::path& out)
{
    // The colour source works in yuv420p, which rounds odd sizes down to even; rgb24 keeps 123x45.
    std::string command = "ffmpeg -nostdin -loglevel error -y -f lavfi -i color=c=red:s=123x45,format=rgb24 "
                          "-frames:v 1 '" + out.string() + "'";
    return std::system(command.c_str()) == 0;
}

}  // namespace

TEST_CASE("image header: files written by ffmpeg", "[image_header]")
{
    if (!have_ffmpeg()) {
        WARN("ffmpeg not on PATH; skipping the real-file round trip");
        return;
    }
    TempDir dir;
    for (const char* name : {"out.png", "out.jpg", "out.bmp", "out.gif"}) {
        INFO(name);
        std::filesystem::path file = dir.path / name;
        REQUIRE(ffmpeg_still(file));
        Result<ImageHeader> header = probe_image_file(file.string());
        INFO((header.ok() ? std::string("ok") : header.error().to_string()));
        REQUIRE(header.ok());
        CHECK(header->width == 123);
        CHECK(header->height == 45);
        CHECK(header->orientation == 1);
    }
    // WebP needs ffmpeg built with libwebp; not every build has it.
    std::filesystem::path webp = dir.path / "out.webp";
    if (ffmpeg_still(webp)) {
        Result<ImageHeader> header = probe_image_file(webp.string());
        REQUIRE(header.ok());
        CHECK(header->format == ImageFormat::WebP);
        CHECK(header->width == 123);
        CHECK(header->height == 45);
    } else {
        WARN("ffmpeg cannot write WebP here; skipped");
    }

    SECTION("only max_bytes are read")
    {
        std::string path = (dir.path / "out.jpg").string();
        Result<ImageHeader> header = probe_image_file(path, 20);
        REQUIRE_FALSE(header.ok());
        CHECK(header.error().file == path);
        CHECK(header.error().message == "JPEG: no frame header in the first 20 bytes");
    }
}

TEST_CASE("image header: file errors carry the path", "[image_header]")
{
    TempDir dir;
    std::string missing = (dir.path / "missing.png").string();
    Result<ImageHeader> header = probe_image_file(missing);
    REQUIRE_FALSE(header.ok());
    CHECK(header.error().file == missing);
    CHECK(header.error().message.rfind("cannot open: ", 0) == 0);

    Result<ImageHeader> directory = probe_image_file(dir.path.string());
    REQUIRE_FALSE(directory.ok());
    CHECK(directory.error().file == dir.path.string());

    std::string text = (dir.path / "notes.txt").string();
    std::ofstream(text) << "not a picture";
    Result<ImageHeader> not_image = probe_image_file(text);
    REQUIRE_FALSE(not_image.ok());
    CHECK(not_image.error().to_string() == text + ": not an image: unknown signature");

    std::string empty = (dir.path / "empty.png").string();
    std::ofstream(empty).close();
    Result<ImageHeader> nothing = probe_image_file(empty);
    REQUIRE_FALSE(nothing.ok());
    CHECK(nothing.error().message == "not an image: empty file");
}

TEST_CASE("image header: the fuzz seed corpus parses", "[image_header]")
{
    // The seeds are 16x8 pictures; the crafted EXIF ones carry the orientation in their name.
    struct Seed {
        const char* name;
        ImageFormat format;
        int orientation;
    };
    const Seed seeds[] = {
        {"tiny.png", ImageFormat::Png, 1},      {"tiny.jpg", ImageFormat::Jpeg, 1},
        {"exif_ii_6.jpg", ImageFormat::Jpeg, 6}, {"exif_mm_8.jpg", ImageFormat::Jpeg, 8},
        {"lossy.webp", ImageFormat::WebP, 1},   {"lossless.webp", ImageFormat::WebP, 1},
        {"alpha.webp", ImageFormat::WebP, 1},   {"vp8x_exif.webp", ImageFormat::WebP, 6},
        {"tiny.bmp", ImageFormat::Bmp, 1},      {"tiny.gif", ImageFormat::Gif, 1},
    };
    const std::filesystem::path corpus =
        std::filesystem::path(SIGNAGE_SOURCE_DIR) / "tests/fuzz/corpus/fuzz_image_header";
    for (const Seed& seed : seeds) {
        INFO(seed.name);
        Result<ImageHeader> header = probe_image_file((corpus / seed.name).string());
        INFO((header.ok() ? std::string("ok") : header.error().to_string()));
        REQUIRE(header.ok());
        CHECK(header->format == seed.format);
        CHECK(header->width == 16);
        CHECK(header->height == 8);
        CHECK(header->orientation == seed.orientation);
    }
}
