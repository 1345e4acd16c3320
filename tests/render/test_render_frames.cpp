#include "tests/render/scene_fixture.h"

#include <catch2/catch.hpp>

using namespace signage;
using namespace signage::testing;

namespace {

const char* kConfig = "[display]\nbackground = #0B1F3A\nsafe_area = 5\n[content]\nplaylist = playlist.ini\n"
                      "[text]\ncolor = #FFFFFF\n";
constexpr Uint32 kBackground = 0xFF0B1F3A;

}  // namespace

TEST_CASE("a slogan is drawn inside the safe area at the largest size that fits", "[render][golden]")
{
    SceneFixture scene;
    scene.load(kConfig, "[s]\ntype = slogan\ntext = 不轻信 不透露 不转账\nduration = 5\n");
    SurfacePtr image = scene.frame(1.0, 960, 540);
    Rect ink = ink_box(image.get(), kBackground);
    Rect safe = safe_area(960, 540, 5);  // 48,27 864x486
    INFO("ink " << ink.x << "," << ink.y << " " << ink.w << "x" << ink.h);
    CHECK(ink.x >= safe.x);
    CHECK(ink.y >= safe.y);
    CHECK(ink.x + ink.w <= safe.x + safe.w);
    CHECK(ink.y + ink.h <= safe.y + safe.h);
    // One line at the automatic cap (a sixth of the safe height, 81 px) is 11 ems wide: too
    // wide for 864 px, so the layout either shrinks it to one line or breaks at the spaces.
    // Either way the text fills most of the safe width or stands on several lines, centred.
    bool one_line = ink.h < 100;
    if (one_line)
        CHECK(ink.w > safe.w * 0.85);
    else
        CHECK(ink.h > 81 * 2);
    CHECK(std::abs((ink.x + ink.w / 2) - 480) <= 3);  // centred
    CHECK(std::abs((ink.y + ink.h / 2) - 270) <= 12);
    std::string failure = match_golden(image.get(), "slogan-safe-area");
    CHECK(failure == "");
}

TEST_CASE("a long slogan breaks at its spaces into balanced lines", "[render][golden]")
{
    SceneFixture scene;
    scene.load(kConfig, "[s]\ntype = slogan\ntext = 放下电话想一想 切莫轻易去转帐 筑牢反诈防火墙不听不信不转账\n");
    SurfacePtr image = scene.frame(0.5, 960, 540);
    Rect ink = ink_box(image.get(), kBackground);
    Rect safe = safe_area(960, 540, 5);
    CHECK(ink.x >= safe.x);
    CHECK(ink.x + ink.w <= safe.x + safe.w);
    CHECK(ink.y >= safe.y);
    CHECK(ink.y + ink.h <= safe.y + safe.h);
    CHECK(match_golden(image.get(), "slogan-long-balanced") == "");
}

TEST_CASE("a poster with fit = contain is letterboxed on the background", "[render][golden]")
{
    SceneFixture scene;
    scene.write_png("posters/square.png", 400, 400, 0xFFE03030);
    scene.load(kConfig, "[p]\ntype = image\nfile = posters/square.png\nfit = contain\n");
    SurfacePtr image = scene.frame(1.0, 960, 540);
    // 400x400 into 960x540: scaled to 540x540, centred: x 210..749.
    CHECK(pixel(image.get(), 100, 270) == kBackground);
    CHECK(pixel(image.get(), 860, 270) == kBackground);
    CHECK(pixel(image.get(), 205, 10) == kBackground);
    Uint32 inside = pixel(image.get(), 480, 270);
    CHECK(red(inside) == 0xE0);
    CHECK(green(inside) == 0x30);
    Rect ink = ink_box(image.get(), kBackground);
    CHECK(ink.x == 210);
    CHECK(ink.w == 540);
    CHECK(ink.h == 540);
    CHECK(match_golden(image.get(), "poster-letterbox", 8, 0.0) == "");
}

TEST_CASE("cover fills and crops, stretch fills", "[render]")
{
    SceneFixture scene;
    scene.write_png("tall.png", 100, 400, 0xFF20C040);
    scene.load(kConfig, "[c]\ntype = image\nfile = tall.png\nfit = cover\nduration = 2\n"
                        "[s]\ntype = image\nfile = tall.png\nfit = stretch\nduration = 2\ntransition = cut\n");
    for (double at : {1.0, 3.0}) {
        SurfacePtr image = scene.frame(at, 320, 180);
        Rect ink = ink_box(image.get(), kBackground);
        CHECK(ink == Rect{0, 0, 320, 180});
    }
}

