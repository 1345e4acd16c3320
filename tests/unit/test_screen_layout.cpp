#include "playlist/config/ini_reader.h"
#include "playlist/layout/screen_layout.h"
#include "tests/unit/temp_dir.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <limits>

using namespace signage;
using testing::TempDir;

namespace {

LayoutLoad parse_ok(const std::string& text)
{
    auto load = parse_screen_layout(text, "/etc/signage/layout.ini", "/etc/signage");
    if (!load)
        FAIL(load.error().to_string());
    return *load;
}

std::vector<std::string> messages(const std::vector<Error>& errors)
{
    std::vector<std::string> out;
    for (const Error& e : errors)
        out.push_back(e.to_string());
    return out;
}

// A layout with a playlist zone `main` before `extra`: the error's zone is the only one dropped.
std::vector<std::string> errors_of(const std::string& extra)
{
    auto load = parse_screen_layout("[main]\n" + extra, "layout.ini", "/etc/signage");
    if (!load)
        FAIL(load.error().to_string());
    return messages(load->errors);
}

}  // namespace

TEST_CASE("a zone with no keys is a full-screen playlist zone", "[layout]")
{
    LayoutLoad load = parse_ok("[main]\n");
    CHECK(load.errors.empty());
    CHECK(load.warnings.empty());
    CHECK(load.layout.file == "/etc/signage/layout.ini");
    REQUIRE(load.layout.zones.size() == 1);
    const Zone& zone = load.layout.zones[0];
    CHECK(zone.name == "main");
    CHECK(zone.line == 1);
    CHECK(zone.kind == ZoneKind::Playlist);
    CHECK(zone.area == ZoneArea{{0, false}, {0, false}, {100, true}, {100, true}});
    CHECK(resolve_area(zone.area, 1920, 1080) == Rect{0, 0, 1920, 1080});
    CHECK(zone.order == 0);
    CHECK_FALSE(zone.sound);
    CHECK(zone.color == Color{255, 255, 255, 255});
    CHECK_FALSE(zone.background);
    CHECK(zone.font_size == 0);
    CHECK(zone.align == Align::Center);
    CHECK(zone.source == TickerSource::Slogans);
    CHECK(zone.speed == 120);
    CHECK(zone.separator == "\u3000\u3000\u3000");
    CHECK(zone.format == kDefaultClockFormat);
    CHECK(zone.file.empty());
    CHECK(zone.text.empty());
    CHECK(zone.image.empty());
    CHECK(load.layout.main() == &zone);
    CHECK(load.layout.sound_zone() == &zone);
    CHECK(load.layout.playlist_zones() == std::vector<const Zone*>{&zone});
    CHECK(load.layout.find("main") == &zone);
    CHECK(load.layout.find("side") == nullptr);
}

