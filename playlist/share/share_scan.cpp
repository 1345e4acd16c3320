#include "playlist/share/share_scan.h"

#include <algorithm>
#include <climits>
#include <fcntl.h>
#include <filesystem>

namespace signage {

namespace {

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

bool has_control(std::string_view name)
{
    return std::any_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7F; });
}

std::string megabytes(uint64_t bytes)
{
    return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MB";
}

struct Walker {
    const ShareRoot& root;
    const ScanLimits& limits;
    ShareListing& out;
    std::string_view leave_out;  // a folder at the top not entered
    bool recurse = true;         // false: the files of one folder, not its subfolders
    size_t entries = 0;

    void refuse(const std::string& relative, std::string reason)
    {
        out.refused.push_back({root.full(printable_path(relative)), 0, std::move(reason)});
    }

    bool size_allowed(const std::string& relative, const struct stat& info)
    {
        if (static_cast<uint64_t>(info.st_size) <= limits.max_file_bytes)
            return true;
        refuse(relative, too_large_reason(static_cast<uint64_t>(info.st_size), limits.max_file_bytes));
        return false;
    }

    void add_link(int dir_fd, const std::string& name, const std::string& relative, const std::string& folder)
    {
        char buffer[PATH_MAX];
        ssize_t n = ::readlinkat(dir_fd, name.c_str(), buffer, sizeof buffer);
        if (n < 0 || static_cast<size_t>(n) >= sizeof buffer) {
            if (n < 0 && errno == ENOENT)
                return;  // removed since the listing: it is gone, which is what we sync
            refuse(relative, "is a link that cannot be read; refused");
            return;
        }
        std::string target(buffer, static_cast<size_t>(n));
        if (has_control(target)) {
            refuse(relative, "is a link whose target contains a control character; refused");
            return;
        }
        if (!target.empty() && target.front() == '/') {
            refuse(relative, "is a link to an absolute path (" + target +
                                 "); refused: only relative links to files inside the share are followed");
            return;
        }
        std::string inside = (std::filesystem::path(folder) / target).lexically_normal().generic_string();
        while (!inside.empty() && inside.back() == '/')
            inside.pop_back();
        if (inside.empty() || inside == "." || inside == ".." || inside.starts_with("../")) {
            refuse(relative, "is a link to " + target + ", outside the share; refused");
            return;
        }
        struct stat info {};
        int error = root.stat_file(inside, info);
        if (error == ENOENT) {
            refuse(relative, "is a link to " + target + ", which does not exist; refused");
            return;
        }
        if (error == ELOOP || error == ENOTDIR) {
            refuse(relative, "is a link to " + target + ", which is a link itself or goes through one; not followed");
            return;
        }
        if (error != 0) {
            refuse(relative, "is a link to " + target + ", which cannot be read: " + std::strerror(error));
            return;
        }
        if (S_ISLNK(info.st_mode)) {
            refuse(relative, "is a link to " + target + ", which is a link itself; not followed");
            return;
        }
        if (S_ISDIR(info.st_mode)) {
            refuse(relative, "is a link to a folder (" + target + "); not followed: copy the folder instead");
            return;
        }
        if (!S_ISREG(info.st_mode)) {
            refuse(relative, "is a link to " + target + ", which is not a regular file; refused");
            return;
        }
        if (size_allowed(relative, info))
            out.files.push_back({relative, inside, static_cast<uint64_t>(info.st_size), info.st_mtim});
    }

