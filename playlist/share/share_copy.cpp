#include "playlist/share/share_copy.h"

#include "playlist/base/file_io.h"
#include "playlist/base/sha256.h"

#include <fcntl.h>
#include <sys/stat.h>

namespace signage {

Error share_disappeared(const std::string& share)
{
    return Error{share, 0, "the share disappeared during the sync (removed or unmounted); nothing changed"};
}

Error sync_cancelled(const std::string& share)
{
    return Error{share, 0, "sync cancelled"};
}

Status write_to_cache(int fd, const char* bytes, size_t size, const std::string& name)
{
    if (write_all(fd, bytes, size))
        return Status{};
    return errno == ENOSPC ? Error{name, 0, "the cache's disk is full"} : os_error(name, "write", errno);
}

Result<ShareCopy> copy_from_share(const ShareRoot& share, const ShareFile& file, int target_dir_fd,
                                  const std::string& target, const std::string& target_name,
                                  std::vector<char>& buffer, const std::atomic<bool>* cancel)
{
    ShareCopy copy;
    // Reading the share failed: the share's own disappearance is named as such.
    auto share_error = [&](std::string_view action, int err) {
        return share.still_there() ? os_error(share.full(file.source), action, err) : share_disappeared(share.path());
    };
    auto not_taken = [&](std::string reason) {
        copy.not_taken = std::move(reason);
        return copy;
    };
    UniqueFd source;
    if (int err = share.open_file(file.source, source)) {
        if (!share.still_there())
            return share_disappeared(share.path());
        if (err == ENOENT)
            return not_taken("disappeared from the share during the sync");
        if (err == ELOOP || err == ENOTDIR)
            return not_taken("was replaced by a link during the sync");
        if (err == EACCES)
            return not_taken("cannot be read (permission denied)");
        return os_error(share.full(file.source), "open", err);
    }
    auto unchanged = [&](const struct stat& now) {
        return static_cast<uint64_t>(now.st_size) == file.size && same_mtime(now.st_mtim, file.mtime);
    };
    struct stat before {};
    if (::fstat(source.get(), &before) != 0)
        return share_error("stat", errno);
    if (!S_ISREG(before.st_mode))
        return not_taken("is no longer a regular file");
    if (!unchanged(before))
        return not_taken("still being written (it changed between the scan and the copy)");
    ::posix_fadvise(source.get(), 0, 0, POSIX_FADV_SEQUENTIAL);

    UniqueFd out(::openat(target_dir_fd, target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444));
    if (!out.valid())
        return os_error(target_name, "create", errno);
    auto hash = Sha256::create();
    if (!hash)
        return hash.error();
    for (;;) {
        if (cancel && cancel->load())
            return sync_cancelled(share.path());
        ssize_t n = read_some(source.get(), buffer.data(), buffer.size());
        if (n < 0)
            return share_error("read", errno);
        if (n == 0)
            break;
        if (copy.bytes + static_cast<uint64_t>(n) > file.size)
            return not_taken("still being written (it grew while it was copied)");
        hash->update(buffer.data(), static_cast<size_t>(n));
        if (Status s = write_to_cache(out.get(), buffer.data(), static_cast<size_t>(n), target_name); !s)
            return s.error();
        copy.bytes += static_cast<uint64_t>(n);
    }
    struct stat after {};
    if (::fstat(source.get(), &after) != 0)
        return share_error("stat", errno);
    if (copy.bytes != file.size || !unchanged(after))
        return not_taken("still being written (it changed while it was copied)");
    timespec times[2] = {file.mtime, file.mtime};  // the share's time: how the next sync knows it
    if (::futimens(out.get(), times) != 0)
        return os_error(target_name, "set the modification time", errno);
    // Start writing it to disk now, while the next file is copied; the commit's syncfs waits for it.
    ::sync_file_range(out.get(), 0, 0, SYNC_FILE_RANGE_WRITE);
    auto sha = hash->finish_hex();
    if (!sha)
        return sha.error();
    copy.sha256 = std::move(*sha);
    return copy;
}

}  // namespace signage
