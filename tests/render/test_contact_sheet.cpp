// `render --contact-sheet`: which items are on the sheet, what a broken one looks like, how the
// grid grows, and what --at dims. Real pictures: slides composed, a video made with ffmpeg.
#include "player/app/contact_sheet.h"
#include "tests/render/scene_fixture.h"
#include "tests/render/video_fixture.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

using namespace signage;
using namespace signage::testing;

namespace {

const char* kConfig = "[display]\nbackground = #0B1F3A\n[content]\nplaylist = playlist.ini\n"
                      "[screen]\nid = lobby-1\ntags = bank\ntimezone = Asia/Shanghai\n";

constexpr Uint32 kRed = 0xFFE03030;
constexpr Uint32 kBrokenGrey = 0xFF9A9A9A;

// A slogan, a poster, a video, a missing poster and a slogan for cinemas only.
std::string five_items()
{
    return "[welcome]\ntype = slogan\ntext = 你我同心 反诈同行\n"
           "[poster]\ntype = image\nfile = posters/red.png\nfit = stretch\n"
           "[psa]\ntype = video\nfile = videos/psa.mp4\n"
           "[gone]\ntype = image\nfile = posters/gone.png\n"
           "[cinema-only]\ntype = slogan\ntext = 影院专用\ntags = cinema\n";
}

struct SheetScene : SceneFixture {
    void with_media()
    {
        write_png("posters/red.png", 400, 300, kRed);
        VideoClips clips;
        std::filesystem::create_directories(folder.path / "videos");
        std::filesystem::copy_file(clips.h264_clip("psa.mp4", 2), path("videos/psa.mp4"));
    }

    ContactSheet sheet(ContactSheetOptions options = {}) const
    {
        auto made = make_contact_sheet(setup, options);
        if (!made)
            throw std::runtime_error(made.error().to_string());
        return std::move(*made);
    }
};

std::vector<std::string> names(const SheetScene& scene, const ContactSheet& sheet)
{
    std::vector<std::string> out;
    for (const SheetTile& tile : sheet.tiles)
        if (!tile.screen)
            out.push_back(scene.setup.playlist.playlist.items[tile.item].name);
    return out;
}

Uint32 centre(SDL_Surface* image, const Rect& r)
{
    return pixel(image, r.x + r.w / 2, r.y + r.h / 2);
}

// Mean of R+G+B over a rectangle, 0..765.
double brightness(SDL_Surface* image, const Rect& r)
{
    double sum = 0;
    for (int y = r.y; y < r.y + r.h; ++y)
        for (int x = r.x; x < r.x + r.w; ++x) {
            Uint32 p = pixel(image, x, y);
            sum += red(p) + green(p) + blue(p);
        }
    return sum / (static_cast<double>(r.w) * r.h);
}

}  // namespace

TEST_CASE("the contact sheet shows this screen's items as their pictures, a broken one grey", "[render][sheet]")
{
    SheetScene scene;
    scene.with_media();
    scene.load(kConfig, five_items());
    ContactSheet sheet = scene.sheet();
    SDL_Surface* image = sheet.image.get();

    // The cinema-only slogan is for other screens.
    CHECK(names(scene, sheet) == std::vector<std::string>{"welcome", "poster", "psa", "gone"});
    CHECK(sheet.other_screens == 1);
    CHECK(sheet.more == 0);

    const SheetTile& welcome = sheet.tiles[0];
    const SheetTile& poster = sheet.tiles[1];
    const SheetTile& video = sheet.tiles[2];
    const SheetTile& gone = sheet.tiles[3];
    CHECK_FALSE(welcome.broken);
    CHECK_FALSE(video.broken);
    INFO("video: " << video.error);
    // The slogan on the slide background; the poster stretched over its whole tile.
    CHECK(pixel(image, welcome.picture.x + 2, welcome.picture.y + 2) == 0xFF0B1F3A);
    CHECK(centre(image, poster.picture) == kRed);
    // testsrc2's first frame: many colours, nothing like the page or a grey tile.
    std::set<Uint32> colours;
    for (int x = video.picture.x; x < video.picture.x + video.picture.w; x += 4)
        colours.insert(pixel(image, x, video.picture.y + video.picture.h * 3 / 4));
    CHECK(colours.size() > 20);
    // The missing poster: grey, with its reason (the path as the playlist names it).
    CHECK(gone.broken);
    CHECK(gone.error.find("posters/gone.png") != std::string::npos);
    CHECK(gone.error.find(scene.folder.path.string()) == std::string::npos);
    CHECK(pixel(image, gone.picture.x + gone.picture.w - 3, gone.picture.y + gone.picture.h - 3) == kBrokenGrey);
    CHECK(pixel(image, welcome.picture.x + welcome.picture.w - 3, welcome.picture.y + welcome.picture.h - 3) !=
          kBrokenGrey);
}

