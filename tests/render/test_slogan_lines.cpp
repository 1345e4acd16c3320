// The lines of the 20 campaign slogans on four canvases, laid out as a screen lays them out
// (SlideComposer with the default config and the repo's fonts/), compared with the readable golden
// tests/golden/slogan-lines.txt. Independently of that file, every break between two CJK characters
// must be a word boundary of ICU's dictionary segmentation; tests/integration/test_slogan_breaks.py
// checks the same golden file against jieba's.
#include "player/render/slide_composer.h"
#include "playlist/text/text_encoding.h"
#include "playlist/text/word_breaks.h"
#include "tests/render/image_compare.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace signage;

namespace {

struct Canvas {
    int width, height;
    const char* what;
};

// A landscape screen, a portrait one (lift displays), a small landscape one, and a side column
// beside the main zone.
const Canvas kCanvases[] = {
    {1920, 1080, "landscape"},
    {1080, 1920, "portrait"},
    {1280, 720, "small landscape"},
    {600, 1080, "side column"},
};

std::string source_file(const std::string& relative)
{
    return std::string(SIGNAGE_SOURCE_DIR) + "/" + relative;
}

std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> read_slogans()
{
    std::vector<std::string> slogans;
    for (const auto& line : split_lines(read_file(source_file("tests/golden/campaign-slogans.txt"))))
        if (!line.empty() && line[0] != '#')
            slogans.push_back(line);
    return slogans;
}

bool is_space(char32_t c)
{
    return c == U' ' || c == 0x3000;
}

bool is_cjk_letter(char32_t c)
{
    return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFD);
}

// Where in `text` each line after the first begins, and whether a space was dropped there.
struct Break {
    size_t at = 0;  // code point index in text
    bool at_space = false;
};

// Finds the lines in the text; fails (returns false) when the lines are not the text.
bool locate_breaks(std::u32string_view text, const std::vector<std::u32string>& lines, std::vector<Break>& breaks)
{
    size_t pos = 0;
    auto skip_spaces = [&] {
        bool skipped = false;
        while (pos < text.size() && is_space(text[pos])) {
            ++pos;
            skipped = true;
        }
        return skipped;
    };
    skip_spaces();
    for (size_t l = 0; l < lines.size(); ++l) {
        if (l > 0) {
            Break b;
            b.at = pos;
            b.at_space = skip_spaces();
            breaks.push_back(b);
        }
        for (char32_t c : lines[l]) {
            if (is_space(c)) {
                if (!skip_spaces())
                    return false;
            } else if (pos < text.size() && text[pos] == c) {
                ++pos;
            } else {
                return false;
            }
        }
    }
    skip_spaces();
    return pos == text.size();
}

std::string lines_text(const SloganLayout& layout)
{
    std::string out = std::to_string(layout.font_size) + " px: ";
    for (size_t i = 0; i < layout.lines.size(); ++i)
        out += (i > 0 ? " | " : "") + u32_to_utf8(layout.lines[i]);
    return out;
}

const char* kHeader =
    "# The lines of the 20 campaign slogans (campaign-slogans.txt, in its order) as a screen lays\n"
    "# them out: SlideComposer with the default config and fonts/, on each canvas (the safe area is\n"
    "# 5% in from each edge). Each line: the font size, then the slogan's lines separated by \" | \".\n"
    "# Compared by tests/render/test_slogan_lines.cpp (rewritten with SIGNAGE_UPDATE_GOLDEN=1) and\n"
    "# checked against jieba's segmentation by tests/integration/test_slogan_breaks.py.\n";

// The lines that differ, "-" expected and "+" actual, under the canvas header they belong to.
std::string line_diff(const std::string& expected, const std::string& actual)
{
    std::vector<std::string> e = split_lines(expected), a = split_lines(actual);
    std::string out, header;
    for (size_t i = 0; i < std::max(e.size(), a.size()); ++i) {
        const std::string& el = i < e.size() ? e[i] : std::string("(end)");
        const std::string& al = i < a.size() ? a[i] : std::string("(end)");
        if (al.rfind("== ", 0) == 0)
            header = al;
        if (el == al)
            continue;
        out += header + "\n- " + el + "\n+ " + al + "\n";
    }
    return out;
}

}  // namespace

TEST_CASE("the campaign slogans break only between words on every canvas, as the golden file names",
          "[render][golden][slogan_lines]")
{
    std::vector<std::string> slogans = read_slogans();
    REQUIRE(slogans.size() == 20);

    std::string actual = kHeader;
    for (const Canvas& canvas : kCanvases) {
        auto composer = SlideComposer::create(Config{}, source_file("fonts"), CanvasSize{canvas.width, canvas.height});
        REQUIRE(composer);
        actual += "\n== " + std::to_string(canvas.width) + "x" + std::to_string(canvas.height) + " (" + canvas.what +
                  ") ==\n";
        for (const auto& slogan : slogans) {
            SloganLayout layout = composer->layout(slogan);
            actual += lines_text(layout) + "\n";

            INFO(canvas.width << "x" << canvas.height << ": " << lines_text(layout));
            CHECK(layout.fits);
            CHECK(layout.worst_break <= BreakClass::WordAndSingle);
            CHECK_FALSE(layout.lone_character);

            std::u32string text = utf8_to_u32(slogan);
            std::vector<Break> breaks;
            REQUIRE(locate_breaks(text, layout.lines, breaks));
            auto classes = word_breaks(text);
            REQUIRE(classes);
            for (const Break& b : breaks) {
                if (b.at_space || b.at == 0 || b.at >= text.size())
                    continue;
                if (!is_cjk_letter(text[b.at - 1]) || !is_cjk_letter(text[b.at]))
                    continue;
                INFO("break before code point " << b.at << ": " << break_class_name((*classes)[b.at]));
                CHECK((*classes)[b.at] != BreakClass::InsideWord);
            }
        }
    }

    std::string golden = source_file("tests/golden/slogan-lines.txt");
    const char* update = std::getenv("SIGNAGE_UPDATE_GOLDEN");
    bool exists = std::filesystem::exists(golden);
    if (!exists || (update && std::string(update) == "1")) {
        std::ofstream(golden, std::ios::binary) << actual;
        INFO("golden " << golden << " written: read every layout, then rerun");
        CHECK(exists);
        return;
    }
    std::string expected = read_file(golden);
    if (expected != actual) {
        std::string saved = signage::testing::output_dir() + "/slogan-lines.actual.txt";
        std::ofstream(saved, std::ios::binary) << actual;
        FAIL_CHECK("slogan lines differ from " << golden << " (actual saved as " << saved
                                               << "; read every changed layout, then SIGNAGE_UPDATE_GOLDEN=1 "
                                                  "rewrites the golden):\n"
                                               << line_diff(expected, actual));
    }
}
