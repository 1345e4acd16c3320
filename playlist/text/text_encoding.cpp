#include "playlist/text/text_encoding.h"

#include "playlist/base/ascii.h"
#include "playlist/base/utf8.h"

#include <cerrno>
#include <cstdio>
#include <iconv.h>
#include <memory>
#include <type_traits>

namespace signage {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

// One step of strict UTF-8 decoding. `length` is the number of bytes consumed: the whole character
// when `valid`, otherwise the maximal ill-formed subpart (at least one byte) that becomes one U+FFFD.
struct Utf8Step {
    char32_t code_point;
    size_t length;
    bool valid;
    bool truncated = false;  // invalid only because the input ended inside the character
};

Utf8Step decode_utf8_step(std::string_view s, size_t pos)
{
    auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
    unsigned char lead = byte(pos);
    if (lead < 0x80)
        return {lead, 1, true};

    size_t needed;
    char32_t cp;
    unsigned char second_lo = 0x80, second_hi = 0xBF;  // Unicode Table 3-7: the second byte's range depends on the lead
    if (lead >= 0xC2 && lead <= 0xDF) {
        needed = 1;
        cp = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        needed = 2;
        cp = lead & 0x0F;
        if (lead == 0xE0)
            second_lo = 0xA0;  // overlong
        else if (lead == 0xED)
            second_hi = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        needed = 3;
        cp = lead & 0x07;
        if (lead == 0xF0)
            second_lo = 0x90;  // overlong
        else if (lead == 0xF4)
            second_hi = 0x8F;  // above U+10FFFF
    } else {
        return {kReplacement, 1, false};
    }

    size_t i = pos + 1;
    for (size_t k = 0; k < needed; ++k, ++i) {
        unsigned char lo = k == 0 ? second_lo : 0x80;
        unsigned char hi = k == 0 ? second_hi : 0xBF;
        if (i >= s.size())
            return {kReplacement, i - pos, false, true};
        if (byte(i) < lo || byte(i) > hi)
            return {kReplacement, i - pos, false};
        cp = (cp << 6) | (byte(i) & 0x3F);
    }
    return {cp, needed + 1, true};
}

// Offset of the first byte that is not part of well-formed UTF-8, or npos.
size_t first_invalid_utf8(std::string_view s)
{
    size_t pos = 0;
    while (pos < s.size()) {
        // ASCII fast path: most text files are mostly ASCII.
        if (static_cast<unsigned char>(s[pos]) < 0x80) {
            ++pos;
            continue;
        }
        Utf8Step step = decode_utf8_step(s, pos);
        if (!step.valid)
            return pos;
        pos += step.length;
    }
    return std::string_view::npos;
}

// 1-based line of a position in ASCII-compatible text, counting line ends the way split_lines does.
int line_at(std::string_view text, size_t offset)
{
    int line = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n')
            ++line;
        else if (text[i] == '\r' && !(i + 1 < text.size() && text[i + 1] == '\n'))
            ++line;
    }
    return line;
}

std::string hex_byte(unsigned char b)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", b);
    return buf;
}

std::string describe_bad_utf8(std::string_view bytes, size_t offset)
{
    if (decode_utf8_step(bytes, offset).truncated)
        return "truncated character at byte offset " + std::to_string(offset);
    return "invalid byte " + hex_byte(static_cast<unsigned char>(bytes[offset])) + " at byte offset " +
           std::to_string(offset);
}

std::string describe_bad_byte(std::string_view bytes, size_t offset)
{
    if (offset >= bytes.size())
        return "truncated character at byte offset " + std::to_string(offset);
    return "byte " + hex_byte(static_cast<unsigned char>(bytes[offset])) + " at byte offset " + std::to_string(offset);
}

