#include "playlist/timeline/playlist_watcher.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sys/stat.h>
#include <thread>

namespace signage {

std::string playlist_fingerprint(const Playlist& playlist)
{
    std::string print;
    std::vector<std::string> files{playlist.file};
    files.insert(files.end(), playlist.slogan_files.begin(), playlist.slogan_files.end());
    for (const auto& file : files) {
        struct stat info {};
        if (::stat(file.c_str(), &info) != 0) {
            print += file + ":missing;";
            continue;
        }
        print += file + ":" + std::to_string(info.st_size) + ":" + std::to_string(info.st_mtim.tv_sec) + "." +
                 std::to_string(info.st_mtim.tv_nsec) + ":" + std::to_string(info.st_ino) + ";";
    }
    return print;
}

struct PlaylistWatcher::Shared {
    std::mutex mutex;
    std::condition_variable wake;
    bool stop = false;
    bool finished = false;
    std::optional<PlaylistLoad> newest;
    std::function<std::optional<PlaylistLoad>()> replacement;
};

PlaylistWatcher::PlaylistWatcher(const PlaylistLoad& loaded, double interval_seconds, std::function<void()> on_change,
                                 std::function<void(Playlist&)> enrich)
    : m_shared(std::make_shared<Shared>())
{
    // Fingerprinted here, not on the thread: a change made right after start must count.
    std::string initial = playlist_fingerprint(loaded.playlist);
    std::thread([shared = m_shared, playlist = loaded.playlist, seen = std::move(initial), interval_seconds,
                 on_change, enrich = std::move(enrich)]() mutable {
        // Moved, not copied: the closure lives as long as the thread, and a playlist may hold its
        // snapshot in place (Playlist::hold) only while it is in use.
        Playlist current = std::move(playlist);
        for (;;) {
            std::function<std::optional<PlaylistLoad>()> replacement;
            {
                std::unique_lock lock(shared->mutex);
                shared->wake.wait_for(lock, std::chrono::duration<double>(interval_seconds),
                                      [&] { return shared->stop || shared->replacement; });
                if (shared->stop)
                    break;
                replacement = std::move(shared->replacement);
                shared->replacement = nullptr;
            }
            std::optional<PlaylistLoad> loaded;
            if (replacement) {
                loaded = replacement();
            } else {
                std::string now = playlist_fingerprint(current);
                if (now == seen)
                    continue;
                // Written but maybe not finished: take it only once it has stopped changing for a
                // moment, so a half-saved playlist is not played.
                std::this_thread::sleep_for(std::chrono::milliseconds(500));
                if (playlist_fingerprint(current) != now)
                    continue;
                loaded = load_playlist(current.file);
            }
            if (!loaded)
                continue;
            PlaylistLoad fresh = std::move(*loaded);
            if (enrich)
                enrich(fresh.playlist);
            seen = playlist_fingerprint(fresh.playlist);
            current = fresh.playlist;
            std::lock_guard lock(shared->mutex);
            if (shared->stop)
                break;
            shared->newest = std::move(fresh);
            // Under the lock: once the owner has set `stop`, on_change (which refers to the
            // owner's objects) can no longer run.
            if (on_change)
                on_change();
        }
        std::lock_guard lock(shared->mutex);
        shared->finished = true;
        shared->wake.notify_all();
    }).detach();
}

PlaylistWatcher::~PlaylistWatcher()
{
    std::unique_lock lock(m_shared->mutex);
    m_shared->stop = true;
    m_shared->wake.notify_all();
    // A thread stuck in stat() on a hung mount is left behind: the player must still stop.
    m_shared->wake.wait_for(lock, std::chrono::seconds(1), [&] { return m_shared->finished; });
}

void PlaylistWatcher::replace_with(std::function<std::optional<PlaylistLoad>()> load)
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->replacement = std::move(load);
    m_shared->wake.notify_all();
}

std::optional<PlaylistLoad> PlaylistWatcher::take()
{
    std::lock_guard lock(m_shared->mutex);
    std::optional<PlaylistLoad> out = std::move(m_shared->newest);
    m_shared->newest.reset();
    return out;
}

}  // namespace signage
