// Feeds arbitrary bytes to the Content-Range parser an HTTP share sync runs on what a server
// sends (libcurl parses the rest of a response's head). Besides crashes and sanitizer reports: a
// range it accepts is ordered, and within its total when the total is known.
#include "playlist/share/http_range.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto range = signage::parse_content_range(text)) {
        check(range->first <= range->last);
        check(!range->total || *range->total > range->last);
    }
    return 0;
}
