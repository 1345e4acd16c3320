// The one response header a share sync parses itself: Content-Range, which says whether a
// resumed download (206) continues where the partial file ends. libcurl hands over its value
// (curl_easy_header) but does not parse it. Outside input: fuzzed (tests/fuzz/fuzz_content_range.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace signage {

// "bytes FIRST-LAST/TOTAL" (TOTAL may be "*": unknown).
struct ContentRange {
    uint64_t first = 0;
    uint64_t last = 0;
    std::optional<uint64_t> total;
};

// nullopt unless well-formed and ordered (first <= last < total).
std::optional<ContentRange> parse_content_range(std::string_view value);

}  // namespace signage
