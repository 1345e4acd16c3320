#include <catch2/catch.hpp>

#include <cerrno>
#include <iconv.h>
#include <string>
#include <vector>

#include "playlist/text/text_encoding.h"

using namespace signage;

namespace {

const std::vector<std::string> kSlogans = {
    "不轻信 不透露 不转账",
    "不明链接不点 不明聊天群不进 不明微信不加 不明二维码不扫",
    "刷单刷信誉 100%是诈骗 刷单本身就违法",
    "裸聊一时“爽” 敲诈勒索没商量",
    "你不会被骗？之前我也是这样想的 可昨天 我被骗了",
    "全民动员 全民参与 打一场反诈防诈人民战争",
};

std::string joined_slogans(const std::string& line_end)
{
    std::string out;
    for (const auto& s : kSlogans)
        out += s + line_end;
    return out;
}

// The reference encoder: what Windows Notepad's "ANSI" on a Chinese system writes, via glibc iconv.
std::string to_gb18030(const std::string& utf8)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
    std::string out(utf8.size() * 4 + 16, '\0');
    char* in_ptr = const_cast<char*>(utf8.data());
    size_t in_left = utf8.size();
    char* out_ptr = out.data();
    size_t out_left = out.size();
    size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    iconv_close(cd);
    REQUIRE(rc != static_cast<size_t>(-1));
    out.resize(out.size() - out_left);
    return out;
}

std::string utf16_bytes(const std::u16string& text, bool little_endian, bool with_bom = true)
{
    std::string out;
    auto put = [&](char16_t unit) {
        char lo = static_cast<char>(unit & 0xFF), hi = static_cast<char>(unit >> 8);
        out += little_endian ? lo : hi;
        out += little_endian ? hi : lo;
    };
    if (with_bom)
        put(0xFEFF);
    for (char16_t unit : text)
        put(unit);
    return out;
}

}  // namespace

TEST_CASE("encoding_name names every encoding", "[text_encoding]")
{
    CHECK(std::string(encoding_name(TextEncoding::Utf8)) == "UTF-8");
    CHECK(std::string(encoding_name(TextEncoding::Utf8Bom)) == "UTF-8 with BOM");
    CHECK(std::string(encoding_name(TextEncoding::Utf16Le)) == "UTF-16LE");
    CHECK(std::string(encoding_name(TextEncoding::Utf16Be)) == "UTF-16BE");
    CHECK(std::string(encoding_name(TextEncoding::Gb18030)) == "GB18030");
}

TEST_CASE("pure ASCII and UTF-8 decode unchanged as UTF-8", "[text_encoding]")
{
    auto ascii = decode_text("hello\r\nworld\n", "a.txt");
    REQUIRE(ascii.ok());
    CHECK(ascii->encoding == TextEncoding::Utf8);
    CHECK(ascii->utf8 == "hello\r\nworld\n");  // line ends are left alone

    std::string slogans = joined_slogans("\n");
    auto utf8 = decode_text(slogans, "slogans.txt");
    REQUIRE(utf8.ok());
    CHECK(utf8->encoding == TextEncoding::Utf8);
    CHECK(utf8->utf8 == slogans);

    auto empty = decode_text("", "empty.txt");
    REQUIRE(empty.ok());
    CHECK(empty->encoding == TextEncoding::Utf8);
    CHECK(empty->utf8.empty());
}

TEST_CASE("a UTF-8 BOM is detected and stripped", "[text_encoding]")
{
    auto r = decode_text("\xEF\xBB\xBF" + kSlogans[0] + "\r\n", "bom.txt");
    REQUIRE(r.ok());
    CHECK(r->encoding == TextEncoding::Utf8Bom);
    CHECK(r->utf8 == kSlogans[0] + "\r\n");

    auto only_bom = decode_text("\xEF\xBB\xBF", "bom.txt");
    REQUIRE(only_bom.ok());
    CHECK(only_bom->encoding == TextEncoding::Utf8Bom);
    CHECK(only_bom->utf8.empty());
}

TEST_CASE("a UTF-8 BOM followed by invalid bytes is an error with the line", "[text_encoding]")
{
    auto r = decode_text("\xEF\xBB\xBF" "ok\nstill ok\nbad \xFF here\n", "bom.txt");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().file == "bom.txt");
    CHECK(r.error().line == 3);
    CHECK_THAT(r.error().message, Catch::Contains("0xFF") && Catch::Contains("offset 19"));
}

