// What every command starts from: the config (found and validated), the data folders, and
// the playlist it names (with [content] share: inside the cache's current snapshot).
#pragma once

#include "playlist/layout/screen_layout.h"

#include "playlist/config/config.h"
#include "playlist/timeline/playlist.h"
#include "playlist/timeline/sequencer.h"
#include "player/front/data_paths.h"

#include <optional>

namespace signage {

struct PlayerSetup {
    Config config;
    DataPaths paths;
    PlaylistLoad playlist;
    std::vector<Error> config_warnings;
    // With [content] share: the snapshot `playlist` was read from; "" when the cache holds none
    // yet and the built-in content plays until the first sync.
    std::string snapshot_dir;
    // [screen] layout as read; nullopt without one, or when it cannot be used (the playlist then
    // takes the whole screen). Problems with it are in layout_errors.
    std::optional<ScreenLayout> layout;
    std::vector<Error> layout_errors;
};

struct SetupLoad {
    std::optional<PlayerSetup> setup;
    std::vector<Error> config_errors;  // non-empty: exit status 2
};

// --config FILE, else /etc/signage-player/player.ini when it exists, else the demo in assets/.
std::string choose_config_path(const std::string& flag, const DataPaths& paths);
SetupLoad load_setup(const std::string& config_flag);

// Logs what is wrong with a playlist (bad items are skipped, the rest plays).
void log_playlist_problems(const PlaylistLoad& load);

}  // namespace signage
