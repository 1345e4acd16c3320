#include "playlist/sync/share_watcher.h"

#include "playlist/base/file_io.h"
#include "playlist/base/posix_handles.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <thread>
#include <unordered_map>

namespace signage {

namespace {

constexpr uint32_t kEvents = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF |
                             IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW;
constexpr int kMaxDepth = 32;  // as the share scan

struct Watched {
    std::string path;
    int depth = 0;
};

}  // namespace

std::string network_file_system(const std::string& folder)
{
    struct statfs info {};
    if (::statfs(folder.c_str(), &info) != 0)
        return "";
    // f_type magic numbers (statfs(2), linux/magic.h).
    switch (static_cast<unsigned long>(info.f_type)) {
    case 0x6969: return "nfs";
    case 0x517B: return "smb";
    case 0xFF534D42: return "cifs";
    case 0xFE534D42: return "smb2";
    case 0x65735546: return "fuse";  // sshfs, rclone, and also ntfs-3g: polled, to be safe
    case 0x5346414F: return "afs";
    case 0x00C36400: return "ceph";
    case 0x01021997: return "9p";
    case 0x73757245: return "coda";
    case 0x564C: return "ncp";
    default: return "";
    }
}

struct ShareWatcher::Shared {
    std::string folder;
    double retry_seconds = 60;
    std::function<void(const ShareChange&)> on_change;
    std::function<void(SyncLogLevel, const std::string&)> note;

    std::mutex mutex;
    std::condition_variable finished_cv;
    bool stop = false;
    bool finished = false;
    UniqueFd stop_fd{::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)};  // wakes the thread's poll
    std::atomic<size_t> watched{0};

    // Callbacks refer to the owner's objects: only before it stops.
    void changed(const ShareChange& change)
    {
        std::lock_guard lock(mutex);
        if (!stop && on_change)
            on_change(change);
    }
    void say(SyncLogLevel level, const std::string& text)
    {
        std::lock_guard lock(mutex);
        if (!stop && note)
            note(level, text);
    }
    bool stopping()
    {
        std::lock_guard lock(mutex);
        return stop;
    }
    // Waits up to `seconds` for stop; true when stopping.
    bool rest(double seconds)
    {
        pollfd p{stop_fd.get(), POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(seconds * 1000));
        return stopping();
    }

    void run();
};

namespace {

// One inotify instance and its watches over a folder tree.
class Watches {
public:
    explicit Watches(std::function<void(SyncLogLevel, const std::string&)> say) : m_say(std::move(say)) {}

    bool open() { return (m_fd = UniqueFd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC))).valid(); }
    int fd() const { return m_fd.get(); }
    size_t size() const { return m_watched.size(); }

    // Watches `path` and the folders below it; the top fails with errno when it cannot be watched.
    int add(const std::string& path, int depth)
    {
        int wd = ::inotify_add_watch(m_fd.get(), path.c_str(), kEvents);
        if (wd < 0) {
            int err = errno;
            if (err == ENOSPC && !m_limit_said) {
                m_say(SyncLogLevel::Info, "share watch: the inotify watch limit is reached (fs.inotify.max_user_watches); "
                                          "changes below " + path + " are found by polling only");
                m_limit_said = true;
            }
            return err;
        }
        if (depth == 0)
            m_top = wd;
        m_watched[wd] = Watched{path, depth};
        if (depth >= kMaxDepth)
            return 0;
        UniqueDir dir(::opendir(path.c_str()));
        if (!dir)
            return 0;
        while (dirent* entry = ::readdir(dir.get())) {
            std::string_view name = entry->d_name;
            if (name.empty() || name.front() == '.')
                continue;  // ".", "..", and hidden folders the sync skips
            std::string child = path + "/" + std::string(name);
            bool folder = entry->d_type == DT_DIR;
            if (entry->d_type == DT_UNKNOWN) {
                struct stat info {};
                folder = ::lstat(child.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
            }
            if (folder)
                add(child, depth + 1);
        }
        return 0;
    }

    struct Batch {
        bool changed = false;
        ShareChange change;
        bool top_gone = false;
        bool rebuild = false;  // a folder moved: the paths watches were added under are stale
    };

    // Reads what is queued now.
    Batch read()
    {
        Batch batch;
        alignas(inotify_event) char buffer[16 * 1024];
        for (;;) {
            ssize_t n = read_some(m_fd.get(), buffer, sizeof buffer);
            if (n <= 0)
                break;
            for (char* at = buffer; at < buffer + n;) {
                auto* event = reinterpret_cast<inotify_event*>(at);
                at += sizeof(inotify_event) + event->len;
                handle(*event, batch);
            }
        }
        return batch;
    }

private:
    // The name at the share's top that `wd` is (or is below); "" for the top itself.
    std::string top_name(int wd) const
    {
        auto top = m_watched.find(m_top);
        auto watched = m_watched.find(wd);
        if (top == m_watched.end() || watched == m_watched.end() || wd == m_top)
            return "";
        std::string_view path = watched->second.path;
        path.remove_prefix(std::min(path.size(), top->second.path.size() + 1));
        return std::string(path.substr(0, path.find('/')));
    }

    // Something changed at or below `top` (a name at the share's top); "" for anything.
    static void touched(Batch& batch, const std::string& top)
    {
        batch.changed = true;
        if (top.empty())
            batch.change.everything = true;
        else
            batch.change.tops.insert(top);
    }

    void handle(const inotify_event& event, Batch& batch)
    {
        if (event.mask & IN_Q_OVERFLOW) {
            touched(batch, "");  // events were lost: anything may have changed, sync
            return;
        }
        bool top = event.wd == m_top;
        if (event.mask & IN_IGNORED) {
            if (top) {
                batch.top_gone = true;
                touched(batch, "");
            }
            m_watched.erase(event.wd);
            return;
        }
        if (event.mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)) {
            touched(batch, top_name(event.wd));
            if (top)
                batch.top_gone = true;
            else if (event.mask & IN_MOVE_SELF)
                batch.rebuild = true;
            return;
        }
        if (event.len == 0 || event.name[0] == '.')
            return;  // hidden: a copy tool's unfinished file, renamed into place when done
        touched(batch, top ? std::string(event.name) : top_name(event.wd));
        if (!(event.mask & IN_ISDIR))
            return;
        if (event.mask & IN_MOVED_FROM) {
            batch.rebuild = true;
        } else if (event.mask & (IN_CREATE | IN_MOVED_TO)) {
            auto parent = m_watched.find(event.wd);
            if (parent != m_watched.end() && parent->second.depth < kMaxDepth)
                add(parent->second.path + "/" + event.name, parent->second.depth + 1);
        }
    }

    std::function<void(SyncLogLevel, const std::string&)> m_say;
    UniqueFd m_fd;
    int m_top = -1;
    std::unordered_map<int, Watched> m_watched;
    bool m_limit_said = false;
};

}  // namespace

