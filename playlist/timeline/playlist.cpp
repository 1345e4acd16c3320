#include "playlist/timeline/playlist.h"

#include "playlist/base/file_io.h"
#include "playlist/base/path_guard.h"
#include "playlist/text/text_encoding.h"

#include <filesystem>

namespace signage {

namespace {

using I = ItemOptions;

const OptionSpec<ItemOptions> kItemOptions[] = {
    {"", "type", OptionKind::Choice, "", 0, 0, "slogan|slogans|image|video|group",
     "`slogan`: one line of text; `slogans`: a text file, one slogan a line, each its own item; `image`: a poster "
     "(JPEG, PNG, WebP, BMP); `video`: a video file (MP4, MKV, WebM, MOV, TS…), with its sound unless muted; "
     "`group`: a group of the items that name it in `group` (see Groups below).",
     &I::type},
    {"", "text", OptionKind::Text, "", 0, 0, "", "The slogan (type = slogan).", &I::text},
    {"", "file", OptionKind::Path, "", 0, 0, "",
     "The file, relative to the playlist's folder and inside it (type = slogans, image, video).", &I::file},
    {"", "duration", OptionKind::Seconds, "", 0.5, 86400, "",
     "How long the item stays on screen. Unset: 8 s for slogans and posters; a video plays its whole length (times "
     "`loop`). Set on a video: it is cut there, or repeated to fill the time.",
     &I::duration},
    {"", "loop", OptionKind::Int, "", 1, 10000, "",
     "Video: how many times it plays back to back (unset: once). Not together with `duration`.", &I::loop},
    {"", "start", OptionKind::Seconds, "0s", 0, 86400, "", "Video: where to start in the file (a trim).",
     &I::start},
    {"", "end", OptionKind::Seconds, "", 0, 86400, "",
     "Video: where to stop in the file (a trim); unset: its end. Must be after `start`.", &I::end},
    {"", "volume", OptionKind::Int, "100", 0, 100, "",
     "Video: loudness in percent, times [audio] volume of player.ini.", &I::volume},
    {"", "muted", OptionKind::Bool, "no", 0, 0, "", "Video: play it without sound.", &I::muted},
    {"", "fit", OptionKind::Choice, "contain", 0, 0, "contain|cover|stretch",
     "How a poster fills the screen: `contain` letterboxes, `cover` crops, `stretch` distorts.", &I::fit},
    {"", "transition", OptionKind::Choice, "fade", 0, 0, "cut|fade", "How this item replaces the one before it. After a video the fade overlaps the video's "
     "last seconds (at most half of it), which plays on under it, its sound crossfading too; after a "
     "slide it follows the slide's full time.",
     &I::transition},
    {"", "transition_duration", OptionKind::Seconds, "0.5s", 0, 10, "",
     "Length of the fade into this item; must be shorter than its duration.", &I::transition_duration},
    {"", "color", OptionKind::Color, "", 0, 0, "", "Slogan text colour. Unset: [text] color of player.ini.",
     &I::color},
    {"", "background", OptionKind::Color, "", 0, 0, "",
     "Slide background colour. Unset: [text] background, else [display] background.", &I::background},
    {"", "background_image", OptionKind::Path, "", 0, 0, "", "Image behind a slogan, cover-fitted.",
     &I::background_image},
    {"", "enabled", OptionKind::Bool, "yes", 0, 0, "", "`no` keeps the item in the file but off the screen.",
     &I::enabled},
    {"", "days", OptionKind::Text, "", 0, 0, "",
     "Weekdays it plays on: `mon-fri`, `sat,sun`, `fri-mon`, `daily`. With `hours`, the day a window starts on.",
     &I::days},
    {"", "hours", OptionKind::Text, "", 0, 0, "",
     "Times of day it plays, in [screen] timezone: `08:00-12:00, 14:00-18:00`; `22:00-02:00` crosses midnight and "
     "belongs to the day it starts on.",
     &I::hours},
    {"", "dates", OptionKind::Text, "", 0, 0, "",
     "Dates it plays on, inclusive: `2021-05-14..2021-12-31`, `2026-12-24`; several separated by commas.", &I::dates},
    {"", "at", OptionKind::Text, "", 0, 0, "",
     "A fixed-time slot: starts at these wall-clock times (`19:25, 21:55`, on `days`/`dates`), interrupting "
     "whatever plays; the loop then resumes where it was cut, a video at the frame it was cut at.",
     &I::at},
    {"", "tags", OptionKind::List, "", 0, 0, "",
     "Shown only on screens whose [screen] tags include one of these (`bank, hall`). Unset: every screen.",
     &I::tags},
    {"", "not_tags", OptionKind::List, "", 0, 0, "", "Never shown on screens with one of these tags.", &I::not_tags},
    {"", "priority", OptionKind::Choice, "normal", 0, 0, "normal|alert",
     "`alert`: an urgent alert, shown over everything ([alerts] mode) while its schedule holds, rotating with the "
     "other alerts.",
     &I::priority},
    {"", "idle", OptionKind::Bool, "no", 0, 0, "", "`yes`: plays only when nothing else is in schedule.", &I::idle},
    {"", "weight", OptionKind::Number, "1", 0.01, 1000, "",
     "In a `pick = one` group: how often it is picked relative to the other members.", &I::weight},
    {"", "max_per_hour", OptionKind::Int, "0", 0, 3600, "",
     "At most this many starts in any 60 minutes (0: no limit); the loop skips it meanwhile.", &I::max_per_hour},
    {"", "zone", OptionKind::Text, "", 0, 0, "",
     "The zone of the screen's layout ([screen] layout, docs/layout.md) it plays in: an item or group with "
     "`zone = side` plays only in a zone named side, on screens whose layout has one. Unset: the main zone.",
     &I::zone},
    {"", "group", OptionKind::Text, "", 0, 0, "", "The group (a section with type = group) this item or group belongs to.",
     &I::group},
    {"", "pick", OptionKind::Choice, "all", 0, 0, "all|one",
     "Group: `all` plays its members in turn each time the loop reaches it; `one` plays one member each time.",
     &I::pick},
    {"", "order", OptionKind::Choice, "sequence", 0, 0, "sequence|shuffle",
     "Group: members in file order, or shuffled (never the same one twice in a row, the same order on every screen "
     "for the same `seed`).",
     &I::order},
    {"", "every", OptionKind::Int, "0", 0, 1000, "",
     "Group: out of the loop order; one of its members plays after every N items of the loop (a PSA after every 3 "
     "slogans).",
     &I::every},
    {"", "seed", OptionKind::Int, "0", 0, 2147483647, "", "Group: the shuffle's seed.", &I::seed},
};

constexpr std::string_view kDefaultsSection = "defaults";

Fit to_fit(const std::string& text)
{
    return text == "cover" ? Fit::Cover : text == "stretch" ? Fit::Stretch : Fit::Contain;
}

std::string where(const std::string& file, int line)
{
    return std::filesystem::path(file).filename().string() + ":" + std::to_string(line);
}

struct Builder {
    PlaylistLoad& load;
    const std::string& file;
    const std::string& base_dir;