    Status walk(UniqueFd dir_fd, const std::string& folder, int depth)
    {
        std::string where = folder.empty() ? root.path() : root.full(folder);
        UniqueDir dir(::fdopendir(dir_fd.get()));
        if (!dir)
            return os_error(where, "list the folder", errno);
        dir_fd.release();  // owned by `dir` now
        int fd = ::dirfd(dir.get());
        std::vector<std::string> names;
        for (;;) {
            errno = 0;
            dirent* entry = ::readdir(dir.get());
            if (!entry) {
                if (errno != 0)
                    return os_error(where, "list the folder", errno);
                break;
            }
            std::string_view name = entry->d_name;
            if (name == "." || name == "..")
                continue;
            if (++entries > limits.max_entries)
                return Error{root.path(), 0,
                             "holds more than " + std::to_string(limits.max_entries) +
                                 " files and folders; not synced"};
            names.emplace_back(name);
        }
        std::sort(names.begin(), names.end());
        for (const auto& name : names) {
            std::string relative = folder.empty() ? name : folder + "/" + name;
            if (name.front() == '.') {
                ++out.hidden;
                continue;
            }
            if (has_control(name)) {
                refuse(relative, "name contains a control character; refused");
                continue;
            }
            struct stat info {};
            if (::fstatat(fd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
                if (errno == ENOENT)
                    continue;  // removed since the listing
                return os_error(root.full(relative), "stat", errno);
            }
            if (S_ISREG(info.st_mode)) {
                if (size_allowed(relative, info))
                    out.files.push_back({relative, relative, static_cast<uint64_t>(info.st_size), info.st_mtim});
            } else if (S_ISDIR(info.st_mode)) {
                if (!recurse || (folder.empty() && name == leave_out))
                    continue;
                if (depth + 1 > limits.max_depth) {
                    refuse(relative, "is nested more than " + std::to_string(limits.max_depth) +
                                         " folders deep; not synced");
                    continue;
                }
                UniqueFd child(::openat(fd, name.c_str(), kDirFlags));
                if (!child.valid()) {
                    if (errno == ENOENT)
                        continue;
                    if (errno == EACCES) {
                        refuse(relative, "is a folder that cannot be read (permission denied); not synced");
                        continue;
                    }
                    return os_error(root.full(relative), "open the folder", errno);
                }
                Status status = walk(std::move(child), relative, depth + 1);
                if (!status)
                    return status;
            } else if (S_ISLNK(info.st_mode)) {
                add_link(fd, name, relative, folder);
            } else if (S_ISFIFO(info.st_mode)) {
                refuse(relative, "is a FIFO (named pipe); refused");
            } else if (S_ISCHR(info.st_mode) || S_ISBLK(info.st_mode)) {
                refuse(relative, "is a device file; refused");
            } else if (S_ISSOCK(info.st_mode)) {
                refuse(relative, "is a socket; refused");
            } else {
                refuse(relative, "is not a regular file; refused");
            }
        }
        return Status{};
    }
};

}  // namespace

std::string too_large_reason(uint64_t size, uint64_t limit)
{
    return "is " + megabytes(size) + ", more than [limits] max_file_mb (" + megabytes(limit) + "); not synced";
}

Result<ShareRoot> ShareRoot::open(const std::string& path)
{
    std::string clean = path;
    while (clean.size() > 1 && clean.back() == '/')
        clean.pop_back();
    // The top folder itself may be reached through links (a mount under /mnt/links/...): that is
    // the administrator's choice in player.ini, not the share's content.
    UniqueFd fd(::open(clean.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd.valid())
        return Error{clean, 0, std::string("share not reachable: ") + std::strerror(errno)};
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0)
        return Error{clean, 0, std::string("share not reachable: ") + std::strerror(errno)};
    return ShareRoot(clean, std::move(fd), info.st_dev, info.st_ino);
}

int ShareRoot::open_parent(const std::string& relative, UniqueFd& parent, std::string& name) const
{
    size_t slash = relative.rfind('/');
    name = slash == std::string::npos ? relative : relative.substr(slash + 1);
    UniqueFd current(::openat(m_fd.get(), ".", kDirFlags));
    if (!current.valid())
        return errno;
    size_t start = 0;
    while (slash != std::string::npos && start < slash) {
        size_t next = relative.find('/', start);
        std::string part = relative.substr(start, next - start);
        UniqueFd child(::openat(current.get(), part.c_str(), kDirFlags));
        if (!child.valid())
            return errno;
        current = std::move(child);
        start = next + 1;
    }
    parent = std::move(current);
    return 0;
}

