// The local cache of synced content, built so that a power cut or kill -9 at any moment leaves
// `current` naming a complete snapshot:
//
//     CACHE/lock                   flock'd by the one sync running (released by the kernel on death)
//     CACHE/snapshots/<id>/        complete snapshots, never modified once stored; files read-only
//     CACHE/snapshots/<id>/.snapshot-manifest.txt   what the snapshot holds (manifest format)
//     CACHE/current -> snapshots/<id>   switched by rename(2) of a temporary link over it
//     CACHE/previous -> snapshots/<id>  the one before, kept for rollback
//     CACHE/staging-<id>/          a sync in progress; removed on the next start if it died
//
// A player holds the snapshots it reads from with a shared flock on their folder (SnapshotPin);
// pruning skips a snapshot it cannot lock exclusively, so what is on screen (or about to be) is
// never removed under the player, however many syncs run meanwhile.
//
// Files unchanged between snapshots are hard links to one inode, so a snapshot costs only the
// bytes that changed.
#pragma once

#include "playlist/base/error.h"
#include "playlist/base/posix_handles.h"
#include "playlist/share/sync_step.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace signage {

// How SnapshotCache::open's error begins when another sync holds the cache's lock: the sync
// reports it as "busy" (sync_result.h), not as a failure of the share.
inline constexpr std::string_view kCacheBusyMessage = "another sync is using this cache";

inline constexpr std::string_view kSnapshotManifestName = ".snapshot-manifest.txt";

// The folder `CACHE/current` names, resolved (so a reader keeps a fixed snapshot even when
// `current` moves on), or nullopt when there is none yet. Needs no lock: for the player.
std::optional<std::string> current_snapshot_dir(const std::string& cache_root);

// A snapshot held in place for a reader: a shared flock on its folder, which prune() respects.
// Released with the object (or by the kernel when the reader dies).
class SnapshotPin {
public:
    // Fails when the folder is gone or being removed.
    static Result<SnapshotPin> take(const std::string& snapshot_dir);
    const std::string& dir() const { return m_dir; }

private:
    SnapshotPin(std::string dir, UniqueFd fd) : m_dir(std::move(dir)), m_fd(std::move(fd)) {}
    std::string m_dir;
    UniqueFd m_fd;
};

// The current snapshot, resolved and pinned; nullopt when the cache holds none. Needs no lock.
std::optional<SnapshotPin> pin_current_snapshot(const std::string& cache_root);

// How SnapshotCache::commit makes a snapshot durable before `current` names it.
enum class Durability {
    // One syncfs(2) of the cache's file system: one flush however many files (a first sync of
    // 1000 files), but it also waits for everything else unwritten on that disk.
    FileSystem,
    // An fsync of each file and folder of the snapshot: for a few small files (the alerts) that
    // must not wait behind a big video another sync is writing to the same disk. With 800 MB
    // unwritten there, syncfs took 1.6 s and an fsync of a small file 0.05 s (ext4, virtual disk).
    EachFile,
};

class SnapshotCache {
public:
    // Creates the cache's folders when missing, takes its lock (fails when another sync holds
    // it), then removes what an interrupted sync left: staging folders, temporary links, and
    // snapshots neither current nor previous.
    static Result<SnapshotCache> open(const std::string& root);

    const std::string& root() const { return m_root; }
    int root_fd() const { return m_root_fd.get(); }
    std::optional<std::string> current_id() const;
    std::optional<std::string> previous_id() const;
    std::string snapshot_dir(const std::string& id) const;
    std::string staging_dir(const std::string& id) const;

    // A new, empty staging folder; returns its id (the id the snapshot will have).
    Result<std::string> create_staging();
    void discard_staging(const std::string& id);

    // The complete staging folder `id` becomes a snapshot, is made durable (`durability`) and
    // then current; the old current becomes previous; older snapshots are removed.
    Status commit(const std::string& id, const std::function<void(SyncStep)>& on_step = {},
                  Durability durability = Durability::FileSystem);

    // Makes previous current again (and current previous, so a second rollback undoes it).
    Status rollback();

    // Removes snapshots that are neither current nor previous, nor pinned by a reader.
    void prune();

private:
    SnapshotCache(std::string root, UniqueFd root_fd, UniqueFd lock)
        : m_root(std::move(root)), m_root_fd(std::move(root_fd)), m_lock(std::move(lock))
    {
    }
    Status point(const char* link, const std::string& id, bool durable);
    void remove_leftovers();

    std::string m_root;
    UniqueFd m_root_fd;
    UniqueFd m_lock;
};

}  // namespace signage
