#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <limits>
#include <string>
#include <vector>

#include "playlist/text/line_breaker.h"
#include "playlist/text/text_encoding.h"

using namespace signage;

namespace {

// A font-free stand-in: CJK and other wide characters 1.0, ASCII 0.5, an ASCII space 0.3.
double fake_width(std::u32string_view text)
{
    double w = 0;
    for (char32_t c : text) {
        if (c == U' ')
            w += 0.3;
        else if (c < 0x80)
            w += 0.5;
        else
            w += 1.0;
    }
    return w;
}

const MeasureFn kMeasure = fake_width;

std::vector<std::string> utf8_lines(const BrokenLines& b)
{
    std::vector<std::string> out;
    for (const auto& l : b.lines)
        out.push_back(u32_to_utf8(l));
    return out;
}

BrokenLines brk(const std::string& text, double width, const MeasureFn& measure = kMeasure)
{
    return break_lines(utf8_to_u32(text), width, measure);
}

std::u32string without_spaces(std::u32string_view s)
{
    std::u32string out;
    for (char32_t c : s)
        if (c != U' ' && c != 0x3000)
            out += c;
    return out;
}

bool is_cjk_letter(char32_t c)
{
    return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0x20000 && c <= 0x3FFFD);
}

// The rules every layout must keep, whatever the width.
void check_invariants(const std::string& text, double width, const BrokenLines& b)
{
    INFO("text: " << text << "  width: " << width);
    std::u32string all;
    double widest = 0;
    bool fits = true;
    for (size_t i = 0; i < b.lines.size(); ++i) {
        const std::u32string& line = b.lines[i];
        INFO("line " << i << ": " << u32_to_utf8(line));
        REQUIRE_FALSE(line.empty());
        CHECK(line.front() != U' ');
        CHECK(line.back() != U' ');
        CHECK(line.find(U"  ") == std::u32string::npos);
        if (i > 0)
            CHECK_FALSE(is_closing_mark(line.front()));
        if (i + 1 < b.lines.size())
            CHECK_FALSE(is_opening_mark(line.back()));
        all += line;
        widest = std::max(widest, fake_width(line));
        fits = fits && fake_width(line) <= width + 1e-9;
    }
    CHECK(without_spaces(all) == without_spaces(utf8_to_u32(text)));
    CHECK(b.widest == Approx(widest));
    CHECK(b.fits == fits);
}

const std::vector<std::string> kSlogans = {
    "不轻信 不透露 不转账",
    "不明链接不点 不明聊天群不进 不明微信不加 不明二维码不扫",
    "公检法不会电话办案 安全账户根本就不存在",
    "刷单刷信誉 100%是诈骗 刷单本身就违法",
    "先交钱后放贷 100%是诈骗",
    "群内理财专家带你赚钱带你飞 虚假平台投资骗得你血本无归",
    "别被网恋冲昏头脑 别让网赌掏空钱包",
    "裸聊一时“爽” 敲诈勒索没商量",
    "低价网购需谨慎 贪图小利吃大亏",
    "真假客服须明辨 扫码退款是诈骗",
    "买卖出租银行卡手机卡 是违法犯罪行为",
    "游戏充值 代练套路多 氪金玩家需谨慎",
    "放下电话想一想 切莫轻易去转帐 筑牢反诈防火墙不听不信不转账",
    "你不会被骗？之前我也是这样想的 可昨天 我被骗了",
    "反诈知识要了解 别等被骗才后悔",
    "不要以为你不可能被骗 部分受害者都曾这么认为",
    "不要以为你不会成为目标 电诈受害群体涵盖所有年龄和职业",
    "不要以为你什么都知道 骗子的套路会在意想不到的地方等着你",
    "你我同心 反诈同行",
    "全民动员 全民参与 打一场反诈防诈人民战争",
};

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("empty and all-space text gives no lines", "[line_breaker]")
{
    for (std::string text : {"", " ", "   ", "\xE3\x80\x80 \xE3\x80\x80"}) {
        BrokenLines b = brk(text, 10);
        CHECK(b.lines.empty());
        CHECK(b.fits);
        CHECK(b.widest == 0);
    }
}

