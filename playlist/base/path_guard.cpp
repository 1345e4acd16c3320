#include "playlist/base/path_guard.h"

#include <climits>
#include <cstdlib>
#include <filesystem>

namespace signage {

Result<std::string> confine_path(const std::string& base_dir, const std::string& relative)
{
    if (relative.empty())
        return Error{"", 0, "empty path"};
    for (unsigned char c : relative)
        if (c < 0x20 || c == 0x7F)
            return Error{"", 0, "path contains a control character"};
    std::filesystem::path p(relative);
    if (p.is_absolute())
        return Error{"", 0, "absolute paths are not allowed (\"" + relative + "\"); name files relative to the playlist"};
    std::filesystem::path normal = p.lexically_normal();
    if (normal.empty() || *normal.begin() == ".." || normal == ".")
        return Error{"", 0, "\"" + relative + "\" leaves the playlist's folder"};
    return (std::filesystem::path(base_dir) / normal).lexically_normal().string();
}

Status check_real_path_inside(const std::string& base_dir, const std::string& path)
{
    char real_base[PATH_MAX];
    char real_path[PATH_MAX];
    if (!::realpath(base_dir.c_str(), real_base))
        return Error{base_dir, 0, "playlist folder cannot be resolved"};
    if (!::realpath(path.c_str(), real_path))
        return Status{};  // does not exist (yet): opening it will say so
    std::string base(real_base);
    std::string target(real_path);
    if (base != "/" && (target.size() <= base.size() || target.compare(0, base.size(), base) != 0 ||
                        target[base.size()] != '/'))
        return Error{path, 0, "is a link to " + target + ", outside the playlist's folder; refused"};
    return Status{};
}

}  // namespace signage
