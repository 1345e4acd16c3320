// Feeds arbitrary bytes to the text decoder. Besides crashes and sanitizer reports: decoded text is
// valid UTF-8 (and is the input itself when that was UTF-8), errors say where, and the UTF-8 helpers
// agree with each other on whatever comes out.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "playlist/text/text_encoding.h"

namespace {

void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

void check_utf8_helpers(std::string_view text)
{
    // Decoding never fails and re-encoding always yields valid UTF-8; for valid input it is exact.
    std::u32string wide = signage::utf8_to_u32(text);
    std::string back = signage::u32_to_utf8(wide);
    check(signage::is_valid_utf8(back));
    check(wide.size() <= text.size());
    if (signage::is_valid_utf8(text))
        check(back == text);

    std::string trimmed = signage::trim(text);
    check(trimmed.size() <= text.size());
    check(signage::trim(trimmed) == trimmed);
    check(text.find(trimmed) != std::string_view::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    check_utf8_helpers(bytes);

    signage::Result<signage::DecodedText> result = signage::decode_text(bytes, "fuzz.txt");
    if (!result.ok()) {
        check(!result.error().message.empty());
        check(result.error().file == "fuzz.txt");
        check(result.error().line >= 1);
        check(!signage::is_valid_utf8(bytes));
        return 0;
    }

    const std::string& text = result->utf8;
    check(signage::is_valid_utf8(text));
    if (result->encoding == signage::TextEncoding::Utf8)
        check(text == bytes);
    if (signage::is_valid_utf8(bytes) && bytes.substr(0, 3) != "\xEF\xBB\xBF")
        check(result->encoding == signage::TextEncoding::Utf8);
    check_utf8_helpers(text);

    // Lines hold no line ends, are valid UTF-8, and are the text minus its line ends.
    std::string joined;
    for (const std::string& line : signage::split_lines(text)) {
        check(line.find_first_of("\r\n") == std::string::npos);
        check(signage::is_valid_utf8(line));
        joined += line;
    }
    std::string expected;
    for (char c : text)
        if (c != '\r' && c != '\n')
            expected += c;
    check(joined == expected);
    return 0;
}