TEST_CASE("every key of every kind of zone is read", "[layout]")
{
    LayoutLoad load = parse_ok("; a comment\n"
                               "[main]\n"                              // 2
                               "kind = playlist\n"
                               "area = 0, 0, 75%, 90%\n"
                               "order = -1\n"
                               "sound = yes\n"
                               "\n"
                               "[ticker]\n"                            // 8
                               "kind = ticker\n"
                               "area = 0, 90%, 100%, 10%\n"
                               "order = 2\n"
                               "source = slogans\n"
                               "file = tickers/slogans.txt\n"
                               "speed = 160.5\n"
                               "separator = \" · \"\n"
                               "color = #FFD54A\n"
                               "background = #B71C1CCC\n"
                               "font_size = 48\n"
                               "\n"
                               "[news]\n"                              // 20
                               "kind = ticker\n"
                               "area = 0px, 1000px, 1920px, 80\n"
                               "source = text\n"
                               "text = 接到陌生来电 请拨打 96110 核实\n"
                               "separator = ◆\n"
                               "[alerts]\n"                            // 26
                               "kind = ticker\n"
                               "area = 0, 0, 100%, 5%\n"
                               "source = alerts\n"
                               "[clock]\n"                             // 30
                               "kind = clock\n"
                               "area = 75%, 0, 25%, 10%\n"
                               "format = %H:%M:%S\n"
                               "align = right\n"
                               "color = #000\n"
                               "[header]\n"                            // 36
                               "kind = text\n"
                               "area = 0, 0, 100%, 12%\n"
                               "text = 全国反诈专线 96110\n"
                               "image = /srv/logo.png\n"
                               "align = left\n"
                               "font_size = 64\n"
                               "background = #C62828\n");
    CHECK(messages(load.errors).empty());
    CHECK(messages(load.warnings).empty());
    const ScreenLayout& layout = load.layout;
    REQUIRE(layout.zones.size() == 6);

    const Zone* main = layout.find("main");
    REQUIRE(main);
    CHECK(main->line == 2);
    CHECK(main->kind == ZoneKind::Playlist);
    CHECK(main->area == ZoneArea{{0, false}, {0, false}, {75, true}, {90, true}});
    CHECK(main->order == -1);
    CHECK(main->sound);

    const Zone* ticker = layout.find("ticker");
    REQUIRE(ticker);
    CHECK(ticker->line == 8);
    CHECK(ticker->kind == ZoneKind::Ticker);
    CHECK(ticker->order == 2);
    CHECK(ticker->source == TickerSource::Slogans);
    CHECK(ticker->file == "/etc/signage/tickers/slogans.txt");
    CHECK(ticker->speed == 160.5);
    CHECK(ticker->separator == " · ");
    CHECK(ticker->color == Color{0xFF, 0xD5, 0x4A, 255});
    CHECK(ticker->background == Color{0xB7, 0x1C, 0x1C, 0xCC});
    CHECK(ticker->font_size == 48);

    const Zone* news = layout.find("news");
    REQUIRE(news);
    CHECK(news->source == TickerSource::Text);
    CHECK(news->text == "接到陌生来电 请拨打 96110 核实");
    CHECK(news->separator == "◆");
    CHECK(news->area == ZoneArea{{0, false}, {1000, false}, {1920, false}, {80, false}});
    CHECK(news->file.empty());

    const Zone* alerts = layout.find("alerts");
    REQUIRE(alerts);
    CHECK(alerts->source == TickerSource::Alerts);

    const Zone* clock = layout.find("clock");
    REQUIRE(clock);
    CHECK(clock->kind == ZoneKind::Clock);
    CHECK(clock->format == "%H:%M:%S");
    CHECK(clock->align == Align::Right);
    CHECK(clock->color == Color{0, 0, 0, 255});
    CHECK(clock_period(clock->format) == 1);

    const Zone* header = layout.find("header");
    REQUIRE(header);
    CHECK(header->kind == ZoneKind::Text);
    CHECK(header->text == "全国反诈专线 96110");
    CHECK(header->image == "/srv/logo.png");
    CHECK(header->align == Align::Left);
    CHECK(header->font_size == 64);
    CHECK(header->background == Color{0xC6, 0x28, 0x28, 255});
}

