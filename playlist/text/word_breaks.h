// Where Chinese text may break between lines, and how good each place is. Chinese has no spaces
// between words, so a line breaker that breaks between any two characters splits words
// (电|话, 账|户); this asks ICU's dictionary-based word segmentation where the words are.
#pragma once

#include "playlist/base/error.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace signage {

// How acceptable a line break between two code points is, from best to worst. ICU's dictionary
// splits a word it does not know into single characters (网购 -> 网|购, 客服 -> 客|服, 涵盖 -> 涵|盖),
// so a boundary between two single-character tokens is most likely inside such an unknown word.
// A boundary between a word and a following single character that makes a dictionary word with
// the character before it (防火|墙, and 火墙 is a word) is ambiguous: it ranks as Singles, and the
// boundary after that character (墙|不), where the compound likely ends, as WordAndSingle.
enum class BreakClass : uint8_t {
    Space,          // (a) at the text's own space
    Clause,         // (b) after clause punctuation (，。？！；：、)
    Words,          // (c) between two words of two or more characters (or next to other punctuation)
    WordAndSingle,  // (d) between a word of two or more characters and a single-character one
    Singles,        // (e) between two single-character tokens: likely a word ICU did not know (or 防火|墙)
    InsideWord,     // (f) inside a word: only when the word alone is wider than a line
};

// "space", "clause", "words", "word-single", "singles", "inside-word".
const char* break_class_name(BreakClass c);

// Clause punctuation: a line may break after it although no space follows.
bool ends_clause(char32_t c);

// classes[i] is the class of a break between text[i - 1] and text[i]; classes[0] (the start) is
// Space, and the vector has text.size() entries. Every boundary the dictionary segmentation does
// not give is InsideWord (inside a Latin word, a number, 电话). Whether kinsoku allows a break at a
// boundary (100|% is one, but no line starts with %) is the line breaker's business.
// Fails (an Error, nothing thrown) only when ICU cannot make its word iterator, e.g. without its
// data; the caller then falls back to fallback_breaks(). One iterator per thread, made on first use.
Result<std::vector<BreakClass>> word_breaks(std::u32string_view text);

// Without a dictionary: every boundary between two non-space code points is Words, spaces Space,
// after clause punctuation Clause (the breaker then breaks between any two CJK characters).
std::vector<BreakClass> fallback_breaks(std::u32string_view text);

}  // namespace signage
