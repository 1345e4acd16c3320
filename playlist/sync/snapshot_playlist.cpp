#include "playlist/sync/snapshot_playlist.h"

#include "playlist/share/snapshot_cache.h"

#include <filesystem>

namespace signage {

std::optional<SnapshotPlaylist> load_snapshot_playlist(const std::string& cache_root, const std::string& relative)
{
    auto pin = pin_current_snapshot(cache_root);
    if (!pin)
        return std::nullopt;
    SnapshotPlaylist out;
    out.snapshot_dir = pin->dir();
    out.load = load_playlist((std::filesystem::path(pin->dir()) / relative).lexically_normal().string());
    out.load.playlist.hold = std::make_shared<const SnapshotPin>(std::move(*pin));
    return out;
}

}  // namespace signage