TEST_CASE("areas resolve to pixels in percent and pixels, landscape and portrait", "[layout]")
{
    auto area = [](const std::string& text) {
        auto load = parse_screen_layout("[main]\narea = " + text + "\n", "layout.ini", "/");
        REQUIRE(load.ok());
        REQUIRE(load->errors.empty());
        return load->layout.zones.at(0).area;
    };
    // Percent follows the screen.
    ZoneArea side = area("75%, 0, 25%, 90%");
    CHECK(resolve_area(side, 1920, 1080) == Rect{1440, 0, 480, 972});
    CHECK(resolve_area(side, 1080, 1920) == Rect{810, 0, 270, 1728});
    ZoneArea band = area("0, 92%, 100%, 8%");
    CHECK(resolve_area(band, 1920, 1080) == Rect{0, 994, 1920, 86});
    CHECK(resolve_area(band, 1080, 1920) == Rect{0, 1766, 1080, 154});
    // Pixels do not; "480" and "480px" are the same.
    ZoneArea fixed = area("0, 1000px, 480, 80PX");
    CHECK(fixed == area("0px, 1000, 480px, 80"));
    CHECK(resolve_area(fixed, 1920, 1080) == Rect{0, 1000, 480, 80});
    CHECK(resolve_area(fixed, 1080, 1920) == Rect{0, 1000, 480, 80});
    // Mixed, and clamped inside the screen: 50% + 1200 px is cut at the right edge.
    ZoneArea mixed = area("50%, 10, 1200px, 10%");
    CHECK(resolve_area(mixed, 1920, 1080) == Rect{960, 10, 960, 108});
    CHECK(resolve_area(mixed, 1080, 1920) == Rect{540, 10, 540, 192});
    // Beyond a small screen: a 1-pixel sliver at its edge, never an empty rectangle.
    ZoneArea beyond = area("1600, 900, 480, 100");
    CHECK(resolve_area(beyond, 1280, 720) == Rect{1279, 719, 1, 1});
    CHECK(resolve_area(beyond, 0, 720) == Rect{});
    // Edges are rounded, not sizes: thirds tile the screen without a gap or an overlap.
    Rect a = resolve_area(area("0, 0, 33.333%, 100%"), 1000, 10);
    Rect b = resolve_area(area("33.333%, 0, 33.334%, 100%"), 1000, 10);
    Rect c = resolve_area(area("66.667%, 0, 33.333%, 100%"), 1000, 10);
    CHECK(a.x + a.w == b.x);
    CHECK(b.x + b.w == c.x);
    CHECK(c.x + c.w == 1000);
    // A hand-made Length far out of range or not a number (not from a file) is still kept inside.
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    ZoneArea wild{{-5e300, false}, {nan, true}, {1e300, true}, {1e9, false}};
    CHECK(resolve_area(wild, 1920, 1080).x == 0);
    CHECK(resolve_area(wild, 1920, 1080).w == 1920);
    for (const ZoneArea& odd : {wild, ZoneArea{{inf, true}, {-inf, false}, {nan, false}, {inf, true}}}) {
        Rect r = resolve_area(odd, 1920, 1080);
        CHECK((r.x >= 0 && r.y >= 0 && r.w >= 1 && r.h >= 1 && r.x + r.w <= 1920 && r.y + r.h <= 1080));
    }
}

TEST_CASE("zones are in drawing order: by order, equal orders in file order", "[layout]")
{
    LayoutLoad load = parse_ok("[a]\norder = 2\n"
                               "[b]\n"
                               "[c]\norder = 1\n"
                               "[d]\n"
                               "[e]\norder = -3\n"
                               "[f]\norder = 1\n");
    std::vector<std::string> names;
    for (const Zone& zone : load.layout.zones)
        names.push_back(zone.name);
    CHECK(names == std::vector<std::string>{"e", "b", "d", "c", "f", "a"});
    std::vector<std::string> playlist;
    for (const Zone* zone : load.layout.playlist_zones())
        playlist.push_back(zone->name);
    CHECK(playlist == names);
}

TEST_CASE("the main zone and the zone with sound", "[layout]")
{
    SECTION("main is the zone named main, wherever it is")
    {
        LayoutLoad load = parse_ok("[side]\narea = 75%, 0, 25%, 100%\n"
                                   "[clock]\nkind = clock\n"
                                   "[main]\narea = 0, 0, 75%, 100%\n");
        REQUIRE(load.layout.main());
        CHECK(load.layout.main()->name == "main");
        CHECK(load.layout.sound_zone() == load.layout.main());
        CHECK(load.layout.playlist_zones().size() == 2);
    }
    SECTION("else the first playlist zone of the file, even when drawn later")
    {
        LayoutLoad load = parse_ok("[clock]\nkind = clock\n"
                                   "[poster]\narea = 0, 0, 100%, 60%\norder = 5\n"
                                   "[slogans]\narea = 0, 60%, 100%, 40%\n");
        REQUIRE(load.layout.main());
        CHECK(load.layout.main()->name == "poster");
        CHECK(load.layout.zones.back().name == "poster");
    }
    SECTION("sound = yes takes the sound from main")
    {
        LayoutLoad load = parse_ok("[main]\n[side]\nsound = yes\n");
        CHECK(load.layout.main()->name == "main");
        REQUIRE(load.layout.sound_zone());
        CHECK(load.layout.sound_zone()->name == "side");
    }
    SECTION("no zone has sound = no by default, so main plays it")
    {
        LayoutLoad load = parse_ok("[main]\nsound = no\n[side]\n");
        CHECK(load.layout.sound_zone()->name == "main");
    }
}