TEST_CASE("split_lines handles LF, CRLF and lone CR and keeps empty lines", "[text_encoding]")
{
    using V = std::vector<std::string>;
    CHECK(split_lines("a\nb\nc") == V{"a", "b", "c"});
    CHECK(split_lines("a\r\nb\r\nc\r\n") == V{"a", "b", "c"});
    CHECK(split_lines("a\rb\rc") == V{"a", "b", "c"});
    CHECK(split_lines("a\r\n\r\nb") == V{"a", "", "b"});
    CHECK(split_lines("a\n\n\nb\n") == V{"a", "", "", "b"});
    CHECK(split_lines("a\r\rb") == V{"a", "", "b"});
    CHECK(split_lines("a\n\rb") == V{"a", "", "b"});  // LF then CR is two line ends, not one
    CHECK(split_lines("mixed\r\nends\nhere\rlast") == V{"mixed", "ends", "here", "last"});
    CHECK(split_lines("") == V{});
    CHECK(split_lines("\n") == V{""});
    CHECK(split_lines("\r\n\r\n") == V{"", ""});
    CHECK(split_lines("no end") == V{"no end"});

    CHECK(split_lines(joined_slogans("\r\n")) == kSlogans);
    CHECK(split_lines(joined_slogans("\r")) == kSlogans);
}

TEST_CASE("GBK bytes from Notepad decode as GB18030", "[text_encoding]")
{
    // "不轻信" as Windows Notepad saves it in "ANSI" on a Chinese system.
    auto r = decode_text("\xB2\xBB\xC7\xE1\xD0\xC5", "gbk.txt");
    REQUIRE(r.ok());
    CHECK(r->encoding == TextEncoding::Gb18030);
    CHECK(r->utf8 == "不轻信");

    // A four-byte GB18030 sequence (U+1F600) and the euro sign, with CRLF kept.
    auto four = decode_text("\xA2\xE3\r\n\x94\x39\xFC\x36", "gb.txt");
    REQUIRE(four.ok());
    CHECK(four->encoding == TextEncoding::Gb18030);
    CHECK(four->utf8 == "€\r\n\xF0\x9F\x98\x80");
}

TEST_CASE("every campaign slogan survives a GB18030 round trip", "[text_encoding]")
{
    std::string utf8 = joined_slogans("\r\n");
    std::string gb = to_gb18030(utf8);
    REQUIRE_FALSE(is_valid_utf8(gb));
    auto r = decode_text(gb, "slogans-gbk.txt");
    REQUIRE(r.ok());
    CHECK(r->encoding == TextEncoding::Gb18030);
    CHECK(r->utf8 == utf8);
    CHECK(split_lines(r->utf8) == kSlogans);
}

TEST_CASE("bytes valid as both UTF-8 and GB18030 are read as UTF-8", "[text_encoding]")
{
    // The UTF-8 bytes of "不轻信" also happen to decode as GB18030; UTF-8 wins.
    std::string utf8 = "不轻信";
    auto r = decode_text(utf8, "x.txt");
    REQUIRE(r.ok());
    CHECK(r->encoding == TextEncoding::Utf8);
    CHECK(r->utf8 == utf8);
}

TEST_CASE("UTF-16 with a BOM decodes, including surrogate pairs", "[text_encoding]")
{
    std::u16string text = u"不轻信 不透露\r\n不转账 \U0001F600";
    std::string expected = "不轻信 不透露\r\n不转账 \xF0\x9F\x98\x80";

    auto le = decode_text(utf16_bytes(text, true), "le.txt");
    REQUIRE(le.ok());
    CHECK(le->encoding == TextEncoding::Utf16Le);
    CHECK(le->utf8 == expected);

    auto be = decode_text(utf16_bytes(text, false), "be.txt");
    REQUIRE(be.ok());
    CHECK(be->encoding == TextEncoding::Utf16Be);
    CHECK(be->utf8 == expected);

    auto only_bom = decode_text("\xFF\xFE", "le.txt");
    REQUIRE(only_bom.ok());
    CHECK(only_bom->utf8.empty());
}

TEST_CASE("broken UTF-16 is an error naming the offset", "[text_encoding]")
{
    std::string odd = utf16_bytes(u"ab", true) + "x";
    auto r = decode_text(odd, "odd.txt");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().file == "odd.txt");
    CHECK_THAT(r.error().message, Catch::Contains("UTF-16LE") && Catch::Contains("offset 6"));

    std::u16string lone_high = u"a\nb";
    lone_high += char16_t(0xD83D);
    lone_high += u"c";
    auto r2 = decode_text(utf16_bytes(lone_high, false), "high.txt");
    REQUIRE_FALSE(r2.ok());
    CHECK(r2.error().line == 2);
    CHECK_THAT(r2.error().message, Catch::Contains("surrogate") && Catch::Contains("offset 8"));

    std::u16string lone_low = u"a";
    lone_low += char16_t(0xDE00);
    auto r3 = decode_text(utf16_bytes(lone_low, true), "low.txt");
    REQUIRE_FALSE(r3.ok());
    CHECK_THAT(r3.error().message, Catch::Contains("surrogate") && Catch::Contains("offset 4"));
}