Result<DecodedText> decode_utf16(std::string_view bytes, bool little_endian, const std::string& file)
{
    TextEncoding encoding = little_endian ? TextEncoding::Utf16Le : TextEncoding::Utf16Be;
    DecodedText out{{}, encoding};
    out.utf8.reserve(bytes.size());
    auto unit_at = [&](size_t i) -> char32_t {
        auto b0 = static_cast<unsigned char>(bytes[i]);
        auto b1 = static_cast<unsigned char>(bytes[i + 1]);
        return little_endian ? char32_t(b0 | (b1 << 8)) : char32_t((b0 << 8) | b1);
    };
    auto fail = [&](size_t offset, const std::string& what) -> Error {
        return Error{file, line_at(out.utf8, out.utf8.size()),
                     std::string("invalid ") + encoding_name(encoding) + " text: " + what + " at byte offset " +
                         std::to_string(offset)};
    };

    size_t pos = 2;  // after the BOM
    while (pos < bytes.size()) {
        if (pos + 1 >= bytes.size())
            return fail(pos, "odd number of bytes, last byte");
        char32_t unit = unit_at(pos);
        if (unit >= 0xDC00 && unit <= 0xDFFF)
            return fail(pos, "unpaired low surrogate");
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            if (pos + 3 >= bytes.size())
                return fail(pos, "high surrogate without its low half");
            char32_t low = unit_at(pos + 2);
            if (low < 0xDC00 || low > 0xDFFF)
                return fail(pos, "high surrogate without its low half");
            append_utf8(out.utf8, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
            pos += 4;
            continue;
        }
        append_utf8(out.utf8, unit);
        pos += 2;
    }
    return out;
}

struct IconvCloser {
    void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};
using IconvHandle = std::unique_ptr<std::remove_pointer_t<iconv_t>, IconvCloser>;

// GB18030 (a superset of GBK and GB2312) to UTF-8. On failure, `bad_offset` is where decoding stopped,
// or npos when iconv has no GB18030 converter at all.
bool gb18030_to_utf8(std::string_view bytes, std::string& out, size_t& bad_offset, std::string& why)
{
    iconv_t raw = iconv_open("UTF-8", "GB18030");
    if (raw == reinterpret_cast<iconv_t>(-1)) {
        bad_offset = std::string_view::npos;
        why = "this system's iconv cannot decode it";
        return false;
    }
    IconvHandle cd(raw);

    out.clear();
    // Every GB18030 sequence of n bytes decodes to at most 4 bytes of UTF-8 (n >= 1), so 4x is enough;
    // the loop below still grows the buffer if an iconv ever needs more.
    std::string buffer(bytes.size() * 4 + 16, '\0');
    char* in_ptr = const_cast<char*>(bytes.data());  // iconv's signature is not const-correct
    size_t in_left = bytes.size();
    size_t produced = 0;
    while (in_left > 0) {
        char* out_ptr = buffer.data() + produced;
        size_t out_left = buffer.size() - produced;
        size_t rc = iconv(cd.get(), &in_ptr, &in_left, &out_ptr, &out_left);
        produced = buffer.size() - out_left;
        if (rc != static_cast<size_t>(-1))
            break;
        if (errno == E2BIG) {
            buffer.resize(buffer.size() * 2);
            continue;
        }
        bad_offset = bytes.size() - in_left;
        why = errno == EINVAL ? "incomplete character at the end" : "invalid sequence";
        return false;
    }
    buffer.resize(produced);
    out = std::move(buffer);
    return true;
}

}  // namespace

const char* encoding_name(TextEncoding encoding)
{
    switch (encoding) {
    case TextEncoding::Utf8:
        return "UTF-8";
    case TextEncoding::Utf8Bom:
        return "UTF-8 with BOM";
    case TextEncoding::Utf16Le:
        return "UTF-16LE";
    case TextEncoding::Utf16Be:
        return "UTF-16BE";
    case TextEncoding::Gb18030:
        return "GB18030";
    }
    return "unknown";
}