TEST_CASE("relative paths resolve against the layout's folder; any path is allowed", "[layout]")
{
    LayoutLoad load = parse_ok("[main]\n"
                               "[t1]\nkind = ticker\nfile = slogans.txt\n"
                               "[t2]\nkind = ticker\nfile = ../shared/./slogans.txt\n"
                               "[t3]\nkind = ticker\nfile = /srv/slogans.txt\n"
                               "[logo]\nkind = text\ntext = 96110\nimage = art/logo.png\n");
    CHECK(load.layout.find("t1")->file == "/etc/signage/slogans.txt");
    CHECK(load.layout.find("t2")->file == "/etc/shared/slogans.txt");
    CHECK(load.layout.find("t3")->file == "/srv/slogans.txt");
    CHECK(load.layout.find("logo")->image == "/etc/signage/art/logo.png");
}

TEST_CASE("read_screen_layout reads a file and resolves against its folder", "[layout]")
{
    TempDir dir;
    std::string path = dir.write("screens/lobby.ini", "[main]\n[ticker]\nkind = ticker\nfile = slogans.txt\n");
    auto load = read_screen_layout(path);
    REQUIRE(load.ok());
    CHECK(load->errors.empty());
    CHECK(load->layout.file == path);
    CHECK(load->layout.find("ticker")->file == dir.file("screens/slogans.txt"));

    auto missing = read_screen_layout(dir.file("nowhere.ini"));
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().file == dir.file("nowhere.ini"));

    std::string big = dir.write("big.ini", std::string(kMaxIniFileBytes + 1, ';'));
    auto too_big = read_screen_layout(big);
    REQUIRE_FALSE(too_big.ok());
    CHECK_THAT(too_big.error().to_string(), Catch::Contains("big.ini"));
}

TEST_CASE("a layout without a playlist zone is refused as a whole", "[layout]")
{
    auto none =
        parse_screen_layout("[clock]\nkind = clock\n[band]\nkind = ticker\nsource = alerts\n", "layout.ini", "/");
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().to_string() ==
          "layout.ini: a layout needs a playlist zone (a section without kind, or with kind = playlist)");

    auto empty = parse_screen_layout("; nothing\n", "layout.ini", "/");
    REQUIRE_FALSE(empty.ok());

    // The only playlist zone dropped: the message gives the reason.
    auto dropped = parse_screen_layout("[main]\narea = 0, 0, 120%, 100%\n", "layout.ini", "/");
    REQUIRE_FALSE(dropped.ok());
    CHECK(dropped.error().to_string() ==
          "layout.ini: a layout needs a playlist zone (a section without kind, or with kind = playlist); 1 problem, "
          "the first: layout.ini:2: area: \"120%\" is not a length: 0 to 100% of the screen, or 0 to 16384 pixels "
          "(25%, 480 or 480px)");
}

