#include "playlist/base/path_guard.h"
#include "playlist/timeline/playlist.h"
#include "tests/unit/temp_dir.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace signage;
namespace fs = std::filesystem;

using testing::TempDir;

TEST_CASE("items are read in order with defaults applied", "[playlist]")
{
    auto load = parse_playlist_text("[defaults]\n"
                                    "duration = 6\n"
                                    "transition_duration = 0.8s\n"
                                    "\n"
                                    "[hello]\n"
                                    "type = slogan\n"
                                    "text =  不轻信 不透露 不转账  \n"
                                    "color = #FFD54A\n"
                                    "\n"
                                    "[poster]\n"
                                    "type = image\n"
                                    "file = posters/a.png\n"
                                    "fit = cover\n"
                                    "duration = 10s\n"
                                    "transition = cut\n",
                                    "/share/playlist.ini", "/share");
    REQUIRE(load.errors.empty());
    REQUIRE(load.warnings.empty());
    const auto& items = load.playlist.items;
    REQUIRE(items.size() == 2);
    CHECK(items[0].type == ItemType::Slogan);
    CHECK(items[0].text == "不轻信 不透露 不转账");
    CHECK(items[0].duration == 6);
    CHECK(items[0].fade_in() == 0.8);
    CHECK(items[0].color == Color{0xFF, 0xD5, 0x4A, 255});
    CHECK(items[0].source == "playlist.ini:5");
    CHECK(items[1].type == ItemType::Image);
    CHECK(items[1].path == "/share/posters/a.png");
    CHECK(items[1].fit == Fit::Cover);
    CHECK(items[1].duration == 10);
    CHECK(items[1].fade_in() == 0);  // cut
}

TEST_CASE("a bad item is reported with its line and the rest still play", "[playlist]")
{
    auto load = parse_playlist_text("[a]\ntype = slogan\ntext = ok\n"
                                    "[b]\ntype = image\nfile = x.png\nfit = fill\n"
                                    "[c]\ntype = poster\nfile = y.png\n"
                                    "[d]\ntype = image\n"
                                    "[e]\ntype = slogan\ntext = fine\nduration = 8 seconds\n"
                                    "[f]\ntext = no type\n"
                                    "[g]\ntype = slogan\ntext = last\ncolour = #fff\n",
                                    "p.ini", "/s");
    CHECK(load.playlist.items.size() == 2);  // a and g
    REQUIRE(load.errors.size() == 5);
    CHECK(load.errors[0].to_string() == "p.ini:7: fit: expected one of contain,cover,stretch, got \"fill\"");
    CHECK(load.errors[1].to_string() ==
          "p.ini:9: type: expected one of slogan,slogans,image,video,group, got \"poster\"");
    CHECK(load.errors[2].to_string() == "p.ini:11: [d] (type = image) needs file");
    CHECK(load.errors[3].line == 16);
    CHECK(load.errors[4].to_string() == "p.ini:17: [f] has no type (slogan, slogans, image or video)");
    REQUIRE(load.warnings.size() == 1);
    CHECK(load.warnings[0].to_string() == "p.ini:22: unknown key \"colour\" in [g]; ignored");
}

TEST_CASE("paths may not leave the playlist's folder", "[playlist]")
{
    auto load = parse_playlist_text("[a]\ntype = image\nfile = ../secret.png\n"
                                    "[b]\ntype = image\nfile = /etc/passwd\n"
                                    "[c]\ntype = image\nfile = posters/../../x.png\n"
                                    "[d]\ntype = image\nfile = posters/./ok.png\n",
                                    "p.ini", "/share");
    REQUIRE(load.playlist.items.size() == 1);
    CHECK(load.playlist.items[0].path == "/share/posters/ok.png");
    REQUIRE(load.errors.size() == 3);
    CHECK(load.errors[0].line == 3);
    CHECK_THAT(load.errors[0].message, Catch::Contains("leaves the playlist's folder"));
    CHECK_THAT(load.errors[1].message, Catch::Contains("absolute paths are not allowed"));
    CHECK(load.errors[2].line == 9);
}

