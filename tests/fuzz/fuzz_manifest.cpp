// Feeds arbitrary bytes to the manifest parser, which reads a file from the share (and, later, one
// fetched over HTTP). Besides crashes and sanitizer reports: an error names the file and a line
// within the text; an accepted manifest holds only confined paths, each once, sorted, and
// formatting it then parsing again gives the same entries.
#include "playlist/share/manifest.h"
#include "playlist/base/sha256.h"

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
    int lines = 1;
    for (char c : text)
        lines += c == '\n';
    auto parsed = signage::parse_manifest(text, "/share/manifest.txt");
    if (!parsed) {
        check(parsed.error().file == "/share/manifest.txt");
        check(parsed.error().line >= 0 && parsed.error().line <= lines);
        check(!parsed.error().message.empty());
        return 0;
    }
    const auto& entries = parsed->entries;
    for (size_t i = 0; i < entries.size(); ++i) {
        check(signage::share_path_problem(entries[i].path).empty());
        check(entries[i].sha256.size() == signage::kSha256HexLength);
        check(i == 0 || entries[i - 1].path < entries[i].path);
        check(parsed->find(entries[i].path) == &entries[i]);
    }
    auto again = signage::parse_manifest(signage::format_manifest(*parsed), "again");
    check(again.ok() && again->entries.size() == entries.size());
    for (size_t i = 0; i < entries.size(); ++i)
        check(again->entries[i].path == entries[i].path && again->entries[i].size == entries[i].size &&
              again->entries[i].sha256 == entries[i].sha256);
    return 0;
}
