// Reads INI files through inih, keeping what inih does not report: the line of every key and
// every section header (including empty sections), so messages can say "file:line: reason".
#pragma once

#include "playlist/base/error.h"

#include <string>
#include <vector>

namespace signage {

struct IniEntry {
    std::string key;
    std::string value;
    int line = 0;
};

struct IniSection {
    std::string name;  // "" for keys before the first [section]
    int line = 0;      // line of the [section] header (0 for the unnamed one)
    std::vector<IniEntry> entries;

    const IniEntry* find(std::string_view key) const;
};

struct IniDocument {
    std::string file;
    std::vector<IniSection> sections;  // in file order; the unnamed section first when present
    std::vector<Error> syntax_errors;  // lines inih could not parse, lines too long
};

// Longest line accepted; longer lines are reported, not silently cut.
inline constexpr size_t kMaxIniLineBytes = 4000;
// Files larger than this are refused before parsing (a playlist is a few KB).
inline constexpr size_t kMaxIniFileBytes = 4u << 20;

Result<IniDocument> parse_ini_text(std::string_view text, const std::string& file_name);

// The first unreadable line (a syntax error) between section `index`'s header and the next
// section, or 0. Such a line may have been any of its keys (a schedule, a kind, a file): what the
// section means cannot be known, so callers leave the section out.
int unreadable_line_in(const IniDocument& doc, size_t index);

// The line of the first section named as section `index` is, when it is a repeat; else 0.
int first_line_of_repeated(const IniDocument& doc, size_t index);
Result<IniDocument> read_ini_file(const std::string& path);

}  // namespace signage