    void error(int line, std::string message) { load.errors.push_back({file, line, std::move(message)}); }

    // A path from the playlist, confined to its folder; errors name the line that wrote it.
    std::optional<std::string> confined(const IniSection& section, const char* key, const std::string& relative)
    {
        auto path = confine_path(base_dir, relative);
        if (!path) {
            const IniEntry* entry = section.find(key);
            error(entry ? entry->line : section.line, std::string(key) + ": " + path.error().message);
            return std::nullopt;
        }
        return *path;
    }

    PlaylistItem base_item(const IniSection& section, const ItemOptions& options)
    {
        PlaylistItem item;
        item.name = section.name;
        item.source = where(file, section.line);
        item.source_file = file;
        item.source_line = section.line;
        item.duration_set = options.duration > 0;
        item.duration = item.duration_set ? options.duration : kDefaultItemSeconds;
        item.fit = to_fit(options.fit);
        item.transition = options.transition == "cut" ? Transition::Cut : Transition::Fade;
        item.transition_duration = item.transition == Transition::Fade ? options.transition_duration : 0;
        // A video's length is known only once it is opened; the player shortens its fade then.
        bool length_known = item.duration_set || options.type != "video";
        if (length_known && item.transition_duration >= item.duration) {
            const IniEntry* entry = section.find("transition_duration");
            error(entry ? entry->line : section.line,
                  "transition_duration (" + format_seconds(item.transition_duration) +
                      ") must be shorter than duration (" + format_seconds(item.duration) + "); using half of it");
            item.transition_duration = item.duration / 2;
        }
        item.color = options.color;
        item.background = options.background;
        if (!options.background_image.empty())
            if (auto path = confined(section, "background_image", options.background_image))
                item.background_image = *path;
        return item;
    }