TEST_CASE("each problem leaves its zone out, names file:line, and keeps the rest", "[layout]")
{
    // Each extra zone starts on line 2, after "[main]".
    using V = std::vector<std::string>;
    CHECK(errors_of("[side]\nsound = yes\n[more]\nsound = yes\n") ==
          V{"layout.ini:5: sound = yes: [side] (line 2) already plays the sound; at most one zone does"});
    CHECK(errors_of("[side]\n[side]\narea = 0, 0, 10%, 10%\n") ==
          V{"layout.ini:3: [side] again: a zone of that name is already at line 2; this one is left out"});
    CHECK(errors_of("[main]\n") ==
          V{"layout.ini:2: [main] again: a zone of that name is already at line 1; this one is left out"});
    CHECK(errors_of("[side]\narea = 0, 0, 100.5%, 10%\n") ==
          V{"layout.ini:3: area: \"100.5%\" is not a length: 0 to 100% of the screen, or 0 to 16384 pixels (25%, 480 "
            "or 480px)"});
    CHECK(errors_of("[side]\narea = 60%, 0, 50%, 10%\n") ==
          V{"layout.ini:3: area: x + w is 110% of the screen: the zone must lie inside it"});
    CHECK(errors_of("[side]\narea = 0, 95%, 10%, 10%\n") ==
          V{"layout.ini:3: area: y + h is 105% of the screen: the zone must lie inside it"});
    CHECK(errors_of("[side]\narea = 0, 0, 0, 10%\n") ==
          V{"layout.ini:3: area: the zone has no size: its width and height must be above 0"});
    CHECK(errors_of("[side]\narea = 0, 0, 10%, 0px\n") ==
          V{"layout.ini:3: area: the zone has no size: its width and height must be above 0"});
    CHECK(errors_of("[side]\narea = 0, 0, 10%\n") ==
          V{"layout.ini:3: area: expected x, y, w, h (four lengths such as 0, 90%, 100%, 10%), got \"0, 0, 10%\""});
    CHECK(errors_of("[side]\narea = 0, -1, 10%, 10%\n") ==
          V{"layout.ini:3: area: \"-1\" is not a length: 0 to 100% of the screen, or 0 to 16384 pixels (25%, 480 or "
            "480px)"});
    CHECK(errors_of("[side]\narea = 0, 0, 20000px, 10%\n").size() == 1);
    CHECK(errors_of("[side]\narea = 0, 0, wide, 10%\n").size() == 1);
    CHECK(errors_of("[side]\nkind = marquee\n") ==
          V{"layout.ini:3: kind: expected one of playlist,ticker,clock,text, got \"marquee\""});
    CHECK(errors_of("[band]\nkind = ticker\nsource = rss\n") ==
          V{"layout.ini:4: source: expected one of slogans,text,alerts, got \"rss\""});
    CHECK(errors_of("[c]\nkind = clock\nalign = middle\n") ==
          V{"layout.ini:4: align: expected one of left,center,right, got \"middle\""});
    CHECK(errors_of("[side]\ncolour = #FFF\n") == V{"layout.ini:3: unknown key \"colour\" in [side]"});
    CHECK(errors_of("[band]\nkind = text\n") == V{"layout.ini:2: [band] (kind = text) needs text"});
    CHECK(errors_of("[band]\nkind = text\ntext =\n") == V{"layout.ini:2: [band] (kind = text) needs text"});
    CHECK(errors_of("[band]\nkind = ticker\nsource = text\n") == V{"layout.ini:2: [band] (source = text) needs text"});
    CHECK(errors_of("[band]\nkind = ticker\n").empty());  // the playlist's slogans with zone = band
    CHECK(errors_of("[band]\nkind = ticker\nfile =\n") == V{"layout.ini:4: file: expected a path, got nothing"});
    CHECK(errors_of("[ticker]\nsource = alerts\n") ==
          V{"layout.ini:2: [ticker] has no kind, so it would be a playlist zone; write kind = ticker (or kind = "
            "playlist to mean it)"});
    CHECK(errors_of("[clock]\narea = 0, 0, 10%, 10%\n").size() == 1);
    CHECK(errors_of("[text]\n").size() == 1);
    CHECK(errors_of("[ticker]\nkind = playlist\n").empty());  // said so: a playlist zone named ticker
    CHECK(errors_of("[my zone]\n") ==
          V{"layout.ini:2: [my zone]: a zone's name is a plain word (letters, digits, _ and -); this zone is left "
            "out"});
    CHECK(errors_of("[主区]\n").size() == 1);
    CHECK(errors_of("[]\n").size() == 1);
    CHECK(errors_of("[c]\nkind = clock\nformat = %Y %B\n") ==
          V{"layout.ini:4: format: unknown directive \"%B\" in \"%Y %B\" (known: %Y %m %d %-m %-d %H %-H %M %S %A %a "
            "%%)"});
    CHECK(errors_of("[c]\nkind = clock\nformat =\n").size() == 1);
    CHECK(errors_of("[band]\nkind = ticker\nsource = alerts\nspeed = 5\n") ==
          V{"layout.ini:5: speed: must be 10 to 2000, got 5"});
    CHECK(errors_of("[band]\nkind = ticker\nsource = alerts\nspeed = 2001\n").size() == 1);
    CHECK(errors_of("[band]\nkind = ticker\nsource = alerts\nfont_size = -1\n").size() == 1);
    CHECK(errors_of("[band]\nkind = ticker\nsource = alerts\ncolor = red\n").size() == 1);
    CHECK(errors_of("[band]\nkind = ticker\nsource = alerts\nbackground = #12345\n").size() == 1);
    CHECK(errors_of("[side]\norder = 1001\n").size() == 1);
    CHECK(errors_of("[side]\nsound = maybe\n") == V{"layout.ini:3: sound: expected yes or no, got \"maybe\""});
    // A line inih cannot read may have been the zone's kind: the zone is left out.
    CHECK(errors_of("[band]\nkind ticker\n") ==
          V{"layout.ini:3: cannot parse this line (expected [section], key = value or a ; comment)",
            "layout.ini:2: [band] is left out: its line 3 cannot be read"});

    // The zone in error is left out; the others stay.
    auto load = parse_screen_layout("[main]\n[side]\ncolour = red\n[band]\nkind = ticker\nsource = alerts\n",
                                    "layout.ini", "/");
    REQUIRE(load.ok());
    CHECK(load->errors.size() == 1);
    REQUIRE(load->layout.zones.size() == 2);
    CHECK(load->layout.find("side") == nullptr);
    CHECK(load->layout.find("band") != nullptr);
}

