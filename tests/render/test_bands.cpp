// The bands of a screen layout (ticker, clock) drawn pass by pass as `play` draws them, on the
// software renderer: where a ticker's entries land, and that redrawing only the bands that changed
// (what `play` sends to the window when nothing else moved) gives the picture a full redraw gives.
#include "player/render/screen_zones.h"
#include "player/render/show.h"
#include "player/render/surface_ops.h"
#include "playlist/layout/screen_layout.h"
#include "tests/render/scene_fixture.h"

#include <catch2/catch.hpp>

#include <functional>
#include <optional>
#include <vector>

using namespace signage;
using namespace signage::testing;

namespace {

const char* kConfig = "[display]\nbackground = #0B1F3A\n[content]\nplaylist = playlist.ini\n[text]\ncolor = #FFFFFF\n";
// 120 px/s x this is a whole number of pixels: a scroll position's fraction is the offset's.
constexpr WallTime kWallStart = 1.8e9;

// A layout on a software renderer of its own, driven like the play loop drives it.
struct LayoutScene {
    SceneFixture scene;
    SurfacePtr target;
    RendererPtr renderer;
    std::optional<Stage> stage;
    ScreenZones zones;
    std::unique_ptr<Show> show;

    LayoutScene(const std::string& layout, const std::string& playlist, int w, int h)
    {
        scene.write("layout.ini", layout);
        scene.load(kConfig, playlist);
        auto read = read_screen_layout(scene.path("layout.ini"));
        REQUIRE(read);
        REQUIRE(read->errors.empty());
        scene.setup.layout = read->layout;
        target = make_argb_surface(w, h);
        renderer.reset(SDL_CreateSoftwareRenderer(target.get()));
        REQUIRE(renderer);
        stage.emplace(Stage{scene.setup.config, scene.setup.paths.fonts, CanvasSize{w, h}, renderer.get(), {}, nullptr});
        auto opened = ScreenZones::open(*scene.setup.layout, *stage, TimeZone::utc());
        REQUIRE(opened);
        zones = std::move(*opened);
        auto started = Show::start(scene.setup.playlist, zones.main_stage(*stage), 0, kWallStart);
        REQUIRE(started);
        show = std::move(*started);
        REQUIRE(zones.start(scene.setup.playlist, *stage, 0, kWallStart));
    }

    ~LayoutScene()
    {
        // The zones' and the show's textures belong to the renderer: gone before it.
        zones = ScreenZones();
        show.reset();
        renderer.reset();
    }

    WallTime wall(double at) const { return show->wall(at); }

    // Everything shown at `at`, loaded.
    Picture settle(double at)
    {
        show->settle(at);
        Picture picture = show->picture(at);
        REQUIRE(show->show_exactly(picture, at));
        REQUIRE(zones.settle(at, wall(at), *show));
        return picture;
    }

    void paint(double at)
    {
        Picture picture = settle(at);
        zones.paint(*show, picture, wall(at));
        SDL_RenderFlush(renderer.get());
    }

    // The bands that changed since `from` redrawn alone at `at`, as play's present_bands_only.
    std::optional<std::vector<SDL_Rect>> paint_bands(double from, double at)
    {
        ScreenZones::State before = zones.picture_state(wall(from));
        settle(at);
        ScreenZones::State now = zones.picture_state(wall(at));
        REQUIRE(now.sides == before.sides);
        std::vector<size_t> changed;
        for (size_t i = 0; i < now.bands.size(); ++i)
            if (now.bands[i] != before.bands[i])
                changed.push_back(i);
        auto rects = zones.paint_bands(changed, wall(at));
        SDL_RenderFlush(renderer.get());
        return rects;
    }

    std::vector<Uint32> rows(int y0, int y1) const
    {
        std::vector<Uint32> out;
        for (int y = y0; y < y1; ++y)
            for (int x = 0; x < target->w; ++x)
                out.push_back(pixel(target.get(), x, y));
        return out;
    }
};

}  // namespace

