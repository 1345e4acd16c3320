// The points a share sync passes, in order. Tests hook in at each one (to kill the process, or
// to remove the share) and a sync thread may report progress from them.
#pragma once

#include <string_view>

namespace signage {

enum class SyncStep {
    Locked,            // the cache is locked, leftovers of an interrupted sync removed
    Scanned,           // the share is listed
    Linked,            // an unchanged file is hard-linked into staging (detail: its path)
    Copying,           // a file is about to be copied from the share (detail: its path)
    Copied,            // it is copied, under a temporary name (detail: its path)
    Settled,           // second look at the copied files done
    Probed,            // new and changed media files probed (only when there were some)
    Built,             // the staging folder holds the complete snapshot and its record
    Verified,          // sizes, playlist and the files it names are checked
    Stored,            // the staging folder is durable and renamed into snapshots/
    PreviousSwitched,  // `previous` names the snapshot that was current
    CurrentSwitched,   // `current` names the new snapshot
    Pruned,            // snapshots older than previous are removed
};

inline std::string_view sync_step_name(SyncStep step)
{
    switch (step) {
    case SyncStep::Locked: return "locked";
    case SyncStep::Scanned: return "scanned";
    case SyncStep::Linked: return "linked";
    case SyncStep::Copying: return "copying";
    case SyncStep::Copied: return "copied";
    case SyncStep::Settled: return "settled";
    case SyncStep::Probed: return "probed";
    case SyncStep::Built: return "built";
    case SyncStep::Verified: return "verified";
    case SyncStep::Stored: return "stored";
    case SyncStep::PreviousSwitched: return "previous-switched";
    case SyncStep::CurrentSwitched: return "current-switched";
    case SyncStep::Pruned: return "pruned";
    }
    return "?";
}

}  // namespace signage
