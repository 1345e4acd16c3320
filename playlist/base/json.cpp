#include "playlist/base/json.h"
#include "playlist/base/utf8.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace signage {

namespace {

// The length of the valid UTF-8 sequence at the start of `text` (1 to 4), or 0 when invalid:
// overlong forms, surrogates and code points above U+10FFFF are invalid (RFC 3629).
size_t utf8_sequence(std::string_view text)
{
    auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    unsigned char lead = byte(0);
    if (lead < 0x80)
        return 1;
    size_t length = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
    if (length == 0 || text.size() < length)
        return 0;
    for (size_t i = 1; i < length; ++i)
        if ((byte(i) & 0xC0) != 0x80)
            return 0;
    if (lead == 0xE0 && byte(1) < 0xA0)
        return 0;  // overlong
    if (lead == 0xED && byte(1) >= 0xA0)
        return 0;  // a surrogate
    if (lead == 0xF0 && byte(1) < 0x90)
        return 0;  // overlong
    if (lead == 0xF4 && byte(1) >= 0x90)
        return 0;  // above U+10FFFF
    return length;
}

class Reader {
public:
    explicit Reader(std::string_view text) : m_text(text) {}

    Result<JsonFlatObject> object()
    {
        JsonFlatObject out;
        space();
        if (!take('{'))
            return fail("expected '{'");
        space();
        if (!take('}')) {
            for (;;) {
                space();
                auto key = string();
                if (!key)
                    return key.error();
                space();
                if (!take(':'))
                    return fail("expected ':'");
                space();
                auto value = this->value();
                if (!value)
                    return value.error();
                out[std::move(*key)] = std::move(*value);
                space();
                if (take(','))
                    continue;
                if (take('}'))
                    break;
                return fail("expected ',' or '}'");
            }
        }
        space();
        if (m_at != m_text.size())
            return fail("text after the object");
        return out;
    }

private:
    std::string_view m_text;
    size_t m_at = 0;

    Error fail(const std::string& what) const
    {
        return Error{"", 0, "JSON at byte " + std::to_string(m_at) + ": " + what};
    }
    bool more() const { return m_at < m_text.size(); }
    char peek() const { return m_text[m_at]; }
    bool take(char c)
    {
        if (more() && peek() == c) {
            ++m_at;
            return true;
        }
        return false;
    }
    bool take_word(std::string_view word)
    {
        if (m_text.substr(m_at).starts_with(word)) {
            m_at += word.size();
            return true;
        }
        return false;
    }
    void space()
    {
        while (more() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
            ++m_at;
    }

    Result<JsonFlatValue> value()
    {
        if (!more())
            return fail("expected a value");
        char c = peek();
        if (c == '"') {
            auto text = string();
            if (!text)
                return text.error();
            return JsonFlatValue(std::move(*text));
        }
        if (c == '[')
            return array();
        if (take_word("true"))
            return JsonFlatValue(true);
        if (take_word("false"))
            return JsonFlatValue(false);
        if (take_word("null"))
            return JsonFlatValue(JsonNull{});
        if (c == '-' || (c >= '0' && c <= '9'))
            return number();
        return fail("expected a string, a number, true, false, null or an array of strings");
    }

    Result<JsonFlatValue> array()
    {
        take('[');
        std::vector<std::string> items;
        space();
        if (take(']'))
            return JsonFlatValue(std::move(items));
        for (;;) {
            space();
            auto item = string();
            if (!item)
                return item.error();
            items.push_back(std::move(*item));
            space();
            if (take(','))
                continue;
            if (take(']'))
                return JsonFlatValue(std::move(items));
            return fail("expected ',' or ']' in an array of strings");
        }
    }

    Result<JsonFlatValue> number()
    {
        // The JSON grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        size_t start = m_at;
        auto digits = [&] {
            size_t from = m_at;
            while (more() && peek() >= '0' && peek() <= '9')
                ++m_at;
            return m_at > from;
        };
        take('-');
        if (take('0')) {
        } else if (!digits()) {
            return fail("bad number");
        }
        if (take('.') && !digits())
            return fail("bad number");
        if (more() && (peek() == 'e' || peek() == 'E')) {
            ++m_at;
            if (!take('+'))
                take('-');
            if (!digits())
                return fail("bad number");
        }
        std::string copy(m_text.substr(start, m_at - start));
        double out = std::strtod(copy.c_str(), nullptr);
        if (!std::isfinite(out))
            return fail("number out of range");
        return JsonFlatValue(out);
    }

    Result<unsigned> hex4()
    {
        if (m_text.size() - m_at < 4)
            return fail("short \\u escape");
        unsigned out = 0;
        auto [end, ec] = std::from_chars(m_text.data() + m_at, m_text.data() + m_at + 4, out, 16);
        if (ec != std::errc() || end != m_text.data() + m_at + 4)
            return fail("bad \\u escape");
        m_at += 4;
        return out;
    }

    Result<std::string> string()
    {
        if (!take('"'))
            return fail("expected a string");
        std::string out;
        for (;;) {
            if (!more())
                return fail("unterminated string");
            auto c = static_cast<unsigned char>(peek());
            if (c == '"') {
                ++m_at;
                return out;
            }
            if (c < 0x20)
                return fail("control character in a string");
            if (c != '\\') {
                size_t length = utf8_sequence(m_text.substr(m_at));
                if (length == 0)
                    return fail("invalid UTF-8");
                out.append(m_text.substr(m_at, length));
                m_at += length;
                continue;
            }
            ++m_at;
            if (!more())
                return fail("unterminated string");
            char e = peek();
            ++m_at;
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                auto unit = hex4();
                if (!unit)
                    return unit.error();
                char32_t cp = *unit;
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    return fail("lone low surrogate");
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (!take_word("\\u"))
                        return fail("lone high surrogate");
                    auto low = hex4();
                    if (!low)
                        return low.error();
                    if (*low < 0xDC00 || *low > 0xDFFF)
                        return fail("lone high surrogate");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (*low - 0xDC00);
                }
                append_utf8(out, cp);
                break;
            }
            default: return fail("bad escape");
            }
        }
    }
};

}  // namespace

std::string json_string(std::string_view text)
{
    std::string out = "\"";
    out.reserve(text.size() + 2);
    while (!text.empty()) {
        auto byte = static_cast<unsigned char>(text.front());
        if (byte == '"' || byte == '\\') {
            out += '\\';
            out += static_cast<char>(byte);
        } else if (byte < 0x20 || byte == 0x7F) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
            out += escaped;
        } else if (byte >= 0x80) {
            size_t length = utf8_sequence(text);
            if (length == 0) {
                out += "\\ufffd";
                text.remove_prefix(1);
            } else {
                out.append(text.substr(0, length));
                text.remove_prefix(length);
            }
            continue;
        } else {
            out += static_cast<char>(byte);
        }
        text.remove_prefix(1);
    }
    return out + "\"";
}

Result<JsonFlatObject> parse_json_flat_object(std::string_view text, size_t max_bytes)
{
    if (text.size() > max_bytes)
        return Error{"", 0, "JSON of " + std::to_string(text.size()) + " bytes, more than " + std::to_string(max_bytes)};
    return Reader(text).object();
}

}  // namespace signage