TEST_CASE("text that fits stays on one line with its spaces collapsed", "[line_breaker]")
{
    BrokenLines b = brk("  你我同心   反诈同行 ", 20);
    CHECK(utf8_lines(b) == Lines{"你我同心 反诈同行"});
    CHECK(b.fits);
    CHECK(b.widest == Approx(8.3));

    // A run of mixed spaces collapses to its first one.
    CHECK(utf8_lines(brk("你我同心\xE3\x80\x80 反诈同行", 20)) == Lines{"你我同心\xE3\x80\x80反诈同行"});
}

TEST_CASE("breaks at the text's own spaces first", "[line_breaker]")
{
    // 刷单刷信誉 = 5, 100%是诈骗 = 5, 刷单本身就违法 = 7.
    std::string text = "刷单刷信誉 100%是诈骗 刷单本身就违法";
    CHECK(utf8_lines(brk(text, 11)) == Lines{"刷单刷信誉 100%是诈骗", "刷单本身就违法"});
    // Three lines at the phrase boundaries, although breaking inside phrases could be more even.
    CHECK(utf8_lines(brk(text, 8)) == Lines{"刷单刷信誉", "100%是诈骗", "刷单本身就违法"});
    CHECK(utf8_lines(brk("不轻信 不透露 不转账", 4)) == Lines{"不轻信", "不透露", "不转账"});

    // The ideographic space is a phrase boundary too, and is dropped at a break.
    CHECK(utf8_lines(brk("全民动员\xE3\x80\x80全民参与", 5)) == Lines{"全民动员", "全民参与"});
}

TEST_CASE("breaks between CJK characters only when spaces cannot fit", "[line_breaker]")
{
    std::string text = "刷单刷信誉 100%是诈骗 刷单本身就违法";
    // 刷单本身就违法 (7) is wider than 6, so it alone is broken; the other phrases stay whole.
    Lines lines = utf8_lines(brk(text, 6));
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == "刷单刷信誉");
    CHECK(lines[1] == "100%是诈骗");
    CHECK(lines[2] + lines[3] == "刷单本身就违法");
    check_invariants(text, 6, brk(text, 6));

    // At 5.5 breaking only at spaces needs three lines (不轻信 / 不透露 / 不转账); fewer lines win.
    Lines two = utf8_lines(brk("不轻信 不透露 不转账", 5.5));
    CHECK(two.size() == 2);
    check_invariants("不轻信 不透露 不转账", 5.5, brk("不轻信 不透露 不转账", 5.5));
}

TEST_CASE("no line starts with closing punctuation", "[line_breaker]")
{
    std::string text = "你不会被骗？之前我也是这样想的 可昨天 我被骗了";
    // At 5 a plain fill would end line 1 after 骗 and start line 2 with ？.
    Lines at5 = utf8_lines(brk(text, 5));
    CHECK(at5.front() != "你不会被骗");
    for (const auto& line : at5)
        CHECK(line.rfind("？", 0) != 0);
    for (double w = 1.0; w <= 24; w += 0.25)
        check_invariants(text, w, brk(text, w));

    // Every closing mark the brief lists, in both widths, is kept off the start of a line.
    for (std::string mark : {"，", "。", "、", "！", "？", "；", "：", "”", "’", "）", "》", "」", "』", "】", "〕", "〉",
                             "…", "．", "～", ",", ".", "!", "?", ";", ":", ")", "]", "}", "%", "％", "）", "］", "｝"}) {
        INFO("mark " << mark);
        CHECK(is_closing_mark(utf8_to_u32(mark)[0]));
        std::string t = "一二三四" + mark + "五六";
        for (double w = 1.0; w <= 7; w += 0.5)
            check_invariants(t, w, brk(t, w));
        Lines l = utf8_lines(brk(t, 4));
        CHECK(l.front() != "一二三四");
    }

    // A space before a closing mark is not a break either.
    std::string spaced = "可昨天 ？我被骗了";
    for (double w = 1.0; w <= 10; w += 0.5)
        check_invariants(spaced, w, brk(spaced, w));
}

