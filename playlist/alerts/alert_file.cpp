#include "playlist/alerts/alert_file.h"

#include "playlist/base/ascii.h"
#include "playlist/base/file_io.h"
#include "playlist/base/posix_handles.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <unistd.h>

namespace signage {

namespace {

bool ends_with(std::string_view text, std::string_view tail)
{
    return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

const char* kind_of(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISDIR(mode))
        return "a folder";
    return "not a regular file";
}

Error too_big(const std::string& path, long long size, size_t max_bytes)
{
    return Error{path, 0,
                 "is " + std::to_string(size) + " bytes, more than the " + std::to_string(max_bytes) +
                     " an alert file may have"};
}

}  // namespace

bool is_skipped_alert_name(std::string_view name)
{
    std::string lower = lower_ascii(name);
    return name.empty() || name[0] == '.' || ends_with(lower, ".tmp") || ends_with(lower, ".part") ||
           ends_with(lower, "~");
}

std::optional<AlertFileType> alert_file_type(std::string_view name)
{
    size_t dot = name.rfind('.');
    if (dot == std::string_view::npos)
        return std::nullopt;
    std::string ext = lower_ascii(name.substr(dot + 1));
    if (ext == "txt")
        return AlertFileType::Text;
    for (const char* image : {"png", "jpg", "jpeg", "webp", "bmp", "gif"})
        if (ext == image)
            return AlertFileType::Image;
    if (ext == "xml" || ext == "cap")
        return AlertFileType::Cap;
    return std::nullopt;
}

Status check_alert_entry(int dir_fd, const std::string& name, const std::string& path, const struct stat& seen,
                         size_t max_bytes)
{
    if (S_ISLNK(seen.st_mode)) {
        // Named in the message so a technician sees at once where it was meant to lead.
        std::array<char, PATH_MAX> target{};
        ssize_t n = ::readlinkat(dir_fd, name.c_str(), target.data(), target.size() - 1);
        std::string to = n > 0 ? " to " + std::string(target.data(), static_cast<size_t>(n)) : "";
        return Error{path, 0, "is a symbolic link" + to + "; refused: an alert must be a file in the alerts folder"};
    }
    if (!S_ISREG(seen.st_mode))
        return Error{path, 0, std::string("is ") + kind_of(seen.st_mode) + ", not a file; refused"};
    if (static_cast<unsigned long long>(seen.st_size) > max_bytes)
        return too_big(path, static_cast<long long>(seen.st_size), max_bytes);
    return Status{};
}

Result<std::string> read_alert_file(int dir_fd, const std::string& name, const std::string& path, size_t max_bytes)
{
    UniqueFd fd(::openat(dir_fd, name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (!fd.valid())
        return os_error(path, errno == ELOOP ? "open (it became a symbolic link)" : "open", errno);
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0)
        return os_error(path, "stat", errno);
    if (!S_ISREG(info.st_mode))
        return Error{path, 0, std::string("is ") + kind_of(info.st_mode) + ", not a file; refused"};
    if (static_cast<unsigned long long>(info.st_size) > max_bytes)
        return too_big(path, static_cast<long long>(info.st_size), max_bytes);
    // Read to the end, not to st_size: a file still growing past the limit is caught, not cut short.
    std::string bytes;
    size_t got = 0;
    for (;;) {
        bytes.resize(std::min(max_bytes + 1, std::max(got * 2, static_cast<size_t>(info.st_size) + 1)));
        ssize_t n = read_full(fd.get(), bytes.data() + got, bytes.size() - got);
        if (n < 0)
            return os_error(path, "read", errno);
        got += static_cast<size_t>(n);
        if (got > max_bytes)
            return too_big(path, static_cast<long long>(got), max_bytes);
        if (got < bytes.size())
            break;  // the end
    }
    bytes.resize(got);
    return bytes;
}

}  // namespace signage
