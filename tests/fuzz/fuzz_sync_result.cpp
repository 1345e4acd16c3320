// Feeds arbitrary bytes to the reader of a sync's result (playlist/sync/sync_result.h), which the
// player takes from its `signage-sync` child, and with it the flat JSON reader (playlist/base/json.h).
// Besides crashes and sanitizer reports: an outcome it accepts writes back to the same outcome.
#include "playlist/sync/sync_result.h"

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
    auto outcome = signage::parse_sync_result(text);
    if (!outcome)
        return 0;
    auto again = signage::parse_sync_result(signage::sync_result_json(*outcome));
    check(again.ok());
    check(again->busy == outcome->busy && again->summary == outcome->summary);
    check(again->error.has_value() == outcome->error.has_value());
    check(again->warnings == outcome->warnings || outcome->warnings.size() > 1000);
    return 0;
}
