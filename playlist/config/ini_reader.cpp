#include "playlist/config/ini_reader.h"

#include "playlist/base/file_io.h"
#include "playlist/text/text_encoding.h"

#include <cstring>
#include <limits>
#include <ini.h>
#include <mutex>

namespace signage {

const IniEntry* IniSection::find(std::string_view key) const
{
    for (auto it = entries.rbegin(); it != entries.rend(); ++it)
        if (it->key == key)
            return &*it;
    return nullptr;
}

namespace {

// Feeds inih one physical line per call, so the count of calls is the line number: inih itself
// (Debian's build) does not pass line numbers to the handler.
struct LineFeeder {
    std::string_view text;
    size_t pos = 0;
    int line = 0;
    IniDocument* doc = nullptr;
    bool check_utf8 = false;  // the file is neither UTF-8 nor another encoding as a whole
};

char* feed_line(char* out, int capacity, void* stream)
{
    auto* feeder = static_cast<LineFeeder*>(stream);
    if (feeder->pos >= feeder->text.size())
        return nullptr;
    std::string_view rest = feeder->text.substr(feeder->pos);
    size_t end = rest.find('\n');
    size_t length = end == std::string_view::npos ? rest.size() : end + 1;
    feeder->pos += length;
    ++feeder->line;
    std::string_view line = rest.substr(0, length);

    if (line.size() > kMaxIniLineBytes || line.size() + 1 > static_cast<size_t>(capacity)) {
        feeder->doc->syntax_errors.push_back(
            {feeder->doc->file, feeder->line, "line longer than " + std::to_string(kMaxIniLineBytes) + " bytes; ignored"});
        std::strcpy(out, "\n");
        return out;
    }
    // A NUL inside the line would make inih stop early at that byte; report it instead.
    if (line.find('\0') != std::string_view::npos) {
        feeder->doc->syntax_errors.push_back({feeder->doc->file, feeder->line, "line contains a NUL byte; ignored"});
        std::strcpy(out, "\n");
        return out;
    }
    if (feeder->check_utf8 && !is_valid_utf8(line)) {
        feeder->doc->syntax_errors.push_back(
            {feeder->doc->file, feeder->line, "line is not text (neither UTF-8 nor GB18030); ignored"});
        std::strcpy(out, "\n");
        return out;
    }
    std::memcpy(out, line.data(), line.size());
    out[line.size()] = '\0';

    // Section headers are seen here so that empty and repeated sections are kept apart.
    std::string_view trimmed = line;
    while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t'))
        trimmed.remove_prefix(1);
    if (feeder->line == 1 && trimmed.substr(0, 3) == "\xEF\xBB\xBF")
        trimmed.remove_prefix(3);
    if (!trimmed.empty() && trimmed.front() == '[') {
        size_t close = trimmed.find(']');
        if (close != std::string_view::npos) {
            std::string name(trimmed.substr(1, close - 1));
            // inih strips whitespace around the name; do the same.
            while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
                name.pop_back();
            size_t first = name.find_first_not_of(" \t");
            name = first == std::string::npos ? "" : name.substr(first);
            feeder->doc->sections.push_back({name, feeder->line, {}});
        }
    }
    return out;
}

int on_key(void* user, const char* section, const char* name, const char* value)
{
    auto* feeder = static_cast<LineFeeder*>(user);
    auto& sections = feeder->doc->sections;
    (void)section;  // the feeder has already opened the section this key belongs to
    if (sections.empty())
        sections.push_back({"", 0, {}});
    sections.back().entries.push_back({name, value ? value : "", feeder->line});
    return 1;
}

void configure_inih_once()
{
    static std::once_flag once;
    std::call_once(once, [] {
        // Heap buffer sized for our own limit; no multi-line values (an indented key would
        // silently join the previous value) and no inline comments (a slogan may contain " ;").
        ini_use_stack = false;
        ini_allow_realloc = false;
        ini_max_line = static_cast<int>(kMaxIniLineBytes) + 8;
        ini_allow_multiline = false;
        ini_allow_inline_comments = false;
        ini_stop_on_first_error = false;
    });
}

}  // namespace

Result<IniDocument> parse_ini_text(std::string_view text, const std::string& file_name)
{
    configure_inih_once();
    IniDocument doc;
    doc.file = file_name;
    if (text.size() > kMaxIniFileBytes)
        return Error{file_name, 0, "file larger than " + std::to_string(kMaxIniFileBytes >> 20) + " MiB; refused"};

    // Notepad on Chinese Windows saves "ANSI" (GBK) and its "Unicode" is UTF-16: such a file is
    // read as a slogans file is (decode_text). Bytes that are no text at all make their own lines
    // errors (ignored), and the rest of the file still counts.
    std::string converted;
    bool check_utf8 = false;
    if (!is_valid_utf8(text)) {
        if (auto decoded = decode_text(text, file_name)) {
            converted = std::move(decoded->utf8);
            text = converted;
        } else {
            check_utf8 = true;
        }
    }
    LineFeeder feeder{text, 0, 0, &doc, check_utf8};
    // inih returns the first bad line; it keeps parsing, so later errors are found by a second
    // pass that tests each remaining line alone.
    int first_error = ini_parse_stream(feed_line, &feeder, on_key, &feeder);
    if (first_error < 0)
        return Error{file_name, 0, "cannot parse (out of memory)"};
    if (first_error > 0) {
        // Find every bad line: a line is bad when inih rejects it on its own.
        int line_no = 0;
        std::string_view rest = text;
        while (!rest.empty()) {
            size_t end = rest.find('\n');
            std::string_view line = rest.substr(0, end == std::string_view::npos ? rest.size() : end);
            rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
            ++line_no;
            if (line_no < first_error || line.size() > kMaxIniLineBytes)
                continue;
            std::string single(line);
            if (line_no == 1 && single.rfind("\xEF\xBB\xBF", 0) == 0)
                single.erase(0, 3);
            if (ini_parse_string(single.c_str(), [](void*, const char*, const char*, const char*) { return 1; },
                                 nullptr) > 0)
                doc.syntax_errors.push_back(
                    {file_name, line_no, "cannot parse this line (expected [section], key = value or a ; comment)"});
        }
    }
    return doc;
}

Result<IniDocument> read_ini_file(const std::string& path)
{
    auto bytes = read_file_limited(path, kMaxIniFileBytes);
    if (!bytes)
        return bytes.error();
    return parse_ini_text(*bytes, path);
}

int unreadable_line_in(const IniDocument& doc, size_t index)
{
    const int first = doc.sections.at(index).line;
    const int end = index + 1 < doc.sections.size() ? doc.sections[index + 1].line : std::numeric_limits<int>::max();
    for (const Error& e : doc.syntax_errors)
        if (e.line > first && e.line < end)
            return e.line;
    return 0;
}

int first_line_of_repeated(const IniDocument& doc, size_t index)
{
    const IniSection& section = doc.sections.at(index);
    for (size_t i = 0; i < index; ++i)
        if (doc.sections[i].name == section.name && doc.sections[i].line > 0)
            return doc.sections[i].line;
    return 0;
}

}  // namespace signage