TEST_CASE("keys before the first zone and too many zones are reported", "[layout]")
{
    auto load = parse_screen_layout("; comment\nkind = ticker\n[main]\n", "layout.ini", "/");
    REQUIRE(load.ok());
    CHECK(messages(load->errors) ==
          std::vector<std::string>{"layout.ini:2: keys before the first [zone] section; ignored"});

    std::string many;
    for (size_t i = 0; i < kMaxLayoutZones + 3; ++i)
        many += "[z" + std::to_string(i) + "]\n";
    auto crowded = parse_screen_layout(many, "layout.ini", "/");
    REQUIRE(crowded.ok());
    CHECK(crowded->layout.zones.size() == kMaxLayoutZones);
    REQUIRE(crowded->errors.size() == 1);
    CHECK(crowded->errors[0].to_string() ==
          "layout.ini:" + std::to_string(kMaxLayoutZones + 1) + ": more than " + std::to_string(kMaxLayoutZones) +
              " zones; [z" + std::to_string(kMaxLayoutZones) + "] and the rest are left out");
}

TEST_CASE("keys that do nothing for a zone's kind or source are warnings", "[layout]")
{
    auto load = parse_screen_layout("[main]\nspeed = 100\ncolor = #FFF\n"
                                    "[band]\nkind = ticker\nsource = alerts\nfile = x.txt\ntext = t\nsound = yes\n"
                                    "align = left\n"
                                    "[slogans]\nkind = ticker\nfile = s.txt\ntext = t\n"
                                    "[c]\nkind = clock\nimage = logo.png\n",
                                    "layout.ini", "/");
    REQUIRE(load.ok());
    CHECK(load->errors.empty());
    CHECK(messages(load->warnings) ==
          std::vector<std::string>{
              "layout.ini:2: speed applies to ticker zones only; ignored in a playlist zone",
              "layout.ini:3: color applies to ticker, clock and text zones; ignored in a playlist zone",
              "layout.ini:9: sound applies to playlist zones only; ignored in a ticker zone",
              "layout.ini:10: align applies to clock and text zones; ignored in a ticker zone",
              "layout.ini:7: file is not read with source = alerts; ignored",
              "layout.ini:8: text is not read with source = alerts; ignored",
              "layout.ini:14: text is not read with source = slogans; ignored",
              "layout.ini:17: image applies to text zones only; ignored in a clock zone",
          });
    const Zone* band = load->layout.find("band");
    REQUIRE(band);
    CHECK_FALSE(band->sound);
    CHECK(band->file.empty());
    CHECK(band->text.empty());
    CHECK(load->layout.find("slogans")->text.empty());
    CHECK(load->layout.sound_zone()->name == "main");
}