    void add(PlaylistItem item)
    {
        if (load.playlist.items.size() >= kMaxPlaylistItems) {
            if (load.playlist.items.size() == kMaxPlaylistItems)
                error(0, "more than " + std::to_string(kMaxPlaylistItems) + " items; the rest are ignored");
            return;
        }
        load.playlist.items.push_back(std::move(item));
    }

    void add_slogans_file(const IniSection& section, const ItemOptions& options, const std::string& path)
    {
        load.playlist.slogan_files.push_back(path);
        // A symlink on the share may point anywhere; only the share's own files are read.
        Status inside = check_real_path_inside(base_dir, path);
        if (!inside) {
            error(section.line, "slogans file " + inside.error().to_string());
            return;
        }
        auto bytes = read_file_limited(path, kMaxSloganFileBytes);
        if (!bytes) {
            error(section.line, "slogans file " + bytes.error().to_string());
            return;
        }
        auto decoded = decode_text(*bytes, path);
        if (!decoded) {
            load.errors.push_back(decoded.error());
            return;
        }
        if (decoded->encoding != TextEncoding::Utf8 && decoded->encoding != TextEncoding::Utf8Bom)
            load.notices.push_back({path, 0,
                                    std::string("saved as ") + encoding_name(decoded->encoding) +
                                        ", not UTF-8; read as " + encoding_name(decoded->encoding)});
        auto lines = split_lines(decoded->utf8);
        int count = 0;
        for (size_t i = 0; i < lines.size(); ++i) {
            std::string text = trim(lines[i]);
            if (text.empty() || text[0] == '#')
                continue;
            if (auto control = first_control_character(text)) {
                load.errors.push_back({path, static_cast<int>(i + 1),
                                       "holds a control character (" + *control + "), not text; line skipped"});
                continue;
            }
            PlaylistItem item = base_item(section, options);
            item.type = ItemType::Slogan;
            item.text = std::move(text);
            item.name = section.name + " #" + std::to_string(++count);
            item.source = where(path, static_cast<int>(i + 1));
            item.source_file = path;
            item.source_line = static_cast<int>(i + 1);
            add(std::move(item));
        }
        if (count == 0)
            load.warnings.push_back({path, 0, "has no slogans (every line is empty or a # comment)"});
    }

    // Keys that only a video can use, checked against each other. False: the item cannot play as
    // written (the error names the line).
    bool video_options(const IniSection& section, const ItemOptions& options, PlaylistItem& item)
    {
        auto line_of = [&](const char* key) {
            const IniEntry* entry = section.find(key);
            return entry ? entry->line : section.line;
        };
        if (options.loop > 0 && item.duration_set) {
            error(line_of("loop"), "loop and duration both set: `loop` plays the video N times, `duration` cuts it or "
                                   "repeats it to fill the time; keep one");
            return false;
        }
        if (options.end > 0 && options.end <= options.start) {
            error(line_of("end"), "end (" + format_seconds(options.end) + ") must be after start (" +
                                      format_seconds(options.start) + ")");
            return false;
        }
        item.loops = options.loop > 0 ? static_cast<int>(options.loop) : 1;
        item.start = options.start;
        if (options.end > 0)
            item.end = options.end;
        item.volume = static_cast<double>(options.volume) / 100.0;
        item.muted = options.muted;
        return true;
    }

