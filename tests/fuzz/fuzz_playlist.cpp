// Feeds arbitrary bytes to the playlist and config parsers, which read files from the share.
// Besides crashes and sanitizer reports: every message names the file, every line number is
// within the text, and every path an item ends up with stays inside the playlist's folder.
#include "playlist/config/config.h"
#include "playlist/timeline/playlist.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

int count_lines(std::string_view text)
{
    int lines = 1;
    for (char c : text)
        lines += c == '\n';
    return lines;
}

void check_errors(const std::vector<signage::Error>& errors, const std::string& file, int lines)
{
    for (const auto& e : errors) {
        check(e.line >= 0 && e.line <= lines);
        check(!e.message.empty());
        check(e.file == file || e.line == 0);
    }
}

bool inside(const std::string& path, const std::string& base)
{
    return path.empty() || path.rfind(base + "/", 0) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    const int lines = count_lines(text);

    auto playlist = signage::parse_playlist_text(text, "/share/playlist.ini", "/share");
    check_errors(playlist.errors, "/share/playlist.ini", lines);
    check_errors(playlist.warnings, "/share/playlist.ini", lines);
    check(playlist.playlist.items.size() <= signage::kMaxPlaylistItems);
    for (const auto& item : playlist.playlist.items) {
        check(inside(item.path, "/share"));
        check(inside(item.background_image, "/share"));
        check(item.duration >= 0.5);
        check(item.fade_in() >= 0 && item.fade_in() < item.duration);
    }

    auto config = signage::parse_config_text(text, "/etc/player.ini", "/etc");
    check_errors(config.errors, "/etc/player.ini", lines);
    check_errors(config.warnings, "/etc/player.ini", lines);
    int rotation = config.config.rotation_degrees();
    check(rotation == 0 || rotation == 90 || rotation == 180 || rotation == 270);
    return 0;
}
