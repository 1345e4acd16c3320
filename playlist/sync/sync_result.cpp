#include "playlist/sync/sync_result.h"

#include "playlist/base/json.h"

namespace signage {

namespace {

// The warnings kept in a result: a share with thousands of refused files must not make the
// result larger than the reader takes.
constexpr size_t kMaxWarnings = 1000;

}  // namespace

std::string sync_result_json(const SyncOutcome& outcome)
{
    const char* result = outcome.busy ? "busy" : outcome.error ? "failed" : "ok";
    std::string out = "{\n";
    out += "  \"signage_sync_result\": " + std::to_string(kSyncResultVersion) + ",\n";
    out += std::string("  \"result\": \"") + result + "\",\n";
    out += "  \"reason\": " + json_string(outcome.error.value_or("")) + ",\n";
    out += "  \"summary\": " + json_string(outcome.summary) + ",\n";
    out += "  \"warnings\": [";
    size_t kept = std::min(outcome.warnings.size(), kMaxWarnings);
    for (size_t i = 0; i < kept; ++i)
        out += std::string(i == 0 ? "\n" : ",\n") + "    " + json_string(outcome.warnings[i]);
    if (outcome.warnings.size() > kept)
        out += ",\n    " + json_string("… and " + std::to_string(outcome.warnings.size() - kept) + " more warnings");
    out += outcome.warnings.empty() ? "]\n" : "\n  ]\n";
    return out + "}\n";
}

Result<SyncOutcome> parse_sync_result(std::string_view json)
{
    auto object = parse_json_flat_object(json, kMaxSyncResultBytes);
    if (!object)
        return Error{"", 0, "unreadable sync result: " + object.error().message};
    auto find = [&]<typename T>(const char* key, const T*& out) -> bool {
        auto it = object->find(key);
        out = it == object->end() ? nullptr : std::get_if<T>(&it->second);
        return out != nullptr;
    };
    const double* version = nullptr;
    const std::string* result = nullptr;
    const std::string* reason = nullptr;
    const std::string* summary = nullptr;
    const std::vector<std::string>* warnings = nullptr;
    if (!find("signage_sync_result", version) || *version != kSyncResultVersion)
        return Error{"", 0, "not a sync result of version " + std::to_string(kSyncResultVersion)};
    if (!find("result", result) || !find("reason", reason) || !find("summary", summary) ||
        !find("warnings", warnings))
        return Error{"", 0, "sync result without result, reason, summary or warnings"};
    SyncOutcome out;
    if (*result == "busy") {
        out.busy = true;
        out.error = *reason;
    } else if (*result == "failed") {
        out.error = reason->empty() ? std::string("sync failed without a reason") : *reason;
    } else if (*result != "ok") {
        return Error{"", 0, "sync result \"" + *result + "\" is none of ok, failed, busy"};
    }
    out.summary = *summary;
    out.warnings = *warnings;
    return out;
}

}  // namespace signage
