#include "playlist/share/http_range.h"

#include "playlist/base/ascii.h"

#include <charconv>

namespace signage {

namespace {

// A decimal without sign; the whole text.
std::optional<uint64_t> parse_decimal(std::string_view text)
{
    uint64_t out = 0;
    if (text.empty() || text.size() > 19)
        return std::nullopt;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return out;
}

}  // namespace

std::optional<ContentRange> parse_content_range(std::string_view value)
{
    value = trim_ascii(value);
    if (!starts_with_nocase(value, "bytes "))
        return std::nullopt;
    value = trim_ascii(value.substr(6));
    size_t dash = value.find('-');
    size_t slash = value.find('/');
    if (dash == std::string_view::npos || slash == std::string_view::npos || dash > slash)
        return std::nullopt;
    auto first = parse_decimal(value.substr(0, dash));
    auto last = parse_decimal(value.substr(dash + 1, slash - dash - 1));
    if (!first || !last || *last < *first)
        return std::nullopt;
    ContentRange range{*first, *last, std::nullopt};
    std::string_view total = value.substr(slash + 1);
    if (total != "*") {
        range.total = parse_decimal(total);
        if (!range.total || *range.total <= *last)
            return std::nullopt;
    }
    return range;
}

}  // namespace signage
