// One sync of a share into the snapshot cache: build a complete new snapshot in a staging folder
// (unchanged files hard-linked from the current snapshot, changed ones copied), verify it, then
// switch `current` to it atomically. The share may change, vanish or lie while this runs: a file
// still being written is not taken (its previous version stays), a share that disappears fails
// the sync, and `current` always names a complete snapshot, even after kill -9. The share is a
// mounted folder or an http(s):// URL serving a folder with its manifest.txt (sync_source.h).
// docs/sync.md walks through the steps.
#pragma once

#include "playlist/config/config.h"
#include "playlist/base/error.h"
#include "playlist/share/share_scan.h"
#include "playlist/sync/snapshot_probe.h"
#include "playlist/share/sync_step.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace signage {

struct SyncOptions {
    std::string share;                      // the share's top folder, or an http(s):// URL
    std::string cache;                      // the cache's folder (CACHE)
    std::string playlist = "playlist.ini";  // relative to the share's top
    // Which part of the share this sync takes (share_scan.h): by default everything but its
    // alerts/ folder, which has a sync of its own. With `scope.only` (the alerts sync, see
    // alerts_sync_options_from_config) the snapshot is the files directly in that folder and
    // nothing else: no playlist is needed or verified, no media is probed, the folder is always
    // there (empty when the share has none), and the snapshot is made durable file by file
    // (Durability::EachFile), so that it does not wait for a big video another sync is writing.
    ShareScope scope = content_scope();
    // A changed file is taken once its size and modification time have held still this long
    // (or its checksum matches the share's manifest).
    double settle_seconds = 2;
    uint64_t min_free_bytes = uint64_t{512} << 20;
    ScanLimits limits;
    // HTTP shares: how long to wait for a connection, and for a server that stopped sending.
    double connect_timeout_seconds = 15;
    long stall_seconds = 60;
    std::string ca_file;  // HTTPS: the PEM file of the CAs to trust instead of the system's store
    // The media probe (snapshot_probe.h): the program that probes new and changed media files
    // before they are taken. No program (unit tests, tools): files are taken unprobed.
    ProbeCommand probe;
    // Set from another thread to stop a sync soon (between files, during the settle wait); it
    // then fails with "cancelled" and leaves `current` as it was.
    const std::atomic<bool>* cancel = nullptr;
    // Called at each step (tests: kill the process, remove the share…). Runs on the sync's thread.
    std::function<void(SyncStep, const std::string& detail)> on_step;
};

// [content] share, cache, playlist, settle, min_free_mb and [limits] max_file_mb, probe_timeout,
// resolved. The probe's program is the caller's to set.
SyncOptions sync_options_from_config(const Config& config);

// The alerts sync (`sync --once --alerts`): the files directly in the share's alerts/ folder, into
// a cache of their own, CACHE/alerts (its own lock, `current`, `previous` and snapshots, so it
// never waits for the content sync), settling [alerts] settle. Readers find the alerts in
// CACHE/alerts/current/alerts/.
SyncOptions alerts_sync_options_from_config(const Config& config);

struct SyncReport {
    bool changed = false;       // a new snapshot became current; false: the cache was up to date
    std::string snapshot;       // id of the current snapshot afterwards
    std::string snapshot_dir;   // CACHE/snapshots/<id>
    size_t files = 0;           // files in the current snapshot
    size_t files_linked = 0;    // hard-linked from the snapshot before (unchanged, or kept)
    size_t files_copied = 0;    // copied from the share and taken
    uint64_t bytes_copied = 0;  // read from the share into the cache, including copies then not taken
                                // (HTTP: bytes downloaded by this sync; a resumed file counts its rest)
    size_t files_removed = 0;   // in the snapshot before, gone from the share
    size_t files_probed = 0;    // new or changed media files the media probe opened
    size_t hidden_skipped = 0;  // dot files and folders on the share
    bool share_unchanged = false;  // the share said so (HTTP 304 for manifest.txt); nothing was compared
    std::vector<Error> not_taken;  // changed on the share but not taken this time, with the reason
    std::vector<Error> refused;    // on the share but never synced (see share_scan.h)
    std::vector<Error> warnings;   // playlist items the player will skip
    double settle_wait_seconds = 0;
    double seconds = 0;
};

Result<SyncReport> sync_share(const SyncOptions& options);

// Makes the previous snapshot current again (a second rollback undoes the first).
Status rollback_snapshot(const std::string& cache);

}  // namespace signage
