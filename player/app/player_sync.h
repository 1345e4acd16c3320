// `play` with [content] share set: syncs the share into the cache in the background, and hands
// each new snapshot's playlist to the playlist watcher, whose switch at the next item boundary
// (with the item's fade) takes it on screen.
//
//   - the sync: `signage-sync sync --once` as a child process, every [content] sync_every,
//     retried with backoff after a failure (playlist/sync/sync_service.h, sync_process.h);
//   - a local share is also watched with inotify, so a change is synced `settle` after it, not
//     at the next poll (playlist/sync/share_watcher.h); an http(s):// share is only polled;
//   - the share's state is logged once per change, and written to CACHE/status.json.
//
// Urgent alerts (files dropped into the share's top-level alerts/ folder) have a sync of their
// own, which never waits for the content sync (its own cache, lock and child process):
//
//   - `signage-sync sync --once --alerts`, every [alerts] poll_every (1 s; on an http(s):// share
//     a conditional GET of manifest.txt, a 304 while nothing changed), and [alerts] settle
//     (0.5 s) after inotify reports a change below alerts/ on a local share;
//   - it copies only the files directly in alerts/ into CACHE/alerts (no playlist, no probe);
//     the content sync leaves alerts/ out, so an alert never restarts the playlist;
//   - no status file (the content sync's status.json tells whether the share is there); its log
//     lines start with "alerts: " (its summaries with "alerts sync: ").
//
// Reading alerts: with a share, PlayerSync::alerts_folder() and the `on_new_alerts` callback
// given to start(); without one (start() returns nullptr), alerts_folder(setup) (player/front/screen.h).
//
// Nothing here runs on the render thread, and nothing touches the share from it.
#pragma once

#include "player/front/player_setup.h"
#include "playlist/share/snapshot_cache.h"
#include "playlist/timeline/playlist_watcher.h"
#include "playlist/sync/share_watcher.h"
#include "playlist/sync/sync_service.h"

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace signage {

// A new set of alerts, in `alerts_folder` (as PlayerSync::alerts_folder() returns it from now on).
// Runs on the alerts sync's worker thread, never the render thread: keep it short (store the
// path, wake the loop); it may call alerts_folder(). It is not called once the PlayerSync is
// being destroyed, and objects it refers to must outlive the PlayerSync.
using AlertsChanged = std::function<void(const std::string& alerts_folder)>;

class PlayerSync {
public:
    // nullptr without a share. From here on the show and the watcher hold the start-up playlist's
    // snapshot in place; the setup's own copy lets go of it, so that it can be pruned once off screen.
    // `on_new_alerts` (may be empty) is told of each new alerts folder.
    static std::unique_ptr<PlayerSync> start(PlayerSetup& setup, PlaylistWatcher& watcher,
                                             AlertsChanged on_new_alerts = {});
    ~PlayerSync();

    SyncStatus status() const { return m_service->status(); }

    // The folder of the alerts to show now: the current alerts snapshot's alerts/ folder,
    // CACHE/alerts/snapshots/<id>/alerts (CACHE/alerts/current resolved once, so the folder a
    // reader got never changes under it). It holds the files that were directly in the share's
    // alerts/ folder, read-only; it is there and empty when the share has no alerts. A new set of
    // alerts is a new folder (then on_new_alerts runs): a folder handed out stays in place (held
    // with a SnapshotPin) until the next one is, and as the cache's `previous` one change longer.
    // "" while the cache holds no alerts snapshot (first boot, before the first alerts sync):
    // show none. At start-up it is the cache's, so alerts survive a restart without the share.
    // Any thread.
    std::string alerts_folder() const;

private:
    PlayerSync() = default;
    void alerts_arrived(const std::string& snapshot_dir);

    // Declared before the services that call into them, so destroyed after them.
    AlertsChanged m_on_new_alerts;
    mutable std::mutex m_alerts_mutex;
    std::optional<SnapshotPin> m_alerts_pin;  // the snapshot m_alerts_folder is in
    std::string m_alerts_folder;
    // Destroyed in reverse: the share watcher first (it calls the services), then the services.
    std::unique_ptr<SyncService> m_service;
    std::unique_ptr<SyncService> m_alerts_service;
    std::unique_ptr<ShareWatcher> m_share_watcher;
};

}  // namespace signage
