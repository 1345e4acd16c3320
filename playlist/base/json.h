// JSON, the little the player needs: one writer of strings for every JSON file it writes
// (CACHE/status.json, play --stats, the sync's result), and one reader of flat objects for the
// one JSON it reads (the result a `signage-sync sync --once` child hands its parent,
// sync_result.h).
#pragma once

#include "playlist/base/error.h"

#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace signage {

// `text` as a quoted JSON string: '"' and '\' escaped, control characters (U+0000 to U+001F,
// and DEL, which terminals act on) as \u00XX, valid UTF-8 as it is, and each byte of invalid
// UTF-8 as U+FFFD (JSON text must be UTF-8; file names and server messages need not be).
std::string json_string(std::string_view text);

// A JSON value of a flat object: a string, a number, true/false, null, or an array of strings.
struct JsonNull {
    bool operator==(const JsonNull&) const = default;
};
using JsonFlatValue = std::variant<JsonNull, bool, double, std::string, std::vector<std::string>>;
using JsonFlatObject = std::map<std::string, JsonFlatValue>;

// One JSON object whose values are all of those kinds (no nested objects, no arrays of other
// things), with nothing but white space around it. Strings are decoded (\uXXXX included,
// surrogate pairs joined; a lone surrogate is an error). A key given twice keeps the last value.
// Inputs larger than `max_bytes` are refused. Errors say where (byte offset) and what.
Result<JsonFlatObject> parse_json_flat_object(std::string_view text, size_t max_bytes = 1 << 20);

}  // namespace signage
