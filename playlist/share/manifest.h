// The manifest: what a share holds, one line per file with its SHA-256, size and path. Written
// by `signage-player publish DIR` as DIR/manifest.txt, checked by every sync that finds one,
// and kept with every snapshot (its record of what it holds). Format (docs/sync.md):
//
//     signage-manifest 1
//     # comment lines start with '#'
//     <sha256: 64 lowercase hex digits> <size in bytes> <path relative to the share's top>
//     end <number of files>
//
// The parser is strict, because the manifest decides what a screen plays: any malformed line
// rejects the whole manifest with "file:line: reason". The `end` line catches a manifest cut
// short (copied onto the share by a tool that does not write atomically).
#pragma once

#include "playlist/base/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace signage {

inline constexpr std::string_view kManifestName = "manifest.txt";
inline constexpr std::string_view kManifestHeader = "signage-manifest 1";
inline constexpr size_t kMaxManifestBytes = 64u << 20;

struct ManifestEntry {
    std::string path;
    uint64_t size = 0;
    std::string sha256;
};

struct Manifest {
    std::vector<ManifestEntry> entries;  // sorted by path, no duplicates

    const ManifestEntry* find(std::string_view path) const;
    // Sorts the entries; returns false (and leaves them sorted) when a path occurs twice.
    bool sort_and_check_unique();
};

// Why `path` cannot be a file's path in a share ("" when it can): not empty, relative, no ".",
// ".." or empty components, no control characters.
std::string share_path_problem(std::string_view path);

Result<Manifest> parse_manifest(std::string_view text, const std::string& file_name);
// Entries as given (sort them first); `comment` (one line, without '#') goes under the header.
std::string format_manifest(const Manifest& manifest, std::string_view comment = "");

}  // namespace signage
