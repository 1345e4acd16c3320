#include "player/app/player_sync.h"

#include "player/front/commands.h"
#include "playlist/base/log.h"
#include "playlist/base/ascii.h"
#include "playlist/sync/share_sync.h"
#include "playlist/sync/snapshot_playlist.h"
#include "playlist/sync/sync_process.h"

#include <cstdio>
#include <filesystem>
#include <unistd.h>

namespace signage {

namespace {

// A first sync of a large share over a slow link takes many minutes; one still running after an
// hour is stuck (a hung mount) and is killed. Killing sooner would restart a long honest copy
// from scratch, and a hung mount stays hung anyway. CACHE/status.json shows `syncing_since`, so
// monitoring sees a stuck sync long before this.
constexpr double kSyncTimeoutSeconds = 3600;
// Alerts are a few small files: an alerts sync still running after five minutes is stuck.
constexpr double kAlertsSyncTimeoutSeconds = 300;

void write_log(SyncLogLevel level, const std::string& text)
{
    switch (level) {
    case SyncLogLevel::Debug: log::debug(text); break;
    case SyncLogLevel::Info: log::info(text); break;
    case SyncLogLevel::Warning: log::warn(text); break;
    }
}

// The alerts sync's lines, told from the content sync's: "alerts: share unreachable: …". Its
// child's summaries say so already ("alerts sync: snapshot … is current").
void write_alerts_log(SyncLogLevel level, const std::string& text)
{
    write_log(level, text.starts_with("alerts sync: ") ? text : "alerts: " + text);
}

// signage-sync beside this binary (built and installed so); failing that, this binary, which
// runs `sync` the same (it loads more libraries for it).
std::string sync_program()
{
    std::string lean = program_beside_me(kSyncProgram);
    return ::access(lean.c_str(), X_OK) == 0 ? lean : own_program();
}

std::string seconds_text(double seconds)
{
    char text[32];
    std::snprintf(text, sizeof text, "%g s", seconds);
    return text;
}

std::string alerts_folder_of(const std::string& snapshot_dir)
{
    return snapshot_dir + "/" + std::string(kAlertsFolder);
}

}  // namespace

std::unique_ptr<PlayerSync> PlayerSync::start(PlayerSetup& setup, PlaylistWatcher& watcher,
                                              AlertsChanged on_new_alerts)
{
    const Config& config = setup.config;
    if (config.share.empty())
        return nullptr;
    setup.playlist.playlist.hold.reset();

    SyncOptions paths = sync_options_from_config(config);
    SyncOptions alerts = alerts_sync_options_from_config(config);
    std::error_code ec;
    std::string config_file = std::filesystem::absolute(config.file, ec).string();
    auto process = std::make_shared<SyncProcess>(
        std::vector<std::string>{sync_program(), "sync", "--once", "--config", config_file}, kSyncTimeoutSeconds);
    auto alerts_process = std::make_shared<SyncProcess>(
        std::vector<std::string>{sync_program(), "sync", "--once", "--alerts", "--config", config_file},
        kAlertsSyncTimeoutSeconds);

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
    sync->m_on_new_alerts = std::move(on_new_alerts);
    // The alerts the cache holds show at once, share or not.
    if (auto pin = pin_current_snapshot(alerts.cache)) {
        sync->m_alerts_folder = alerts_folder_of(pin->dir());
        sync->m_alerts_pin = std::move(*pin);
    }

    SyncServiceOptions alerts_options;
    alerts_options.timing = sync_timing(config.alerts_poll_every, config.alerts_settle);
    alerts_options.share = alerts.share;
    alerts_options.cache = alerts.cache;
    alerts_options.write_status = false;
    alerts_options.snapshot_on_screen = sync->m_alerts_pin ? sync->m_alerts_pin->dir() : "";
    alerts_options.log = write_alerts_log;
    alerts_options.new_snapshot_note = "the alerts on screen follow it";
    PlayerSync* self = sync.get();
    alerts_options.on_new_snapshot = [self](const std::string& snapshot_dir) { self->alerts_arrived(snapshot_dir); };

    sync->m_service = std::make_unique<SyncService>(
        std::move(options), [process](const std::atomic<bool>& stop) { return process->run(stop); });
    sync->m_alerts_service = std::make_unique<SyncService>(
        std::move(alerts_options), [alerts_process](const std::atomic<bool>& stop) { return alerts_process->run(stop); });
    if (!is_http_url(config.share)) {
        SyncService* service = sync->m_service.get();
        SyncService* alerts_service = sync->m_alerts_service.get();
        // Each sync follows its own part of the share: a dropped alert does not start a content
        // sync, a new video does not start an alerts sync.
        sync->m_share_watcher = std::make_unique<ShareWatcher>(
            paths.share, config.sync_every,
            [service, alerts_service](const ShareChange& change) {
                if (change.beyond(kAlertsFolder))
                    service->change_noticed();
                if (change.touches(kAlertsFolder))
                    alerts_service->change_noticed();
            },
            write_log);
    }
    log::info("syncing " + paths.share + " into " + paths.cache + " every " +
              std::to_string(static_cast<long>(config.sync_every)) + " s" +
              (sync->m_share_watcher ? ", and soon after a change seen on it" : "") + "; its alerts/ into " +
              alerts.cache + " every " + seconds_text(config.alerts_poll_every) +
              (sync->m_share_watcher ? " and soon after a change seen there" : ""));
    return sync;
}

PlayerSync::~PlayerSync()
{
    // Both asked at once: syncs stuck on a hung mount cost the player one wait, not two. The
    // share watcher goes before the services it calls.
    if (m_alerts_service)
        m_alerts_service->request_stop();
    if (m_service)
        m_service->request_stop();
    m_share_watcher.reset();
    m_alerts_service.reset();
    m_service.reset();
}

// On the alerts service's worker: `current` of CACHE/alerts names a new snapshot.
void PlayerSync::alerts_arrived(const std::string& snapshot_dir)
{
    auto pin = SnapshotPin::take(snapshot_dir);
    if (!pin) {
        // Already replaced and pruned by a later alerts sync, which hands over its own.
        log::debug("alerts: " + pin.error().to_string());
        return;
    }
    std::string folder = alerts_folder_of(snapshot_dir);
    log::debug("alerts: read from " + folder);
    {
        std::lock_guard lock(m_alerts_mutex);
        m_alerts_pin = std::move(*pin);  // the folder handed out before is let go only now
        m_alerts_folder = folder;
    }
    if (m_on_new_alerts)
        m_on_new_alerts(folder);
}

std::string PlayerSync::alerts_folder() const
{
    std::lock_guard lock(m_alerts_mutex);
    return m_alerts_folder;
}

}  // namespace signage
