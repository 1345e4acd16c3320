// An HTTP(S) origin as a sync's source: any web server, CDN or S3-compatible store serving the
// folder `signage-player publish` was run in. Its manifest.txt is required: HTTP has no folder
// listing, and the manifest vouches for every byte.
//
//   CACHE/http-state         the manifest's ETag and Last-Modified, kept after a sync whose
//                            snapshot holds all of it: the next sync asks with If-None-Match /
//                            If-Modified-Since, and a 304 ends it at once
//   CACHE/partial/<sha256>   downloads in progress, under the checksum the manifest gives; a
//                            download cut off is resumed from there with a Range request (by
//                            the same sync, or by the next when that one failed)
#pragma once

#include "playlist/share/http_client.h"
#include "playlist/share/share_scan.h"
#include "playlist/share/sync_source.h"

#include <memory>
#include <string>

namespace signage {

// Checks the URL (http:// or https://, a host, no query, fragment or password); the server is
// first asked by list(), which lists the manifest's files that `scope` takes (the others are not
// this sync's: neither listed nor counted).
Result<std::unique_ptr<SyncSource>> open_http_source(const std::string& url, const ScanLimits& limits,
                                                     const ShareScope& scope, const HttpSettings& settings);

}  // namespace signage