TEST_CASE("a symlink leading outside the share is refused when opened", "[playlist]")
{
    TempDir share;
    TempDir outside;
    std::string secret = outside.write("secret.png", "x");
    fs::create_symlink(secret, share.path / "link.png");
    share.write("inside.png", "x");
    fs::create_symlink(share.path / "inside.png", share.path / "ok-link.png");
    CHECK_FALSE(check_real_path_inside(share.path.string(), (share.path / "link.png").string()));
    CHECK(check_real_path_inside(share.path.string(), (share.path / "ok-link.png").string()));
    CHECK(check_real_path_inside(share.path.string(), (share.path / "inside.png").string()));
}

TEST_CASE("control characters in paths are refused", "[playlist]")
{
    CHECK_FALSE(confine_path("/s", std::string("a\x01.png")));
    CHECK_FALSE(confine_path("/s", "a\nb.png"));
    CHECK(confine_path("/s", "海报/一.png"));
}

TEST_CASE("a slogans file becomes one item per line, with its own line numbers", "[playlist]")
{
    TempDir share;
    share.write("slogans.txt", "\xEF\xBB\xBF不轻信 不透露 不转账\r\n\r\n# a comment\r\n  先交钱后放贷 100%是诈骗  \r\n");
    std::string playlist = share.write("playlist.ini", "[all]\ntype = slogans\nfile = slogans.txt\nduration = 4\n");
    auto load = load_playlist(playlist);
    REQUIRE(load.errors.empty());
    REQUIRE(load.playlist.items.size() == 2);
    CHECK(load.playlist.items[0].text == "不轻信 不透露 不转账");
    CHECK(load.playlist.items[0].source == "slogans.txt:1");
    CHECK(load.playlist.items[1].text == "先交钱后放贷 100%是诈骗");
    CHECK(load.playlist.items[1].source == "slogans.txt:4");
    CHECK(load.playlist.items[1].duration == 4);
    CHECK(load.notices.empty());  // UTF-8 with BOM is fine
}

TEST_CASE("a slogans file saved as GB18030 is read and noted", "[playlist]")
{
    TempDir share;
    // "不轻信 不透露" in GBK/GB18030, as Notepad on a Chinese Windows saves it.
    share.write("slogans.txt", "\xB2\xBB\xC7\xE1\xD0\xC5 \xB2\xBB\xCD\xB8\xC2\xB6\r\n");
    std::string playlist = share.write("playlist.ini", "[all]\ntype = slogans\nfile = slogans.txt\n");
    auto load = load_playlist(playlist);
    REQUIRE(load.errors.empty());
    REQUIRE(load.playlist.items.size() == 1);
    CHECK(load.playlist.items[0].text == "不轻信 不透露");
    REQUIRE(load.notices.size() == 1);
    CHECK_THAT(load.notices[0].to_string(), Catch::Contains("slogans.txt") && Catch::Contains("GB18030"));
}

TEST_CASE("a missing slogans file is an error on its section's line", "[playlist]")
{
    TempDir share;
    std::string playlist = share.write("playlist.ini", "[x]\ntype = slogan\ntext = a\n\n[all]\ntype = slogans\nfile = nope.txt\n");
    auto load = load_playlist(playlist);
    CHECK(load.playlist.items.size() == 1);
    REQUIRE(load.errors.size() == 1);
    CHECK(load.errors[0].line == 5);
    CHECK_THAT(load.errors[0].message, Catch::Contains("nope.txt"));
}

TEST_CASE("disabled items and empty playlists", "[playlist]")
{
    auto load = parse_playlist_text("[a]\ntype = slogan\ntext = x\nenabled = no\n", "p.ini", "/s");
    CHECK(load.playlist.items.empty());
    REQUIRE(load.warnings.size() == 1);
    CHECK_THAT(load.warnings[0].message, Catch::Contains("fallback"));
}

