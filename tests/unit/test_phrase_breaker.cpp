#include "playlist/text/phrase_breaker.h"
#include "playlist/text/text_encoding.h"

#include <catch2/catch.hpp>

using namespace signage;

namespace {
// CJK characters are 1 wide, ASCII 0.5, spaces 0.3.
double fake_measure(std::u32string_view text)
{
    double w = 0;
    for (char32_t c : text)
        w += c == U' ' ? 0.3 : c < 0x80 ? 0.5 : 1.0;
    return w;
}
std::vector<std::string> utf8_lines(const BrokenLines& broken)
{
    std::vector<std::string> out;
    for (const auto& line : broken.lines)
        out.push_back(u32_to_utf8(line));
    return out;
}
}  // namespace

TEST_CASE("phrases that fit share lines, split only at spaces", "[phrases]")
{
    auto broken = break_phrases(utf8_to_u32("不明链接不点 不明聊天群不进 不明微信不加 不明二维码不扫"), 14, fake_measure);
    CHECK(broken.fits);
    CHECK(utf8_lines(broken) == std::vector<std::string>{"不明链接不点 不明聊天群不进", "不明微信不加 不明二维码不扫"});
}

TEST_CASE("a phrase too long for a line gets lines of its own", "[phrases]")
{
    auto broken =
        break_phrases(utf8_to_u32("放下电话想一想 切莫轻易去转帐 筑牢反诈防火墙不听不信不转账"), 8, fake_measure);
    CHECK(broken.fits);
    CHECK(utf8_lines(broken) ==
          std::vector<std::string>{"放下电话想一想", "切莫轻易去转帐", "筑牢反诈防火墙", "不听不信不转账"});
}

TEST_CASE("packing is balanced, not greedy", "[phrases]")
{
    // The fewest lines first; among those, the most even widths.
    auto broken = break_phrases(utf8_to_u32("一二三 四五六 七八九"), 7.5, fake_measure);
    CHECK(broken.lines.size() == 2);
    auto lines = utf8_lines(broken);
    CHECK(lines[0] == "一二三 四五六");
    CHECK(lines[1] == "七八九");
    auto even = break_phrases(utf8_to_u32("一二 三四 五六 七八"), 6, fake_measure);
    CHECK(utf8_lines(even) == std::vector<std::string>{"一二 三四", "五六 七八"});
}

TEST_CASE("phrases split on ideographic spaces and runs of spaces", "[phrases]")
{
    CHECK(split_phrases(utf8_to_u32("  甲\u3000乙   丙 ")) ==
          std::vector<std::u32string>{U"甲", U"乙", U"丙"});
    CHECK(split_phrases(U"   ").empty());
    CHECK(break_phrases(U"", 10, fake_measure).lines.empty());
}

TEST_CASE("a phrase wider than anything reports that it does not fit", "[phrases]")
{
    auto broken = break_phrases(U"supercalifragilistic", 3, fake_measure);
    CHECK_FALSE(broken.fits);
    CHECK(broken.widest > 3);
}

TEST_CASE("a line may break after clause punctuation, without adding a space", "[phrases]")
{
    auto broken = break_phrases(utf8_to_u32("你不会被骗？之前我也是这样想的 可昨天 我被骗了"), 10, fake_measure);
    CHECK(broken.fits);
    CHECK(utf8_lines(broken) == std::vector<std::string>{"你不会被骗？", "之前我也是这样想的", "可昨天 我被骗了"});
    // When it all fits, the clause stays joined as written.
    auto wide = break_phrases(utf8_to_u32("你不会被骗？之前我"), 20, fake_measure);
    CHECK(utf8_lines(wide) == std::vector<std::string>{"你不会被骗？之前我"});
    // A closing quote after the mark stays with it.
    auto quoted = break_phrases(utf8_to_u32("他说：“别转账！”然后挂了电话"), 8, fake_measure);
    for (const auto& line : utf8_lines(quoted))
        CHECK(line.rfind("”", 0) != 0);
}
