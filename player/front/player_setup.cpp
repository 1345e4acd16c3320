#include "player/front/player_setup.h"

#include "playlist/base/log.h"
#include "playlist/sync/share_sync.h"
#include "playlist/sync/snapshot_playlist.h"

#include <filesystem>

namespace signage {

std::string choose_config_path(const std::string& flag, const DataPaths& paths)
{
    if (!flag.empty())
        return flag;
    std::error_code ec;
    if (std::filesystem::exists(kSystemConfigPath, ec))
        return kSystemConfigPath;
    return paths.assets + "/player.ini";
}

namespace {

// With a share, what plays comes from the cache only: the share itself (maybe a hung mount) is
// for the background sync to touch, never the start-up.
void load_synced_playlist(PlayerSetup& setup)
{
    SyncOptions sync = sync_options_from_config(setup.config);
    if (auto synced = load_snapshot_playlist(sync.cache, sync.playlist)) {
        setup.playlist = std::move(synced->load);
        setup.snapshot_dir = synced->snapshot_dir;
        return;
    }
    setup.playlist = load_playlist(setup.paths.assets + "/playlist.ini");
    setup.playlist.notices.push_back(Error{sync.cache, 0,
                                           "no synced content yet: the built-in content plays until the first sync "
                                           "of " + sync.share + " succeeds"});
}

}  // namespace

SetupLoad load_setup(const std::string& config_flag)
{
    SetupLoad out;
    DataPaths paths = find_data_paths();
    ConfigLoad config = load_config(choose_config_path(config_flag, paths));
    if (!config.errors.empty()) {
        out.config_errors = std::move(config.errors);
        return out;
    }
    PlayerSetup setup;
    setup.config = std::move(config.config);
    setup.config_warnings = std::move(config.warnings);
    setup.paths = paths;
    if (setup.config.share.empty())
        setup.playlist = load_playlist(setup.config.resolve(setup.config.playlist));
    else
        load_synced_playlist(setup);
    if (!setup.config.layout.empty()) {
        // A broken layout never blanks the screen: the playlist plays full-screen and says why.
        auto layout = read_screen_layout(setup.config.resolve(setup.config.layout));
        if (layout) {
            setup.layout = std::move(layout->layout);
            setup.layout_errors = std::move(layout->errors);
        } else {
            setup.layout_errors.push_back(layout.error());
        }
    }
    out.setup = std::move(setup);
    return out;
}

}  // namespace signage

namespace signage {

void log_playlist_problems(const PlaylistLoad& load)
{
    for (const auto& e : load.errors)
        log::warn(e.to_string() + " (item skipped)");
    for (const auto& w : load.warnings)
        log::warn(w.to_string());
    for (const auto& n : load.notices)
        log::info(n.to_string());
}

}  // namespace signage
