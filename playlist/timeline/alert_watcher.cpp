#include "playlist/timeline/alert_watcher.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <condition_variable>
#include <dirent.h>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <vector>

namespace signage {

std::string alert_folder_fingerprint(const std::string& folder)
{
    char real[PATH_MAX];
    if (!::realpath(folder.c_str(), real))
        return "missing";
    std::string print = std::string(real) + ";";
    DIR* dir = ::opendir(real);
    if (!dir)
        return print + "unreadable";
    std::vector<std::string> entries;
    // Bounded like the reader: a folder flooded with files costs a bounded look.
    while (dirent* entry = ::readdir(dir)) {
        std::string name = entry->d_name;
        if (name == "." || name == "..")
            continue;
        struct stat info {};
        std::string path = std::string(real) + "/" + name;
        if (::lstat(path.c_str(), &info) != 0)
            continue;
        entries.push_back(name + ":" + std::to_string(info.st_size) + ":" + std::to_string(info.st_mtim.tv_sec) + "." +
                          std::to_string(info.st_mtim.tv_nsec) + ":" + std::to_string(info.st_ino));
        if (entries.size() > 4 * kMaxAlertFiles)
            break;
    }
    ::closedir(dir);
    std::sort(entries.begin(), entries.end());
    for (const std::string& e : entries)
        print += e + ";";
    return print;
}

struct AlertWatcher::Shared {
    std::mutex mutex;
    std::condition_variable wake;
    bool stop = false;
    bool finished = false;
    std::optional<AlertFolder> newest;
};

AlertWatcher::AlertWatcher(std::function<std::string()> folder, std::string language,
                           std::function<void()> on_change, double interval_seconds)
    : m_shared(std::make_shared<Shared>())
{
    std::thread([shared = m_shared, folder = std::move(folder), language = std::move(language), on_change,
                 interval_seconds] {
        std::string seen = "(not read)";
        std::string last_look;
        for (;;) {
            {
                std::unique_lock lock(shared->mutex);
                shared->wake.wait_for(lock, std::chrono::duration<double>(interval_seconds),
                                      [&] { return shared->stop; });
                if (shared->stop)
                    break;
            }
            const std::string where = folder();
            std::string now = where.empty() ? "none" : alert_folder_fingerprint(where);
            // Read once it held still for one look: a file still being written is not shown half.
            bool settled = now == last_look;
            last_look = now;
            if (now == seen || !settled)
                continue;
            AlertFolder read = where.empty() ? AlertFolder{} : read_alert_folder(where, language);
            seen = now;
            std::lock_guard lock(shared->mutex);
            if (shared->stop)
                break;
            shared->newest = std::move(read);
            if (on_change)
                on_change();  // under the lock: after `stop` it can no longer run
        }
        std::lock_guard lock(shared->mutex);
        shared->finished = true;
        shared->wake.notify_all();
    }).detach();
}

AlertWatcher::~AlertWatcher()
{
    std::unique_lock lock(m_shared->mutex);
    m_shared->stop = true;
    m_shared->wake.notify_all();
    // A thread stuck on a hung mount is left behind: the player must still stop.
    m_shared->wake.wait_for(lock, std::chrono::seconds(1), [&] { return m_shared->finished; });
}

std::optional<AlertFolder> AlertWatcher::take()
{
    std::lock_guard lock(m_shared->mutex);
    std::optional<AlertFolder> out = std::move(m_shared->newest);
    m_shared->newest.reset();
    return out;
}

}  // namespace signage
