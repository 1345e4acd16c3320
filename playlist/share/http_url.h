// Addresses of HTTP(S) shares (is_http_url, in ascii.h, tells a URL from a folder): checking a share's base URL, and
// joining a manifest path to it, on libcurl's URL API (curl_url). Each path component is
// percent-encoded (RFC 3986), so a file named "a b#1.png" is fetched as BASE/a%20b%231.png and
// never read as a fragment or a query.
#pragma once

#include <string>
#include <string_view>

namespace signage {

// "" when `url` can be an HTTP share's base, else why not (for people).
std::string base_url_problem(std::string_view url);

// `url` with exactly one '/' at the end: the share's files are below it.
std::string with_trailing_slash(std::string_view url);

// `path` (a manifest path, '/'-separated) below `base` (ending in '/'), every byte of each
// component but the unreserved ones (A-Z a-z 0-9 - . _ ~) percent-encoded.
std::string join_url(std::string_view base, std::string_view path);

}  // namespace signage