TEST_CASE("the contact sheet's grid: columns to fit, tiles of the screen's shape, rows as needed", "[render][sheet]")
{
    SheetScene scene;
    std::string playlist;
    for (int i = 0; i < 9; ++i)
        playlist += "[s" + std::to_string(i) + "]\ntype = slogan\ntext = 不转账 " + std::to_string(i) + "\n";
    scene.load(kConfig, playlist);

    ContactSheetOptions wide;  // a 1920x1080 screen: four 16:9 columns
    ContactSheet sheet = scene.sheet(wide);
    REQUIRE(sheet.tiles.size() == 9);
    CHECK(sheet.image->w == 1920);
    CHECK(sheet.columns == 4);
    const Rect first = sheet.tiles[0].picture;
    CHECK(std::abs(first.w * 9 - first.h * 16) <= 16);
    // Three rows: each row one cell lower; the page ends below the last row's labels.
    const int cell = sheet.tiles[4].picture.y - first.y;
    CHECK(sheet.tiles[3].picture.y == first.y);
    CHECK(sheet.tiles[8].picture.y == first.y + 2 * cell);
    CHECK(cell > first.h);
    CHECK(sheet.image->h >= sheet.tiles[8].picture.y + cell - first.h / 2);
    CHECK(sheet.image->h < sheet.tiles[8].picture.y + cell + first.h);

    ContactSheetOptions portrait;  // a portrait screen: narrower page, taller tiles
    portrait.screen_width = 1080;
    portrait.screen_height = 1920;
    ContactSheet tall = scene.sheet(portrait);
    CHECK(tall.image->w == 1080);
    CHECK(tall.columns == 3);
    CHECK(std::abs(tall.tiles[0].picture.h * 9 - tall.tiles[0].picture.w * 16) <= 16);

    ContactSheetOptions capped;
    capped.max_items = 5;
    ContactSheet few = scene.sheet(capped);
    CHECK(few.tiles.size() == 5);
    CHECK(few.more == 4);
    // Two rows and the "+4 more" line: shorter than three rows.
    CHECK(few.image->h < sheet.image->h);
}

TEST_CASE("with an instant, the contact sheet dims what is out of schedule then", "[render][sheet]")
{
    SheetScene scene;
    scene.load(kConfig, "[day]\ntype = slogan\ntext = 白天\nbackground = #E0E0E0\nhours = 08:00-18:00\n"
                        "[night]\ntype = slogan\ntext = 夜间\nbackground = #E0E0E0\nhours = 20:00-23:00\n"
                        "[reel]\ntype = slogan\ntext = 片头\nat = 19:25\ndays = fri\n");
    auto zone = TimeZone::load("Asia/Shanghai");
    REQUIRE(zone);
    ContactSheetOptions options;
    options.at = *zone->parse_local("2026-12-24 09:00");  // a Thursday
    ContactSheet sheet = scene.sheet(options);
    REQUIRE(sheet.tiles.size() == 3);
    CHECK_FALSE(sheet.tiles[0].not_now);
    CHECK(sheet.tiles[1].not_now);
    CHECK(sheet.tiles[2].not_now);  // its day is Friday
    // Same slide, one dimmed: far darker (the "not now" badge aside).
    double lit = brightness(sheet.image.get(), sheet.tiles[0].picture);
    double dim = brightness(sheet.image.get(), sheet.tiles[1].picture);
    INFO("lit " << lit << ", dimmed " << dim);
    CHECK(dim < lit * 0.5);

    ContactSheet undimmed = scene.sheet();  // without an instant nothing is dimmed
    CHECK(std::none_of(undimmed.tiles.begin(), undimmed.tiles.end(), [](const SheetTile& t) { return t.not_now; }));
}

TEST_CASE("with a layout, the sheet shows every zone's items, each composed in its zone's shape", "[render][sheet]")
{
    SheetScene scene;
    scene.load(kConfig, "[main-slogan]\ntype = slogan\ntext = 你我同心 反诈同行\n"
                        "[side-slogan]\ntype = slogan\ntext = 全民反诈\nzone = side\n"
                        "[nowhere]\ntype = slogan\ntext = 无此区\nzone = lift\n");
    auto layout = parse_screen_layout("[main]\narea = 0, 0, 75%, 100%\n[side]\narea = 75%, 0, 25%, 100%\n",
                                      "layout.ini", scene.folder.path.string());
    REQUIRE(layout);
    REQUIRE(layout->errors.empty());
    scene.setup.layout = layout->layout;
    ContactSheet sheet = scene.sheet();
    SDL_Surface* image = sheet.image.get();

    // The zone this layout has not is for other screens; the side zone's item is on the sheet.
    CHECK(names(scene, sheet) == std::vector<std::string>{"main-slogan", "side-slogan"});
    CHECK(sheet.other_screens == 1);
    // First the whole screen as play shows it: the main zone's slogan on its left three quarters,
    // the side zone's on the right quarter (each on the slide background, text in the middle).
    REQUIRE(sheet.tiles.size() == 3);
    REQUIRE(sheet.tiles[0].screen);
    CHECK_FALSE(sheet.tiles[0].broken);
    const Rect& whole = sheet.tiles[0].picture;
    auto bright_between = [&](double from, double to) {
        int x0 = whole.x + static_cast<int>(whole.w * from), x1 = whole.x + static_cast<int>(whole.w * to);
        return brightness(image, Rect{x0, whole.y + whole.h * 2 / 5, x1 - x0, whole.h / 5});
    };
    CHECK(bright_between(0.1, 0.65) > 60);  // 你我同心 反诈同行, white on dark blue
    CHECK(bright_between(0.8, 0.95) > 60);  // 全民反诈
    // The side column is narrow: its picture sits in the middle of its tile, the tile's edges
    // left as the frame; the main zone's (3:4 of a 16:9 screen, 4:3) fills more of its width.
    const Rect& main_tile = sheet.tiles[1].picture;
    const Rect& side_tile = sheet.tiles[2].picture;
    CHECK(centre(image, side_tile) != pixel(image, side_tile.x + 2, side_tile.y + side_tile.h / 2));
    CHECK(pixel(image, side_tile.x + side_tile.w / 2, side_tile.y + side_tile.h / 2 - side_tile.h / 4) == 0xFF0B1F3A);
    // A fifth in from the left: inside the main zone's picture, outside the side column's.
    CHECK(pixel(image, main_tile.x + main_tile.w / 5, main_tile.y + main_tile.h / 2) == 0xFF0B1F3A);
    CHECK(pixel(image, side_tile.x + side_tile.w / 5, side_tile.y + side_tile.h / 2) != 0xFF0B1F3A);
}