TEST_CASE("a crossfade at its midpoint is an even blend of both items", "[render][golden]")
{
    SceneFixture scene;
    scene.write_png("red.png", 64, 64, 0xFFFF0000);
    scene.load(kConfig, "[a]\ntype = slogan\ntext = 不轻信 不透露 不转账\nduration = 4\n"
                        "[b]\ntype = image\nfile = red.png\nfit = stretch\nduration = 4\n"
                        "transition = fade\ntransition_duration = 1\n");
    SurfacePtr before = scene.frame(3.9, 480, 270);  // a alone
    SurfacePtr after = scene.frame(5.5, 480, 270);   // b alone
    SurfacePtr mid = scene.frame(4.5, 480, 270);     // halfway through the fade into b
    long worst = 0;
    for (int y = 0; y < 270; y += 3)
        for (int x = 0; x < 480; x += 3) {
            Uint32 a = pixel(before.get(), x, y), b = pixel(after.get(), x, y), m = pixel(mid.get(), x, y);
            for (auto channel : {red, green, blue}) {
                long expected = (channel(a) + channel(b)) / 2;
                worst = std::max(worst, std::labs(channel(m) - expected));
            }
        }
    CHECK(worst <= 2);
    // Sanity: the midpoint is neither of the two.
    CHECK(pixel(mid.get(), 5, 5) != pixel(before.get(), 5, 5));
    CHECK(pixel(mid.get(), 5, 5) != pixel(after.get(), 5, 5));
    CHECK(match_golden(mid.get(), "crossfade-midpoint") == "");
}

TEST_CASE("a cut switches at the exact instant", "[render]")
{
    SceneFixture scene;
    scene.write_png("red.png", 8, 8, 0xFFFF0000);
    scene.write_png("blue.png", 8, 8, 0xFF0000FF);
    scene.load(kConfig, "[defaults]\ntransition = cut\nfit = stretch\nduration = 3\n"
                        "[a]\ntype = image\nfile = red.png\n[b]\ntype = image\nfile = blue.png\n");
    CHECK(pixel(scene.frame(2.999, 64, 36).get(), 30, 18) == 0xFFFF0000);
    CHECK(pixel(scene.frame(3.0, 64, 36).get(), 30, 18) == 0xFF0000FF);
    CHECK(pixel(scene.frame(6.0, 64, 36).get(), 30, 18) == 0xFFFF0000);  // looped
    CHECK(pixel(scene.frame(86400.0 + 3, 64, 36).get(), 30, 18) == 0xFF0000FF);  // a day later, exact
}

TEST_CASE("rotation turns the picture for portrait screens", "[render]")
{
    SceneFixture scene;
    // Top half red, bottom half blue, as designed for the portrait canvas.
    SurfacePtr design(SDL_CreateRGBSurfaceWithFormat(0, 90, 160, 32, SDL_PIXELFORMAT_ARGB8888));
    SDL_FillRect(design.get(), nullptr, 0xFF0000FF);
    SDL_Rect top{0, 0, 90, 80};
    SDL_FillRect(design.get(), &top, 0xFFFF0000);
    IMG_SavePNG(design.get(), scene.path("portrait.png").c_str());
    scene.load("[display]\nrotation = 90\n[content]\nplaylist = playlist.ini\n",
               "[p]\ntype = image\nfile = portrait.png\nfit = stretch\n");
    // A landscape 160x90 panel mounted turned 90 degrees clockwise: the design's top is drawn
    // on the panel's right.
    SurfacePtr image = scene.frame(1.0, 160, 90);
    CHECK(pixel(image.get(), 150, 45) == 0xFFFF0000);
    CHECK(pixel(image.get(), 10, 45) == 0xFF0000FF);
}

TEST_CASE("a broken item is skipped, and nothing playable shows the fallback slide", "[render]")
{
    SceneFixture scene;
    scene.write("broken.png", "not a png at all");
    scene.write_png("blue.png", 8, 8, 0xFF0000FF);
    scene.load(kConfig, "[defaults]\ntransition = cut\nfit = stretch\nduration = 3\n"
                        "[x]\ntype = image\nfile = broken.png\n[b]\ntype = image\nfile = blue.png\n"
                        "[m]\ntype = image\nfile = missing.png\n");
    CHECK(pixel(scene.frame(1.0, 64, 36).get(), 30, 18) == 0xFF0000FF);
    CHECK(pixel(scene.frame(4.0, 64, 36).get(), 30, 18) == 0xFF0000FF);

    SceneFixture empty;
    empty.write("broken.png", "still not a png");
    empty.load(kConfig, "[x]\ntype = image\nfile = broken.png\n");
    SurfacePtr fallback = empty.frame(1.0, 480, 270);
    Rect ink = ink_box(fallback.get(), kBackground);
    CHECK(ink.w > 200);  // the fallback slide's campaign text, not a blank screen
    CHECK(match_golden(fallback.get(), "fallback-slide") == "");
}

