// libcurl, loaded when the first HTTP(S) share is synced instead of linked into the binary.
//
// Linked, libcurl and the ~30 libraries it needs (nghttp2, libssh2, librtmp and GnuTLS, LDAP,
// SASL, Kerberos, libidn2, libpsl, brotli…) were loaded by every start of `signage-player`:
// `--version`, `publish`, `rollback` and the `sync` of a folder share, which never use them,
// and most fleets sync from a mounted folder. Loaded here, they cost only the syncs of an
// http(s) share.
//
// Why dlopen libcurl itself rather than move the HTTP source into a module like the media one
// (player/media_module.h): the HTTP source is ~900 lines of our own code woven into the sync
// pipeline and the cache (share_sync.cpp, partial downloads, the state file), and it needs
// only nine libcurl functions. A module would need a second search path and version handshake,
// its own copy of the core, and would split the sync code across a C++ ABI boundary; a table
// of nine function pointers, each checked by name when loaded, needs none of that. The cost:
// no link-time check (a missing symbol is an error at the first HTTP sync, named), and calls go
// through the table.
#pragma once

#include "playlist/error.h"

#include <curl/curl.h>

namespace signage {

// libcurl's ABI has been soname 4 since 7.16 (2006); Debian's libcurl4 (OpenSSL flavour, the
// one libcurl4-openssl-dev builds against) provides it.
inline constexpr const char* kCurlLibrary = "libcurl.so.4";

// The libcurl functions the HTTP client calls, with libcurl's own signatures.
struct CurlApi {
    decltype(&::curl_global_init) global_init = nullptr;
    decltype(&::curl_easy_init) easy_init = nullptr;
    decltype(&::curl_easy_setopt) easy_setopt = nullptr;
    decltype(&::curl_easy_perform) easy_perform = nullptr;
    decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
    decltype(&::curl_easy_strerror) easy_strerror = nullptr;
    decltype(&::curl_slist_append) slist_append = nullptr;
    decltype(&::curl_slist_free_all) slist_free_all = nullptr;
    decltype(&::curl_version_info) version_info = nullptr;
};

// Loads libcurl and runs curl_global_init once per process (thread-safe); later calls return
// the same table, or the same error. Never unloaded: libcurl and OpenSSL keep exit handlers.
Result<const CurlApi*> curl_api();

}  // namespace signage
