#include "player/front/data_paths.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace signage {

namespace fs = std::filesystem;

namespace {

bool has_assets(const fs::path& root)
{
    std::error_code ec;
    return fs::exists(root / "assets" / "playlist.ini", ec);
}

DataPaths from_root(const fs::path& root)
{
    return {(root / "assets").string(), (root / "fonts").string()};
}

}  // namespace

DataPaths find_data_paths()
{
    if (const char* env = std::getenv("SIGNAGE_DATA_DIR"); env && *env && has_assets(env))
        return from_root(env);
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        fs::path installed = exe.parent_path().parent_path() / "share" / "signage-player";
        if (has_assets(installed))
            return from_root(installed);
    }
    if (has_assets(SIGNAGE_INSTALL_DATADIR))
        return from_root(SIGNAGE_INSTALL_DATADIR);
    return from_root(SIGNAGE_SOURCE_DIR);
}

}  // namespace signage
