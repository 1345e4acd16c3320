// Notices when the playlist (or a slogans file it reads) changes, re-reads it on its own thread,
// and hands the new version over. A `stat` that hangs on a dead network mount stalls only this
// thread: the screen keeps playing, and shutdown does not wait for it.
#pragma once

#include "playlist/timeline/playlist.h"

#include <functional>
#include <memory>
#include <optional>

namespace signage {

class PlaylistWatcher {
public:
    // `loaded` is the playlist as read at start; `on_change` runs on the watcher thread after a
    // new version is ready (to wake the render loop).
    // `enrich` (optional) runs on the watcher thread on every playlist read, before it is handed
    // over (screens in step learn video lengths there).
    PlaylistWatcher(const PlaylistLoad& loaded, double interval_seconds, std::function<void()> on_change,
                    std::function<void(Playlist&)> enrich = nullptr);
    ~PlaylistWatcher();
    PlaylistWatcher(const PlaylistWatcher&) = delete;
    PlaylistWatcher& operator=(const PlaylistWatcher&) = delete;

    // The newest re-read playlist, once; nullopt when nothing changed since the last call.
    std::optional<PlaylistLoad> take();

    // Another playlist replaces the watched one, e.g. the same playlist in a newly synced
    // snapshot: `load` runs on the watcher thread, its result is handed over by take() like a
    // change, and is watched from then on. A request not yet started is replaced by a newer one;
    // nullopt from `load` hands nothing over.
    void replace_with(std::function<std::optional<PlaylistLoad>()> load);

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;  // shared with the thread, which may outlive us if stuck
};

// What identifies a version of the files a playlist depends on (size, mtime, inode of each).
std::string playlist_fingerprint(const Playlist& playlist);

}  // namespace signage