Result<DecodedText> decode_text(std::string_view bytes, const std::string& file_name_for_errors)
{
    const std::string& file = file_name_for_errors;
    auto starts_with = [&](std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; };

    if (starts_with("\xEF\xBB\xBF")) {
        std::string_view body = bytes.substr(3);
        size_t bad = first_invalid_utf8(body);
        if (bad != std::string_view::npos)
            return Error{file, line_at(body, bad),
                         "starts with a UTF-8 BOM but is not valid UTF-8: " + describe_bad_utf8(bytes, bad + 3)};
        return DecodedText{std::string(body), TextEncoding::Utf8Bom};
    }
    // Neither BOM can start valid UTF-8 or GB18030 text (0xFF is never a lead byte in either), so
    // checking them first cannot misread a file.
    if (starts_with("\xFF\xFE"))
        return decode_utf16(bytes, true, file);
    if (starts_with("\xFE\xFF"))
        return decode_utf16(bytes, false, file);

    size_t utf8_bad = first_invalid_utf8(bytes);
    if (utf8_bad == std::string_view::npos)
        return DecodedText{std::string(bytes), TextEncoding::Utf8};

    DecodedText out{{}, TextEncoding::Gb18030};
    size_t gb_bad = 0;
    std::string gb_why;
    if (gb18030_to_utf8(bytes, out.utf8, gb_bad, gb_why))
        return out;

    // Report first the encoding the file was more likely meant to be in: UTF-8 if its valid part already
    // holds multi-byte characters (GBK text almost never does), else whichever decoder got further.
    bool utf8_has_multibyte = false;
    for (size_t i = 0; i < utf8_bad && !utf8_has_multibyte; ++i)
        utf8_has_multibyte = static_cast<unsigned char>(bytes[i]) >= 0x80;
    bool gb_available = gb_bad != std::string_view::npos;
    bool utf8_leads = utf8_has_multibyte || !gb_available || utf8_bad >= gb_bad;
    size_t lead = utf8_leads ? utf8_bad : gb_bad;
    std::string utf8_part = "UTF-8: " + describe_bad_utf8(bytes, utf8_bad);
    std::string gb_part = "GB18030: " + gb_why;
    if (gb_available)
        gb_part += " (" + describe_bad_byte(bytes, gb_bad) + ")";
    std::string message = "text is neither UTF-8 nor GB18030; save it as UTF-8. ";
    message += utf8_leads ? utf8_part + "; " + gb_part : gb_part + "; " + utf8_part;
    return Error{file, line_at(bytes, lead), message};
}

std::vector<std::string> split_lines(std::string_view utf8)
{
    std::vector<std::string> lines;
    size_t start = 0;
    size_t i = 0;
    while (i < utf8.size()) {
        char c = utf8[i];
        if (c != '\n' && c != '\r') {
            ++i;
            continue;
        }
        lines.emplace_back(utf8.substr(start, i - start));
        i += (c == '\r' && i + 1 < utf8.size() && utf8[i + 1] == '\n') ? 2 : 1;
        start = i;
    }
    if (start < utf8.size())
        lines.emplace_back(utf8.substr(start));
    return lines;
}

bool is_valid_utf8(std::string_view bytes)
{
    return first_invalid_utf8(bytes) == std::string_view::npos;
}

std::u32string utf8_to_u32(std::string_view bytes)
{
    std::u32string out;
    out.reserve(bytes.size());
    size_t pos = 0;
    while (pos < bytes.size()) {
        Utf8Step step = decode_utf8_step(bytes, pos);
        out += step.code_point;  // U+FFFD when invalid
        pos += step.length;
    }
    return out;
}

std::string u32_to_utf8(std::u32string_view text)
{
    std::string out;
    out.reserve(text.size() * 3);
    for (char32_t cp : text)
        append_utf8(out, cp);
    return out;
}

std::string trim(std::string_view utf8)
{
    // ASCII white space and U+3000 IDEOGRAPHIC SPACE, in any mix, at either end.
    constexpr std::string_view ideographic_space = "\xE3\x80\x80";
    for (;;) {
        std::string_view before = utf8;
        utf8 = trim_ascii(utf8);
        if (utf8.starts_with(ideographic_space))
            utf8.remove_prefix(ideographic_space.size());
        if (utf8.ends_with(ideographic_space))
            utf8.remove_suffix(ideographic_space.size());
        if (utf8.size() == before.size())
            return std::string(utf8);
    }
}

std::optional<std::string> first_control_character(std::string_view utf8_line)
{
    for (char32_t c : utf8_to_u32(utf8_line)) {
        if ((c < 0x20 && c != '\t') || (c >= 0x7F && c < 0xA0)) {
            char name[16];
            std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c));
            return std::string(name);
        }
    }
    return std::nullopt;
}

}  // namespace signage