    // Video keys written in a slogan's or poster's own section do nothing there: say so.
    void warn_video_only_keys(const IniSection& section)
    {
        for (const char* key : {"loop", "start", "end", "volume", "muted"})
            if (const IniEntry* entry = section.find(key))
                load.warnings.push_back({file, entry->line, std::string(key) + " applies to videos only; ignored here"});
    }

    // Where each entry goes once every group is known (resolve_groups).
    struct Placed {
        PlayEntry entry;
        std::string group;
        int line = 0;
    };
    std::vector<Placed> placed{};

    PlayRules rules_of(const IniSection& section, const ItemOptions& options)
    {
        auto line_of = [&](const char* key) {
            const IniEntry* entry = section.find(key);
            return entry ? entry->line : section.line;
        };
        PlayRules rules;
        RuleKeys keys{options.days,     options.hours,     options.dates,     options.at,
                      line_of("days"), line_of("hours"), line_of("dates"), line_of("at")};
        parse_rule_keys(keys, file, rules, load.errors, load.warnings);
        rules.tags = options.tags;
        rules.not_tags = options.not_tags;
        rules.max_per_hour = options.max_per_hour;
        rules.weight = options.weight;
        rules.priority = options.priority == "alert" ? Priority::Alert : Priority::Normal;
        rules.idle = options.idle;
        rules.zone = trim(options.zone);
        if (rules.at && (rules.priority == Priority::Alert || rules.idle))
            error(line_of("at"), "at (a fixed slot) cannot be combined with priority = alert or idle = yes");
        return rules;
    }

    void place(PlayEntry entry, const std::string& group, int line) { placed.push_back({entry, trim(group), line}); }

    void add_group(const IniSection& section, const ItemOptions& options, PlayRules rules)
    {
        if (load.playlist.groups.size() >= kMaxPlaylistGroups) {
            error(section.line, "more than " + std::to_string(kMaxPlaylistGroups) + " groups; the rest are ignored");
            return;
        }
        for (const char* key : {"text", "file"})
            if (const IniEntry* entry = section.find(key))
                load.warnings.push_back({file, entry->line, std::string(key) + " belongs to items, not groups; ignored"});
        PlaylistGroup group;
        group.name = section.name;
        group.source = where(file, section.line);
        group.source_line = section.line;
        group.rules = std::move(rules);
        group.pick = options.pick == "one" ? GroupPick::One : GroupPick::All;
        group.shuffle = options.order == "shuffle";
        group.every = options.every;
        group.seed = static_cast<uint64_t>(options.seed);
        load.playlist.groups.push_back(std::move(group));
        place({true, load.playlist.groups.size() - 1}, options.group, section.line);
    }

    void add_section(const IniSection& section, const ItemOptions& defaults)
    {
        ItemOptions options = defaults;
        std::vector<Error> errors;
        apply_section(playlist_item_options(), "", section, file, options, errors, load.warnings);
        for (auto& e : errors)
            load.errors.push_back(std::move(e));
        if (!errors.empty())
            return;  // a half-understood item would play wrongly; the others still play
        if (!options.enabled)
            return;
        if (options.type.empty()) {
            error(section.line, "[" + section.name + "] has no type (slogan, slogans, image or video)");
            return;
        }
        auto needs = [&](const char* key, const std::string& value) {
            if (value.empty())
                error(section.line, "[" + section.name + "] (type = " + options.type + ") needs " + key);
            return !value.empty();
        };
        size_t errors_before = load.errors.size();
        PlayRules rules = rules_of(section, options);
        if (load.errors.size() != errors_before)
            return;  // a misread schedule would play at the wrong hours
        if (options.type == "group") {
            add_group(section, options, std::move(rules));
            return;
        }
        for (const char* key : {"pick", "order", "every", "seed"})
            if (const IniEntry* entry = section.find(key))
                load.warnings.push_back({file, entry->line, std::string(key) + " applies to groups only; ignored here"});
        size_t first_new = load.playlist.items.size();
        add_item(section, options, needs);
        for (size_t i = first_new; i < load.playlist.items.size(); ++i) {
            load.playlist.items[i].rules = rules;
            place({false, i}, options.group, section.line);
        }
    }