TEST_CASE("a ticker entry crossing the band's left edge moves with the entries after it", "[render]")
{
    // Two instants 7 px of scrolling apart, both at a half-pixel position: the second picture is the
    // first moved left by exactly 7 px, also where an entry has just crossed the left edge (SDL's
    // software renderer casts -3.5 to -3 but 3.5 to 3; it drew such an entry a pixel right of the
    // others, a one-pixel stall at the edge, seen in the Xvfb capture test).
    const int w = 480, h = 160;
    LayoutScene scene("[main]\narea = 0, 0, 100%, 50%\n"
                      "[ticker]\nkind = ticker\narea = 0, 50%, 100%, 50%\nsource = text\n"
                      "text = 全民反诈 96110 100%\nspeed = 120\nbackground = #901010\n",
                      "[s]\ntype = slogan\ntext = 反诈\nduration = 3600s\n", w, h);
    constexpr int kShift = 7;
    // 900 px of scrolling: more than one pass of the text (about 620 px), so an entry's start
    // crosses the left edge between some pair of instants.
    for (int k = 0; k < 900; k += 9) {
        const double at = (k + 0.5) / 120.0;
        scene.paint(at);
        std::vector<Uint32> first = scene.rows(h / 2, h);
        scene.paint(at + kShift / 120.0);
        std::vector<Uint32> second = scene.rows(h / 2, h);
        int wrong = 0;
        for (int y = 0; y < h / 2; ++y)
            for (int x = 0; x + kShift < w; ++x)
                wrong += second[y * w + x] != first[y * w + x + kShift];
        INFO("scroll offset " << k << " px");
        REQUIRE(wrong == 0);
    }
}

namespace {

// Plays `instants` on two scenes alike (`between` runs on each after every instant but the last);
// at the last, one redraws only the bands that changed since the instant before, as play does when
// nothing else moved, and the other paints everything. Returns what paint_bands answered; when it
// drew, the two pictures must be the same, pixel for pixel.
std::optional<std::vector<SDL_Rect>> partial_versus_full(const std::string& layout, const std::string& playlist,
                                                         const std::vector<double>& instants,
                                                         const std::function<void(LayoutScene&, double)>& between = {})
{
    const int w = 480, h = 160;
    LayoutScene partial(layout, playlist, w, h), full(layout, playlist, w, h);
    for (size_t i = 0; i + 1 < instants.size(); ++i) {
        partial.paint(instants[i]);
        full.settle(instants[i]);
        if (between) {
            between(partial, instants[i]);
            between(full, instants[i]);
        }
    }
    auto rects = partial.paint_bands(instants[instants.size() - 2], instants.back());
    full.paint(instants.back());
    if (rects) {
        int differ = 0;
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                differ += pixel(partial.target.get(), x, y) != pixel(full.target.get(), x, y);
        if (differ) {
            IMG_SavePNG(partial.target.get(), (output_dir() + "/bands-partial.png").c_str());
            IMG_SavePNG(full.target.get(), (output_dir() + "/bands-full.png").c_str());
        }
        INFO(differ << " pixels differ; see bands-partial.png and bands-full.png in " << output_dir());
        CHECK(differ == 0);
    }
    return rects;
}

const char* kMainSlide = "[s]\ntype = slogan\ntext = 反诈\nbackground = #204090\nduration = 3600s\n";

}  // namespace

