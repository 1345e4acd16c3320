// Feeds arbitrary bytes, split at line ends, to the response-head parser an HTTP share sync
// runs on what a server sends. Besides crashes and sanitizer reports: a value it keeps is
// short and free of control characters (it goes back out in a request and into the cache's
// line-based state file), a status is three digits, and a Content-Range it accepts is ordered.
#include "playlist/http_headers.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

void check_value(const std::string& value)
{
    check(value.size() <= 1000);
    for (unsigned char c : value)
        check(c >= 0x20 && c != 0x7F);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    signage::ResponseHead head;
    while (!text.empty()) {
        size_t end = text.find('\n');
        std::string_view line = text.substr(0, end == std::string_view::npos ? text.size() : end + 1);
        text.remove_prefix(line.size());
        signage::add_header_line(head, line);
        check(head.status == 0 || (head.status >= 100 && head.status <= 999));
        check_value(head.etag);
        check_value(head.last_modified);
        if (head.content_range) {
            check(head.content_range->first <= head.content_range->last);
            check(!head.content_range->total || *head.content_range->total > head.content_range->last);
        }
    }
    return 0;
}
