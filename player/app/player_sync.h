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
// Nothing here runs on the render thread, and nothing touches the share from it.
#pragma once

#include "player/front/player_setup.h"
#include "playlist/timeline/playlist_watcher.h"
#include "playlist/sync/share_watcher.h"
#include "playlist/sync/sync_service.h"

#include <memory>

namespace signage {

class PlayerSync {
public:
    // nullptr without a share. From here on the show and the watcher hold the start-up playlist's
    // snapshot in place; the setup's own copy lets go of it, so that it can be pruned once off screen.
    static std::unique_ptr<PlayerSync> start(PlayerSetup& setup, PlaylistWatcher& watcher);

    SyncStatus status() const { return m_service->status(); }

private:
    PlayerSync() = default;
    // Destroyed in reverse: the share watcher first (it calls the service), then the service.
    std::unique_ptr<SyncService> m_service;
    std::unique_ptr<ShareWatcher> m_share_watcher;
};

}  // namespace signage