TEST_CASE("a fade as long as the item is shortened and reported", "[playlist]")
{
    auto load = parse_playlist_text("[a]\ntype = slogan\ntext = x\nduration = 1\ntransition_duration = 2\n", "p.ini",
                                    "/s");
    REQUIRE(load.playlist.items.size() == 1);
    CHECK(load.playlist.items[0].fade_in() == 0.5);
    REQUIRE(load.errors.size() == 1);
    CHECK(load.errors[0].line == 5);
}

TEST_CASE("video items are kept and typed", "[playlist]")
{
    auto load = parse_playlist_text("[psa]\ntype = video\nfile = psa.mp4\n", "p.ini", "/s");
    REQUIRE(load.playlist.items.size() == 1);
    const auto& video = load.playlist.items[0];
    CHECK(video.type == ItemType::Video);
    CHECK_FALSE(video.duration_set);  // its own length, known once opened
    CHECK(video.loops == 1);
    CHECK(video.start == 0);
    CHECK_FALSE(video.end.has_value());
    CHECK(video.volume == 1.0);
    CHECK_FALSE(video.muted);
}

TEST_CASE("video options: loop, trims, volume, mute, duration", "[playlist]")
{
    auto load = parse_playlist_text("[defaults]\nvolume = 80\n"
                                    "[a]\ntype = video\nfile = a.mp4\nloop = 3\nstart = 1.5s\nend = 10\nmuted = yes\n"
                                    "[b]\ntype = video\nfile = b.mp4\nduration = 30\nvolume = 50\n"
                                    "[c]\ntype = slogan\ntext = hi\n",
                                    "p.ini", "/s");
    REQUIRE(load.errors.empty());
    REQUIRE(load.warnings.empty());  // volume in [defaults] is not a slogan's own key
    const auto& items = load.playlist.items;
    REQUIRE(items.size() == 3);
    CHECK(items[0].loops == 3);
    CHECK(items[0].start == 1.5);
    CHECK(items[0].end == std::optional<double>(10));
    CHECK(items[0].muted);
    CHECK(items[0].volume == Approx(0.8));
    CHECK(items[1].duration_set);
    CHECK(items[1].duration == 30);
    CHECK(items[1].volume == Approx(0.5));
    CHECK(items[2].duration == kDefaultItemSeconds);
}

TEST_CASE("contradictory video options are errors on their line", "[playlist]")
{
    auto load = parse_playlist_text("[a]\ntype = video\nfile = a.mp4\nduration = 20\nloop = 2\n"
                                    "[b]\ntype = video\nfile = b.mp4\nstart = 5\nend = 4\n"
                                    "[c]\ntype = video\nfile = c.mp4\n",
                                    "p.ini", "/s");
    REQUIRE(load.playlist.items.size() == 1);
    CHECK(load.playlist.items[0].name == "c");
    REQUIRE(load.errors.size() == 2);
    CHECK(load.errors[0].line == 5);
    CHECK(load.errors[0].message.find("loop and duration") != std::string::npos);
    CHECK(load.errors[1].line == 10);
    CHECK(load.errors[1].message.find("must be after start") != std::string::npos);
}

TEST_CASE("video keys on a slogan or poster are reported as ignored", "[playlist]")
{
    auto load = parse_playlist_text("[a]\ntype = image\nfile = a.png\nloop = 2\nmuted = yes\n", "p.ini", "/s");
    REQUIRE(load.playlist.items.size() == 1);
    REQUIRE(load.warnings.size() == 2);
    CHECK(load.warnings[0].line == 4);
    CHECK(load.warnings[0].message == "loop applies to videos only; ignored here");
}

TEST_CASE("docs/playlist.md is generated from the item table and up to date", "[playlist]")
{
    std::ifstream in(std::string(SIGNAGE_SOURCE_DIR) + "/docs/playlist.md");
    std::string on_disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO("regenerate with: signage-player playlist-reference > docs/playlist.md");
    CHECK(on_disk == playlist_reference_markdown());
}