void ShareWatcher::Shared::run()
{
    std::string missing_said;
    bool first = true;
    while (!stopping()) {
        std::string network = network_file_system(folder);
        if (!network.empty()) {
            say(SyncLogLevel::Debug, "share " + folder + " is on " + network +
                                         ": inotify does not see changes made elsewhere; polling only");
            break;
        }
        Watches watches([this](SyncLogLevel level, const std::string& text) { say(level, text); });
        if (!watches.open()) {
            say(SyncLogLevel::Info, os_error(folder, "watch (inotify_init1)", errno).to_string() + "; polling only");
            break;
        }
        if (int err = watches.add(folder, 0)) {
            std::string why = os_error(folder, "watch", err).to_string();
            if (why != missing_said)
                say(SyncLogLevel::Debug, "share watch: " + why + "; trying again every " +
                                             std::to_string(static_cast<int>(retry_seconds)) + " s");
            missing_said = why;
            if (rest(retry_seconds))
                break;
            continue;
        }
        watched = watches.size();
        say(SyncLogLevel::Debug, "share watch: " + std::to_string(watches.size()) + " folders of " + folder);
        // Back after being missing, or watched afresh: what changed meanwhile was not seen.
        if (!missing_said.empty() || !first)
            changed(ShareChange{true, {}});
        missing_said.clear();
        first = false;
        bool top_gone = false;
        for (;;) {
            pollfd p[2] = {{watches.fd(), POLLIN, 0}, {stop_fd.get(), POLLIN, 0}};
            if (::poll(p, 2, -1) < 0 && errno != EINTR) {
                top_gone = true;  // not expected; rest before setting up again
                break;
            }
            if (stopping())
                break;
            Watches::Batch batch = watches.read();
            watched = watches.size();
            if (batch.changed)
                changed(batch.change);
            top_gone = batch.top_gone;
            if (batch.top_gone || batch.rebuild)
                break;
        }
        watched = 0;
        // The top removed or unmounted: look for it again later (the sync reports it missing).
        // A moved folder: watch everything afresh at once.
        if (top_gone && rest(retry_seconds))
            break;
    }
    std::lock_guard lock(mutex);
    finished = true;
    finished_cv.notify_all();
}

ShareWatcher::ShareWatcher(std::string folder, double retry_seconds, std::function<void(const ShareChange&)> on_change,
                           std::function<void(SyncLogLevel, const std::string&)> note)
    : m_shared(std::make_shared<Shared>())
{
    m_shared->folder = std::move(folder);
    m_shared->retry_seconds = retry_seconds;
    m_shared->on_change = std::move(on_change);
    m_shared->note = std::move(note);
    std::thread([shared = m_shared] { shared->run(); }).detach();
}

ShareWatcher::~ShareWatcher()
{
    std::unique_lock lock(m_shared->mutex);
    m_shared->stop = true;
    uint64_t one = 1;
    write_all(m_shared->stop_fd.get(), &one, sizeof one);
    // Stuck in a lookup on a dead mount: left behind, the player must still stop.
    m_shared->finished_cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return m_shared->finished; });
}

size_t ShareWatcher::watched_folders() const
{
    return m_shared->watched;
}

}  // namespace signage
