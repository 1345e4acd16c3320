#include "playlist/share/manifest.h"

#include "playlist/base/sha256.h"
#include "playlist/share/share_scan.h"

#include <algorithm>
#include <charconv>
#include <unordered_map>

namespace signage {

namespace {

bool is_lower_hex(std::string_view text)
{
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// A decimal without sign, leading zeros or overflow.
bool parse_size(std::string_view text, uint64_t& out)
{
    if (text.empty() || text.size() > 19 || (text.size() > 1 && text[0] == '0'))
        return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

// A line for a message: control characters shown as \xNN (as share paths are), cut at 80 bytes.
std::string quoted(std::string_view text)
{
    return "\"" + printable_path(text.substr(0, 80)) + (text.size() > 80 ? "…\"" : "\"");
}

}  // namespace

const ManifestEntry* Manifest::find(std::string_view path) const
{
    auto it = std::lower_bound(entries.begin(), entries.end(), path,
                               [](const ManifestEntry& e, std::string_view p) { return e.path < p; });
    return it != entries.end() && it->path == path ? &*it : nullptr;
}

bool Manifest::sort_and_check_unique()
{
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return std::adjacent_find(entries.begin(), entries.end(),
                              [](const auto& a, const auto& b) { return a.path == b.path; }) == entries.end();
}

std::string share_path_problem(std::string_view path)
{
    if (path.empty())
        return "empty path";
    for (unsigned char c : path)
        if (c < 0x20 || c == 0x7F)
            return "path contains a control character";
    if (path.front() == '/')
        return "absolute path";
    size_t start = 0;
    while (start <= path.size()) {
        size_t slash = path.find('/', start);
        std::string_view part = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
        if (part.empty())
            return "empty path component (\"//\" or a trailing \"/\")";
        if (part == "." || part == "..")
            return "\"" + std::string(part) + "\" in a path";
        if (slash == std::string_view::npos)
            break;
        start = slash + 1;
    }
    return "";
}

Result<Manifest> parse_manifest(std::string_view text, const std::string& file_name)
{
    Manifest manifest;
    std::unordered_map<std::string_view, int> first_line;
    bool header = false;
    bool ended = false;
    int line_number = 0;
    size_t pos = 0;
    auto fail = [&](const std::string& message) { return Error{file_name, line_number, message}; };
    while (pos < text.size()) {
        size_t newline = text.find('\n', pos);
        if (newline == std::string_view::npos)
            return Error{file_name, line_number + 1, "last line has no line end: the manifest is cut short"};
        std::string_view line = text.substr(pos, newline - pos);
        pos = newline + 1;
        ++line_number;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);  // written on Windows: paths cannot hold a CR, so this is unambiguous
        if (!header) {
            if (line.starts_with("signage-manifest ") && line != kManifestHeader)
                return fail("manifest format " + std::string(line.substr(17)) +
                            " is not understood by this player (it reads \"" + std::string(kManifestHeader) + "\")");
            if (line != kManifestHeader)
                return fail("not a signage-player manifest: the first line must be \"" +
                            std::string(kManifestHeader) + "\"");
            header = true;
            continue;
        }
        if (ended)
            return fail("text after the \"end\" line");
        if (!line.empty() && line.front() == '#')
            continue;
        if (line.starts_with("end ")) {
            uint64_t count = 0;
            if (!parse_size(line.substr(4), count))
                return fail("expected \"end <number of files>\", got " + quoted(line));
            if (count != manifest.entries.size())
                return fail("\"end\" says " + std::to_string(count) + " files, the manifest lists " +
                            std::to_string(manifest.entries.size()));
            ended = true;
            continue;
        }
        size_t space1 = line.find(' ');
        size_t space2 = space1 == std::string_view::npos ? space1 : line.find(' ', space1 + 1);
        if (space2 == std::string_view::npos)
            return fail("expected \"<sha256> <size> <path>\", got " + quoted(line));
        std::string_view sha = line.substr(0, space1);
        std::string_view size_text = line.substr(space1 + 1, space2 - space1 - 1);
        std::string_view path = line.substr(space2 + 1);
        if (sha.size() != kSha256HexLength || !is_lower_hex(sha))
            return fail("bad SHA-256 " + quoted(sha) + ": expected 64 lowercase hex digits");
        ManifestEntry entry;
        if (!parse_size(size_text, entry.size))
            return fail("bad size " + quoted(size_text) + ": expected a number of bytes");
        std::string problem = share_path_problem(path);
        if (!problem.empty())
            return fail(problem + ": " + quoted(path));
        auto [it, inserted] = first_line.try_emplace(path, line_number);
        if (!inserted)
            return fail("\"" + std::string(path) + "\" is listed twice (first on line " + std::to_string(it->second) +
                        ")");
        entry.sha256 = std::string(sha);
        entry.path = std::string(path);
        manifest.entries.push_back(std::move(entry));
    }
    if (!header)
        return Error{file_name, 0, "empty file, not a manifest"};
    if (!ended)
        return Error{file_name, line_number, "no \"end\" line: the manifest is cut short"};
    manifest.sort_and_check_unique();
    return manifest;
}

std::string format_manifest(const Manifest& manifest, std::string_view comment)
{
    std::string out = std::string(kManifestHeader) + "\n";
    if (!comment.empty())
        out += "# " + std::string(comment) + "\n";
    for (const auto& e : manifest.entries)
        out += e.sha256 + " " + std::to_string(e.size) + " " + e.path + "\n";
    out += "end " + std::to_string(manifest.entries.size()) + "\n";
    return out;
}

}  // namespace signage
