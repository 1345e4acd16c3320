// Watches an alerts folder and hands every new version of it over (read_alert_folder), on its
// own thread: a folder on a hung mount stalls only that thread, and shutdown does not wait for it.
// An alert must reach the screen within 2 s of landing, so the folder is looked at every quarter
// second (a listing and a stat per file: cheap), and read once it has held still for one look.
#pragma once

#include "playlist/alerts/alert_folder.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace signage {

class AlertWatcher {
public:
    // `folder` says where to look, asked at every look (a share's alerts sync hands out a new
    // folder for each new set; "" = none yet); the folder may not exist (no alerts).
    // `on_change` runs on the watcher's thread.
    AlertWatcher(std::function<std::string()> folder, std::string language, std::function<void()> on_change,
                 double interval_seconds = 0.25);
    ~AlertWatcher();
    AlertWatcher(const AlertWatcher&) = delete;
    AlertWatcher& operator=(const AlertWatcher&) = delete;

    // The folder as last read, once; nullopt when nothing changed since the last call.
    std::optional<AlertFolder> take();

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
};

// What identifies a version of the folder: its real path and each entry's name, size, time, inode.
std::string alert_folder_fingerprint(const std::string& folder);

}  // namespace signage
