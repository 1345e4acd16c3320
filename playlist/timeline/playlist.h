// The playlist: an INI file whose sections are items in play order; the loop repeats forever.
// Item keys are declared in playlist_item_options() (playlist.cpp); docs/playlist.md comes from it.
#pragma once

#include "playlist/base/geometry.h"
#include "playlist/config/option_table.h"

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
};

struct Playlist {
    std::string file;
    std::string base_dir;
    std::vector<PlaylistItem> items;
    std::vector<std::string> slogan_files;  // files the playlist depends on besides itself
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

PlaylistLoad load_playlist(const std::string& path);
PlaylistLoad parse_playlist_text(std::string_view text, const std::string& file_name, const std::string& base_dir);

std::string_view item_type_name(ItemType type);
std::string playlist_reference_markdown();

}  // namespace signage
