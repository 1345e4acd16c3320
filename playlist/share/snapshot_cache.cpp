#include "playlist/share/snapshot_cache.h"

#include <chrono>
#include <climits>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <sys/stat.h>
#include <vector>

namespace signage {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSnapshots = "snapshots";
constexpr const char* kCurrent = "current";
constexpr const char* kPrevious = "previous";
constexpr const char* kLock = "lock";
constexpr std::string_view kStagingPrefix = "staging-";
constexpr std::string_view kLinkPrefix = "snapshots/";

bool valid_id(std::string_view id)
{
    if (id.empty() || id.size() > 64 || id.front() == '.')
        return false;
    for (char c : id)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
              c == '.'))
            return false;
    return true;
}

std::optional<std::string> read_link_id(int dir_fd, const char* name)
{
    char buffer[PATH_MAX];
    ssize_t n = ::readlinkat(dir_fd, name, buffer, sizeof buffer);
    if (n <= 0 || static_cast<size_t>(n) >= sizeof buffer)
        return std::nullopt;
    std::string_view target(buffer, static_cast<size_t>(n));
    if (!target.starts_with(kLinkPrefix))
        return std::nullopt;
    std::string id(target.substr(kLinkPrefix.size()));
    if (!valid_id(id))
        return std::nullopt;
    return id;
}

// UTC time to the millisecond: readable, and sorts in creation order while the clock is right.
std::string new_id()
{
    auto now = std::chrono::system_clock::now();
    std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    int millis = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char text[40];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%S", &utc);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", text, millis);
    return out;
}

// Removes `name` below `dir_fd` and everything in it, without following links. Relative to
// descriptors, one unlinkat per entry: std::filesystem::remove_all resolves a full path and
// stats each entry, twice the work for a snapshot of 1000 files.
void remove_tree(int dir_fd, const std::string& name, int depth = 0)
{
    if (::unlinkat(dir_fd, name.c_str(), 0) == 0 || errno == ENOENT)
        return;
    if ((errno != EISDIR && errno != EPERM) || depth > 64)
        return;
    UniqueFd fd(::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid())
        return;
    UniqueDir dir(::fdopendir(fd.get()));
    if (!dir)
        return;
    fd.release();
    std::vector<std::string> entries;
    while (dirent* entry = ::readdir(dir.get())) {
        std::string_view child = entry->d_name;
        if (child != "." && child != "..")
            entries.emplace_back(child);
    }
    int inner = ::dirfd(dir.get());
    for (const auto& child : entries)
        remove_tree(inner, child, depth + 1);
    dir.reset();
    ::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR);
}

// fsyncs every file and folder below `dir_fd`, then the folder itself: Durability::EachFile.
Status fsync_tree(int dir_fd, const std::string& where, int depth = 0)
{
    if (depth > 64)
        return Error{where, 0, "nested too deep to fsync"};
    UniqueFd fd(::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    UniqueDir dir(fd.valid() ? ::fdopendir(fd.get()) : nullptr);
    if (!dir)
        return os_error(where, "list the folder", errno);
    fd.release();
    std::vector<std::pair<std::string, bool>> entries;  // name, is a folder
    while (dirent* entry = ::readdir(dir.get())) {
        std::string_view name = entry->d_name;
        if (name == "." || name == "..")
            continue;
        bool folder = entry->d_type == DT_DIR;
        struct stat info {};
        if (entry->d_type == DT_UNKNOWN && ::fstatat(dir_fd, entry->d_name, &info, AT_SYMLINK_NOFOLLOW) == 0)
            folder = S_ISDIR(info.st_mode);
        entries.emplace_back(name, folder);
    }
    for (const auto& [name, folder] : entries) {
        UniqueFd child(::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (folder ? O_DIRECTORY : 0)));
        if (!child.valid())
            return os_error(where + "/" + name, "open", errno);
        if (folder) {
            if (Status s = fsync_tree(child.get(), where + "/" + name, depth + 1); !s)
                return s;
        } else if (::fsync(child.get()) != 0) {
            return os_error(where + "/" + name, "fsync", errno);
        }
    }
    if (::fsync(dir_fd) != 0)
        return os_error(where, "fsync", errno);
    return Status{};
}

}  // namespace

