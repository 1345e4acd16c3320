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
    // Without spaces: 14 characters at width 10 become 7 + 7, not 10 + 4.
    Lines cjk = utf8_lines(brk("筑牢反诈防火墙不听不信不转账", 10));
    CHECK(cjk == Lines{"筑牢反诈防火墙", "不听不信不转账"});
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

    Lines three = utf8_lines(brk("你好吗", 2));
    CHECK(three == Lines{"你", "好吗"});

    // Unavoidable when only one character fits a line.
    CHECK(utf8_lines(brk("你好", 1)) == Lines{"你", "好"});

    // Across all slogans and widths that hold at least two characters.
    for (const auto& s : kSlogans) {
        for (double w = 2; w <= 30; w += 0.5) {
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
