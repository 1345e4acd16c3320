#include "playlist/share/http_download.h"

#include "playlist/base/file_io.h"
#include "playlist/base/posix_handles.h"
#include "playlist/base/sha256.h"
#include "playlist/share/share_copy.h"

#include <chrono>
#include <fcntl.h>
#include <optional>
#include <thread>
#include <sys/stat.h>

namespace signage {

namespace {

// Hashes the first `size` bytes of `fd` and leaves its offset there.
Status hash_prefix(int fd, uint64_t size, Sha256& hash, std::vector<char>& buffer, const std::string& name)
{
    if (::lseek(fd, 0, SEEK_SET) != 0)
        return os_error(name, "seek", errno);
    uint64_t done = 0;
    while (done < size) {
        size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), size - done));
        ssize_t n = read_some(fd, buffer.data(), want);
        if (n < 0)
            return os_error(name, "read", errno);
        if (n == 0)
            return Error{name, 0, "shrank while it was read"};
        hash.update(buffer.data(), static_cast<size_t>(n));
        done += static_cast<uint64_t>(n);
    }
    return Status{};
}

// What partial/<sha> holds before a download: nothing yet, an earlier download's beginning, or
// all of it (read-only: a sync that failed after downloading it). Anything odd (not a regular
// file, larger than listed, or a hard link shared with a snapshot after a crash at the wrong
// moment: never to be written to) is removed first.
Result<UniqueFd> open_partial(int dir_fd, const std::string& name, const std::string& full, uint64_t size)
{
    struct stat info {};
    if (::fstatat(dir_fd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0) {
        if (!S_ISREG(info.st_mode) || info.st_nlink > 1 || static_cast<uint64_t>(info.st_size) > size) {
            if (::unlinkat(dir_fd, name.c_str(), 0) != 0)
                return os_error(full, "remove", errno);
        } else if ((info.st_mode & S_IWUSR) == 0 && ::fchmodat(dir_fd, name.c_str(), 0644, 0) != 0) {
            return os_error(full, "make writable", errno);
        }
    }
    UniqueFd fd(::openat(dir_fd, name.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!fd.valid())
        return os_error(full, "open", errno);
    return fd;
}

// One round of a download: what partial/<sha> holds, and the response's body appended to it.
class PartialFile {
public:
    PartialFile(const ManifestEntry& entry, std::string full, std::vector<char>& buffer)
        : m_entry(entry), m_full(std::move(full)), m_buffer(buffer)
    {
    }

    // Opens it and hashes what it holds. Returns true when it is complete and the listed file
    // (downloaded by a sync that failed later); a complete file that is not is emptied.
    Result<bool> open(int dir_fd)
    {
        auto fd = open_partial(dir_fd, m_entry.sha256, m_full, m_entry.size);
        if (!fd)
            return fd.error();
        m_fd = std::move(*fd);
        struct stat info {};
        if (::fstat(m_fd.get(), &info) != 0)
            return os_error(m_full, "stat", errno);
        m_have = static_cast<uint64_t>(info.st_size);
        if (Status s = restart_hash(); !s)
            return s.error();
        if (Status s = hash_prefix(m_fd.get(), m_have, *m_hash, m_buffer, m_full); !s)
            return s.error();
        if (m_have < m_entry.size)
            return false;
        auto sha = finish();
        if (!sha)
            return sha.error();
        if (*sha == m_entry.sha256)
            return true;
        if (Status s = empty(); !s)
            return s.error();
        return false;
    }

    uint64_t have() const { return m_have; }
    uint64_t received() const { return m_received; }
    bool too_large() const { return m_stop == Stop::TooLarge; }
    bool other_range() const { return m_stop == Stop::OtherRange; }
    const Status& cache_status() const { return m_cache_status; }

    // The body sink: appends what the server sends, within the listed size.
    bool take(const ResponseHead& head, const char* data, size_t size)
    {
        if (m_first) {
            m_first = false;
            if (!accept(head))
                return false;
        }
        if (m_have + size > m_entry.size) {
            m_stop = Stop::TooLarge;
            return false;
        }
        m_hash->update(data, size);
        if (Status s = write_to_cache(m_fd.get(), data, size, m_full); !s) {
            m_cache_status = s;
            return false;
        }
        m_have += size;
        m_received += size;
        return true;
    }

    Result<std::string> finish() { return m_hash->finish_hex(); }

    Status empty()
    {
        if (::ftruncate(m_fd.get(), 0) != 0 || ::lseek(m_fd.get(), 0, SEEK_SET) != 0)
            return os_error(m_full, "truncate", errno);
        m_have = 0;
        return restart_hash();
    }

private:
    enum class Stop { None, TooLarge, OtherRange };

    const ManifestEntry& m_entry;
    std::string m_full;
    std::vector<char>& m_buffer;
    UniqueFd m_fd;
    std::optional<Sha256> m_hash;
    uint64_t m_have = 0;
    uint64_t m_received = 0;  // by this round
    bool m_first = true;
    Stop m_stop = Stop::None;
    Status m_cache_status;

    Status restart_hash()
    {
        auto hash = Sha256::create();
        if (!hash)
            return hash.error();
        m_hash.emplace(std::move(*hash));
        return Status{};
    }

    // The head of the response, before its first bytes: is the body what was asked for?
    bool accept(const ResponseHead& head)
    {
        if (head.status == 200 && m_have > 0) {
            // The server ignored the range: start over from the first byte.
            if (Status s = empty(); !s) {
                m_cache_status = s;
                return false;
            }
        } else if (head.status == 206) {
            const auto& range = head.content_range;
            if (!range || range->first != m_have || (range->total && *range->total != m_entry.size)) {
                m_stop = Stop::OtherRange;
                return false;
            }
        } else if (head.status != 200) {
            return false;  // an error page is not content; the status says what happened
        }
        if (head.content_length && *head.content_length > m_entry.size - m_have) {
            m_stop = Stop::TooLarge;
            return false;
        }
        return true;
    }
};

// Waits before resuming, looking at the cancel flag ten times a second. False when cancelled.
bool pause_before_resume(int cuts, const std::atomic<bool>* cancel)
{
    auto until = std::chrono::steady_clock::now() +
                 std::chrono::duration<double>(kFirstResumePauseSeconds * (1 << (cuts - 1)));
    while (std::chrono::steady_clock::now() < until) {
        if (cancel && cancel->load())
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return !(cancel && cancel->load());
}

}  // namespace

Result<Download> download_to_partial(HttpClient& client, const std::string& url, const ManifestEntry& entry,
                                     int dir_fd, const std::string& dir_name, std::vector<char>& buffer)
{
    Download out;
    // A server that answers a range request with another range (or 416: the file is shorter
    // than what we have) gets one clean request from the start.
    bool restarted = false;
    for (;;) {
        PartialFile file(entry, dir_name + "/" + entry.sha256, buffer);
        auto complete = file.open(dir_fd);
        if (!complete)
            return complete.error();
        if (!*complete) {
            std::vector<std::string> headers;
            if (file.have() > 0)
                headers.push_back("Range: bytes=" + std::to_string(file.have()) + "-");
            auto got = client.get(url, headers,
                                  [&](const ResponseHead& head, const char* data, size_t size) {
                                      return file.take(head, data, size);
                                  });
            out.bytes += file.received();
            if (!file.cache_status())
                return file.cache_status().error();
            if (!got) {
                if (file.received() == 0)
                    return got.error();  // the server cannot be reached: the sync fails
                // Cut off in the middle (a dropped connection, a proxy's timeout): ask for the
                // rest. A share whose downloads keep breaking is as good as unreachable: the
                // sync fails and the player's retries with backoff take over.
                if (++out.cuts > kDownloadResumes)
                    return Error{url, 0,
                                 "download cut off " + std::to_string(out.cuts) + " times, the last after " +
                                     std::to_string(file.have()) + " of " + std::to_string(entry.size) +
                                     " bytes (" + got.error().message + "); the next sync resumes it"};
                if (!pause_before_resume(out.cuts, client.settings().cancel)) {
                    out.cancelled = true;
                    return out;
                }
                continue;
            }
            if (got->cancelled) {
                out.cancelled = true;
                return out;
            }
            int status = got->head.status;
            if (file.too_large()) {
                file.empty();
                out.not_taken = "the server sent more than the " + std::to_string(entry.size) + " bytes " +
                                std::string(kManifestName) + " lists; cut off and refused";
                return out;
            }
            if ((file.other_range() || status == 416) && !restarted) {
                if (Status s = file.empty(); !s)
                    return s.error();
                restarted = true;
                continue;
            }
            if (file.other_range())
                return Error{url, 0, "HTTP 206 with a range other than the one asked for"};
            if (status >= 400 && status < 500) {
                out.not_taken = "HTTP " + std::to_string(status) + " (listed in " + std::string(kManifestName) +
                                ", but the server does not serve it)";
                return out;
            }
            if (status != 200 && status != 206)
                return Error{url, 0, "HTTP " + std::to_string(status)};
            if (file.have() < entry.size) {
                out.not_taken = "the server sent " + std::to_string(file.have()) + " bytes, " +
                                std::string(kManifestName) + " lists " + std::to_string(entry.size);
                return out;
            }
        }
        auto sha = *complete ? Result<std::string>(entry.sha256) : file.finish();
        if (!sha)
            return sha.error();
        out.sha256 = std::move(*sha);
        return out;
    }
}

}  // namespace signage
