#include "playlist/config/config.h"
#include "playlist/sync/share_sync.h"
#include "tests/unit/temp_dir.h"

#include <catch2/catch.hpp>
#include <fstream>

using namespace signage;

TEST_CASE("every default in the config table is a valid value", "[config]")
{
    for (const auto& spec : config_options()) {
        if (spec.default_text.empty())
            continue;
        Config scratch;
        INFO(std::string(spec.section) + "." + std::string(spec.key));
        CHECK(apply_option(spec, spec.default_text, scratch).empty());
    }
}

TEST_CASE("defaults come from the table", "[config]")
{
    Config c = default_config();
    CHECK(c.fullscreen);
    CHECK(c.width == 1920);
    CHECK(c.rotation_degrees() == 0);
    CHECK(c.background == Color{0x0B, 0x1F, 0x3A, 255});
    CHECK(c.playlist == "playlist.ini");
    CHECK(c.log_level == "info");
}

TEST_CASE("a full config is read with its values", "[config]")
{
    auto load = parse_config_text("[display]\n"
                                  "fullscreen = no\n"
                                  "rotation = 270\n"
                                  "background = #102030\n"
                                  "safe_area = 7.5\n"
                                  "[content]\n"
                                  "playlist = lobby/playlist.ini\n"
                                  "retry_after = 2m\n"
                                  "[text]\n"
                                  "fallback_fonts = a.ttf, b.otf\n"
                                  "[log]\n"
                                  "level = DEBUG\n",
                                  "/etc/sp/player.ini", "/etc/sp");
    REQUIRE(load.errors.empty());
    CHECK(load.warnings.empty());
    const Config& c = load.config;
    CHECK_FALSE(c.fullscreen);
    CHECK(c.rotation_degrees() == 270);
    CHECK(c.background == Color{0x10, 0x20, 0x30, 255});
    CHECK(c.safe_area == 7.5);
    CHECK(c.retry_after == 120);
    CHECK(c.fallback_fonts == std::vector<std::string>{"a.ttf", "b.otf"});
    CHECK(c.log_level == "debug");
    CHECK(c.resolve(c.playlist) == "/etc/sp/lobby/playlist.ini");
    CHECK(c.resolve("/abs/x.ini") == "/abs/x.ini");
}

TEST_CASE("a bad value names the file, the line and the key", "[config]")
{
    auto load = parse_config_text("[display]\n"
                                  "; comment\n"
                                  "rotation = 45\n"
                                  "background = red\n"
                                  "width = -3\n",
                                  "player.ini", ".");
    REQUIRE(load.errors.size() == 3);
    CHECK(load.errors[0].to_string() == "player.ini:3: rotation: expected one of 0,90,180,270, got \"45\"");
    CHECK(load.errors[1].to_string() == "player.ini:4: background: expected a colour as #RRGGBB, got \"red\"");
    CHECK(load.errors[2].to_string() == "player.ini:5: width: must be 64 to 16384, got -3");
}

TEST_CASE("an unknown key or section is a warning with its line", "[config]")
{
    auto load = parse_config_text("[display]\nfulscreen = no\n\n[colours]\nx = 1\n", "player.ini", ".");
    CHECK(load.errors.empty());
    REQUIRE(load.warnings.size() == 2);
    CHECK(load.warnings[0].to_string() == "player.ini:2: unknown key \"fulscreen\" in [display]; ignored");
    CHECK(load.warnings[1].to_string() == "player.ini:4: unknown section [colours]; ignored");
    CHECK(load.config.fullscreen);  // the typo did not change anything
}

TEST_CASE("a line that is not INI is an error with its line", "[config]")
{
    auto load = parse_config_text("[display]\nfullscreen = no\nthis is not ini\n[text\n", "p.ini", ".");
    REQUIRE(load.errors.size() == 2);
    CHECK(load.errors[0].line == 3);
    CHECK(load.errors[1].line == 4);
}

TEST_CASE("a missing config file is an error naming it", "[config]")
{
    auto load = load_config("/nonexistent/player.ini");
    REQUIRE(load.errors.size() == 1);
    CHECK(load.errors[0].to_string() == "/nonexistent/player.ini: No such file or directory");
}

TEST_CASE("config with BOM and CRLF line ends reads the same", "[config]")
{
    auto load = parse_config_text("\xEF\xBB\xBF[display]\r\nfullscreen = no\r\nrotation = 90\r\n", "p.ini", ".");
    CHECK(load.errors.empty());
    CHECK(load.warnings.empty());
    CHECK_FALSE(load.config.fullscreen);
    CHECK(load.config.rotation_degrees() == 90);
}

