// Word boundaries from ICU's dictionary segmentation, ranked for line breaking (word_breaks.h).
#include "playlist/text/text_encoding.h"
#include "playlist/text/word_breaks.h"

#include <catch2/catch.hpp>

#include <string>
#include <thread>

using namespace signage;

namespace {

std::vector<BreakClass> classes(const std::string& text)
{
    auto result = word_breaks(utf8_to_u32(text));
    REQUIRE(result);
    REQUIRE(result->size() == utf8_to_u32(text).size());
    return *result;
}

// The text with a mark at every boundary better than InsideWord: " " at spaces, "‖" after clause
// punctuation, "|" between words, "¦" next to a single character, "·" between single characters.
std::string marked(const std::string& text)
{
    std::u32string t = utf8_to_u32(text);
    std::vector<BreakClass> c = classes(text);
    std::u32string out;
    for (size_t i = 0; i < t.size(); ++i) {
        if (i > 0) {
            switch (c[i]) {
            case BreakClass::Space: break;
            case BreakClass::Clause: out += U"‖"; break;
            case BreakClass::Words: out += U"|"; break;
            case BreakClass::WordAndSingle: out += U"¦"; break;
            case BreakClass::Singles: out += U"·"; break;
            case BreakClass::InsideWord: break;
            }
        }
        out += t[i];
    }
    return u32_to_utf8(out);
}

}  // namespace

TEST_CASE("word_breaks: dictionary words are never broken inside", "[word_breaks]")
{
    // The words the old breaker split on a portrait screen (issue 13) stay whole.
    CHECK(marked("公检法不会电话办案") == "公·检·法¦不会|电话|办案");
    CHECK(marked("安全账户根本就不存在") == "安全|账户|根本¦就¦不存在");
    CHECK(marked("部分受害者") == "部分|受害者");
    CHECK(marked("不明聊天群不进") == "不明|聊天¦群¦不进");
    CHECK(marked("会在意想不到的地方") == "会·在¦意想不到¦的¦地方");
}

TEST_CASE("word_breaks: a word ICU does not know falls apart into single characters, ranked lowest", "[word_breaks]")
{
    // 网购, 客服 and 涵盖 are not in ICU's dictionary: the boundaries inside them are between two
    // single-character tokens, the class a layout avoids.
    std::vector<BreakClass> c = classes("低价网购需谨慎");
    CHECK(c[3] == BreakClass::Singles);  // 网|购
    CHECK(c[2] == BreakClass::WordAndSingle);  // 低价|网
    CHECK(classes("真假客服须明辨")[3] == BreakClass::Singles);  // 客|服
    CHECK(classes("涵盖所有")[1] == BreakClass::Singles);  // 涵|盖
}

TEST_CASE("word_breaks: a compound ICU cuts as a word and a single character is ambiguous", "[word_breaks]")
{
    // 防火墙 is 防火|墙 to ICU, but 火墙 is a word too: the boundary ranks with the doubtful ones,
    // and the one after 墙, where the compound ends, next to a word.
    CHECK(marked("筑牢反诈防火墙不听不信不转账") == "筑·牢·反·诈¦防火·墙¦不·听¦不信¦不¦转账");
    // Only in that direction: 在|意想不到 stays a word boundary although 在意 is a word.
    CHECK(classes("会在意想不到")[2] == BreakClass::WordAndSingle);
}

TEST_CASE("word_breaks: spaces, clause punctuation, numbers and Latin words", "[word_breaks]")
{
    CHECK(marked("你我同心 反诈同行") == "你我|同心 反·诈¦同行");
    std::vector<BreakClass> spaced = classes("你我同心 反诈同行");
    CHECK(spaced[0] == BreakClass::Space);
    CHECK(spaced[4] == BreakClass::Space);  // before the space
    CHECK(spaced[5] == BreakClass::Space);  // after it
    CHECK(marked("你不会被骗？之前我") == "你¦不会¦被·骗|？‖之前¦我");
    // Inside a number, 100% and a Latin word there is no word boundary.
    std::vector<BreakClass> number = classes("100%是诈骗");
    CHECK(number[1] == BreakClass::InsideWord);
    CHECK(number[2] == BreakClass::InsideWord);
    CHECK(number[4] == BreakClass::Words);  // %|是: next to punctuation
    std::vector<BreakClass> latin = classes("hello world");
    for (size_t i : {1, 2, 3, 4, 7, 8})
        CHECK(latin[i] == BreakClass::InsideWord);
    CHECK(marked("请拨打96110咨询").find("96110") != std::string::npos);
}

TEST_CASE("word_breaks: code points beyond the BMP and invalid ones keep their indexes", "[word_breaks]")
{
    // U+20000 is a surrogate pair in UTF-16; the classes are still one per code point.
    std::u32string astral = U"你\U00020000好 𠀀abc";
    auto c = word_breaks(astral);
    REQUIRE(c);
    CHECK(c->size() == astral.size());
    CHECK((*c)[4] == BreakClass::Space);
    CHECK((*c)[6] == BreakClass::InsideWord);  // a|b

    // Surrogates and values above U+10FFFF (never from our UTF-8 decoder, but from anyone else).
    std::u32string broken = {U'你', 0xD800, U'好', 0x110000, 0xFFFFFFFF, U'a', U'b'};
    auto b = word_breaks(broken);
    REQUIRE(b);
    CHECK(b->size() == broken.size());

    auto empty = word_breaks(U"");
    REQUIRE(empty);
    CHECK(empty->empty());
}

TEST_CASE("word_breaks: each thread has its own iterator and gets the same answer", "[word_breaks]")
{
    std::vector<BreakClass> here = classes("不要以为你不会成为目标 电诈受害群体涵盖所有年龄和职业");
    std::vector<BreakClass> there;
    std::thread worker([&] {
        for (int i = 0; i < 50; ++i)
            there = *word_breaks(utf8_to_u32("不要以为你不会成为目标 电诈受害群体涵盖所有年龄和职业"));
    });
    for (int i = 0; i < 50; ++i)
        CHECK(classes("不要以为你不会成为目标 电诈受害群体涵盖所有年龄和职业") == here);
    worker.join();
    CHECK(there == here);
}

TEST_CASE("word_breaks: without a dictionary every boundary is a word boundary", "[word_breaks]")
{
    std::vector<BreakClass> c = fallback_breaks(U"你好？吗 ab");
    REQUIRE(c.size() == 7);
    CHECK(c[0] == BreakClass::Space);
    CHECK(c[1] == BreakClass::Words);
    CHECK(c[3] == BreakClass::Clause);
    CHECK(c[4] == BreakClass::Space);
    CHECK(c[5] == BreakClass::Space);
    CHECK(c[6] == BreakClass::Words);  // the line breaker's kinsoku keeps "ab" whole anyway
    CHECK(std::string(break_class_name(BreakClass::Singles)) == "singles");
}
