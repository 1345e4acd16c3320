// The playlist of a synced snapshot, for the player: read from the snapshot's own folder
// (CACHE/snapshots/<id>, resolved once) so that its items keep their files when `current` moves
// on, and holding that snapshot pinned for as long as any copy of the playlist lives.
#pragma once

#include "playlist/timeline/playlist.h"

#include <optional>
#include <string>

namespace signage {

struct SnapshotPlaylist {
    PlaylistLoad load;
    std::string snapshot_dir;  // CACHE/snapshots/<id>
};

// `relative` (the [content] playlist, relative to the share's top) inside the current snapshot
// of `cache_root`; nullopt when the cache holds no snapshot yet. Reads only the local cache.
std::optional<SnapshotPlaylist> load_snapshot_playlist(const std::string& cache_root, const std::string& relative);

}  // namespace signage
