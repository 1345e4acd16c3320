#include "playlist/text/line_breaker.h"

#include "playlist/base/log.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace signage {

namespace {

// Above this many code points the balanced search is skipped for a greedy fill: no slogan is that
// long, and it keeps hostile input (a 64 KB fuzz case) linear.
constexpr size_t kBalancedLimit = 4096;

// How many times a layout is redone when the real measure of a line exceeds the sum of its
// pieces (kerning, shaping); each retry narrows the budget by the overshoot seen.
constexpr int kMeasureRetries = 3;

constexpr char32_t kZeroWidthJoiner = 0x200D;

bool is_space(char32_t c)
{
    return c == U' ' || c == 0x3000;
}

// Marks that attach to the code point before them: a line may not start with one.
bool is_combining(char32_t c)
{
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
           (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xFE20 && c <= 0xFE2F) ||
           c == 0x200C || c == kZeroWidthJoiner || c == 0x3099 || c == 0x309A || (c >= 0x1F3FB && c <= 0x1F3FF) ||
           (c >= 0xE0020 && c <= 0xE007F) || (c >= 0xE0100 && c <= 0xE01EF);
}

// Full-width letters and digits, and prefix currency signs: they join the number or word next to
// them like ASCII does, so "１００％" and "￥100" stay whole.
bool is_fullwidth_alnum_or_currency(char32_t c)
{
    return (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A) ||
           c == 0xFF04 || c == 0xFFE1 || c == 0xFFE5 || c == 0xFFE6;
}

// Ideographs, kana, hangul, CJK and full-width punctuation, emoji: a line may break before or after
// one of these without a space (subject to kinsoku). Between two other characters it may not, which
// keeps Latin words and numbers whole.
bool is_wide(char32_t c)
{
    if (is_fullwidth_alnum_or_currency(c))
        return false;
    return c == 0x2014 || c == 0x2015 || c == 0x2025 || c == 0x2026 ||  // dashes and ellipses used in CJK text
           (c >= 0x1100 && c <= 0x115F) ||                             // hangul jamo
           (c >= 0x2E80 && c <= 0x303F) ||                             // radicals, CJK symbols and punctuation
           (c >= 0x3040 && c <= 0x33FF) ||                             // kana, bopomofo, enclosed CJK
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
           (c >= 0xA960 && c <= 0xA97F) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE10 && c <= 0xFE1F) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFFEF) ||
           (c >= 0x1F000 && c <= 0x1FAFF) ||  // emoji and pictographs
           (c >= 0x20000 && c <= 0x3FFFD);    // CJK extensions B and later
}

