#include "tests/render/scene_fixture.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

using namespace signage;
using namespace signage::testing;

namespace {

// An EXIF APP1 segment holding only IFD0 with Orientation (tag 0x0112) = `orientation`.
std::string exif_segment(int orientation)
{
    std::string tiff("II*\0\x08\0\0\0", 8);               // little-endian TIFF, IFD0 at offset 8
    tiff += std::string("\x01\0", 2);                       // one entry
    tiff += std::string("\x12\x01\x03\0\x01\0\0\0", 8);     // tag 0x0112, SHORT, count 1
    tiff += static_cast<char>(orientation);
    tiff += std::string("\0\0\0", 3);                       // value, padded to 4 bytes
    tiff += std::string("\0\0\0\0", 4);                     // no next IFD
    std::string payload = std::string("Exif\0\0", 6) + tiff;
    size_t length = payload.size() + 2;
    return std::string("\xFF\xE1", 2) + static_cast<char>(length >> 8) + static_cast<char>(length & 0xFF) + payload;
}

}  // namespace

TEST_CASE("a phone photo's EXIF orientation is honoured", "[render][exif]")
{
    SceneFixture scene;
    // Stored as a phone writes it: 100 wide, 200 tall, sideways. Orientation 6 means "rotate
    // 90 degrees clockwise to display", so the stored left band (red) becomes the top band.
    SurfacePtr stored(SDL_CreateRGBSurfaceWithFormat(0, 100, 200, 32, SDL_PIXELFORMAT_ARGB8888));
    SDL_FillRect(stored.get(), nullptr, 0xFF0000FF);
    SDL_Rect band{0, 0, 30, 200};
    SDL_FillRect(stored.get(), &band, 0xFFFF0000);
    std::string plain = scene.path("plain.jpg");
    REQUIRE(IMG_SaveJPG(stored.get(), plain.c_str(), 95) == 0);
    std::ifstream in(plain, std::ios::binary);
    std::string jpeg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(jpeg.substr(0, 2) == "\xFF\xD8");
    // SOI, then our EXIF segment, then the rest of the file.
    scene.write("phone.jpg", jpeg.substr(0, 2) + exif_segment(6) + jpeg.substr(2));

    scene.load("[display]\nbackground = #000000\n[content]\nplaylist = playlist.ini\n",
               "[p]\ntype = image\nfile = phone.jpg\nfit = contain\n");
    // Displayed 200x100, so on a 400x200 screen it fills it exactly.
    SurfacePtr image = scene.frame(1.0, 400, 200);
    Uint32 top = pixel(image.get(), 200, 10);
    Uint32 bottom = pixel(image.get(), 200, 190);
    CHECK(red(top) > 200);
    CHECK(blue(top) < 60);
    CHECK(blue(bottom) > 200);
    CHECK(red(bottom) < 60);
    // No letterbox bars: the displayed shape is landscape, as intended.
    CHECK(ink_box(image.get(), 0xFF000000) == Rect{0, 0, 400, 200});
}
