// Parsers for the value types that config and playlist files share. Each returns a reason
// (without file or line; callers add those) when the text is not acceptable.
#pragma once

#include "playlist/base/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace signage {

struct Color {
    uint8_t r = 0, g = 0, b = 0, a = 255;
    bool operator==(const Color&) const = default;
    std::string to_string() const;  // "#RRGGBB" or "#RRGGBBAA"
};

// A reason a value was refused; empty means no error.
using ValueError = std::string;

ValueError parse_bool(std::string_view text, bool& out);
ValueError parse_int(std::string_view text, long min, long max, long& out);
ValueError parse_number(std::string_view text, double min, double max, double& out);
// Seconds as "8", "8s", "1.5s", "500ms", "2m" or "1h".
ValueError parse_seconds(std::string_view text, double min, double max, double& out);
// "#RGB", "#RRGGBB" or "#RRGGBBAA".
ValueError parse_color(std::string_view text, Color& out);
// One of the '|'-separated choices, compared case-insensitively; out gets the canonical spelling.
ValueError parse_choice(std::string_view text, std::string_view choices, std::string& out);
// Comma-separated list, items trimmed, empty items dropped.
std::vector<std::string> split_list(std::string_view text);

std::string format_seconds(double seconds);
// "min to max" as a person reads it.
std::string format_number_range(double min, double max);

}  // namespace signage
