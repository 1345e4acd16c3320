#include "playlist/config/config.h"

#include "playlist/base/ascii.h"
#include "playlist/base/file_io.h"

#include <filesystem>

namespace signage {

namespace {

using C = Config;

// Debian's whole CA store is 220 KB.
constexpr size_t kMaxCaFileBytes = 4u << 20;

const OptionSpec<Config> kConfigOptions[] = {
    {"display", "fullscreen", OptionKind::Bool, "yes", 0, 0, "",
     "Fill the whole screen (cursor hidden). `no` opens a window of width x height.", &C::fullscreen},
    {"display", "width", OptionKind::Int, "1920", 64, 16384, "",
     "Window width when windowed, and the canvas width with --headless.", &C::width},
    {"display", "height", OptionKind::Int, "1080", 64, 16384, "",
     "Window height when windowed, and the canvas height with --headless.", &C::height},
    {"display", "rotation", OptionKind::Choice, "0", 0, 0, "0|90|180|270",
     "Clockwise rotation of the picture, for screens mounted in portrait (90 or 270).", &C::rotation},
    {"display", "background", OptionKind::Color, "#0B1F3A", 0, 0, "",
     "Colour behind everything: letterbox bars, slides without their own background.", &C::background},
    {"display", "safe_area", OptionKind::Number, "5", 0, 40, "",
     "Margin kept free of text on each edge, in percent of the screen's width and height (overscan, bezels).",
     &C::safe_area},
    {"display", "vsync", OptionKind::Bool, "yes", 0, 0, "", "Wait for the screen's refresh when presenting.",
     &C::vsync},
    {"display", "renderer", OptionKind::Choice, "auto", 0, 0, "auto|software|accelerated",
     "How frames reach the screen. `auto`: the GPU when the box has one (/dev/dri/renderD*), else SDL's software "
     "renderer, which on a GPU-less box is lighter than emulated OpenGL (half the CPU, a third of the memory).",
     &C::renderer},
    {"display", "display_index", OptionKind::Int, "0", 0, 15, "", "Which monitor to use when several are connected.",
     &C::display_index},

    {"screen", "id", OptionKind::Text, "", 0, 0, "",
     "This screen's name (`branch-042-lobby`), in the log and in `schedule`'s output. Unset: the host name.",
     &C::screen_id},
    {"screen", "tags", OptionKind::List, "", 0, 0, "",
     "What kind of screen this is (`bank, branch-042, lobby`): playlist entries with `tags` play only on screens "
     "with one of them, entries with `not_tags` never on screens with one of those.",
     &C::screen_tags},
    {"screen", "timezone", OptionKind::Text, "", 0, 0, "",
     "The time zone schedules and fixed slots are read in (`Asia/Shanghai`), from the system's tz database. "
     "Unset: the system's zone (TZ, /etc/localtime).",
     &C::timezone},
    {"screen", "clock_locked", OptionKind::Bool, "no", 0, 0, "",
     "`yes`: the loop's position is a function of the wall clock (keep it with NTP), the playlist and the tags "
     "alone, counted from each local midnight: every screen with the same content shows the same item at the same "
     "moment, with no protocol between them, and one that starts late joins at the right item and offset. Video "
     "lengths are probed when the playlist is read; a new playlist takes over where its own loop begins a pass "
     "(a screen that gets it after such an instant takes the next one; from then on all are in step).",
     &C::clock_locked},
    {"screen", "idle", OptionKind::Choice, "fallback", 0, 0, "fallback|blank",
     "What shows when nothing of the playlist is in schedule and it has no `idle = yes` entries: the fallback "
     "slide, or a black screen (a display off after hours).",
     &C::idle},
    {"screen", "layout", OptionKind::Path, "", 0, 0, "",
     "A screen layout file (docs/layout.md), relative to this file's folder: the screen cut into zones, each "
     "playing its own part of the playlist, with a ticker, a clock or a header band if wanted. Unset: the playlist "
     "fills the screen, as one zone.",
     &C::layout},

    {"alerts", "mode", OptionKind::Choice, "fullscreen", 0, 0, "fullscreen|banner",
     "How an urgent alert shows: over the whole screen (the loop pauses and resumes after it), or as a band over "
     "the bottom of the loop.",
     &C::alert_mode},
    {"alerts", "rotate", OptionKind::Seconds, "10s", 2, 600, "",
     "While several alerts are up, each shows this long in turn (the turns follow the wall clock, so screens "
     "show the same alert at once).",
     &C::alert_rotate},
    {"alerts", "language", OptionKind::Text, "zh", 0, 0, "",
     "A CAP alert with several languages shows the first `info` whose language starts with this.",
     &C::alert_language},

    {"content", "playlist", OptionKind::Path, "playlist.ini", 0, 0, "",
     "The playlist file, relative to this config file's folder.", &C::playlist},
    {"content", "retry_after", OptionKind::Seconds, "30s", 1, 86400, "",
     "How long a missing or broken file is skipped before it is tried again.", &C::retry_after},
    {"content", "check_every", OptionKind::Seconds, "10s", 1, 3600, "",
     "How often the playlist and its slogans files are checked for changes; a changed playlist takes over at the "
     "end of the item on screen.",
     &C::check_every},
    {"content", "share", OptionKind::Path, "", 0, 0, "",
     "Where to sync content from: a mounted SMB/CIFS, NFS or sshfs share or a USB stick, or the `https://` (or "
     "`http://`) URL of a folder `signage-player publish` was run in (its manifest.txt is required). Each sync "
     "copies it into a new snapshot in `cache` (unchanged files are hard links, files still being written are not "
     "taken) and switches to it only when complete and checked; `playlist` is then read inside the current "
     "snapshot, relative to the share's top. The folder `alerts/` at its top is left out: urgent alerts have a "
     "sync of their own, see [alerts]. Unset: no sync, `playlist` is played where it is.",
     &C::share},
    {"content", "ca_file", OptionKind::Path, "", 0, 0, "",
     "For an `https://` share whose certificate a private CA signed: a PEM file of the CA certificates to trust, "
     "used instead of the system's CA store (relative to this file's folder). Checked when the file is read: it "
     "must exist and hold a certificate. Unset: the system's store (Debian's ca-certificates).",
     &C::ca_file},
    {"content", "cache", OptionKind::Path, "/var/lib/signage-player", 0, 0, "",
     "Where synced snapshots are kept (`current`, `previous` for rollback, `snapshots/`). Must be outside the "
     "share, on a local disk.",
     &C::cache},
    {"content", "sync_every", OptionKind::Seconds, "60s", 5, 86400, "",
     "How often the share is checked for changes (a network mount cannot tell us, so we poll).", &C::sync_every},
    {"content", "min_free_mb", OptionKind::Int, "512", 0, 1000000, "",
     "Free space, in MB, that a sync must leave on the cache's disk; a sync that would go below it is refused.",
     &C::min_free_mb},
    {"content", "settle", OptionKind::Seconds, "2s", 0, 600, "",
     "A new or changed file on the share is taken once its size and modification time have held still this "
     "long (or its checksum matches the share's manifest.txt), so a file still being copied is never played half.",
     &C::settle},

    {"alerts", "settle", OptionKind::Seconds, "0.5s", 0, 60, "",
     "Urgent alerts: files dropped into the folder `alerts/` at the top of the share (a text, an image, a CAP "
     "XML) have a sync of their own, which takes only the files directly in that folder into `cache`/alerts. "
     "A new or changed alert is taken once its size and modification time have held still this long (or its "
     "checksum matches the share's manifest.txt); alerts are small, so this is shorter than [content] settle. "
     "Without a share, alerts are read from the folder `alerts/` beside the playlist file.",
     &C::alerts_settle},
    {"alerts", "poll_every", OptionKind::Seconds, "1s", 0.2, 3600, "",
     "How often `play` runs the alerts sync: a look at the share's `alerts/` folder only (on an `https://` "
     "share, a conditional GET of manifest.txt, answered 304 when nothing changed). A local share's alerts are "
     "also synced `settle` after a change inotify reports.",
     &C::alerts_poll_every},

    {"text", "font", OptionKind::Path, "", 0, 0, "",
     "Font file for slogans. Unset: the bundled campaign font, then Noto Sans CJK SC found through fontconfig "
     "or Debian's font folders.",
     &C::font},
    {"text", "fallback_fonts", OptionKind::List, "", 0, 0, "",
     "More font files, comma-separated, tried per character after `font` (system fonts come last).",
     &C::fallback_fonts},
    {"text", "color", OptionKind::Color, "#FFFFFF", 0, 0, "", "Slogan text colour (items may override).",
     &C::text_color},
    {"text", "background", OptionKind::Color, "", 0, 0, "",
     "Slogan slide background colour (items may override). Unset: [display] background.", &C::text_background},
    {"text", "background_image", OptionKind::Path, "", 0, 0, "",
     "Image drawn behind slogans (cover-fitted), relative to this file's folder.", &C::text_background_image},
    {"text", "line_spacing", OptionKind::Number, "1.35", 1, 3, "", "Distance between lines, in font heights.",
     &C::line_spacing},
    {"text", "max_font_size", OptionKind::Int, "0", 0, 4000, "",
     "Largest text size in pixels; 0 = one sixth of the safe area's height (short slogans stay elegant).",
     &C::max_font_size},
    {"text", "min_font_size", OptionKind::Int, "16", 6, 400, "",
     "Smallest text size in pixels; a slogan that does not fit even at this size is shown clipped and reported by "
     "`check`.",
     &C::min_font_size},

    {"audio", "volume", OptionKind::Int, "100", 0, 100, "",
     "Loudness of videos in percent (items scale it further with their own `volume`).", &C::volume},
    {"audio", "mute", OptionKind::Bool, "no", 0, 0, "",
     "`yes`: videos play without sound and no audio device is opened (many lobbies run silent).", &C::mute},

    {"video", "hwdec", OptionKind::Choice, "auto", 0, 0, "auto|off",
     "`auto`: decode video on the GPU when the machine offers it (VAAPI, V4L2), else in software; `off`: always "
     "software.",
     &C::hwdec},

    {"limits", "max_image_megapixels", OptionKind::Number, "40", 0.01, 1000, "",
     "Images whose decoded size would exceed this many megapixels are refused from their header, undecoded.",
     &C::max_image_megapixels},
    {"limits", "max_file_mb", OptionKind::Int, "2048", 1, 1000000, "", "Files larger than this are refused.",
     &C::max_file_mb},
    {"limits", "probe_timeout", OptionKind::Seconds, "30s", 1, 600, "",
     "How long a sync's media probe may take per new or changed video or image (opened with the real "
     "decoders, its first frame decoded) before the file counts as unplayable and is not taken.",
     &C::probe_timeout},

    {"log", "level", OptionKind::Choice, "info", 0, 0, "error|warn|info|debug",
     "How much the player writes to its log (standard error, the journal under systemd).", &C::log_level},
};

// The line of the last `key` in [section] (the one that took effect), 0 when absent.
int key_line(const IniDocument& doc, std::string_view section, std::string_view key)
{
    int line = 0;
    for (const auto& s : doc.sections)
        if (s.name == section)
            for (const auto& entry : s.entries)
                if (entry.key == key)
                    line = entry.line;
    return line;
}

// [content] ca_file must be readable now, not at the first sync weeks later, and be PEM: a DER
// file or a key given by mistake would fail every HTTPS sync with a vaguer message.
void check_ca_file(const IniDocument& doc, ConfigLoad& load)
{
    const Config& config = load.config;
    if (config.ca_file.empty())
        return;
    int line = key_line(doc, "content", "ca_file");
    std::string path = config.resolve(config.ca_file);
    auto text = read_file_limited(path, kMaxCaFileBytes);
    if (!text)
        load.errors.push_back({config.file, line, "ca_file: cannot read " + text.error().to_string()});
    else if (text->find("-----BEGIN CERTIFICATE-----") == std::string::npos)
        load.errors.push_back({config.file, line,
                               "ca_file: " + path + " holds no PEM certificate (no -----BEGIN CERTIFICATE----- line)"});
    else if (!is_http_url(config.share))
        load.warnings.push_back({config.file, line, "ca_file: used only by an https:// share; [content] share is " +
                                                        (config.share.empty() ? std::string("not set") : config.share)});
}

}  // namespace

std::span<const OptionSpec<Config>> config_options()
{
    return kConfigOptions;
}

std::string Config::resolve(const std::string& path) const
{
    if (path.empty())
        return path;
    std::filesystem::path p(path);
    if (p.is_absolute() || base_dir.empty())
        return p.lexically_normal().string();
    return (std::filesystem::path(base_dir) / p).lexically_normal().string();
}

Config default_config()
{
    Config config;
    apply_defaults(config_options(), config);
    return config;
}

ConfigLoad parse_config_text(std::string_view text, const std::string& file_name, const std::string& base_dir)
{
    ConfigLoad load;
    load.config = default_config();
    load.config.file = file_name;
    load.config.base_dir = base_dir;
    auto doc = parse_ini_text(text, file_name);
    if (!doc) {
        load.errors.push_back(doc.error());
        return load;
    }
    for (const auto& error : doc->syntax_errors)
        load.errors.push_back(error);
    for (size_t index = 0; index < doc->sections.size(); ++index) {
        const IniSection& section = doc->sections[index];
        if (int first = first_line_of_repeated(*doc, index))
            load.warnings.push_back({file_name, section.line,
                                     "[" + section.name + "] again (first at line " + std::to_string(first) +
                                         "): read as one section, a key set in both takes the later value"});
        bool known = false;
        for (const auto& spec : config_options())
            known = known || spec.section == section.name;
        if (!known) {
            load.warnings.push_back({file_name, section.line,
                                     section.name.empty() ? std::string("keys before the first [section]; ignored")
                                                          : "unknown section [" + section.name + "]; ignored"});
            continue;
        }
        apply_section(config_options(), section.name, section, file_name, load.config, load.errors, load.warnings);
    }
    check_ca_file(*doc, load);
    return load;
}

ConfigLoad load_config(const std::string& path)
{
    std::string base = std::filesystem::path(path).parent_path().string();
    auto bytes = read_file_limited(path, kMaxIniFileBytes);
    if (!bytes) {
        ConfigLoad load;
        load.config = default_config();
        load.errors.push_back(bytes.error());
        return load;
    }
    return parse_config_text(*bytes, path, base.empty() ? "." : base);
}

std::string config_reference_markdown()
{
    std::string out =
        "# player.ini reference\n\n"
        "Generated from the option table in `playlist/config/config.cpp` (`signage-player config-reference`); a test "
        "keeps this file and the code in step.\n\n"
        "Values: yes/no; numbers; seconds as `8`, `8s`, `500ms`, `2m`; colours as `#RRGGBB`. Comments are lines "
        "starting with `;` or `#`. An unknown key is a warning (`file:line: …`); a bad value stops the player "
        "with `file:line: key: reason` and exit status 2.\n";
    std::string_view section;
    for (const auto& spec : config_options()) {
        if (spec.section != section) {
            section = spec.section;
            out += "\n## [" + std::string(section) + "]\n\n| key | type | default | range | meaning |\n|---|---|---|---|---|\n";
        }
        std::string range;
        if (spec.kind == OptionKind::Choice)
            range = std::string(spec.choices);
        else if (spec.kind == OptionKind::Int || spec.kind == OptionKind::Number || spec.kind == OptionKind::Seconds)
            range = format_number_range(spec.min, spec.max);
        out += "| `" + std::string(spec.key) + "` | " + std::string(option_kind_name(spec.kind)) + " | " +
               (spec.default_text.empty() ? std::string("(unset)") : "`" + std::string(spec.default_text) + "`") +
               " | " + range + " | " + std::string(spec.doc) + " |\n";
    }
    return out;
}

}  // namespace signage