TEST_CASE("no line ends with opening punctuation", "[line_breaker]")
{
    std::string text = "裸聊一时“爽” 敲诈勒索没商量";
    // At 5 a plain fill would end line 1 with “.
    Lines at5 = utf8_lines(brk(text, 5));
    for (const auto& line : at5) {
        INFO(line);
        CHECK(line.substr(line.size() - 3) != "“");
        CHECK(line.rfind("”", 0) != 0);
    }
    CHECK(utf8_lines(brk(text, 8)) == Lines{"裸聊一时“爽”", "敲诈勒索没商量"});
    for (double w = 1.0; w <= 16; w += 0.25)
        check_invariants(text, w, brk(text, w));

    for (std::string mark : {"“", "‘", "（", "《", "「", "『", "【", "〔", "〈", "(", "[", "{"}) {
        INFO("mark " << mark);
        CHECK(is_opening_mark(utf8_to_u32(mark)[0]));
        std::string t = "一二三" + mark + "四五六";
        for (double w = 1.0; w <= 7; w += 0.5)
            check_invariants(t, w, brk(t, w));
    }
}

TEST_CASE("numbers, Latin words and 100% are never split", "[line_breaker]")
{
    std::string text = "先交钱后放贷 100%是诈骗";
    for (double w = 0.5; w <= 13; w += 0.25) {
        BrokenLines b = brk(text, w);
        check_invariants(text, w, b);
        int found = 0;
        for (const auto& line : utf8_lines(b)) {
            if (line.find('1') != std::string::npos || line.find('%') != std::string::npos) {
                CHECK(line.find("100%") != std::string::npos);
                ++found;
            }
        }
        CHECK(found == 1);
    }

    std::string tokens = "请拨打96110咨询 利率3.5倍 A/B测试 hello world";
    for (double w = 0.5; w <= 20; w += 0.25) {
        BrokenLines b = brk(tokens, w);
        check_invariants(tokens, w, b);
        std::string joined;
        for (const auto& line : utf8_lines(b))
            joined += line + "|";
        for (std::string token : {"96110", "3.5", "A/B", "hello", "world"}) {
            INFO(joined);
            CHECK(joined.find(token) != std::string::npos);
        }
    }
}

TEST_CASE("a unit wider than the line goes alone and fits is false", "[line_breaker]")
{
    // "100%" is 2.0 wide: at 1.5 it cannot fit, everything else can.
    BrokenLines b = brk("先交钱后放贷 100%是诈骗", 1.5);
    CHECK_FALSE(b.fits);
    CHECK(b.widest == Approx(2.0));
    Lines lines = utf8_lines(b);
    CHECK(std::count(lines.begin(), lines.end(), "100%") == 1);
    check_invariants("先交钱后放贷 100%是诈骗", 1.5, b);

    // Narrower than a single character: one character per line, nothing lost.
    BrokenLines narrow = brk("你我同心", 0.5);
    CHECK(utf8_lines(narrow) == Lines{"你", "我", "同", "心"});
    CHECK_FALSE(narrow.fits);
    CHECK(narrow.widest == Approx(1.0));

    BrokenLines zero = brk("hello", 0);
    CHECK(utf8_lines(zero) == Lines{"hello"});
    CHECK_FALSE(zero.fits);
}

TEST_CASE("lines are balanced among layouts with the fewest lines", "[line_breaker]")
{
    // A plain fill gives 19.6 + 7; balanced is 13.3 + 13.3.
    CHECK(utf8_lines(brk("不明链接不点 不明聊天群不进 不明微信不加 不明二维码不扫", 21)) ==
          Lines{"不明链接不点 不明聊天群不进", "不明微信不加 不明二维码不扫"});
    // Without spaces: 14 characters at width 10 become 7 + 7 at the word boundary 一想|切莫, not 10 + 4.
    Lines cjk = utf8_lines(brk("放下电话想一想切莫轻易去转帐", 10));
    CHECK(cjk == Lines{"放下电话想一想", "切莫轻易去转帐"});
    // Never more lines than needed.
    CHECK(brk("放下电话想一想 切莫轻易去转帐 筑牢反诈防火墙不听不信不转账", 15).lines.size() == 2);
    CHECK(brk("放下电话想一想 切莫轻易去转帐 筑牢反诈防火墙不听不信不转账", 28.3).lines.size() == 2);
    CHECK(brk("放下电话想一想 切莫轻易去转帐 筑牢反诈防火墙不听不信不转账", 30).lines.size() == 1);
}