int ShareRoot::open_file(const std::string& relative, UniqueFd& out) const
{
    UniqueFd parent;
    std::string name;
    if (int error = open_parent(relative, parent, name))
        return error;
    // O_NONBLOCK: a FIFO swapped in since the scan must not hang the open; the caller checks
    // with fstat that it got a regular file.
    UniqueFd file(::openat(parent.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
    if (!file.valid())
        return errno;
    out = std::move(file);
    return 0;
}

int ShareRoot::stat_file(const std::string& relative, struct stat& out) const
{
    UniqueFd parent;
    std::string name;
    if (int error = open_parent(relative, parent, name))
        return error;
    return ::fstatat(parent.get(), name.c_str(), &out, AT_SYMLINK_NOFOLLOW) == 0 ? 0 : errno;
}

bool ShareRoot::still_there() const
{
    struct stat by_path {};
    struct stat held {};
    if (::stat(m_path.c_str(), &by_path) != 0 || ::fstat(m_fd.get(), &held) != 0)
        return false;
    return by_path.st_dev == m_dev && by_path.st_ino == m_ino && held.st_nlink > 0;
}

bool ShareScope::includes(std::string_view path) const
{
    if (!only.empty())
        return path.size() > only.size() + 1 && path.starts_with(only) && path[only.size()] == '/' &&
               path.find('/', only.size() + 1) == std::string_view::npos;
    return leave_out.empty() || !(path.size() > leave_out.size() && path.starts_with(leave_out) &&
                                  path[leave_out.size()] == '/');
}

ShareScope content_scope()
{
    return ShareScope{"", std::string(kAlertsFolder)};
}

ShareScope alerts_scope()
{
    return ShareScope{std::string(kAlertsFolder), ""};
}

namespace {

// Whether the share's top folder holds nothing at all (an unmounted mount point).
Result<bool> top_is_empty(const ShareRoot& root)
{
    UniqueFd fd(::openat(root.fd(), ".", kDirFlags));
    UniqueDir dir(fd.valid() ? ::fdopendir(fd.get()) : nullptr);
    if (!dir)
        return os_error(root.path(), "list the folder", errno);
    fd.release();
    for (;;) {
        errno = 0;
        dirent* entry = ::readdir(dir.get());
        if (!entry)
            return errno == 0 ? Result<bool>(true) : Result<bool>(os_error(root.path(), "list the folder", errno));
        std::string_view name = entry->d_name;
        if (name != "." && name != "..")
            return false;
    }
}

// The files directly in the folder `only` at the share's top.
Status scan_only(Walker& walker, const std::string& only)
{
    const ShareRoot& root = walker.root;
    UniqueFd folder(::openat(root.fd(), only.c_str(), kDirFlags));
    if (folder.valid())
        return walker.walk(std::move(folder), only, 1);
    int err = errno;
    if (err == ENOENT) {
        auto empty = top_is_empty(root);
        if (!empty)
            return empty.error();
        if (*empty)
            return Error{root.path(), 0,
                         "the share is empty (not mounted?) and has no " + only + "/ folder; nothing changed"};
        return Status{};  // no such folder: nothing in it
    }
    struct stat info {};
    if ((err == ENOTDIR || err == ELOOP) && ::fstatat(root.fd(), only.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0) {
        walker.refuse(only, S_ISLNK(info.st_mode) ? "is a link; not followed: make " + only + "/ a folder of the share"
                                                  : "is not a folder; only the files in a folder " + only + "/ are taken");
        return Status{};
    }
    return os_error(root.full(only), "open the folder", err);
}

}  // namespace

Result<ShareListing> scan_share(const ShareRoot& root, const ScanLimits& limits, const ShareScope& scope)
{
    ShareListing listing;
    Walker walker{root, limits, listing, scope.leave_out, scope.only.empty()};
    Status status;
    if (!scope.only.empty()) {
        status = scan_only(walker, scope.only);
    } else {
        // A descriptor of its own (not a dup, which would share the listing position with the root's).
        UniqueFd top(::openat(root.fd(), ".", kDirFlags));
        if (!top.valid())
            return Error{root.path(), 0, std::string("share not reachable: ") + std::strerror(errno)};
        status = walker.walk(std::move(top), "", 0);
    }
    if (!status)
        return status.error();
    std::sort(listing.files.begin(), listing.files.end(),
              [](const ShareFile& a, const ShareFile& b) { return a.path < b.path; });
    return listing;
}

std::string printable_path(std::string_view path)
{
    std::string out;
    for (unsigned char c : path) {
        if (c < 0x20 || c == 0x7F) {
            static const char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

bool same_mtime(const timespec& a, const timespec& b)
{
    return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

}  // namespace signage