TEST_CASE("docs/layout.md is generated from the key table and up to date", "[layout]")
{
    std::string markdown = layout_reference_markdown();
    for (const char* key : {"kind", "area", "order", "sound", "background", "color", "font_size", "align", "source",
                            "file", "text", "speed", "separator", "format", "image"})
        CHECK_THAT(markdown, Catch::Contains("| `" + std::string(key) + "` |"));
    std::ifstream in(std::string(SIGNAGE_SOURCE_DIR) + "/docs/layout.md");
    std::string on_disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO("regenerate with: signage-player layout-reference > docs/layout.md");
    CHECK(on_disk == markdown);
}

TEST_CASE("the worked layouts in docs/layout.md parse without errors, as described", "[layout]")
{
    std::string guide(layout_guide_markdown());
    std::vector<LayoutLoad> layouts;
    size_t at = 0;
    while ((at = guide.find("```ini\n", at)) != std::string::npos) {
        size_t end = guide.find("```", at + 7);
        std::string block = guide.substr(at + 7, end - at - 7);
        at = end + 3;
        if (block.find("[screen]") != std::string::npos || block.find("type =") != std::string::npos)
            continue;  // player.ini and playlist snippets
        auto load = parse_screen_layout(block, "example.ini", "/etc/signage");
        if (!load) {
            FAIL_CHECK(load.error().to_string() << "\n" << block);
            continue;
        }
        for (const Error& e : load->errors)
            FAIL_CHECK(e.to_string() << "\n" << block);
        for (const Error& e : load->warnings)
            FAIL_CHECK(e.to_string() << "\n" << block);
        layouts.push_back(*load);
    }
    REQUIRE(layouts.size() == 4);

    // The bank lobby, at 1920x1080: the sizes the guide gives.
    const ScreenLayout& lobby = layouts[0].layout;
    CHECK(resolve_area(lobby.main()->area, 1920, 1080) == Rect{0, 0, 1440, 972});
    CHECK(resolve_area(lobby.find("side")->area, 1920, 1080) == Rect{1440, 0, 480, 972});
    CHECK(resolve_area(lobby.find("ticker")->area, 1920, 1080) == Rect{0, 972, 1920, 108});
    CHECK(resolve_area(lobby.find("clock")->area, 1920, 1080) == Rect{1574, 972, 346, 108});
    CHECK(lobby.find("ticker")->source == TickerSource::Alerts);
    CHECK(lobby.zones.back().name == "clock");
    CHECK(lobby.sound_zone()->name == "main");

    // The lift, portrait: the poster zone is main.
    const ScreenLayout& lift = layouts[1].layout;
    CHECK(lift.main()->name == "poster");
    CHECK(lift.sound_zone()->name == "poster");
    CHECK(resolve_area(lift.main()->area, 1080, 1920) == Rect{0, 0, 1080, 1152});
    CHECK(resolve_area(lift.find("slogans")->area, 1080, 1920) == Rect{0, 1152, 1080, 614});
    CivilDate sunday{2026, 12, 6};
    CHECK(format_clock(lift.find("clock")->format, {sunday, weekday_of(sunday), 14 * 3600 + 30 * 60}) ==
          "12月6日 周日 14:30");

    // The service hall: header with the hotline and emblem, the clock on top of it.
    const ScreenLayout& hall = layouts[2].layout;
    const Zone* header = hall.find("header");
    CHECK(header->text == "全国反诈专线 96110");
    CHECK(header->image == "/etc/signage/emblem.png");
    CHECK(hall.find("ticker")->file == "/etc/signage/hall-slogans.txt");
    CHECK(hall.find("ticker")->separator == " ◆ ");
    CHECK(hall.find("clock")->format == kDefaultClockFormat);
    CHECK(hall.zones.back().name == "clock");
    CHECK(hall.main()->name == "main");

    // The cinema: main fills the screen, the clock on top.
    const ScreenLayout& cinema = layouts[3].layout;
    CHECK(resolve_area(cinema.main()->area, 1920, 1080) == Rect{0, 0, 1920, 1080});
    CHECK(cinema.zones.back().kind == ZoneKind::Clock);
}