std::optional<std::string> current_snapshot_dir(const std::string& cache_root)
{
    UniqueFd root(::open(cache_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root.valid())
        return std::nullopt;
    auto id = read_link_id(root.get(), kCurrent);
    if (!id)
        return std::nullopt;
    std::string dir = (fs::path(cache_root) / kSnapshots / *id).string();
    struct stat info {};
    if (::stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
        return std::nullopt;
    return dir;
}

Result<SnapshotPin> SnapshotPin::take(const std::string& snapshot_dir)
{
    UniqueFd fd(::open(snapshot_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid())
        return os_error(snapshot_dir, "open the snapshot", errno);
    if (::flock(fd.get(), LOCK_SH | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            return Error{snapshot_dir, 0, "the snapshot is being removed"};
        return os_error(snapshot_dir, "lock the snapshot", errno);
    }
    // Locked only after a prune had removed it: the open folder has no name left.
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0 || info.st_nlink == 0)
        return Error{snapshot_dir, 0, "the snapshot was removed"};
    return SnapshotPin(snapshot_dir, std::move(fd));
}

std::optional<SnapshotPin> pin_current_snapshot(const std::string& cache_root)
{
    // Between reading `current` and locking, two syncs could move it on and prune the one read:
    // read it again then. A few tries are plenty, syncs are seconds apart.
    for (int attempt = 0; attempt < 5; ++attempt) {
        auto dir = current_snapshot_dir(cache_root);
        if (!dir)
            return std::nullopt;
        if (auto pin = SnapshotPin::take(*dir))
            return std::move(*pin);
    }
    return std::nullopt;
}

Result<SnapshotCache> SnapshotCache::open(const std::string& root)
{
    std::error_code ec;
    fs::create_directories(fs::path(root) / kSnapshots, ec);
    if (ec)
        return Error{root, 0, "cannot create the cache folder: " + ec.message()};
    UniqueFd root_fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root_fd.valid())
        return os_error(root, "open the cache folder", errno);
    UniqueFd lock(::openat(root_fd.get(), kLock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!lock.valid())
        return os_error(root + "/" + kLock, "open the cache's lock", errno);
    if (::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK)
            return Error{root, 0, std::string(kCacheBusyMessage) + " (it holds " + root + "/" + kLock + ")"};
        return os_error(root + "/" + kLock, "lock the cache", errno);
    }
    SnapshotCache cache(root, std::move(root_fd), std::move(lock));
    cache.remove_leftovers();
    return cache;
}

std::optional<std::string> SnapshotCache::current_id() const
{
    return read_link_id(m_root_fd.get(), kCurrent);
}

std::optional<std::string> SnapshotCache::previous_id() const
{
    return read_link_id(m_root_fd.get(), kPrevious);
}

std::string SnapshotCache::snapshot_dir(const std::string& id) const
{
    return m_root + "/" + kSnapshots + "/" + id;
}

std::string SnapshotCache::staging_dir(const std::string& id) const
{
    return m_root + "/" + std::string(kStagingPrefix) + id;
}

void SnapshotCache::remove_leftovers()
{
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(m_root, ec)) {
        std::string name = entry.path().filename().string();
        if (name.starts_with(kStagingPrefix))
            remove_tree(m_root_fd.get(), name);
        else if (name == std::string(kCurrent) + ".tmp" || name == std::string(kPrevious) + ".tmp")
            ::unlinkat(m_root_fd.get(), name.c_str(), 0);
    }
    prune();
}

void SnapshotCache::prune()
{
    auto current = current_id();
    auto previous = previous_id();
    UniqueFd snapshots(::openat(m_root_fd.get(), kSnapshots, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!snapshots.valid())
        return;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fs::path(m_root) / kSnapshots, ec)) {
        std::string name = entry.path().filename().string();
        if (name == current || name == previous)
            continue;
        // A player still reading from it holds a shared lock (SnapshotPin): it stays until the
        // player lets go. The exclusive lock is held while removing, so a pin taken meanwhile
        // fails or finds the folder gone.
        UniqueFd dir(::openat(snapshots.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (dir.valid() && ::flock(dir.get(), LOCK_EX | LOCK_NB) != 0)
            continue;
        remove_tree(snapshots.get(), name);
    }
}

Result<std::string> SnapshotCache::create_staging()
{
    std::string base = new_id();
    for (int attempt = 1; attempt < 1000; ++attempt) {
        std::string id = attempt == 1 ? base : base + "-" + std::to_string(attempt);
        struct stat info {};
        if (::fstatat(m_root_fd.get(), (std::string(kSnapshots) + "/" + id).c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0)
            continue;
        if (::mkdirat(m_root_fd.get(), (std::string(kStagingPrefix) + id).c_str(), 0755) == 0)
            return id;
        if (errno != EEXIST)
            return os_error(staging_dir(id), "create the staging folder", errno);
    }
    return Error{m_root, 0, "cannot find a free snapshot name"};
}

void SnapshotCache::discard_staging(const std::string& id)
{
    remove_tree(m_root_fd.get(), std::string(kStagingPrefix) + id);
}

Status SnapshotCache::point(const char* link, const std::string& id, bool durable)
{
    std::string temporary = std::string(link) + ".tmp";
    ::unlinkat(m_root_fd.get(), temporary.c_str(), 0);
    std::string target = std::string(kLinkPrefix) + id;
    if (::symlinkat(target.c_str(), m_root_fd.get(), temporary.c_str()) != 0)
        return os_error(m_root + "/" + temporary, "create the link", errno);
    // rename(2) replaces `link` in one step: a reader sees the old target or the new one.
    if (::renameat(m_root_fd.get(), temporary.c_str(), m_root_fd.get(), link) != 0)
        return os_error(m_root + "/" + link, "switch the link", errno);
    if (durable && ::fsync(m_root_fd.get()) != 0)
        return os_error(m_root, "fsync", errno);
    return Status{};
}

Status SnapshotCache::commit(const std::string& id, const std::function<void(SyncStep)>& on_step,
                             Durability durability)
{
    auto step = [&](SyncStep s) {
        if (on_step)
            on_step(s);
    };
    std::string staging = std::string(kStagingPrefix) + id;
    std::string stored = std::string(kSnapshots) + "/" + id;
    if (durability == Durability::EachFile) {
        UniqueFd fd(::openat(m_root_fd.get(), staging.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!fd.valid())
            return os_error(staging_dir(id), "open", errno);
        if (Status s = fsync_tree(fd.get(), staging_dir(id)); !s)
            return s;
    }
    // Renamed before it is durable: until `current` names it, a snapshot that a power cut left
    // half-written is just an orphan, pruned on the next open.
    if (::renameat(m_root_fd.get(), staging.c_str(), m_root_fd.get(), stored.c_str()) != 0)
        return os_error(staging_dir(id), "move into " + snapshot_dir(id), errno);
    if (durability == Durability::EachFile) {
        // The files are durable; the rename is, once the folder holding the new name is.
        UniqueFd snapshots(::openat(m_root_fd.get(), kSnapshots, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!snapshots.valid() || ::fsync(snapshots.get()) != 0)
            return os_error(m_root + "/" + kSnapshots, "fsync", errno);
    } else if (::syncfs(m_root_fd.get()) != 0) {
        // One syncfs makes every copied file, link and folder of the snapshot durable. An fsync
        // per file costs a journal commit and a disk cache flush each (4-5 ms here: 5 s for a
        // first sync of 1000 files); syncfs costs one, plus whatever else is waiting on that disk.
        return os_error(m_root, "syncfs", errno);
    }
    step(SyncStep::Stored);
    if (auto current = current_id(); current && *current != id) {
        // Not fsync'd on its own: the fsync after the switch of `current` below commits it too.
        if (Status s = point(kPrevious, *current, false); !s)
            return s;
    }
    step(SyncStep::PreviousSwitched);
    if (Status s = point(kCurrent, id, true); !s)
        return s;
    step(SyncStep::CurrentSwitched);
    prune();
    step(SyncStep::Pruned);
    return Status{};
}

Status SnapshotCache::rollback()
{
    auto current = current_id();
    auto previous = previous_id();
    if (!previous || !fs::is_directory(snapshot_dir(*previous)))
        return Error{m_root, 0, "no previous snapshot to roll back to"};
    // Current first: dying in between leaves both links on the old snapshot, which is playable.
    if (Status s = point(kCurrent, *previous, true); !s)
        return s;
    if (current)
        return point(kPrevious, *current, true);
    return Status{};
}

}  // namespace signage