TEST_CASE("no single CJK character alone on the last line", "[line_breaker]")
{
    // Breaking at the space would leave 别 alone; one break between characters is better.
    Lines lines = utf8_lines(brk("反诈知识要了解 别", 7));
    REQUIRE(lines.size() == 2);
    CHECK(lines.back() != "别");

    // Punctuation does not count as company.
    Lines punct = utf8_lines(brk("我被骗了。", 4));
    REQUIRE(punct.size() == 2);
    CHECK(punct.back() != "了。");

    // A word is not split to avoid it: 你好|吗 keeps the word 你好 and leaves 吗 alone, and says so
    // (layout_slogan then looks for a size without a lone character).
    BrokenLines three = brk("你好吗", 2);
    CHECK(utf8_lines(three) == Lines{"你好", "吗"});
    CHECK(three.lone_character);
    CHECK_FALSE(brk("你好吗", 3).lone_character);

    // Unavoidable when only one character fits a line.
    CHECK(utf8_lines(brk("你好", 1)) == Lines{"你", "好"});

    // Across all slogans and widths that hold at least three characters (at two, 等着|你 leaves 你
    // alone unless the word 等着 is split).
    for (const auto& s : kSlogans) {
        for (double w = 3; w <= 30; w += 0.5) {
            BrokenLines b = brk(s, w);
            if (b.lines.size() < 2)
                continue;
            std::u32string last = b.lines.back();
            int letters = 0;
            for (char32_t c : last)
                letters += is_cjk_letter(c) || (c < 0x80 && std::isalnum(static_cast<int>(c)));
            INFO(s << " at " << w << ": last line " << u32_to_utf8(last));
            CHECK(letters > 1);
        }
    }
}

TEST_CASE("every slogan keeps the rules at every width", "[line_breaker]")
{
    for (const auto& s : kSlogans) {
        size_t previous_lines = SIZE_MAX;
        for (double w = 0.5; w <= 32; w += 0.25) {
            BrokenLines b = brk(s, w);
            check_invariants(s, w, b);
            // A wider line never needs more lines.
            CHECK(b.lines.size() <= previous_lines);
            previous_lines = b.lines.size();
            if (w >= 3.0)
                CHECK(b.fits);  // the widest unbreakable unit in the slogans is “爽”
        }
    }
}

TEST_CASE("the same input always gives the same layout", "[line_breaker]")
{
    for (const auto& s : kSlogans) {
        BrokenLines a = brk(s, 7.5);
        brk("打一场反诈防诈人民战争", 3);  // unrelated work in between
        BrokenLines b = brk(s, 7.5);
        CHECK(a.lines == b.lines);
        CHECK(a.fits == b.fits);
        CHECK(a.widest == b.widest);
    }
}

TEST_CASE("a measure that is not additive still gets lines that fit", "[line_breaker]")
{
    // Like a real font: a line is a little wider than the sum of its pieces.
    MeasureFn kerned = [](std::u32string_view s) { return fake_width(s) + (s.size() > 1 ? 0.4 : 0.0); };
    for (const auto& s : kSlogans) {
        for (double w = 4; w <= 20; w += 1) {  // “爽” alone measures 3.4
            BrokenLines b = brk(s, w, kerned);
            INFO(s << " at " << w);
            CHECK(b.fits);
            for (const auto& line : b.lines)
                CHECK(kerned(line) <= w + 1e-9);
        }
    }
}

TEST_CASE("very long text is broken greedily, quickly and by the same rules", "[line_breaker]")
{
    std::string text;
    while (utf8_to_u32(text).size() < 6000)
        text += "你不会被骗？之前我也是这样想的 可昨天 我被骗了 100%是诈骗 ";
    BrokenLines b = brk(text, 12);
    CHECK(b.lines.size() > 400);
    check_invariants(text, 12, b);

    // Just under the limit the balanced search still runs.
    std::string medium;
    while (utf8_to_u32(medium).size() < 4000)
        medium += "刷单刷信誉 100%是诈骗 刷单本身就违法 ";
    check_invariants(medium, 20, brk(medium, 20));
}