    template <typename Needs>
    void add_item(const IniSection& section, const ItemOptions& options, Needs& needs)
    {
        PlaylistItem item = base_item(section, options);
        if (options.type != "video")
            warn_video_only_keys(section);
        if (options.type == "slogan") {
            if (!needs("text", options.text))
                return;
            item.type = ItemType::Slogan;
            item.text = trim(options.text);
            add(std::move(item));
        } else if (options.type == "slogans") {
            if (!needs("file", options.file))
                return;
            if (auto path = confined(section, "file", options.file))
                add_slogans_file(section, options, *path);
        } else {
            if (!needs("file", options.file))
                return;
            auto path = confined(section, "file", options.file);
            if (!path)
                return;
            item.type = options.type == "image" ? ItemType::Image : ItemType::Video;
            item.path = *path;
            if (item.type == ItemType::Video && !video_options(section, options, item))
                return;
            add(std::move(item));
        }
    }

    std::vector<PlayEntry>& out_of_loop_list(const PlayRules& rules)
    {
        if (rules.at)
            return load.playlist.fixed;
        return rules.priority == Priority::Alert ? load.playlist.alerts : load.playlist.idle;
    }

    // Whether `group` would sit inside `entry` (a circle) or deeper than kMaxGroupDepth.
    bool nests_badly(PlayEntry entry, size_t group) const
    {
        std::optional<size_t> at = group;
        for (int depth = 1; at; ++depth) {
            if ((entry.is_group && *at == entry.index) || depth > kMaxGroupDepth)
                return true;
            at = load.playlist.groups[*at].parent;
        }
        return false;
    }

