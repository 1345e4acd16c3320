#include "player/media_module.h"

#include "player/log.h"
#include "playlist/error.h"

#include <cstring>
#include <dlfcn.h>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace signage {

namespace {

namespace fs = std::filesystem;

// Beside the binary (the build tree), then where `cmake --install` puts it relative to the
// binary (a relocated prefix), then the install prefix compiled in.
std::vector<fs::path> module_candidates()
{
    std::vector<fs::path> paths;
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        paths.push_back(exe.parent_path() / kMediaModuleFile);
        paths.push_back((exe.parent_path() / SIGNAGE_MEDIA_MODULE_RELDIR / kMediaModuleFile).lexically_normal());
    }
    paths.push_back(fs::path(SIGNAGE_MEDIA_MODULE_DIR) / kMediaModuleFile);
    return paths;
}

Result<MediaEntry> load_media_module()
{
    std::string looked;
    for (const fs::path& path : module_candidates()) {
        std::error_code ec;
        if (!fs::exists(path, ec)) {
            looked += (looked.empty() ? "" : ", ") + path.string();
            continue;
        }
        // RTLD_NOW: a missing library or symbol fails here, named, not halfway through playback.
        // Never unloaded: SDL and FFmpeg keep threads and exit handlers until the process ends.
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
        if (!handle)
            return Error{"", 0, std::string("cannot load the media module: ") + dlerror()};
        const auto* version = static_cast<const char*>(dlsym(handle, kMediaVersionSymbol));
        if (!version || std::strcmp(version, SIGNAGE_VERSION) != 0)
            return Error{path.string(), 0,
                         std::string("media module of version ") + (version ? version : "unknown") +
                             ", but this binary is " SIGNAGE_VERSION "; install both from one build"};
        auto entry = reinterpret_cast<MediaEntry>(dlsym(handle, kMediaEntrySymbol));
        if (!entry)
            return Error{path.string(), 0, std::string("media module without ") + kMediaEntrySymbol};
        return entry;
    }
    return Error{"", 0,
                 std::string("media module ") + kMediaModuleFile + " not found (looked for " + looked +
                     "); play, render, check and bench need it: install with cmake --install"};
}

}  // namespace

int run_media_command(const CliOptions& cli)
{
    auto entry = load_media_module();
    if (!entry) {
        log::error(entry.error().to_string());
        return 1;
    }
    return (*entry)(cli);
}

}  // namespace signage
