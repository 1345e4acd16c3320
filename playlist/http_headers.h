// The parts of an HTTP response head a share sync needs: the status, the validators to send back
// in the next conditional request (ETag, Last-Modified), and the sizes that say whether a body
// is what was asked for (Content-Length, Content-Range of a resumed download).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace signage {

// "bytes FIRST-LAST/TOTAL" (TOTAL may be "*": unknown).
struct ContentRange {
    uint64_t first = 0;
    uint64_t last = 0;
    std::optional<uint64_t> total;
};

struct ResponseHead {
    int status = 0;  // 0 until a status line was seen
    std::string etag;           // as sent, quotes and W/ included: echoed in If-None-Match
    std::string last_modified;  // as sent: echoed in If-Modified-Since
    std::optional<uint64_t> content_length;
    std::optional<ContentRange> content_range;
};

// Feeds one line of a response head, as libcurl hands it over (with its CR LF). A status line
// starts a new head: the heads of redirects before the final response are forgotten. Values
// over 1000 bytes or with control characters are ignored: they are echoed in requests and kept
// in the cache's line-based state file.
void add_header_line(ResponseHead& head, std::string_view line);

std::optional<ContentRange> parse_content_range(std::string_view value);

}  // namespace signage
