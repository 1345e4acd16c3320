#include "playlist/base/values.h"

#include "playlist/base/ascii.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace signage {

std::string Color::to_string() const
{
    char buffer[16];
    if (a == 255)
        std::snprintf(buffer, sizeof buffer, "#%02X%02X%02X", r, g, b);
    else
        std::snprintf(buffer, sizeof buffer, "#%02X%02X%02X%02X", r, g, b, a);
    return buffer;
}

ValueError parse_bool(std::string_view text, bool& out)
{
    std::string value = lower_ascii(trim_ascii(text));
    if (value == "yes" || value == "true" || value == "on" || value == "1") {
        out = true;
        return {};
    }
    if (value == "no" || value == "false" || value == "off" || value == "0") {
        out = false;
        return {};
    }
    return "expected yes or no, got \"" + std::string(text) + "\"";
}

ValueError parse_int(std::string_view text, long min, long max, long& out)
{
    std::string_view value = trim_ascii(text);
    long parsed = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (ec != std::errc() || end != value.data() + value.size() || value.empty())
        return "expected a whole number, got \"" + std::string(text) + "\"";
    if (parsed < min || parsed > max)
        return "must be " + format_number_range(static_cast<double>(min), static_cast<double>(max)) + ", got " +
               std::string(value);
    out = parsed;
    return {};
}

ValueError parse_number(std::string_view text, double min, double max, double& out)
{
    std::string_view value = trim_ascii(text);
    double parsed = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (ec != std::errc() || end != value.data() + value.size() || value.empty() || !std::isfinite(parsed))
        return "expected a number, got \"" + std::string(text) + "\"";
    if (parsed < min || parsed > max)
        return "must be " + format_number_range(min, max) + ", got " + std::string(value);
    out = parsed;
    return {};
}

ValueError parse_seconds(std::string_view text, double min, double max, double& out)
{
    std::string value = lower_ascii(trim_ascii(text));
    double scale = 1.0;
    auto ends_with = [&](std::string_view suffix) {
        return value.size() > suffix.size() && value.compare(value.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends_with("ms")) {
        scale = 0.001;
        value.resize(value.size() - 2);
    } else if (ends_with("s")) {
        value.resize(value.size() - 1);
    } else if (ends_with("m")) {
        scale = 60;
        value.resize(value.size() - 1);
    } else if (ends_with("h")) {
        scale = 3600;
        value.resize(value.size() - 1);
    }
    std::string_view number = trim_ascii(value);
    double parsed = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), parsed);
    if (ec != std::errc() || end != number.data() + number.size() || number.empty() || !std::isfinite(parsed))
        return "expected a duration such as 8, 8s, 500ms or 2m, got \"" + std::string(text) + "\"";
    parsed *= scale;
    if (parsed < min || parsed > max)
        return "must be " + format_number_range(min, max) + " seconds, got " + format_seconds(parsed);
    out = parsed;
    return {};
}

ValueError parse_color(std::string_view text, Color& out)
{
    std::string_view value = trim_ascii(text);
    auto bad = [&] { return "expected a colour as #RRGGBB, got \"" + std::string(text) + "\""; };
    if (value.empty() || value.front() != '#')
        return bad();
    value.remove_prefix(1);
    for (char c : value)
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return bad();
    auto hex = [&](size_t pos, size_t len) {
        unsigned v = 0;
        std::from_chars(value.data() + pos, value.data() + pos + len, v, 16);
        return static_cast<uint8_t>(len == 1 ? v * 17 : v);
    };
    if (value.size() == 3) {
        out = {hex(0, 1), hex(1, 1), hex(2, 1), 255};
    } else if (value.size() == 6) {
        out = {hex(0, 2), hex(2, 2), hex(4, 2), 255};
    } else if (value.size() == 8) {
        out = {hex(0, 2), hex(2, 2), hex(4, 2), hex(6, 2)};
    } else {
        return bad();
    }
    return {};
}

ValueError parse_choice(std::string_view text, std::string_view choices, std::string& out)
{
    std::string value = lower_ascii(trim_ascii(text));
    std::string_view rest = choices;
    while (!rest.empty()) {
        size_t bar = rest.find('|');
        std::string_view choice = rest.substr(0, bar);
        if (lower_ascii(choice) == value) {
            out = std::string(choice);
            return {};
        }
        rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
    }
    std::string listed(choices);
    std::replace(listed.begin(), listed.end(), '|', ',');
    return "expected one of " + listed + ", got \"" + std::string(text) + "\"";
}

std::vector<std::string> split_list(std::string_view text)
{
    std::vector<std::string> out;
    while (!text.empty()) {
        size_t comma = text.find(',');
        std::string_view item = trim_ascii(text.substr(0, comma));
        if (!item.empty())
            out.emplace_back(item);
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    }
    return out;
}

std::string format_seconds(double seconds)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%gs", seconds);
    return buffer;
}

}  // namespace signage

namespace signage {

std::string format_number_range(double min, double max)
{
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "%g to %g", min, max);
    return buffer;
}

}  // namespace signage
