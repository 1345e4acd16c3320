#include "player/app/player_sync.h"

#include "player/front/commands.h"
#include "playlist/base/log.h"
#include "playlist/base/ascii.h"
#include "playlist/sync/share_sync.h"
#include "playlist/sync/snapshot_playlist.h"
#include "playlist/sync/sync_process.h"

#include <filesystem>
#include <unistd.h>

namespace signage {

namespace {

// A first sync of a large share over a slow link takes many minutes; one still running after an
// hour is stuck (a hung mount) and is killed. Killing sooner would restart a long honest copy
// from scratch, and a hung mount stays hung anyway. CACHE/status.json shows `syncing_since`, so
// monitoring sees a stuck sync long before this.
constexpr double kSyncTimeoutSeconds = 3600;

void write_log(SyncLogLevel level, const std::string& text)
{
    switch (level) {
    case SyncLogLevel::Debug: log::debug(text); break;
    case SyncLogLevel::Info: log::info(text); break;
    case SyncLogLevel::Warning: log::warn(text); break;
    }
}

// signage-sync beside this binary (built and installed so); failing that, this binary, which
// runs `sync` the same (it loads more libraries for it).
std::string sync_program()
{
    std::string lean = program_beside_me(kSyncProgram);
    return ::access(lean.c_str(), X_OK) == 0 ? lean : own_program();
}

}  // namespace

std::unique_ptr<PlayerSync> PlayerSync::start(PlayerSetup& setup, PlaylistWatcher& watcher)
{
    const Config& config = setup.config;
    if (config.share.empty())
        return nullptr;
    setup.playlist.playlist.hold.reset();

    SyncOptions paths = sync_options_from_config(config);
    std::error_code ec;
    std::string config_file = std::filesystem::absolute(config.file, ec).string();
    auto process = std::make_shared<SyncProcess>(
        std::vector<std::string>{sync_program(), "sync", "--once", "--config", config_file}, kSyncTimeoutSeconds);

    SyncServiceOptions options;
    options.timing = sync_timing(config.sync_every, config.settle);
    options.share = paths.share;
    options.cache = paths.cache;
    options.snapshot_on_screen = setup.snapshot_dir;
    options.log = write_log;
    std::string cache = paths.cache;
    std::string playlist = paths.playlist;
    // Loaded on the watcher's thread, pinned, and handed to the play loop like a changed playlist.
    options.on_new_snapshot = [&watcher, cache, playlist](const std::string&) {
        watcher.replace_with([cache, playlist]() -> std::optional<PlaylistLoad> {
            auto loaded = load_snapshot_playlist(cache, playlist);
            if (!loaded)
                return std::nullopt;
            return std::move(loaded->load);
        });
    };

    std::unique_ptr<PlayerSync> sync(new PlayerSync());
    sync->m_service = std::make_unique<SyncService>(
        std::move(options), [process](const std::atomic<bool>& stop) { return process->run(stop); });
    if (!is_http_url(config.share)) {
        SyncService* service = sync->m_service.get();
        sync->m_share_watcher = std::make_unique<ShareWatcher>(
            paths.share, config.sync_every, [service] { service->change_noticed(); }, write_log);
    }
    log::info("syncing " + paths.share + " into " + paths.cache + " every " +
              std::to_string(static_cast<long>(config.sync_every)) + " s" +
              (sync->m_share_watcher ? ", and soon after a change seen on it" : ""));
    return sync;
}

}  // namespace signage
