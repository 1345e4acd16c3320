#include "playlist/text/word_breaks.h"

#include <memory>
#include <string>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

namespace signage {

namespace {

bool is_space(char32_t c)
{
    return c == U' ' || c == 0x3000;
}

// What a token of the segmentation is, for ranking the boundaries around it.
enum class Token {
    Other,   // spaces, punctuation, symbols, emoji
    Long,    // a dictionary word of two or more ideographs or kana; also any Latin word or number
    Single,  // one ideograph or kana: a one-character word, or a piece of a word ICU did not know
};

// A word iterator for this thread: ICU iterators are not thread-safe, and making one loads the
// dictionary rules (tens of microseconds), so each thread (the loader, a test) keeps its own.
struct WordIterator {
    icu::UnicodeString text;  // the iterator refers to this; declared first, destroyed last
    std::unique_ptr<icu::BreakIterator> iterator;
    std::string error;

    WordIterator()
    {
        UErrorCode status = U_ZERO_ERROR;
        iterator.reset(icu::BreakIterator::createWordInstance(icu::Locale("zh"), status));
        if (U_FAILURE(status) || !iterator) {
            error = std::string("ICU cannot make its Chinese word iterator: ") + u_errorName(status);
            iterator.reset();
        }
    }
};

WordIterator& thread_iterator()
{
    thread_local WordIterator cached;
    return cached;
}

Token token_kind(int32_t rule_status, int32_t code_points)
{
    if (rule_status >= UBRK_WORD_KANA && rule_status < UBRK_WORD_IDEO_LIMIT)
        return code_points >= 2 ? Token::Long : Token::Single;
    if (rule_status >= UBRK_WORD_NUMBER && rule_status < UBRK_WORD_LETTER_LIMIT)
        return Token::Long;
    return Token::Other;
}

bool is_ideograph(char32_t c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x20000 && c <= 0x3FFFD);
}

// Whether ICU's dictionary has the two ideographs as one word.
bool is_dictionary_word(WordIterator& words, char32_t a, char32_t b)
{
    words.text.remove();
    words.text.append(static_cast<UChar32>(a)).append(static_cast<UChar32>(b));
    icu::BreakIterator& it = *words.iterator;
    it.setText(words.text);
    it.first();
    int32_t end = it.next();
    int32_t status = it.getRuleStatus();
    return end == words.text.length() && status >= UBRK_WORD_KANA && status < UBRK_WORD_IDEO_LIMIT;
}

BreakClass between(Token before, Token after)
{
    if (before == Token::Other || after == Token::Other)
        return BreakClass::Words;
    if (before == Token::Single && after == Token::Single)
        return BreakClass::Singles;
    if (before == Token::Single || after == Token::Single)
        return BreakClass::WordAndSingle;
    return BreakClass::Words;
}

}  // namespace

const char* break_class_name(BreakClass c)
{
    switch (c) {
    case BreakClass::Space: return "space";
    case BreakClass::Clause: return "clause";
    case BreakClass::Words: return "words";
    case BreakClass::WordAndSingle: return "word-single";
    case BreakClass::Singles: return "singles";
    case BreakClass::InsideWord: return "inside-word";
    }
    return "?";
}

bool ends_clause(char32_t c)
{
    switch (c) {
    case U'，': case U'。': case U'？': case U'！': case U'；': case U'：': case U'、':
    case U'?': case U'!': case U';':
        return true;
    default:
        return false;
    }
}

std::vector<BreakClass> fallback_breaks(std::u32string_view text)
{
    std::vector<BreakClass> classes(text.size(), BreakClass::Words);
    for (size_t i = 0; i < text.size(); ++i) {
        if (i == 0 || is_space(text[i - 1]) || is_space(text[i]))
            classes[i] = BreakClass::Space;
        else if (ends_clause(text[i - 1]))
            classes[i] = BreakClass::Clause;
    }
    return classes;
}

