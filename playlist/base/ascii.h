// ASCII text helpers, one copy each: trimming, lower case, comparing without case. Locale-free
// (std::isspace and std::tolower follow the C locale, which a library must not rely on), and
// bytes >= 0x80 pass through untouched, so UTF-8 is never split.
#pragma once

#include <string>
#include <string_view>

namespace signage {

// Space, tab, line feed, vertical tab, form feed, carriage return.
bool is_ascii_space(char c);

// `text` without ASCII white space at either end.
std::string_view trim_ascii(std::string_view text);

// A-Z as a-z; every other byte as it is.
std::string lower_ascii(std::string_view text);

bool equal_nocase(std::string_view a, std::string_view b);
bool starts_with_nocase(std::string_view text, std::string_view prefix);

// Starts with http:// or https:// in any case ("HTTPS://EXAMPLE.ORG/x" too): the share is
// fetched, not a mounted folder. The one test for it: config, sync and the player's watcher.
bool is_http_url(std::string_view text);

}  // namespace signage
