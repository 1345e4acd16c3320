#include "playlist/http_headers.h"

#include <algorithm>
#include <charconv>

namespace signage {

namespace {

constexpr size_t kMaxValueBytes = 1000;

std::string_view trim(std::string_view text)
{
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && space(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && space(text.back()))
        text.remove_suffix(1);
    return text;
}

bool equal_nocase(std::string_view a, std::string_view b)
{
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

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
    value = trim(value);
    if (value.size() < 6 || !equal_nocase(value.substr(0, 6), "bytes "))
        return std::nullopt;
    value = trim(value.substr(6));
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

void add_header_line(ResponseHead& head, std::string_view line)
{
    line = trim(line);
    if (line.size() >= 5 && line.substr(0, 5) == "HTTP/") {
        head = ResponseHead{};
        size_t space = line.find(' ');
        if (space != std::string_view::npos && line.size() >= space + 4) {
            auto code = parse_decimal(line.substr(space + 1, 3));
            if (code && *code >= 100 && *code <= 999)
                head.status = static_cast<int>(*code);
        }
        return;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos)
        return;
    std::string_view name = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    bool control = std::any_of(value.begin(), value.end(), [](unsigned char c) { return c < 0x20 || c == 0x7F; });
    if (value.size() > kMaxValueBytes || control)
        return;
    if (equal_nocase(name, "ETag"))
        head.etag = std::string(value);
    else if (equal_nocase(name, "Last-Modified"))
        head.last_modified = std::string(value);
    else if (equal_nocase(name, "Content-Length"))
        head.content_length = parse_decimal(value);
    else if (equal_nocase(name, "Content-Range"))
        head.content_range = parse_content_range(value);
}

}  // namespace signage
