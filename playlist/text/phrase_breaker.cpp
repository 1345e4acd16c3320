#include "playlist/text/phrase_breaker.h"

#include <algorithm>
#include <limits>

namespace signage {

namespace {

bool is_space(char32_t c)
{
    return c == U' ' || c == U'\u3000';
}

// A phrase, or a clause of one; `spaced` tells whether a space separates it from the one before.
// Sentence punctuation inside a phrase ("你不会被骗？之前…") ends a clause (ends_clause): a line may
// break after it without a space, and that is a better place than between two words.
struct Piece {
    std::u32string text;
    bool spaced = true;
};

std::u32string line_of(const std::vector<Piece>& pieces, size_t from, size_t to)
{
    std::u32string line;
    for (size_t k = from; k < to; ++k) {
        if (k > from && pieces[k].spaced)
            line.push_back(U' ');
        line += pieces[k].text;
    }
    return line;
}

std::vector<Piece> split_pieces(std::u32string_view text)
{
    std::vector<Piece> pieces;
    for (auto& phrase : split_phrases(text)) {
        bool spaced = true;
        size_t begin = 0;
        for (size_t i = 0; i + 1 < phrase.size(); ++i) {
            // Break after a run of clause marks, never before a closing mark that follows them.
            if (ends_clause(phrase[i]) && !ends_clause(phrase[i + 1]) && !is_closing_mark(phrase[i + 1])) {
                pieces.push_back({phrase.substr(begin, i + 1 - begin), spaced});
                spaced = false;
                begin = i + 1;
            }
        }
        pieces.push_back({phrase.substr(begin), spaced});
    }
    return pieces;
}

// Packs whole pieces into the fewest lines no wider than max_width, then the most even ones
// (least sum of squared slack): a small dynamic programme over the piece boundaries. Returns the
// index of the first piece of each line.
std::vector<size_t> pack(const std::vector<Piece>& pieces, double max_width, const MeasureFn& measure)
{
    const size_t n = pieces.size();
    struct Best {
        size_t lines = std::numeric_limits<size_t>::max();
        double cost = 0;
        size_t from = 0;
    };
    std::vector<Best> best(n + 1);
    best[0].lines = 0;
    for (size_t to = 1; to <= n; ++to)
        for (size_t from = to; from-- > 0;) {
            if (best[from].lines == std::numeric_limits<size_t>::max())
                continue;
            double width = measure(line_of(pieces, from, to));
            if (width > max_width && to - from > 1)
                break;  // adding more phrases only makes it wider
            double slack = max_width - width;
            Best candidate{best[from].lines + 1, best[from].cost + slack * slack, from};
            if (candidate.lines < best[to].lines || (candidate.lines == best[to].lines && candidate.cost < best[to].cost))
                best[to] = candidate;
        }
    std::vector<size_t> starts;
    for (size_t to = n; to > 0; to = best[to].from)
        starts.push_back(best[to].from);
    std::reverse(starts.begin(), starts.end());
    return starts;
}

}  // namespace

std::vector<std::u32string> split_phrases(std::u32string_view text)
{
    std::vector<std::u32string> phrases;
    std::u32string current;
    for (char32_t c : text) {
        if (is_space(c)) {
            if (!current.empty())
                phrases.push_back(std::move(current));
            current.clear();
        } else {
            current.push_back(c);
        }
    }
    if (!current.empty())
        phrases.push_back(std::move(current));
    return phrases;
}

BrokenLines break_phrases(std::u32string_view text, double max_width, const MeasureFn& measure,
                          BreakClass worst_allowed)
{
    BrokenLines out;
    std::vector<Piece> pieces = split_pieces(text);
    // Very long input (not a slogan) gets the general breaker, which bounds its own work.
    if (pieces.size() > 64)
        return break_lines(text, max_width, measure, worst_allowed);
    std::vector<Piece> run;
    // Whether the next line starts after a space or after clause punctuation (the first does neither).
    auto note_break = [&](const Piece& next) {
        if (!out.lines.empty())
            out.worst_break = std::max(out.worst_break, next.spaced ? BreakClass::Space : BreakClass::Clause);
    };
    auto flush = [&] {
        if (run.empty())
            return;
        std::vector<size_t> starts = pack(run, max_width, measure);
        for (size_t l = 0; l < starts.size(); ++l) {
            note_break(run[starts[l]]);
            out.lines.push_back(line_of(run, starts[l], l + 1 < starts.size() ? starts[l + 1] : run.size()));
        }
        run.clear();
    };
    for (auto& piece : pieces) {
        if (measure(piece.text) <= max_width) {
            run.push_back(std::move(piece));
            continue;
        }
        flush();
        note_break(piece);
        BrokenLines inside = break_lines(piece.text, max_width, measure, worst_allowed);
        out.worst_break = std::max(out.worst_break, inside.worst_break);
        out.phrase_breaks += inside.phrase_breaks;
        out.short_fragments += inside.short_fragments;
        for (auto& line : inside.lines)
            out.lines.push_back(std::move(line));
    }
    flush();
    for (const auto& line : out.lines) {
        double width = measure(line);
        out.widest = std::max(out.widest, width);
        if (width > max_width)
            out.fits = false;
    }
    out.lone_character = has_lone_character(out.lines);
    return out;
}

}  // namespace signage
