#include "playlist/base/file_io.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace signage {

namespace {

struct Fd {
    int fd = -1;
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

Result<std::string> read_up_to(const std::string& path, size_t max_bytes, bool whole)
{
    // O_NONBLOCK: opening a FIFO planted on a share must not hang; it is then refused below.
    Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
    if (file.fd < 0)
        return Error{path, 0, std::strerror(errno)};
    struct stat info {};
    if (::fstat(file.fd, &info) != 0)
        return Error{path, 0, std::strerror(errno)};
    if (S_ISDIR(info.st_mode))
        return Error{path, 0, "is a folder, not a file"};
    if (!S_ISREG(info.st_mode))
        return Error{path, 0, "not a regular file"};
    if (whole && static_cast<uint64_t>(info.st_size) > max_bytes)
        return Error{path, 0,
                     "file is " + std::to_string(info.st_size) + " bytes, more than the limit of " +
                         std::to_string(max_bytes)};
    size_t want = std::min<uint64_t>(static_cast<uint64_t>(info.st_size), max_bytes);
    std::string data;
    data.resize(want);
    // Fewer bytes when it shrank while reading (still being written): take what is there.
    ssize_t got = read_full(file.fd, data.data(), want);
    if (got < 0)
        return Error{path, 0, std::strerror(errno)};
    data.resize(static_cast<size_t>(got));
    return data;
}

}  // namespace

Result<std::string> read_file_limited(const std::string& path, size_t max_bytes)
{
    return read_up_to(path, max_bytes, true);
}

Result<std::string> read_file_prefix(const std::string& path, size_t max_bytes)
{
    return read_up_to(path, max_bytes, false);
}

ssize_t read_some(int fd, void* buffer, size_t size)
{
    for (;;) {
        ssize_t n = ::read(fd, buffer, size);
        if (n >= 0 || errno != EINTR)
            return n;
    }
}

ssize_t read_full(int fd, void* buffer, size_t size)
{
    auto* bytes = static_cast<char*>(buffer);
    size_t got = 0;
    while (got < size) {
        ssize_t n = read_some(fd, bytes + got, size - got);
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += static_cast<size_t>(n);
    }
    return static_cast<ssize_t>(got);
}

bool write_all(int fd, const void* bytes, size_t size)
{
    const auto* data = static_cast<const char*>(bytes);
    size_t done = 0;
    while (done < size) {
        ssize_t n = ::write(fd, data + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

}  // namespace signage
