#include "playlist/layout/screen_layout.h"

#include "playlist/base/ascii.h"
#include "playlist/base/file_io.h"
#include "playlist/config/ini_reader.h"
#include "playlist/config/option_table.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>

namespace signage {

namespace {

// The keys of one zone as written, before they become a Zone (as ItemOptions becomes a PlaylistItem).
struct ZoneOptions {
    std::string kind;
    std::string area;
    long order = 0;
    bool sound = false;
    Color color;
    std::optional<Color> background;
    long font_size = 0;
    std::string align;
    std::string source;
    std::string file;
    std::string text;
    double speed = 0;
    std::string separator;
    std::string format;
    std::string image;
};

// Which kinds of zone a key means something to.
enum KindMask : unsigned {
    kPlaylist = 1u << static_cast<int>(ZoneKind::Playlist),
    kTicker = 1u << static_cast<int>(ZoneKind::Ticker),
    kClock = 1u << static_cast<int>(ZoneKind::Clock),
    kText = 1u << static_cast<int>(ZoneKind::Text),
    kAnyKind = kPlaylist | kTicker | kClock | kText,
};

struct ZoneKey {
    OptionSpec<ZoneOptions> spec;
    unsigned kinds;
};

using O = ZoneOptions;

const ZoneKey kZoneKeys[] = {
    {{"", "kind", OptionKind::Choice, "playlist", 0, 0, "playlist|ticker|clock|text",
      "What the zone shows. `playlist`: items of the playlist (those with `zone =` its name; the main zone also "
      "those without `zone`), on its own timeline; `ticker`: a band of text scrolling right to left; `clock`: the "
      "date and time; `text`: a fixed band of text, with a logo if wanted.",
      &O::kind},
     kAnyKind},
    {{"", "area", OptionKind::Text, "0, 0, 100%, 100%", 0, 0, "",
      "`x, y, w, h`: where the zone is, each a length in percent of the screen's width (x, w) or height (y, h), "
      "`25%`, or in pixels, `480` or `480px`. Percent follows the screen; pixels do not. The zone must lie inside "
      "the screen: no length beyond 100%, x + w and y + h at most 100% when both are in percent.",
      &O::area},
     kAnyKind},
    {{"", "order", OptionKind::Int, "0", -1000, 1000, "",
      "Drawing order where zones overlap: higher is on top; zones of equal order are drawn in file order, the "
      "later on top.",
      &O::order},
     kAnyKind},
    {{"", "sound", OptionKind::Bool, "no", 0, 0, "",
      "`yes`: this zone's videos play their sound. At most one zone has it; without any, the main zone's do. The "
      "videos of the other zones play silent.",
      &O::sound},
     kPlaylist},
    {{"", "background", OptionKind::Color, "", 0, 0, "",
      "The band's colour, `#RRGGBB`, or `#RRGGBBAA` to let what is under it show through. Unset: transparent.",
      &O::background},
     kTicker | kClock | kText},
    {{"", "color", OptionKind::Color, "#FFFFFF", 0, 0, "", "Text colour.", &O::color}, kTicker | kClock | kText},
    {{"", "font_size", OptionKind::Int, "0", 0, 2000, "",
      "Text size in pixels; 0: the largest that fits the band's height.", &O::font_size},
     kTicker | kClock | kText},
    {{"", "align", OptionKind::Choice, "center", 0, 0, "left|center|right",
      "Where the text sits across the band (a ticker scrolls instead).", &O::align},
     kClock | kText},
    {{"", "source", OptionKind::Choice, "slogans", 0, 0, "slogans|text|alerts",
      "What the ticker scrolls: `slogans`, the lines of `file`, one after the other, or without a `file` the "
      "playlist's slogans with `zone = ` this zone's name (so the share feeds it); `text`, the `text`; "
      "`alerts`, the headlines of the urgent alerts up at the moment (the alerts folder and playlist entries "
      "with `priority = alert`).",
      &O::source},
     kTicker},
    {{"", "file", OptionKind::Path, "", 0, 0, "",
      "Ticker with `source = slogans`: a text file of slogans, one a line, as a playlist's `type = slogans` file "
      "(any encoding; empty lines and lines starting with `#` skipped). Relative to the layout file's folder.",
      &O::file},
     kTicker},
    {{"", "text", OptionKind::Text, "", 0, 0, "",
      "The text of a `kind = text` band, or of a ticker with `source = text`.", &O::text},
     kTicker | kText},
    {{"", "speed", OptionKind::Number, "120", 10, 2000, "", "Ticker: how fast the text moves, in pixels a second.",
      &O::speed},
     kTicker},
    {{"", "separator", OptionKind::Text, "　　　", 0, 0, "",
      "Ticker: what goes between two entries; unset, three ideographic spaces (U+3000). In double quotes to "
      "keep spaces at its ends: `\" · \"`.",
      &O::separator},
     kTicker},
    {{"", "format", OptionKind::Text, kDefaultClockFormat, 0, 0, "",
      "Clock: what it shows; see Clocks below for the directives. Unset: `2026年12月6日 星期日 14:30`.", &O::format},
     kClock},
    {{"", "image", OptionKind::Path, "", 0, 0, "",
      "Text band: a logo (PNG, JPEG, WebP) drawn at the band's left, as high as the band. Relative to the layout "
      "file's folder.",
      &O::image},
     kText},
};

bool is_plain_word(std::string_view name)
{
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

std::string resolve_path(const std::string& folder, const std::string& path)
{
    std::filesystem::path p(path);
    if (p.is_absolute() || folder.empty())
        return p.lexically_normal().string();
    return (std::filesystem::path(folder) / p).lexically_normal().string();
}

std::string format_number(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

ValueError parse_length(std::string_view text, Length& out)
{
    std::string_view value = trim_ascii(text);
    Length length;
    if (!value.empty() && value.back() == '%') {
        length.percent = true;
        value.remove_suffix(1);
    } else if (value.size() > 2 && equal_nocase(value.substr(value.size() - 2), "px")) {
        value.remove_suffix(2);
    }
    value = trim_ascii(value);
    ValueError error = length.percent ? parse_number(value, 0, 100, length.value)
                                      : parse_number(value, 0, kMaxLayoutPixels, length.value);
    if (!error.empty())
        return "\"" + std::string(trim_ascii(text)) + "\" is not a length: 0 to 100% of the screen, or 0 to " +
               format_number(kMaxLayoutPixels) + " pixels (25%, 480 or 480px)";
    out = length;
    return {};
}

// `x, y, w, h`, a zone that fits inside any screen it can be checked against.
ValueError parse_area(std::string_view text, ZoneArea& out)
{
    std::vector<std::string_view> parts;
    for (size_t start = 0;;) {
        size_t comma = text.find(',', start);
        parts.push_back(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (comma == std::string_view::npos)
            break;
        start = comma + 1;
    }
    if (parts.size() != 4)
        return "expected x, y, w, h (four lengths such as 0, 90%, 100%, 10%), got \"" + std::string(text) + "\"";
    ZoneArea area;
    Length* slots[] = {&area.x, &area.y, &area.w, &area.h};
    for (size_t i = 0; i < 4; ++i)
        if (ValueError error = parse_length(parts[i], *slots[i]); !error.empty())
            return error;
    if (area.w.value <= 0 || area.h.value <= 0)
        return "the zone has no size: its width and height must be above 0";
    // In percent the screen's size does not matter: the zone either fits every screen or none.
    // Mixed with pixels, it depends on the screen, and resolve_area() keeps it inside.
    constexpr double kSlack = 1e-6;  // 33.333% + 66.667%
    auto fits = [&](const Length& at, const Length& size, const char* what) -> ValueError {
        if (at.percent && size.percent && at.value + size.value > 100 + kSlack)
            return std::string(what) + " is " + format_number(at.value + size.value) +
                   "% of the screen: the zone must lie inside it";
        return {};
    };
    if (ValueError error = fits(area.x, area.w, "x + w"); !error.empty())
        return error;
    if (ValueError error = fits(area.y, area.h, "y + h"); !error.empty())
        return error;
    out = area;
    return {};
}

ZoneKind to_kind(std::string_view text)
{
    if (text == "ticker")
        return ZoneKind::Ticker;
    if (text == "clock")
        return ZoneKind::Clock;
    return text == "text" ? ZoneKind::Text : ZoneKind::Playlist;
}

TickerSource to_source(std::string_view text)
{
    return text == "text" ? TickerSource::Text : text == "alerts" ? TickerSource::Alerts : TickerSource::Slogans;
}

Align to_align(std::string_view text)
{
    return text == "left" ? Align::Left : text == "right" ? Align::Right : Align::Center;
}

// `" · "` keeps its spaces, which inih would trim from an unquoted value.
std::string unquote(const std::string& text)
{
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
        return text.substr(1, text.size() - 2);
    return text;
}

// The kinds of zone a key applies to, as the docs' table and the warnings name them.
std::string_view kind_list(unsigned kinds)
{
    switch (kinds) {
    case kPlaylist: return "playlist";
    case kTicker: return "ticker";
    case kClock: return "clock";
    case kText: return "text";
    case kTicker | kText: return "ticker and text";
    case kClock | kText: return "clock and text";
    case kTicker | kClock | kText: return "ticker, clock and text";
    default: return "all";
    }
}

struct Reader {
    LayoutLoad& load;
    const std::string& file;
    const std::string& folder;
    ZoneOptions defaults;
    std::map<std::string, int> seen;  // zone name -> its section's line
    std::optional<size_t> sound;      // the zone that has taken `sound = yes` (an index: zones grows)
    std::vector<Zone> zones;          // file order
    bool crowded = false;             // kMaxLayoutZones reached, and said once

    void error(int line, std::string message) { load.errors.push_back({file, line, std::move(message)}); }
    void warning(int line, std::string message) { load.warnings.push_back({file, line, std::move(message)}); }

    static int line_of(const IniSection& section, std::string_view key)
    {
        const IniEntry* entry = section.find(key);
        return entry ? entry->line : section.line;
    }

    // Every key applied; false when one is unknown or its value bad (each is reported).
    bool apply_keys(const IniSection& section, ZoneOptions& options)
    {
        bool ok = true;
        for (const IniEntry& entry : section.entries) {
            auto key = std::find_if(std::begin(kZoneKeys), std::end(kZoneKeys),
                                    [&](const ZoneKey& k) { return k.spec.key == entry.key; });
            if (key == std::end(kZoneKeys)) {
                error(entry.line, "unknown key \"" + entry.key + "\" in [" + section.name + "]");
                ok = false;
                continue;
            }
            if (ValueError e = apply_option(key->spec, entry.value, options); !e.empty()) {
                error(entry.line, entry.key + ": " + e);
                ok = false;
            }
        }
        return ok;
    }

    // The checks that need the kind known; false when the zone cannot show as written.
    bool check_kind(const IniSection& section, const ZoneOptions& options, Zone& zone)
    {
        std::string_view name = section.name;
        if (!section.find("kind") && (name == "ticker" || name == "clock" || name == "text")) {
            error(section.line, "[" + section.name + "] has no kind, so it would be a playlist zone; write kind = " +
                                    section.name + " (or kind = playlist to mean it)");
            return false;
        }
        unsigned mask = 1u << static_cast<int>(zone.kind);
        for (const IniEntry& entry : section.entries)
            for (const ZoneKey& key : kZoneKeys)
                if (key.spec.key == entry.key && !(key.kinds & mask))
                    warning(entry.line, entry.key + " applies to " + std::string(kind_list(key.kinds)) + " zones" +
                                            (std::has_single_bit(key.kinds) ? " only" : "") + "; ignored in a " +
                                            std::string(zone_kind_name(zone.kind)) + " zone");
        auto needs = [&](const char* key, const std::string& value, const std::string& what) {
            if (trim_ascii(value).empty())
                error(section.line, "[" + section.name + "] (" + what + ") needs " + key);
            return !trim_ascii(value).empty();
        };
        if (zone.kind == ZoneKind::Text)
            return needs("text", options.text, "kind = text");
        if (zone.kind == ZoneKind::Clock) {
            if (ValueError e = check_clock_format(options.format); !e.empty()) {
                error(line_of(section, "format"), "format: " + e);
                return false;
            }
            return true;
        }
        if (zone.kind != ZoneKind::Ticker)
            return true;
        auto unused = [&](const char* key) {
            if (const IniEntry* entry = section.find(key))
                warning(entry->line, std::string(key) + " is not read with source = " + options.source + "; ignored");
        };
        if (zone.source == TickerSource::Slogans) {
            unused("text");
            return true;  // without a file: the playlist's slogans with `zone = ` this zone
        }
        unused("file");
        if (zone.source == TickerSource::Text)
            return needs("text", options.text, "source = text");
        unused("text");
        return true;
    }

    void add(const IniSection& section)
    {
        if (zones.size() >= kMaxLayoutZones) {
            if (!crowded)
                error(section.line, "more than " + std::to_string(kMaxLayoutZones) + " zones; [" + section.name +
                                        "] and the rest are left out");
            crowded = true;
            return;
        }
        ZoneOptions options = defaults;
        if (!apply_keys(section, options))
            return;
        Zone zone;
        zone.name = section.name;
        zone.line = section.line;
        zone.kind = to_kind(options.kind);
        zone.order = static_cast<int>(options.order);
        zone.sound = options.sound && zone.kind == ZoneKind::Playlist;
        zone.color = options.color;
        zone.background = options.background;
        zone.font_size = static_cast<int>(options.font_size);
        zone.align = to_align(options.align);
        zone.source = to_source(options.source);
        zone.speed = options.speed;
        zone.separator = unquote(options.separator);
        zone.format = options.format;
        if (zone.kind == ZoneKind::Text || (zone.kind == ZoneKind::Ticker && zone.source == TickerSource::Text))
            zone.text = options.text;
        if (zone.kind == ZoneKind::Ticker && zone.source == TickerSource::Slogans && !options.file.empty())
            zone.file = resolve_path(folder, options.file);
        if (zone.kind == ZoneKind::Text && !options.image.empty())
            zone.image = resolve_path(folder, options.image);
        if (ValueError e = parse_area(options.area, zone.area); !e.empty()) {
            error(line_of(section, "area"), "area: " + e);
            return;
        }
        if (!check_kind(section, options, zone))
            return;
        if (zone.sound && sound) {
            const Zone& first = zones[*sound];
            error(line_of(section, "sound"), "sound = yes: [" + first.name + "] (line " + std::to_string(first.line) +
                                                 ") already plays the sound; at most one zone does");
            return;
        }
        if (zone.sound)
            sound = zones.size();
        zones.push_back(std::move(zone));
    }

    void read(const IniDocument& doc)
    {
        for (size_t i = 0; i < doc.sections.size(); ++i) {
            const IniSection& section = doc.sections[i];
            if (section.name.empty() && section.line == 0) {
                if (!section.entries.empty())
                    error(section.entries.front().line, "keys before the first [zone] section; ignored");
                continue;
            }
            if (!is_plain_word(section.name)) {
                error(section.line, "[" + section.name + "]: a zone's name is a plain word (letters, digits, _ and -); "
                                    "this zone is left out");
                continue;
            }
            if (auto [it, fresh] = seen.emplace(section.name, section.line); !fresh) {
                error(section.line, "[" + section.name + "] again: a zone of that name is already at line " +
                                        std::to_string(it->second) + "; this one is left out");
                continue;
            }
            // A line inih could not read may have been the zone's kind or area: the zone is left
            // out rather than shown as something else.
            if (int line = unreadable_line_in(doc, i)) {
                error(section.line, "[" + section.name + "] is left out: its line " + std::to_string(line) +
                                        " cannot be read");
                continue;
            }
            add(section);
        }
    }
};

}  // namespace

Rect resolve_area(const ZoneArea& area, int screen_w, int screen_h)
{
    if (screen_w < 1 || screen_h < 1)
        return {};
    auto pixels = [](const Length& length, int size) {
        return length.percent ? length.value * size / 100.0 : length.value;
    };
    // Rounds both edges of one axis: the far edge of a zone ending at 75% is the near edge of one
    // starting there. NaN and huge values (a hand-made Length) are clamped before lround sees them.
    auto axis = [&](const Length& at, const Length& size, int screen, int& start, int& length) {
        double a = pixels(at, screen);
        double b = a + pixels(size, screen);
        a = std::isnan(a) ? 0 : std::clamp(a, 0.0, static_cast<double>(screen - 1));
        b = std::isnan(b) ? 0 : std::clamp(b, 0.0, static_cast<double>(screen));
        start = static_cast<int>(std::lround(a));
        int end = std::max(start + 1, static_cast<int>(std::lround(b)));
        start = std::min(start, screen - 1);
        length = std::min(end, screen) - start;
    };
    Rect r;
    axis(area.x, area.w, screen_w, r.x, r.w);
    axis(area.y, area.h, screen_h, r.y, r.h);
    return r;
}

std::string_view zone_kind_name(ZoneKind kind)
{
    switch (kind) {
    case ZoneKind::Playlist: return "playlist";
    case ZoneKind::Ticker: return "ticker";
    case ZoneKind::Clock: return "clock";
    case ZoneKind::Text: return "text";
    }
    return "?";
}

const Zone* ScreenLayout::main() const
{
    const Zone* first = nullptr;
    for (const Zone& zone : zones) {
        if (zone.kind != ZoneKind::Playlist)
            continue;
        if (zone.name == "main")
            return &zone;
        if (!first || zone.line < first->line)
            first = &zone;
    }
    return first;
}

const Zone* ScreenLayout::sound_zone() const
{
    for (const Zone& zone : zones)
        if (zone.kind == ZoneKind::Playlist && zone.sound)
            return &zone;
    return main();
}

std::vector<const Zone*> ScreenLayout::playlist_zones() const
{
    std::vector<const Zone*> out;
    for (const Zone& zone : zones)
        if (zone.kind == ZoneKind::Playlist)
            out.push_back(&zone);
    return out;
}

const Zone* ScreenLayout::find(std::string_view name) const
{
    for (const Zone& zone : zones)
        if (zone.name == name)
            return &zone;
    return nullptr;
}

Result<LayoutLoad> parse_screen_layout(std::string_view text, const std::string& file, const std::string& folder)
{
    auto doc = parse_ini_text(text, file);
    if (!doc)
        return doc.error();
    LayoutLoad load;
    load.layout.file = file;
    load.errors = doc->syntax_errors;
    Reader reader{load, file, folder, {}, {}, {}, {}, false};
    for (const ZoneKey& key : kZoneKeys)
        if (!key.spec.default_text.empty())
            apply_option(key.spec, key.spec.default_text, reader.defaults);
    reader.read(*doc);

    load.layout.zones = std::move(reader.zones);
    std::stable_sort(load.layout.zones.begin(), load.layout.zones.end(),
                     [](const Zone& a, const Zone& b) { return a.order < b.order; });
    if (!load.layout.main()) {
        std::string message = "a layout needs a playlist zone (a section without kind, or with kind = playlist)";
        if (!load.errors.empty())
            message += "; " + std::to_string(load.errors.size()) + " problem" + (load.errors.size() > 1 ? "s" : "") +
                       ", the first: " + load.errors.front().to_string();
        return Error{file, 0, message};
    }
    return load;
}

Result<LayoutLoad> read_screen_layout(const std::string& path)
{
    auto bytes = read_file_limited(path, kMaxIniFileBytes);
    if (!bytes)
        return bytes.error();
    std::string folder = std::filesystem::path(path).parent_path().string();
    return parse_screen_layout(*bytes, path, folder.empty() ? "." : folder);
}

std::string layout_reference_markdown()
{
    std::string out =
        "# Screen layout reference\n\n"
        "Generated from the key table in `playlist/layout/screen_layout.cpp` (`signage-player layout-reference`); a "
        "test keeps this file and the code in step.\n\n"
        "A screen layout cuts the screen into zones. It is an INI file named by `[screen] layout` in player.ini "
        "(relative to player.ini's folder); each `[section]` is one zone, and its name (letters, digits, `_` and "
        "`-`) is what playlist items name in `zone =`. Without a layout the playlist fills the screen, as one "
        "zone. Comments are lines starting with `;` or `#`. A zone with an unknown key or a bad value is left out "
        "and reported as `file:line: reason`; the other zones show. A key that does nothing for "
        "the zone's kind is a warning.\n\n"
        "| key | zones | type | default | values | meaning |\n|---|---|---|---|---|---|\n";
    for (const ZoneKey& key : kZoneKeys) {
        const auto& spec = key.spec;
        std::string values;
        if (spec.kind == OptionKind::Choice) {
            values = std::string(spec.choices);  // a bare '|' would end the table's cell
            for (size_t bar; (bar = values.find('|')) != std::string::npos;)
                values.replace(bar, 1, ", ");
        } else if (spec.kind == OptionKind::Int || spec.kind == OptionKind::Number) {
            values = format_number_range(spec.min, spec.max);
        }
        std::string default_text =
            spec.default_text.empty() ? std::string("(unset)") : "`" + std::string(spec.default_text) + "`";
        out += "| `" + std::string(spec.key) + "` | " + std::string(kind_list(key.kinds)) + " | " +
               std::string(option_kind_name(spec.kind)) + " | " + default_text + " | " + values + " | " +
               std::string(spec.doc) + " |\n";
    }
    out += layout_guide_markdown();
    return out;
}

}  // namespace signage
