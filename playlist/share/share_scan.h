// Walking a share (a mounted SMB/NFS/sshfs folder or a USB stick) without ever leaving it.
//
// Everything is opened relative to a descriptor of the share's top folder, one path component at
// a time with O_NOFOLLOW, so a symlink can never lead a sync outside the share, not even one
// swapped in between the scan and the copy. What a share may hold that a screen must not take is
// refused and reported, named: links pointing outside (or to absolute paths), device files,
// FIFOs, sockets, names with control characters, files over [limits] max_file_mb, folders nested
// too deep. A relative link to a regular file inside the share is taken as that file.
// Hidden files and folders (names starting with '.') are skipped on purpose: copy tools keep
// their unfinished files under such names (rsync's .name.XXXXXX), and desktops litter shares with
// .DS_Store, ._* and the like.
#pragma once

#include "playlist/base/error.h"
#include "playlist/base/posix_handles.h"

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <vector>

namespace signage {

struct ScanLimits {
    int max_depth = 32;           // folders below the top
    size_t max_entries = 200000;  // files and folders together; more fails the scan
    uint64_t max_file_bytes = uint64_t{2048} << 20;
};

// Which part of a share a sync takes. The share's top-level `alerts/` folder has a sync of its
// own, fast and small (urgent alerts must reach screens within seconds, not wait behind a big
// video): the content sync leaves it out, the alerts sync takes only the files directly in it.
inline constexpr std::string_view kAlertsFolder = "alerts";

struct ShareScope {
    std::string only;       // a folder at the top: only the files directly in it, not its subfolders
    std::string leave_out;  // a folder at the top that is not taken (not even scanned)

    // Whether a path relative to the share's top is in scope.
    bool includes(std::string_view path) const;
};

// Everything but alerts/ (the content sync); only the files directly in alerts/ (the alerts sync).
ShareScope content_scope();
ShareScope alerts_scope();

struct ShareFile {
    std::string path;    // relative to the share's top, '/'-separated
    std::string source;  // what to read: `path`, or for a link the file it names inside the share
    uint64_t size = 0;
    timespec mtime{};
};

struct ShareListing {
    std::vector<ShareFile> files;  // sorted by path
    std::vector<Error> refused;    // on the share but not synced, each with its reason
    size_t hidden = 0;             // dot files and folders skipped
};

// The share's top folder, held open. A share that is unmounted, removed or replaced while a sync
// runs is noticed by still_there().
class ShareRoot {
public:
    static Result<ShareRoot> open(const std::string& path);

    const std::string& path() const { return m_path; }
    int fd() const { return m_fd.get(); }
    std::string full(const std::string& relative) const { return m_path + "/" + relative; }

    // Open or stat a path below the top without following a symlink anywhere in it (a link found
    // on the way fails with ELOOP or ENOTDIR). Return 0 or an errno value.
    int open_file(const std::string& relative, UniqueFd& out) const;
    int stat_file(const std::string& relative, struct stat& out) const;

    // False once the folder is gone: removed, unmounted (the mount point's own folder is another
    // inode) or replaced by another folder of the same name.
    bool still_there() const;

private:
    ShareRoot(std::string path, UniqueFd fd, dev_t dev, ino_t ino)
        : m_path(std::move(path)), m_fd(std::move(fd)), m_dev(dev), m_ino(ino)
    {
    }
    int open_parent(const std::string& relative, UniqueFd& parent, std::string& name) const;

    std::string m_path;
    UniqueFd m_fd;
    dev_t m_dev;
    ino_t m_ino;
};

// Lists every file the share offers (within `scope`). Fails (rather than returning a partial
// list, which a sync would take for deletions) when a folder cannot be read, or beyond max_entries.
// With `scope.only`: a share without that folder lists nothing, unless its top is empty, which
// fails: an unmounted share shows up as an empty folder, and must not look like one whose
// alerts were all removed. That folder as a link or a file is refused (nothing listed).
Result<ShareListing> scan_share(const ShareRoot& root, const ScanLimits& limits, const ShareScope& scope = {});

// Why a file of `size` bytes is refused under `limit` ([limits] max_file_mb), for messages.
std::string too_large_reason(uint64_t size, uint64_t limit);

// A path with control characters shown as \xNN, for messages.
std::string printable_path(std::string_view path);

bool same_mtime(const timespec& a, const timespec& b);

}  // namespace signage