TEST_CASE("overlong lines are reported, not silently cut", "[config]")
{
    std::string text = "[text]\nfont = " + std::string(5000, 'a') + "\n";
    auto load = parse_config_text(text, "p.ini", ".");
    REQUIRE_FALSE(load.errors.empty());
    CHECK(load.errors[0].line == 2);
    CHECK_THAT(load.errors[0].message, Catch::Contains("longer than"));
}

TEST_CASE("docs/config.md is generated from the table and up to date", "[config]")
{
    std::string markdown = config_reference_markdown();
    for (const auto& spec : config_options())
        CHECK_THAT(markdown, Catch::Contains("| `" + std::string(spec.key) + "` |"));
    std::ifstream in(std::string(SIGNAGE_SOURCE_DIR) + "/docs/config.md");
    std::string on_disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO("regenerate with: signage-player config-reference > docs/config.md");
    CHECK(on_disk == markdown);
}

TEST_CASE("audio and video keys: volume, mute, hwdec", "[config]")
{
    Config defaults = default_config();
    CHECK(defaults.volume == 100);
    CHECK_FALSE(defaults.silent());
    CHECK(defaults.hwdec == "auto");

    auto load = parse_config_text("[audio]\nmute = yes\n[video]\nhwdec = off\n", "player.ini", "/etc");
    REQUIRE(load.errors.empty());
    CHECK(load.config.silent());
    CHECK(load.config.hwdec == "off");
    CHECK(parse_config_text("[audio]\nvolume = 0\n", "p.ini", "/").config.silent());

    auto bad = parse_config_text("[audio]\nvolume = 150\n[video]\nhwdec = cuda\n", "p.ini", "/");
    REQUIRE(bad.errors.size() == 2);
    CHECK(bad.errors[0].line == 2);
    CHECK(bad.errors[1].line == 4);
}

TEST_CASE("[screen] layout names a layout file relative to player.ini's folder", "[config]")
{
    CHECK(default_config().layout.empty());  // one full-screen zone, as before layouts
    auto load = parse_config_text("[screen]\nlayout = layouts/lobby.ini\n", "/etc/signage/player.ini", "/etc/signage");
    REQUIRE(load.errors.empty());
    REQUIRE(load.warnings.empty());
    CHECK(load.config.layout == "layouts/lobby.ini");
    CHECK(load.config.resolve(load.config.layout) == "/etc/signage/layouts/lobby.ini");
    CHECK(load.config.resolve("/srv/lift.ini") == "/srv/lift.ini");
}

TEST_CASE("[content] ca_file must be a readable PEM file, checked when the config is read", "[config][http]")
{
    signage::testing::TempDir dir;
    std::string base = dir.path.string();
    auto load_with = [&](const std::string& ca_file) {
        return parse_config_text("[content]\nshare = https://cdn.example.com/branch-042/\n\nca_file = " + ca_file + "\n",
                                 base + "/player.ini", base);
    };
    SECTION("a PEM bundle, relative to the config's folder, is taken")
    {
        dir.write("ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        auto load = load_with("ca.pem");
        CHECK(load.errors.empty());
        CHECK(load.warnings.empty());
        CHECK(load.config.resolve(load.config.ca_file) == base + "/ca.pem");
        CHECK(sync_options_from_config(load.config).ca_file == base + "/ca.pem");
    }
    SECTION("a missing file is an error at its line")
    {
        auto load = load_with("missing.pem");
        REQUIRE(load.errors.size() == 1);
        CHECK(load.errors[0].to_string() ==
              base + "/player.ini:4: ca_file: cannot read " + base + "/missing.pem: No such file or directory");
    }
    SECTION("a file without a PEM certificate (DER, a key) is an error")
    {
        dir.write("ca.der", std::string("\x30\x82\x01\x0a", 4));
        auto load = load_with("ca.der");
        REQUIRE(load.errors.size() == 1);
        CHECK_THAT(load.errors[0].to_string(), Catch::Contains("holds no PEM certificate"));
    }
    SECTION("without an https share it is a warning: nothing would use it")
    {
        dir.write("ca.pem", "-----BEGIN CERTIFICATE-----\n");
        auto load = parse_config_text("[content]\nca_file = ca.pem\n", base + "/player.ini", base);
        CHECK(load.errors.empty());
        REQUIRE(load.warnings.size() == 1);
        CHECK(load.warnings[0].to_string() ==
              base + "/player.ini:2: ca_file: used only by an https:// share; [content] share is not set");
    }
}