// Anything that is not a letter, digit or ideograph, for the lone-last-character rule.
bool is_punctuation(char32_t c)
{
    if (is_closing_mark(c) || is_opening_mark(c) || is_space(c) || is_combining(c))
        return true;
    if (c < 0x80)
        return !((c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'));
    return (c >= 0x2000 && c <= 0x206F) || (c >= 0x3000 && c <= 0x3004) || (c >= 0x3008 && c <= 0x3020) ||
           c == 0x3030 || (c >= 0xFE10 && c <= 0xFE1F) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
           (c >= 0xFF5B && c <= 0xFF65);
}

// Whether a line may end after `before` (whose base character is `before_base`) and the next begin
// with `after`, when no space separates them.
bool can_break_between(char32_t before, char32_t before_base, char32_t after)
{
    if (is_closing_mark(after) || is_combining(after) || before == kZeroWidthJoiner)
        return false;
    if (is_opening_mark(before_base))
        return false;
    if (before_base == after && (after == 0x2014 || after == 0x2015))  // a "——" dash stays whole
        return false;
    return is_wide(before_base) || is_wide(after);
}

enum class Gap { Space, Tight };  // how a unit joins the one before it

// The text cut into units that are never split, with what lies between neighbours.
struct Units {
    std::vector<std::u32string> text;
    std::vector<Gap> gap_before;           // gap_before[0] is unused
    std::vector<char32_t> space_before;    // the space kept when the line does not break there
    std::vector<BreakClass> break_before;  // how good a break before the unit is; [0] is unused
    std::vector<int> letters;              // letters, digits and ideographs in the unit
    std::vector<int> cjk_letters;          // of which ideographs, kana or hangul

    size_t size() const { return text.size(); }
    void push(std::u32string unit, Gap gap, char32_t space, BreakClass why)
    {
        text.push_back(std::move(unit));
        gap_before.push_back(gap);
        space_before.push_back(space);
        break_before.push_back(why);
    }
    void count_letters()
    {
        letters.clear();
        cjk_letters.clear();
        for (const auto& unit : text) {
            int all = 0, cjk = 0;
            for (char32_t c : unit) {
                if (is_punctuation(c))
                    continue;
                ++all;
                if (is_wide(c))
                    ++cjk;
            }
            letters.push_back(all);
            cjk_letters.push_back(cjk);
        }
    }
};

// The smallest pieces kinsoku allows: split at every space and every place a line may break
// between two characters, each break tagged with its class from `classes` (word_breaks).
Units segment(std::u32string_view text, const std::vector<BreakClass>& classes)
{
    Units units;
    std::u32string current;
    char32_t last = 0;       // last non-space code point added
    char32_t last_base = 0;  // last one that is not a combining mark
    char32_t pending_space = 0;
    Gap pending_gap = Gap::Space;
    BreakClass pending_class = BreakClass::Space;

    auto flush = [&](Gap next_gap, char32_t next_space, BreakClass next_class) {
        units.push(std::move(current), pending_gap, pending_space, pending_class);
        current.clear();
        pending_gap = next_gap;
        pending_space = next_space;
        pending_class = next_class;
    };

    char32_t space_run = 0;  // first space of the run being skipped
    for (size_t i = 0; i < text.size(); ++i) {
        char32_t c = text[i];
        if (is_space(c)) {
            if (space_run == 0 && !current.empty())
                space_run = c;  // runs collapse to their first space
            continue;
        }
        if (space_run != 0) {
            // A space is a break unless kinsoku forbids it; then it stays inside the unit.
            if (!is_closing_mark(c) && !is_combining(c) && !is_opening_mark(last_base)) {
                flush(Gap::Space, space_run, BreakClass::Space);
            } else {
                current += space_run;
            }
            space_run = 0;
        } else if (!current.empty() && can_break_between(last, last_base, c)) {
            flush(Gap::Tight, 0, classes[i]);
        }
        current += c;
        last = c;
        if (!is_combining(c) || last_base == 0)
            last_base = c;
    }
    if (!current.empty())
        flush(Gap::Space, 0, BreakClass::Space);
    units.count_letters();
    return units;
}

// The units the layout is made of: whole words. Pieces joined by a break worse than
// `worst_allowed` are one unit, unless that unit alone is wider than `max_width`: then, and only
// then, it stays in pieces and a line may break inside it ("a word longer than a line").
Units whole_words(const Units& pieces, BreakClass worst_allowed, double max_width, double tolerance,
                  const MeasureFn& measure)
{
    Units words;
    size_t n = pieces.size();
    for (size_t begin = 0; begin < n;) {
        size_t end = begin + 1;
        std::u32string word = pieces.text[begin];
        while (end < n && pieces.gap_before[end] == Gap::Tight && pieces.break_before[end] > worst_allowed)
            word += pieces.text[end++];
        if (end - begin == 1 || measure(word) <= max_width + tolerance) {
            words.push(std::move(word), pieces.gap_before[begin], pieces.space_before[begin], pieces.break_before[begin]);
        } else {
            for (size_t k = begin; k < end; ++k)
                words.push(pieces.text[k], pieces.gap_before[k], pieces.space_before[k], pieces.break_before[k]);
        }
        begin = end;
    }
    words.count_letters();
    return words;
}

int letters_in(const Units& units, size_t begin, size_t end)
{
    int letters = 0;
    for (size_t k = begin; k < end; ++k)
        letters += units.letters[k];
    return letters;
}

// What a line break costs a reader, in three parts compared in turn after the line count and the
// lone last character:
//  - breaks that likely split a word: between two single-character tokens (an unknown word ICU cut
//    up), and inside a word (only where a word is wider than a line): so many that no evenness
//    makes up for one;
//  - breaks that are not at a space or after clause punctuation: the text's own phrase boundaries
//    come first;
//  - between words, a weak preference for the more certain boundary, weighed against evenness: a
//    break costs as much as a line left short by this fraction of the width. So a boundary between
//    two dictionary words beats one next to a single character when the lines are about as even,
//    but not when it would leave two characters alone on a line (部分 | 受害者都曾这么认为).
long long doubtful_cost(BreakClass c)
{
    switch (c) {
    case BreakClass::Singles: return 1;
    case BreakClass::InsideWord: return 1000000;
    default: return 0;
    }
}

bool inside_phrase(BreakClass c)
{
    return c != BreakClass::Space && c != BreakClass::Clause;
}

double soft_cost_fraction(BreakClass c)
{
    switch (c) {
    case BreakClass::Space: return 0;
    case BreakClass::Clause: return 0.05;
    case BreakClass::Words: return 0.15;
    case BreakClass::WordAndSingle: return 0.3;
    default: return 0.3;
    }
}

// Layout quality, compared lexicographically: fewer lines, then no lone last character, then the
// fewest doubtful breaks, then the fewest breaks inside phrases, then evenness and break strength.
struct Cost {
    int lines = 0;
    int orphan = 0;
    long long doubtful = 0;
    int inside_phrases = 0;
    double slack_squared = 0;  // plus each break's soft cost

    bool operator<(const Cost& other) const
    {
        return std::tie(lines, orphan, doubtful, inside_phrases, slack_squared) <
               std::tie(other.lines, other.orphan, other.doubtful, other.inside_phrases, other.slack_squared);
    }
};

class Breaker {
public:
    Breaker(const Units& units, std::vector<double> unit_width, std::vector<double> gap_width, double tolerance)
        : m_units(units), m_unit_width(std::move(unit_width)), m_gap_width(std::move(gap_width)),
          m_tolerance(tolerance)
    {
    }

    // Start index of each line, for lines no wider than `budget` by the sum of their pieces.
    std::vector<size_t> balanced(double budget) const
    {
        size_t n = m_units.text.size();
        if (fits_on_one_line(budget))
            return {0};

        int total_letters = 0;
        for (int l : m_units.letters)
            total_letters += l;
        // Suffix counts for the lone-last-character rule.
        std::vector<int> letters_from(n + 1, 0), cjk_from(n + 1, 0);
        for (size_t i = n; i-- > 0;) {
            letters_from[i] = letters_from[i + 1] + m_units.letters[i];
            cjk_from[i] = cjk_from[i + 1] + m_units.cjk_letters[i];
        }

        // best[i]: best layout of units i..n-1; next[i]: where its first line ends.
        std::vector<Cost> best(n + 1);
        std::vector<size_t> next(n + 1, n);
        for (size_t i = n; i-- > 0;) {
            double width = 0;
            bool have = false;
            for (size_t j = i + 1; j <= n; ++j) {
                width += (j - 1 > i ? m_gap_width[j - 1] : 0) + m_unit_width[j - 1];
                if (j > i + 1 && width > budget + m_tolerance)
                    break;  // a lone unit is always allowed, even when too wide
                Cost cost = best[j];
                cost.lines += 1;
                if (j == n) {
                    cost.orphan = (total_letters > 1 && letters_from[i] == 1 && cjk_from[i] == 1) ? 1 : 0;
                } else {
                    BreakClass why = m_units.break_before[j];
                    cost.doubtful += doubtful_cost(why);
                    cost.inside_phrases += inside_phrase(why) ? 1 : 0;
                    double soft = soft_cost_fraction(why) * std::min(budget, 1e100);
                    cost.slack_squared += soft * soft;
                }
                double slack = std::max(0.0, budget - width);
                cost.slack_squared += slack * slack;
                if (!have || cost < best[i]) {
                    best[i] = cost;
                    next[i] = j;
                    have = true;
                }
            }
        }
        std::vector<size_t> starts;
        for (size_t i = 0; i < n; i = next[i])
            starts.push_back(i);
        return starts;
    }

    // Fills each line as far as it goes; linear, for texts too long to balance.
    std::vector<size_t> greedy(double budget) const
    {
        std::vector<size_t> starts;
        size_t n = m_units.text.size();
        size_t i = 0;
        while (i < n) {
            starts.push_back(i);
            double width = m_unit_width[i];
            size_t j = i + 1;
            while (j < n && width + m_gap_width[j] + m_unit_width[j] <= budget + m_tolerance) {
                width += m_gap_width[j] + m_unit_width[j];
                ++j;
            }
            i = j;
        }
        return starts;
    }

    std::u32string line_text(size_t begin, size_t end) const
    {
        std::u32string line = m_units.text[begin];
        for (size_t k = begin + 1; k < end; ++k) {
            if (m_units.gap_before[k] == Gap::Space)
                line += m_units.space_before[k];
            line += m_units.text[k];
        }
        return line;
    }

private:
    bool fits_on_one_line(double budget) const
    {
        double width = 0;
        for (size_t k = 0; k < m_unit_width.size(); ++k)
            width += (k > 0 ? m_gap_width[k] : 0) + m_unit_width[k];
        return width <= budget + m_tolerance;
    }

    const Units& m_units;
    std::vector<double> m_unit_width;
    std::vector<double> m_gap_width;
    double m_tolerance;
};

// Word boundaries from ICU, or, when it cannot help, every boundary as a word boundary (the
// breaker then behaves as it did before it had a dictionary). Said once in the log.
std::vector<BreakClass> classes_of(std::u32string_view text)
{
    auto classes = word_breaks(text);
    if (classes)
        return std::move(*classes);
    log::on_change(log::Level::Warn, "word_breaks", classes.error().message,
                   classes.error().message + "; lines may break inside Chinese words");
    return fallback_breaks(text);
}

}  // namespace

bool is_closing_mark(char32_t c)
{
    switch (c) {
    // ASCII
    case U',': case U'.': case U'!': case U'?': case U';': case U':': case U')': case U']': case U'}': case U'%':
    // full-width and ideographic sentence punctuation
    case 0x3001: case 0x3002: case 0xFF0C: case 0xFF0E: case 0xFF01: case 0xFF1F: case 0xFF1B: case 0xFF1A:
    case 0xFF05: case 0xFF09: case 0xFF3D: case 0xFF5D: case 0xFF60: case 0xFF61: case 0xFF63: case 0xFF64:
    // closing quotes and brackets
    case 0x2019: case 0x201D: case 0x3009: case 0x300B: case 0x300D: case 0x300F: case 0x3011: case 0x3015:
    case 0x3017: case 0x3019: case 0x301B: case 0x301E: case 0x301F:
    // ellipses, wave dashes, double marks, middle dots, postfix units
    case 0x2025: case 0x2026: case 0xFF5E: case 0x301C: case 0x203C: case 0x2047: case 0x2048: case 0x2049:
    case 0x00B7: case 0x2027: case 0x30FB: case 0xFF65: case 0x2030: case 0x2103: case 0x00B0:
    // small kana, prolonged sound and iteration marks
    case 0x3041: case 0x3043: case 0x3045: case 0x3047: case 0x3049: case 0x3063: case 0x3083: case 0x3085:
    case 0x3087: case 0x308E: case 0x3095: case 0x3096: case 0x30A1: case 0x30A3: case 0x30A5: case 0x30A7:
    case 0x30A9: case 0x30C3: case 0x30E3: case 0x30E5: case 0x30E7: case 0x30EE: case 0x30F5: case 0x30F6:
    case 0x30FC: case 0x3005: case 0x303B: case 0x309D: case 0x309E: case 0x30FD: case 0x30FE:
        return true;
    default:
        return (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF67 && c <= 0xFF70);  // more small kana, half-width too
    }
}

bool is_opening_mark(char32_t c)
{
    switch (c) {
    case U'(': case U'[': case U'{':
    case 0x2018: case 0x201C: case 0x3008: case 0x300A: case 0x300C: case 0x300E: case 0x3010: case 0x3014:
    case 0x3016: case 0x3018: case 0x301A: case 0x301D: case 0xFF08: case 0xFF3B: case 0xFF5B: case 0xFF5F:
    case 0xFF62:
        return true;
    default:
        return false;
    }
}

bool is_lone_character(std::u32string_view line)
{
    int letters = 0, cjk = 0;
    for (char32_t c : line) {
        if (is_punctuation(c))
            continue;
        ++letters;
        if (is_wide(c))
            ++cjk;
    }
    return letters == 1 && cjk == 1;
}

bool has_lone_character(const std::vector<std::u32string>& lines)
{
    return lines.size() > 1 && std::any_of(lines.begin(), lines.end(), [](const auto& l) { return is_lone_character(l); });
}

BrokenLines break_lines(std::u32string_view text, double max_width, const MeasureFn& measure, BreakClass worst_allowed)
{
    BrokenLines result;
    Units pieces = segment(text, classes_of(text));
    if (pieces.text.empty())
        return result;
    if (std::isnan(max_width))
        max_width = 0;

    // A measure that returns NaN, a negative or an infinite width must not derail the arithmetic.
    auto safe_measure = [&](std::u32string_view s) {
        double w = measure(s);
        if (!(w >= 0))
            return 0.0;
        return std::min(w, 1e300);
    };
    const double tolerance = 1e-9 * std::max(1.0, std::fabs(max_width));
    Units units = whole_words(pieces, worst_allowed, max_width, tolerance, safe_measure);

    std::vector<double> unit_width, gap_width;
    unit_width.reserve(units.text.size());
    gap_width.reserve(units.text.size());
    double ascii_space = -1, ideographic_space = -1;  // measured once, on first use
    for (size_t k = 0; k < units.text.size(); ++k) {
        unit_width.push_back(safe_measure(units.text[k]));
        double gap = 0;
        if (k > 0 && units.gap_before[k] == Gap::Space) {
            double& cached = units.space_before[k] == U' ' ? ascii_space : ideographic_space;
            if (cached < 0)
                cached = safe_measure(std::u32string(1, units.space_before[k]));
            gap = cached;
        }
        gap_width.push_back(gap);
    }

    Breaker breaker(units, std::move(unit_width), std::move(gap_width), tolerance);
    const bool balance = text.size() <= kBalancedLimit;

    double budget = max_width;
    for (int attempt = 0;; ++attempt) {
        std::vector<size_t> starts = balance ? breaker.balanced(budget) : breaker.greedy(budget);
        result.lines.clear();
        result.fits = true;
        result.widest = 0;
        result.worst_break = BreakClass::Space;
        result.phrase_breaks = 0;
        result.short_fragments = 0;
        double overshoot = 0;  // of lines the pieces said would fit
        for (size_t l = 0; l < starts.size(); ++l) {
            size_t end = l + 1 < starts.size() ? starts[l + 1] : units.text.size();
            bool cut_before = l > 0 && inside_phrase(units.break_before[starts[l]]);
            bool cut_after = end < units.text.size() && inside_phrase(units.break_before[end]);
            if (l > 0) {
                result.worst_break = std::max(result.worst_break, units.break_before[starts[l]]);
                result.phrase_breaks += cut_before ? 1 : 0;
            }
            if ((cut_before || cut_after) && letters_in(units, starts[l], end) <= 3)
                ++result.short_fragments;
            result.lines.push_back(breaker.line_text(starts[l], end));
            double width = safe_measure(result.lines.back());
            result.widest = std::max(result.widest, width);
            if (width > max_width + tolerance) {
                result.fits = false;
                if (end - starts[l] > 1)
                    overshoot = std::max(overshoot, width - max_width);
            }
        }
        if (overshoot <= 0 || attempt == kMeasureRetries)
            break;
        budget -= overshoot;
    }
    result.lone_character = has_lone_character(result.lines);
    return result;
}

}  // namespace signage
