#include "playlist/file_io.h"

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
    size_t got = 0;
    while (got < want) {
        ssize_t n = ::read(file.fd, data.data() + got, want - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error{path, 0, std::strerror(errno)};
        if (n == 0)
            break;  // shrank while reading (still being written): take what is there
        got += static_cast<size_t>(n);
    }
    data.resize(got);
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

}  // namespace signage
