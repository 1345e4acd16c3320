// The playlist: an INI file whose sections are items in play order; the loop repeats forever.
// Item keys are declared in playlist_item_options() (playlist.cpp); docs/playlist.md comes from it.
#pragma once

#include "playlist/base/geometry.h"
#include "playlist/config/option_table.h"
#include "playlist/timeline/play_rules.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace signage {

enum class ItemType { Slogan, Image, Video };
enum class Transition { Cut, Fade };

// The raw keys of one item, after [defaults] and the item's own section are applied.
struct ItemOptions {
    std::string type;
    std::string text;
    std::string file;
    double duration = 0;  // 0 = unset: 8 s for slogans and posters, a video's own length
    long loop = 0;        // 0 = unset (once)
    double start = 0;
    double end = 0;       // 0 = unset: the end of the file
    long volume = 100;
    bool muted = false;
    std::string fit = "contain";
    std::string transition = "fade";
    double transition_duration = 0.5;
    std::optional<Color> color;
    std::optional<Color> background;
    std::string background_image;
    bool enabled = true;
    // When and where (play_rules.h)
    std::string days, hours, dates, at;
    std::vector<std::string> tags, not_tags;
    std::string priority = "normal";
    bool idle = false;
    double weight = 1;
    long max_per_hour = 0;
    std::string group;  // the group this entry belongs to ("" = the main loop)
    std::string zone;   // the screen zone it plays in ("" = the main zone)
    // Groups only (type = group)
    std::string pick = "all";
    std::string order = "sequence";
    long every = 0;
    long seed = 0;
};

std::span<const OptionSpec<ItemOptions>> playlist_item_options();

inline constexpr double kDefaultItemSeconds = 8;

struct PlaylistItem {
    ItemType type = ItemType::Slogan;
    std::string name;    // section name; slogans from a file get "section #N"
    std::string source;       // "playlist.ini:12" or "slogans.txt:3": short, for the log
    std::string source_file;  // full path of the file that defines it, and the line:
    int source_line = 0;      // where a person fixes it (`check` messages)
    std::string text;    // Slogan
    std::string path;    // Image/Video: full path, confined to the playlist's folder
    double duration = 8;          // for a video: meaningful only when duration_set
    bool duration_set = false;    // video: cut (or repeat to fill) to `duration`; else loops × its length
    int loops = 1;                // video: plays back to back
    double start = 0;             // video: trim, seconds into the file
    std::optional<double> end;    // video: trim, seconds into the file; nullopt = its end
    double volume = 1.0;          // video: 0..1, times [audio] volume
    bool muted = false;
    Fit fit = Fit::Contain;
    Transition transition = Transition::Fade;
    double transition_duration = 0.5;  // 0 for cut
    std::optional<Color> color;
    std::optional<Color> background;
    std::string background_image;  // full path, confined

    // How long the incoming crossfade of this item lasts.
    double fade_in() const { return transition == Transition::Fade ? transition_duration : 0; }
    // Whether it plays sound (a video, not muted, heard): the player then opens a sound device.
    bool plays_sound() const { return type == ItemType::Video && !muted && volume > 0; }

    PlayRules rules;
    std::optional<size_t> group;  // index into Playlist::groups; nullopt = the main loop
    // A video's played length (trim and loops applied) probed when the playlist was read, for
    // screens in step ([screen] clock_locked), which must know every length in advance.
    std::optional<double> known_length;
};

// A member of a group or of the main loop: an item or a group.
struct PlayEntry {
    bool is_group = false;
    size_t index = 0;  // into Playlist::items or Playlist::groups
    bool operator==(const PlayEntry&) const = default;
};

enum class GroupPick { All, One };

// A group of items (type = group): a sub-playlist in the loop (`pick = all`), one of its members
// each time the loop reaches it (`pick = one`), or one member after every N items (`every`).
struct PlaylistGroup {
    std::string name;
    std::string source;       // "playlist.ini:12"
    int source_line = 0;
    PlayRules rules;          // apply to every member, with the member's own
    GroupPick pick = GroupPick::All;
    bool shuffle = false;
    long every = 0;           // > 0: out of the loop; one member after every `every` items of it
    uint64_t seed = 0;        // shuffle: the same seed gives the same order on every screen and in `schedule`
    std::vector<PlayEntry> members;  // in file order
    std::optional<size_t> parent;
};

struct Playlist {
    std::string file;
    std::string base_dir;
    std::vector<PlaylistItem> items;          // every item, loop and out of it, in file order
    std::vector<PlaylistGroup> groups;
    std::vector<PlayEntry> loop;              // the main loop's entries in play order
    std::vector<PlayEntry> fixed;             // fixed-time slots (`at`)
    std::vector<PlayEntry> alerts;            // `priority = alert`
    std::vector<PlayEntry> idle;              // `idle = yes`: when nothing else is in schedule
    std::vector<std::string> slogan_files;  // files the playlist depends on besides itself
    // The rules of an entry: the item's or the group's own.
    const PlayRules& rules(const PlayEntry& entry) const
    {
        return entry.is_group ? groups.at(entry.index).rules : items.at(entry.index).rules;
    }
    // Keeps the files in place while any copy of this playlist is in use: for a playlist read
    // from a synced snapshot, the snapshot's pin (snapshot_playlist.h). Empty otherwise.
    std::shared_ptr<const void> hold;
};

struct PlaylistLoad {
    Playlist playlist;
    std::vector<Error> errors;    // items that cannot play as written (the rest still play)
    std::vector<Error> warnings;  // unknown keys, ignored sections
    std::vector<Error> notices;   // worth knowing, not wrong: "saved as GB18030"
};

inline constexpr size_t kMaxSloganFileBytes = 1u << 20;
inline constexpr size_t kMaxPlaylistItems = 10000;
inline constexpr size_t kMaxPlaylistGroups = 1000;
inline constexpr int kMaxGroupDepth = 8;

PlaylistLoad load_playlist(const std::string& path);
PlaylistLoad parse_playlist_text(std::string_view text, const std::string& file_name, const std::string& base_dir);

std::string_view item_type_name(ItemType type);
std::string playlist_reference_markdown();
// The guide after the key table: schedules, tags, groups, fixed slots, alerts, examples.
std::string_view playlist_guide_markdown();

}  // namespace signage