    // Every group is known now: each entry joins its group, the loop, or a list out of the loop.
    void resolve_groups()
    {
        Playlist& playlist = load.playlist;
        for (const Placed& p : placed) {
            const PlayRules& rules = playlist.rules(p.entry);
            if (rules.outside_loop()) {
                if (!p.group.empty())
                    load.warnings.push_back({file, p.line, "at, priority = alert and idle = yes take an entry out of "
                                                           "the loop; group = " + p.group + " is ignored"});
                out_of_loop_list(rules).push_back(p.entry);
                continue;
            }
            if (p.entry.is_group && playlist.groups[p.entry.index].every > 0 && !p.group.empty()) {
                error(p.line, "every applies to groups in the main loop, not inside group " + p.group);
                continue;
            }
            if (p.group.empty()) {
                if (!(p.entry.is_group && playlist.groups[p.entry.index].every > 0))
                    playlist.loop.push_back(p.entry);
                continue;
            }
            std::optional<size_t> found;
            for (size_t g = 0; g < playlist.groups.size(); ++g)
                if (playlist.groups[g].name == p.group)
                    found = g;
            if (!found) {
                error(p.line, "group = " + p.group + ": no section [" + p.group + "] with type = group");
                continue;
            }
            if (nests_badly(p.entry, *found)) {
                error(p.line, "group = " + p.group + ": groups would nest in a circle or deeper than " +
                                  std::to_string(kMaxGroupDepth));
                continue;
            }
            playlist.groups[*found].members.push_back(p.entry);
            if (p.entry.is_group)
                playlist.groups[p.entry.index].parent = *found;
            else
                playlist.items[p.entry.index].group = *found;
        }
        for (const PlaylistGroup& group : playlist.groups)
            if (group.members.empty())
                load.warnings.push_back({file, group.source_line, "group [" + group.name + "] has no members"});
    }
};

}  // namespace

std::span<const OptionSpec<ItemOptions>> playlist_item_options()
{
    return kItemOptions;
}

std::string_view item_type_name(ItemType type)
{
    switch (type) {
    case ItemType::Slogan: return "slogan";
    case ItemType::Image: return "image";
    case ItemType::Video: return "video";
    }
    return "?";
}

PlaylistLoad parse_playlist_text(std::string_view text, const std::string& file_name, const std::string& base_dir)
{
    PlaylistLoad load;
    load.playlist.file = file_name;
    load.playlist.base_dir = base_dir;
    auto doc = parse_ini_text(text, file_name);
    if (!doc) {
        load.errors.push_back(doc.error());
        return load;
    }
    load.errors = doc->syntax_errors;

    ItemOptions defaults;
    apply_defaults(playlist_item_options(), defaults);
    Builder builder{load, file_name, base_dir};
    for (size_t index = 0; index < doc->sections.size(); ++index) {
        const IniSection& section = doc->sections[index];
        int first = section.name == kDefaultsSection ? 0 : first_line_of_repeated(*doc, index);
        if (first)
            load.warnings.push_back({file_name, section.line,
                                     "[" + section.name + "] again (first at line " + std::to_string(first) +
                                         "): both play, and `group = " + section.name + "` cannot tell them apart; "
                                         "give each its own name"});
        if (section.name == kDefaultsSection) {
            std::vector<Error> errors;
            apply_section(playlist_item_options(), "", section, file_name, defaults, errors, load.warnings);
            for (auto& e : errors)
                load.errors.push_back(std::move(e));
            if (!defaults.type.empty() || !defaults.text.empty() || !defaults.file.empty()) {
                load.warnings.push_back({file_name, section.line, "type, text and file belong to items, not [defaults]"});
                defaults.type.clear();
                defaults.text.clear();
                defaults.file.clear();
            }
            continue;
        }
        if (section.name.empty()) {
            load.warnings.push_back({file_name, section.entries.empty() ? 1 : section.entries.front().line,
                                     "keys before the first [section]; ignored"});
            continue;
        }
        // A line that could not be read may have been its schedule, its tags or its file: the
        // entry is left out rather than played as something else.
        if (int line = unreadable_line_in(*doc, index)) {
            load.errors.push_back({file_name, section.line,
                                   "[" + section.name + "] is left out: its line " + std::to_string(line) +
                                       " cannot be read"});
            continue;
        }
        builder.add_section(section, defaults);
    }
    builder.resolve_groups();
    if (load.playlist.items.empty() && load.errors.empty())
        load.warnings.push_back({file_name, 0, "the playlist has no items; the fallback slide will show"});
    return load;
}

PlaylistLoad load_playlist(const std::string& path)
{
    auto bytes = read_file_limited(path, kMaxIniFileBytes);
    if (!bytes) {
        PlaylistLoad load;
        load.playlist.file = path;
        load.errors.push_back(bytes.error());
        return load;
    }
    std::string base = std::filesystem::path(path).parent_path().string();
    return parse_playlist_text(*bytes, path, base.empty() ? "." : base);
}

std::string playlist_reference_markdown()
{
    std::string out =
        "# Playlist reference\n\n"
        "Generated from the item table in `playlist/timeline/playlist.cpp` (`signage-player playlist-reference`).\n\n"
        "A playlist is an INI file. Each `[section]` is one item (or a group), played in file order; the loop repeats "
        "forever, each entry in its schedule. "
        "An optional `[defaults]` section sets any key below (except type, text, file) for every item after it "
        "is read. Paths are relative to the playlist's folder and may not leave it.\n\n"
        "| key | type | default | values | meaning |\n|---|---|---|---|---|\n";
    for (const auto& spec : playlist_item_options()) {
        std::string range;
        if (spec.kind == OptionKind::Choice)
            range = std::string(spec.choices);
        else if (spec.kind == OptionKind::Seconds)
            range = format_number_range(spec.min, spec.max) + " s";
        out += "| `" + std::string(spec.key) + "` | " + std::string(option_kind_name(spec.kind)) + " | " +
               (spec.default_text.empty() ? std::string("(unset)") : "`" + std::string(spec.default_text) + "`") +
               " | " + range + " | " + std::string(spec.doc) + " |\n";
    }
    out += playlist_guide_markdown();
    return out;
}

}  // namespace signage
