// Text files from content managers: whatever encoding their editor saved, we work in UTF-8.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "playlist/base/error.h"

namespace signage {

enum class TextEncoding { Utf8, Utf8Bom, Utf16Le, Utf16Be, Gb18030 };

// "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE", "GB18030".
const char* encoding_name(TextEncoding encoding);

struct DecodedText {
    std::string utf8;  // without the BOM
    TextEncoding encoding;
};

// Decodes the bytes of a text file saved by any editor a content manager uses: UTF-8 with or without
// BOM, UTF-16 with BOM (Notepad "Unicode"), or the legacy Chinese encoding Windows Notepad writes
// (GBK/GB18030, via iconv). Pure ASCII is UTF-8; GB18030 is tried only when the bytes are not valid
// UTF-8. Input that is neither -> Error naming the byte offset and line. Line ends are not changed.
Result<DecodedText> decode_text(std::string_view bytes, const std::string& file_name_for_errors);

// Splits on \r\n, \n or a lone \r and keeps empty lines, so callers can number lines from 1.
// A terminator at the very end does not start another line: "a\nb\n" -> {"a", "b"}, "" -> {}.
std::vector<std::string> split_lines(std::string_view utf8);

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view bytes);

// The first control character of a line of text (C0 but tab, DEL, C1), if any: a NUL ends a C
// string where the renderer reads it, and the others draw as boxes. "U+0000" for messages.
std::optional<std::string> first_control_character(std::string_view utf8_line);

// Each maximal ill-formed subsequence becomes one U+FFFD (the Unicode-recommended practice); never throws.
std::u32string utf8_to_u32(std::string_view bytes);

// Surrogates and values above U+10FFFF become U+FFFD, so the result is always valid UTF-8.
std::string u32_to_utf8(std::u32string_view text);

// Strips ASCII whitespace and U+3000 IDEOGRAPHIC SPACE (common in Chinese text) from both ends.
std::string trim(std::string_view utf8);

}  // namespace signage
