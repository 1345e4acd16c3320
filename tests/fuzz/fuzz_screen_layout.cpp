// Feeds arbitrary bytes to the screen layout parser (a layout file IT staff write by hand) and to
// the clock formatter (a clock zone's `format`). Besides crashes and sanitizer reports: every
// message names the file at a line within the text; a layout read has a main zone, zones with
// plain-word names, each once, in drawing order, at most one with sound, each resolving inside
// any screen; a clock zone's format passes its check; the formatter's output never loses the text
// between directives.
#include "playlist/layout/screen_layout.h"

#include <cstddef>
#include <cstdint>
#include <set>
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
        check(e.file == file);
    }
}

bool plain_word(const std::string& name)
{
    if (name.empty())
        return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    return true;
}

void check_inside(signage::Rect r, int w, int h)
{
    check(r.x >= 0 && r.y >= 0 && r.w >= 1 && r.h >= 1 && r.x + r.w <= w && r.y + r.h <= h);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string file = "/etc/signage/layout.ini";
    const int lines = count_lines(text);

    auto load = signage::parse_screen_layout(text, file, "/etc/signage");
    if (!load) {
        check(load.error().file == file && !load.error().message.empty());
    } else {
        check_errors(load->errors, file, lines);
        check_errors(load->warnings, file, lines);
        const auto& layout = load->layout;
        check(!layout.zones.empty() && layout.zones.size() <= signage::kMaxLayoutZones);
        check(layout.main() && layout.main()->kind == signage::ZoneKind::Playlist);
        check(layout.sound_zone() && layout.sound_zone()->kind == signage::ZoneKind::Playlist);
        std::set<std::string> names;
        int sounds = 0;
        for (size_t i = 0; i < layout.zones.size(); ++i) {
            const auto& zone = layout.zones[i];
            check(plain_word(zone.name) && names.insert(zone.name).second);
            check(zone.line >= 1 && zone.line <= lines);
            check(i == 0 || layout.zones[i - 1].order <= zone.order);
            sounds += zone.sound;
            check(!zone.sound || zone.kind == signage::ZoneKind::Playlist);
            check(zone.speed >= 10 && zone.speed <= 2000);
            for (auto [w, h] : {std::pair{1920, 1080}, std::pair{1080, 1920}, std::pair{1, 1}, std::pair{64, 16384}})
                check_inside(signage::resolve_area(zone.area, w, h), w, h);
            if (zone.kind == signage::ZoneKind::Clock)
                check(signage::check_clock_format(zone.format).empty());
            if (zone.kind == signage::ZoneKind::Text)
                check(!zone.text.empty());
        }
        check(sounds <= 1);
    }

    // The bytes as a clock format: what is not a directive comes out as it went in.
    signage::LocalTime time{{2026, 12, 6}, 6, 14 * 3600 + 30 * 60 + 5};
    std::string shown = signage::format_clock(text, time);
    if (text.find('%') == std::string_view::npos)
        check(shown == text);
    int period = signage::clock_period(text);
    check(period == 1 || period == 60);
    if (signage::check_clock_format(text).empty())
        check(period == 60 || text.find("%S") != std::string_view::npos);
    return 0;
}