TEST_CASE("odd widths and measures do not break anything", "[line_breaker]")
{
    MeasureFn nan = [](std::u32string_view) { return std::numeric_limits<double>::quiet_NaN(); };
    BrokenLines b = brk("你我同心 反诈同行", 5, nan);
    CHECK(b.lines.size() == 1);  // every piece measures as 0

    BrokenLines nan_width = brk("你我同心 反诈同行", std::numeric_limits<double>::quiet_NaN());
    CHECK_FALSE(nan_width.fits);
    CHECK(nan_width.lines.size() == 8);  // treated as zero: one character per line

    BrokenLines inf_width = brk("你我同心 反诈同行", std::numeric_limits<double>::infinity());
    CHECK(utf8_lines(inf_width) == Lines{"你我同心 反诈同行"});
    CHECK(inf_width.fits);

    // Combining marks and emoji sequences stay with their base.
    std::string marks = "e\xCC\x81t\xC3\xA9 你\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD好";
    for (double w = 0.5; w < 6; w += 0.5) {
        BrokenLines m = brk(marks, w);
        check_invariants(marks, w, m);
        for (const auto& line : m.lines) {
            CHECK(line.front() != 0x0301);
            CHECK(line.front() != 0x1F3FD);
        }
    }
}

TEST_CASE("lines break between words, never inside one that fits a line", "[line_breaker]")
{
    // The breaks the old breaker made on a portrait screen (issue 13), at widths that forced them.
    for (auto [text, width, forbidden] : {std::tuple{"不明聊天群不进", 4.0, "不明聊"},
                                          std::tuple{"公检法不会电话办案", 7.0, "不会电"},
                                          std::tuple{"安全账户根本就不存在", 4.0, "安全账"},
                                          std::tuple{"低价网购需谨慎", 5.0, "低价网"},
                                          std::tuple{"真假客服须明辨", 3.0, "真假客"},
                                          std::tuple{"反诈知识要了解", 3.0, "反诈知"},
                                          std::tuple{"部分受害者都曾这么认为", 7.0, "部分受"}}) {
        BrokenLines b = brk(text, width);
        INFO(text << " at " << width);
        check_invariants(text, width, b);
        for (const auto& line : utf8_lines(b))
            CHECK(line != forbidden);
        CHECK(b.worst_break < BreakClass::InsideWord);
    }
    // Both ends of the unknown compound 聊天群 (聊天|群 to ICU) are word boundaries: either may be taken.
    Lines chat = utf8_lines(brk("不明聊天群不进", 5));
    CHECK((chat == Lines{"不明聊天群", "不进"} || chat == Lines{"不明聊天", "群不进"}));
    CHECK(utf8_lines(brk("部分受害者都曾这么认为", 7)) == Lines{"部分受害者", "都曾这么认为"});
}

TEST_CASE("a word wider than the line breaks inside, and only then", "[line_breaker]")
{
    // 意想不到 is one dictionary word: whole on its line down to width 4...
    BrokenLines whole = brk("意想不到的地方", 4);
    CHECK(utf8_lines(whole) == Lines{"意想不到", "的地方"});
    CHECK(whole.worst_break == BreakClass::WordAndSingle);
    CHECK(whole.fits);
    // ...and split between its characters only when narrower than the word.
    BrokenLines split = brk("意想不到", 2);
    CHECK(utf8_lines(split) == Lines{"意想", "不到"});
    CHECK(split.worst_break == BreakClass::InsideWord);
    CHECK(split.fits);
    BrokenLines narrow = brk("电话办案", 1);
    CHECK(utf8_lines(narrow) == Lines{"电", "话", "办", "案"});
    CHECK(narrow.worst_break == BreakClass::InsideWord);
}

