#include "playlist/curl_library.h"

#include <dlfcn.h>
#include <mutex>
#include <optional>
#include <string>

namespace signage {

namespace {

template <typename Function>
bool find(void* handle, const char* name, Function& slot, std::string& missing)
{
    slot = reinterpret_cast<Function>(dlsym(handle, name));
    if (!slot)
        missing += (missing.empty() ? "" : ", ") + std::string(name);
    return slot != nullptr;
}

Result<CurlApi> load()
{
    // RTLD_NOW: a library it needs that is missing fails here, named, not in the middle of a
    // download. RTLD_LOCAL: its symbols stay out of the way of the media module's libraries.
    void* handle = dlopen(kCurlLibrary, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!handle)
        return Error{"", 0,
                     std::string("cannot load libcurl, which HTTP(S) shares need (Debian package libcurl4): ") +
                         dlerror()};
    CurlApi api;
    std::string missing;
    find(handle, "curl_global_init", api.global_init, missing);
    find(handle, "curl_easy_init", api.easy_init, missing);
    find(handle, "curl_easy_setopt", api.easy_setopt, missing);
    find(handle, "curl_easy_perform", api.easy_perform, missing);
    find(handle, "curl_easy_cleanup", api.easy_cleanup, missing);
    find(handle, "curl_easy_strerror", api.easy_strerror, missing);
    find(handle, "curl_slist_append", api.slist_append, missing);
    find(handle, "curl_slist_free_all", api.slist_free_all, missing);
    find(handle, "curl_version_info", api.version_info, missing);
    if (!missing.empty())
        return Error{"", 0, std::string(kCurlLibrary) + " lacks " + missing + "; not the libcurl expected"};
    if (CURLcode code = api.global_init(CURL_GLOBAL_DEFAULT); code != CURLE_OK)
        return Error{"", 0, std::string("cannot initialise libcurl: ") + api.easy_strerror(code)};
    return api;
}

}  // namespace

Result<const CurlApi*> curl_api()
{
    static std::once_flag once;
    static std::optional<Result<CurlApi>> loaded;
    std::call_once(once, [] { loaded.emplace(load()); });
    if (!*loaded)
        return loaded->error();
    return &loaded->value();
}

}  // namespace signage