Result<std::vector<BreakClass>> word_breaks(std::u32string_view text)
{
    WordIterator& words = thread_iterator();
    if (!words.iterator)
        return Error{"", 0, words.error};

    // To UTF-16, remembering which code point each UTF-16 offset starts. Values that are not
    // scalar values (surrogates, above U+10FFFF) become U+FFFD, one unit, so offsets stay exact.
    words.text.remove();
    std::vector<int32_t> code_point_at;  // UTF-16 offset -> code point index, -1 inside a pair
    code_point_at.reserve(text.size() * 2 + 1);
    for (size_t i = 0; i < text.size(); ++i) {
        char32_t c = text[i];
        if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            c = 0xFFFD;
        words.text.append(static_cast<UChar32>(c));
        code_point_at.push_back(static_cast<int32_t>(i));
        if (c > 0xFFFF)
            code_point_at.push_back(-1);
    }
    code_point_at.push_back(static_cast<int32_t>(text.size()));
    if (words.text.length() + 1 != static_cast<int32_t>(code_point_at.size()))
        return Error{"", 0, "ICU could not take the text (out of memory?)"};

    std::vector<BreakClass> classes(text.size(), BreakClass::InsideWord);
    if (text.empty())
        return classes;

    icu::BreakIterator& it = *words.iterator;
    it.setText(words.text);
    // Each token's kind, then the class of the boundary between it and the one before.
    Token previous = Token::Other;
    std::vector<size_t> word_then_single;  // boundaries between a longer word and a single character
    int32_t start = it.first();
    for (int32_t end = it.next(); end != icu::BreakIterator::DONE; start = end, end = it.next()) {
        int32_t first = start < static_cast<int32_t>(code_point_at.size()) ? code_point_at[start] : -1;
        int32_t last = end < static_cast<int32_t>(code_point_at.size()) ? code_point_at[end] : -1;
        if (first < 0 || last < 0 || last <= first)
            continue;  // not on a code point boundary: ICU never does this, but never trust it
        Token kind = token_kind(it.getRuleStatus(), last - first);
        if (first > 0)
            classes[first] = between(previous, kind);
        if (first > 0 && previous == Token::Long && kind == Token::Single)
            word_then_single.push_back(static_cast<size_t>(first));
        previous = kind;
    }
    // A word ICU does not know is often a known word and a single character: 防火墙 becomes 防火|墙,
    // 银行卡 银行|卡, the single character being the head noun the compound ends with. When that
    // character also makes a dictionary word with the one before it (火墙), it belongs to the left:
    // the boundary before it counts among the likely splits of an unknown word, and the one after it
    // (墙|不, between two single characters) is where that word ends, a boundary next to a word. Not
    // the other way round: a single character before a word is mostly a word of its own (在|意想不到
    // though 在意 is a word, 就|不存在 though 就不 is one).
    for (size_t i : word_then_single) {
        if (classes[i] == BreakClass::WordAndSingle && is_ideograph(text[i - 1]) && is_ideograph(text[i]) &&
            is_dictionary_word(words, text[i - 1], text[i])) {
            classes[i] = BreakClass::Singles;
            if (i + 1 < classes.size() && classes[i + 1] == BreakClass::Singles)
                classes[i + 1] = BreakClass::WordAndSingle;
        }
    }
    words.text.remove();  // the iterator keeps referring to it; no copy of the text stays behind
    it.setText(words.text);

    // Spaces and clause punctuation rank above any word boundary, whatever ICU made of them.
    classes[0] = BreakClass::Space;
    for (size_t i = 1; i < text.size(); ++i) {
        if (is_space(text[i - 1]) || is_space(text[i]))
            classes[i] = BreakClass::Space;
        else if (ends_clause(text[i - 1]) && classes[i] != BreakClass::InsideWord)
            classes[i] = BreakClass::Clause;
    }
    return classes;
}

}  // namespace signage