TEST_CASE("input that is neither UTF-8 nor GB18030 is an error with offset and line", "[text_encoding]")
{
    // 0x80 is not a GB18030 lead byte, and not valid UTF-8 on its own.
    auto r = decode_text("first line\nsecond \x80 line\n", "bad.txt");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().file == "bad.txt");
    CHECK(r.error().line == 2);
    CHECK_THAT(r.error().message, Catch::Contains("offset 18") && Catch::Contains("0x80"));
    CHECK_THAT(r.error().to_string(), Catch::StartsWith("bad.txt:2: "));

    // A GB18030 lead byte cut off at the end of the file.
    auto truncated = decode_text("\xB2\xBB\xC7", "cut.txt");
    REQUIRE_FALSE(truncated.ok());
    CHECK_THAT(truncated.error().message, Catch::Contains("offset 2"));

    // UTF-8 cut off in the middle of a character on line 2: the UTF-8 position is reported, although
    // the GB18030 decoder happens to get one byte further.
    auto cut_utf8 = decode_text("ab\n不\xE4\xB8", "cut-utf8.txt");
    REQUIRE_FALSE(cut_utf8.ok());
    CHECK(cut_utf8.error().line == 2);
    CHECK_THAT(cut_utf8.error().message, Catch::StartsWith("text is neither UTF-8 nor GB18030") &&
                                             Catch::Contains("UTF-8: truncated character at byte offset 6") &&
                                             Catch::Contains("GB18030") && Catch::Contains("offset 7"));

    // Mostly GB18030, broken on line 3: the GB18030 position is reported.
    std::string gb = to_gb18030("不轻信\r\n不透露\r\n不转") + "\xFF";
    auto late = decode_text(gb, "late.txt");
    REQUIRE_FALSE(late.ok());
    CHECK(late.error().line == 3);
    CHECK_THAT(late.error().message, Catch::Contains("offset " + std::to_string(gb.size() - 1)));
}

TEST_CASE("is_valid_utf8 is strict", "[text_encoding]")
{
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ascii"));
    CHECK(is_valid_utf8("不轻信 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));
    CHECK_FALSE(is_valid_utf8("\xC0\x80"));              // overlong NUL
    CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));          // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));          // surrogate U+D800
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));      // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xE4\xB8"));              // truncated
    CHECK_FALSE(is_valid_utf8("\x80"));                  // stray continuation
    CHECK_FALSE(is_valid_utf8("\xFE\xFF"));
    CHECK_FALSE(is_valid_utf8(std::string("\xB2\xBB")));  // GBK "不"
}

TEST_CASE("utf8_to_u32 and u32_to_utf8 round trip and turn invalid bytes into U+FFFD", "[text_encoding]")
{
    for (const auto& s : kSlogans)
        CHECK(u32_to_utf8(utf8_to_u32(s)) == s);
    CHECK(utf8_to_u32("不轻信") == U"不轻信");
    CHECK(utf8_to_u32("a\xF0\x9F\x98\x80") == U"a\U0001F600");
    CHECK(u32_to_utf8(U"100%是诈骗") == "100%是诈骗");

    // One U+FFFD per maximal ill-formed subsequence.
    CHECK(utf8_to_u32("a\xE4\xB8" "b") == U"a\uFFFDb");
    CHECK(utf8_to_u32("\xF0\x80\x80") == U"\uFFFD\uFFFD\uFFFD");
    CHECK(utf8_to_u32("\xFF") == U"\uFFFD");
    CHECK(utf8_to_u32("\xED\xA0\x80x") == U"\uFFFD\uFFFD\uFFFDx");
    CHECK(utf8_to_u32("x\xE4") == U"x\uFFFD");

    std::u32string bad;
    bad += char32_t(0xD800);
    bad += char32_t(0x110000);
    bad += U'a';
    CHECK(u32_to_utf8(bad) == "\xEF\xBF\xBD\xEF\xBF\xBD" "a");
    CHECK(is_valid_utf8(u32_to_utf8(bad)));
}

TEST_CASE("trim strips ASCII whitespace and the ideographic space", "[text_encoding]")
{
    CHECK(trim("  hello\t\r\n") == "hello");
    CHECK(trim("\xE3\x80\x80\xE3\x80\x80 不轻信 不透露\t\xE3\x80\x80") == "不轻信 不透露");
    CHECK(trim("不轻信\xE3\x80\x80不透露") == "不轻信\xE3\x80\x80不透露");  // inner spaces stay
    CHECK(trim("\xE3\x80\x80 \xE3\x80\x80") == "");
    CHECK(trim("") == "");
    CHECK(trim("x") == "x");
    // U+3001 (、) shares its first two bytes with U+3000 and must not be stripped.
    CHECK(trim("\xE3\x80\x81") == "\xE3\x80\x81");
}
