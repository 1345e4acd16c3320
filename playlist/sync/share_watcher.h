// Notices changes on a local share folder at once (inotify), so that a sync follows within
// seconds of a copy instead of at the next poll. A network mount delivers no events for changes
// made by its other clients (the content manager's PC), so on NFS, SMB/CIFS, FUSE (sshfs) and
// the like this stays idle and polling does all the work; polling is the reference anyway.
//
// It watches every folder below the top except hidden ones (the sync skips those), for files
// written and closed, created, deleted and moved; a folder created later is watched too. Runs on
// its own thread, which a path lookup on a stuck mount may block: the owner does not wait for it.
#pragma once

#include "playlist/sync/sync_service.h"

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>

namespace signage {

// What a batch of events touched, named at the share's top: "alerts" for alerts/urgent.txt,
// "playlist.ini" for itself. The content sync and the alerts sync each follow their own part.
struct ShareChange {
    // Events were lost (the queue overflowed) or the share is watched afresh after being gone:
    // anything may have changed.
    bool everything = false;
    std::set<std::string, std::less<>> tops;

    // Whether something at or below `top` changed.
    bool touches(std::string_view top) const { return everything || tops.count(top) > 0; }
    // Whether something other than `top` (and what is below it) changed.
    bool beyond(std::string_view top) const { return everything || tops.size() > tops.count(top); }
};

class ShareWatcher {
public:
    // `on_change` runs on the watcher's thread after a batch of events; `note` gets what is worth
    // logging. A missing share (or one removed while watched) is looked for again every
    // `retry_seconds`.
    ShareWatcher(std::string folder, double retry_seconds, std::function<void(const ShareChange&)> on_change,
                 std::function<void(SyncLogLevel, const std::string&)> note);
    ~ShareWatcher();
    ShareWatcher(const ShareWatcher&) = delete;
    ShareWatcher& operator=(const ShareWatcher&) = delete;

    // Folders watched now: 0 before the first set-up, on a network mount, or while the share is gone.
    size_t watched_folders() const;

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
};

// "nfs", "cifs", "fuse"… when `folder` is on a file system whose changes inotify does not see
// (changes made elsewhere on the network); "" for a local one. Empty also when statfs fails.
std::string network_file_system(const std::string& folder);

}  // namespace signage
