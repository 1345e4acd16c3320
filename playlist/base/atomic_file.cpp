#include "playlist/base/atomic_file.h"

#include "playlist/base/file_io.h"
#include "playlist/base/posix_handles.h"

#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>

namespace signage {

Status write_file_atomically(const std::string& path, std::string_view bytes)
{
    std::filesystem::path target(path);
    std::string folder = target.parent_path().empty() ? "." : target.parent_path().string();
    // Hidden: a share scan skips dot files, so a half-written temporary is never synced.
    std::string temporary =
        (std::filesystem::path(folder) / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid())))
            .string();
    UniqueFd file(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!file.valid())
        return os_error(temporary, "create", errno);
    auto fail = [&](std::string_view action) {
        Error error = os_error(temporary, action, errno);
        ::unlink(temporary.c_str());
        return error;
    };
    if (!write_all(file.get(), bytes.data(), bytes.size()))
        return fail("write");
    if (::fsync(file.get()) != 0)
        return fail("fsync");
    file.reset();
    if (::rename(temporary.c_str(), path.c_str()) != 0)
        return fail("rename to " + path);
    UniqueFd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.valid())
        ::fsync(dir.get());
    return Status{};
}

}  // namespace signage