TEST_CASE("redrawing only the bands that changed gives the picture a full redraw gives", "[render]")
{
    SECTION("an opaque ticker is redrawn alone")
    {
        auto rects = partial_versus_full("[main]\narea = 0, 0, 100%, 50%\n"
                                         "[ticker]\nkind = ticker\narea = 0, 50%, 100%, 50%\nsource = text\n"
                                         "text = 全民反诈 96110\nspeed = 120\nbackground = #901010\n",
                                         kMainSlide, {1.0, 1.3});
        REQUIRE(rects);
        REQUIRE(rects->size() == 1);
        CHECK(rects->front().y == 80);
        CHECK(rects->front().h == 80);
    }
    SECTION("an opaque ticker with a clock over its end is redrawn alone, and the clock over it")
    {
        // The bank lobby of docs/layout.md: before, a band with anything over it was never redrawn
        // alone, and every frame redrew the whole screen (13% of a core instead of 4% at 1080p).
        const char* layout = "[main]\narea = 0, 0, 100%, 50%\n"
                             "[ticker]\nkind = ticker\narea = 0, 50%, 100%, 50%\nsource = text\n"
                             "text = 全民反诈 96110\nspeed = 120\nbackground = #901010\n"
                             "[clock]\nkind = clock\narea = 70%, 50%, 30%, 50%\norder = 1\nformat = %H:%M\n";
        for (const char* background : {"#0B1F3A", "#00000080"}) {
            INFO("clock background " << background);
            auto rects = partial_versus_full(std::string(layout) + "background = " + background + "\n", kMainSlide,
                                             {1.0, 1.3});
            REQUIRE(rects);
            CHECK(rects->size() == 1);
        }
    }
    SECTION("a translucent ticker is not: the zone under it shows through")
    {
        auto rects = partial_versus_full("[main]\narea = 0, 0, 100%, 50%\n"
                                         "[ticker]\nkind = ticker\narea = 0, 50%, 100%, 50%\nsource = text\n"
                                         "text = 全民反诈 96110\nspeed = 120\nbackground = #90101080\n",
                                         kMainSlide, {1.0, 1.3});
        CHECK_FALSE(rects);
    }
    SECTION("an opaque ticker whose text has all scrolled out is not: it draws nothing, not even its band")
    {
        // The ticker scrolls the playlist's slogans for it; the new playlist has none, so its
        // text scrolls out and the band empties. Before, the empty band was "redrawn" alone by
        // drawing nothing: the window kept the band's last picture.
        SceneFixture other;
        other.write("playlist.ini", kMainSlide);
        PlaylistLoad without = load_playlist(other.path("playlist.ini"));
        auto restart = [&](LayoutScene& scene, double at) {
            if (at == 1.0)
                scene.zones.restart(without, at, scene.wall(at));
        };
        const std::string layout = "[main]\narea = 0, 0, 100%, 50%\n"
                                   "[ticker]\nkind = ticker\narea = 0, 50%, 100%, 50%\n"
                                   "speed = 2000\nbackground = #901010\n";
        const std::string playlist = std::string(kMainSlide) +
                                     "[t1]\ntype = slogan\ntext = 全民反诈\nzone = ticker\n"
                                     "[t2]\ntype = slogan\ntext = 96110\nzone = ticker\n";
        SECTION("while its last text leaves, it is")
        {
            auto rects = partial_versus_full(layout, playlist, {1.0, 1.05, 1.1}, restart);
            CHECK(rects);
        }
        SECTION("once it is gone")
        {
            auto rects = partial_versus_full(layout, playlist, {1.0, 1.05, 5.0}, restart);
            CHECK_FALSE(rects);
        }
    }
}

TEST_CASE("a ticker fed by the playlist's slogans takes a new playlist's even with no other playlist zone", "[render]")
{
    // Before, only a side zone taking the new playlist passed its slogans on: with the main zone
    // alone (a service hall: header, main, ticker), the ticker scrolled the old slogans for ever.
    LayoutScene scene("[main]\narea = 0, 0, 100%, 50%\n"
                      "[ticker]\nkind = ticker\narea = 0, 50%, 100%, 50%\nspeed = 2000\nbackground = #901010\n",
                      std::string(kMainSlide) + "[t1]\ntype = slogan\ntext = 全民反诈\nzone = ticker\n", 480, 160);
    scene.paint(1.0);
    auto band_ink = [&] {
        int ink = 0;
        for (int y = 80; y < 160; ++y)
            for (int x = 0; x < 480; ++x)
                ink += pixel(scene.target.get(), x, y) != 0xFF0B1F3A;  // the screen's background
        return ink;
    };
    REQUIRE(band_ink() > 0);
    SceneFixture other;
    other.write("playlist.ini", kMainSlide);  // no slogans for the ticker
    scene.zones.replace(load_playlist(other.path("playlist.ini")), scene.wall(1.0));
    scene.paint(1.05);
    CHECK(band_ink() > 0);  // what is on screen scrolls on
    scene.paint(5.0);
    CHECK(band_ink() == 0);  // and out: the band is empty
}