TEST_CASE("a break between single characters is avoided when a word boundary fits", "[line_breaker]")
{
    // 6 + 8 would be as even as 7 + 7 but break 防火|墙 (火墙 is a word too: an unknown compound).
    BrokenLines b = brk("筑牢反诈防火墙不听不信不转账", 10);
    CHECK(utf8_lines(b) == Lines{"筑牢反诈防火墙", "不听不信不转账"});
    CHECK(b.worst_break == BreakClass::WordAndSingle);
    // Between two single characters (诈|骗 to ICU: 别·等·被·骗·才) a break is taken only when no
    // word boundary fits: 别等被骗才 | 后悔, not 别等被骗 | 才后悔.
    BrokenLines late = brk("别等被骗才后悔", 5);
    CHECK(utf8_lines(late) == Lines{"别等被骗才", "后悔"});
    CHECK(late.worst_break == BreakClass::WordAndSingle);
    // 真假客服须明辨 at 5: 真假客|服须明辨 would be more even but splits 客服 (客·服 to ICU).
    BrokenLines kefu = brk("真假客服须明辨", 5);
    for (const auto& line : utf8_lines(kefu))
        CHECK((line != "真假客" && line != "服须明辨"));
    CHECK(kefu.worst_break <= BreakClass::WordAndSingle);
    // When only such a break keeps the fewest lines, the fewest lines win, and the result says so.
    BrokenLines forced = brk("低价网购需谨慎", 4);
    CHECK(forced.lines.size() == 2);
    CHECK(forced.worst_break == BreakClass::Singles);
    // With worst_allowed, a doubtful break is taken only inside a unit wider than the line: more
    // lines instead.
    BrokenLines strict = break_lines(utf8_to_u32("低价网购需谨慎"), 4, kMeasure, BreakClass::WordAndSingle);
    CHECK(utf8_lines(strict) == Lines{"低价", "网购需", "谨慎"});
    CHECK(strict.worst_break == BreakClass::WordAndSingle);
    // And at a width no word-boundary layout fits, the doubtful breaks come back, inside the unit only.
    BrokenLines tight = break_lines(utf8_to_u32("低价网购需谨慎"), 2, kMeasure, BreakClass::WordAndSingle);
    CHECK(tight.fits);
    CHECK(tight.worst_break == BreakClass::Singles);
}

TEST_CASE("the breaker reports breaks inside phrases and short fragments", "[line_breaker]")
{
    BrokenLines spaces = brk("不轻信 不透露 不转账", 4);
    CHECK(spaces.phrase_breaks == 0);
    CHECK(spaces.short_fragments == 0);
    CHECK(spaces.worst_break == BreakClass::Space);
    BrokenLines inside = brk("不要以为你不可能被骗 部分受害者都曾这么认为", 7);
    CHECK(inside.phrase_breaks >= 1);
    BrokenLines fragment = brk("部分受害者都曾这么认为", 9);
    // 部分 | 受害者都曾这么认为 and 部分受害者 | 都曾这么认为 both fit; the even one is taken.
    CHECK(utf8_lines(fragment) == Lines{"部分受害者", "都曾这么认为"});
    CHECK(fragment.short_fragments == 0);
    BrokenLines two = brk("别被网恋冲昏头脑", 6, kMeasure);
    CHECK(two.short_fragments == 1);  // 别被 | 网恋冲昏头脑 or 别被网恋冲昏 | 头脑
    CHECK(brk("你我同心", 10).phrase_breaks == 0);
}

TEST_CASE("kinsoku still holds with word units", "[line_breaker]")
{
    // The word boundary 骗|？ is never taken: the mark stays with 骗, the break comes after it.
    std::string text = "你不会被骗？之前我也是这样想的";
    for (double w = 1; w <= 16; w += 0.5) {
        BrokenLines b = brk(text, w);
        check_invariants(text, w, b);
    }
    CHECK(utf8_lines(brk(text, 9)) == Lines{"你不会被骗？", "之前我也是这样想的"});
    // An opening quote stays with what follows it; a closing one with what precedes it.
    std::string quoted = "他说：“别转账！”然后挂了电话";
    for (double w = 1; w <= 16; w += 0.5)
        check_invariants(quoted, w, brk(quoted, w));
}