TEST_CASE("a decompression bomb is refused from its header", "[render]")
{
    SceneFixture scene;
    // A valid PNG signature and IHDR for 20000x20000, and nothing else: a few bytes on disk.
    std::string bomb("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x4e\x20\0\0\x4e\x20\x08\x06\0\0\0\0\0\0\0", 33);
    scene.write("bomb.png", bomb);
    scene.write_png("blue.png", 8, 8, 0xFF0000FF);
    scene.load(kConfig, "[defaults]\ntransition = cut\nfit = stretch\nduration = 3\n"
                        "[x]\ntype = image\nfile = bomb.png\n[b]\ntype = image\nfile = blue.png\n");
    auto loaded = load_poster(scene.path("bomb.png"), {40, 1ull << 30});
    REQUIRE_FALSE(loaded);
    CHECK_THAT(loaded.error().message, Catch::Contains("20000x20000") && Catch::Contains("refused"));
    CHECK(pixel(scene.frame(1.0, 64, 36).get(), 30, 18) == 0xFF0000FF);
}

TEST_CASE("a clause ending in full-width punctuation breaks after it and stays optically centred", "[render][golden]")
{
    SceneFixture scene;
    scene.load(kConfig, "[s]\ntype = slogan\ntext = 你不会被骗？之前我也是这样想的 可昨天 我被骗了\n");
    SurfacePtr image = scene.frame(0.5, 960, 540);
    // The first line holds "你不会被骗？" alone; its ink is centred although the "？" glyph's
    // right half is empty.
    SDL_Rect band{0, 0, 960, 200};
    SurfacePtr top = make_argb_surface(960, 200);
    SDL_BlitSurface(image.get(), &band, top.get(), nullptr);
    Rect ink = ink_box(top.get(), kBackground);
    REQUIRE(ink.w > 0);
    CHECK(std::abs((ink.x + ink.w / 2) - 480) <= 8);
    CHECK(match_golden(image.get(), "slogan-clause-break") == "");
}

// A JPEG's bytes: a gradient with detail, so its entropy-coded data is long enough to cut.
static std::string jpeg_bytes(const SceneFixture& scene)
{
    SurfacePtr s(SDL_CreateRGBSurfaceWithFormat(0, 320, 180, 32, SDL_PIXELFORMAT_ARGB8888));
    auto* pixels = static_cast<Uint32*>(s->pixels);
    for (int y = 0; y < 180; ++y)
        for (int x = 0; x < 320; ++x)
            pixels[y * (s->pitch / 4) + x] = 0xFF000000u | ((x * 7 % 256) << 16) | ((y * 13 % 256) << 8) | ((x ^ y) & 0xFF);
    REQUIRE(IMG_SaveJPG(s.get(), scene.path("source.jpg").c_str(), 90) == 0);
    std::ifstream in(scene.path("source.jpg"), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_CASE("a JPEG that ends early or has corrupt data is refused with libjpeg's reason, not shown half grey",
          "[render][strict]")
{
    SceneFixture scene;
    std::string whole = jpeg_bytes(scene);
    scene.write("whole.jpg", whole);
    scene.write("half.jpg", whole.substr(0, whole.size() / 2));
    std::string flipped = whole;
    for (size_t i = whole.size() / 2; i < whole.size() / 2 + 64; ++i)
        flipped[i] = static_cast<char>(flipped[i] ^ 0x55);
    scene.write("flipped.jpg", flipped);
    const ImageLimits limits{40, 1ull << 30};

    CHECK(load_poster(scene.path("whole.jpg"), limits));
    auto half = load_poster(scene.path("half.jpg"), limits);
    REQUIRE_FALSE(half);
    CHECK(half.error().file == scene.path("half.jpg"));
    CHECK_THAT(half.error().message, Catch::Contains("partially decodable is not playable") &&
                                         Catch::Contains("Premature end of JPEG file"));
    auto bad = load_poster(scene.path("flipped.jpg"), limits);
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error().message, Catch::Contains("Corrupt JPEG data"));

    // In play the broken poster is skipped: the good one is on screen in its slot.
    scene.load(kConfig, "[defaults]\ntransition = cut\nfit = stretch\nduration = 3\n"
                        "[h]\ntype = image\nfile = half.jpg\n[w]\ntype = image\nfile = whole.jpg\n");
    // The truncated one would show its lost bottom half flat grey; the whole one has colour there.
    SurfacePtr frame = scene.frame(1.0, 64, 36);
    Uint32 bottom = pixel(frame.get(), 60, 33);
    int r = (bottom >> 16) & 0xFF, g = (bottom >> 8) & 0xFF;
    CHECK(std::abs(r - g) > 30);
}
