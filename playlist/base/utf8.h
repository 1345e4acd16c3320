// UTF-8 encoding of one code point, shared by the text decoders and the JSON reader.
#pragma once

#include <string>

namespace signage {

// Appends `cp` as UTF-8; a surrogate or a value past U+10FFFF becomes U+FFFD, so the output is
// always valid UTF-8.
void append_utf8(std::string& out, char32_t cp);

}  // namespace signage
