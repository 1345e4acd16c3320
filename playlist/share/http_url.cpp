#include "playlist/share/http_url.h"

#include "playlist/base/ascii.h"

#include <curl/curl.h>
#include <memory>

namespace signage {

namespace {

struct UrlFree {
    void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using UniqueUrl = std::unique_ptr<CURLU, UrlFree>;

struct CurlFree {
    void operator()(char* text) const { curl_free(text); }
};
using CurlText = std::unique_ptr<char, CurlFree>;

// Whether `url` has `part`, non-empty.
bool has_part(CURLU* url, CURLUPart part)
{
    char* value = nullptr;
    CURLUcode code = curl_url_get(url, part, &value, 0);
    CurlText owned(value);
    return code == CURLUE_OK && value && *value;
}

// Each component percent-encoded by libcurl (curl_easy_escape: all but the unreserved bytes).
std::string escape_path(std::string_view path)
{
    std::string out;
    while (true) {
        size_t slash = path.find('/');
        std::string_view component = path.substr(0, slash);
        CurlText escaped(curl_easy_escape(nullptr, component.data(), static_cast<int>(component.size())));
        if (escaped)
            out += escaped.get();
        if (slash == std::string_view::npos)
            return out;
        out += '/';
        path.remove_prefix(slash + 1);
    }
}

}  // namespace

std::string base_url_problem(std::string_view url)
{
    if (!is_http_url(url))
        return "not an http:// or https:// URL";
    for (unsigned char c : url)
        if (c <= 0x20 || c == 0x7F)
            return "contains a space or a control character (write it percent-encoded: %20)";
    // libcurl forgives a third slash ("https:///x/" has host "x" to it); a share's URL that
    // lost its host name must not fetch from a host named like its first folder.
    if (url.substr(url.find("://") + 3).starts_with('/'))
        return "has no host name";
    UniqueUrl parsed(curl_url());
    if (!parsed)
        return "cannot be parsed (out of memory)";
    CURLUcode code = curl_url_set(parsed.get(), CURLUPART_URL, std::string(url).c_str(), 0);
    if (code == CURLUE_NO_HOST || code == CURLUE_BAD_PORT_NUMBER || code == CURLUE_BAD_LOGIN)
        // An empty host ("https:///x/", "https://:80/x/") is how libcurl reads these.
        return code == CURLUE_BAD_LOGIN ? "holds a user name or password, which would end up in logs; not supported"
                                        : "has no host name";
    if (code != CURLUE_OK)
        return std::string("is not a valid URL (") + curl_url_strerror(code) + ")";
    if (has_part(parsed.get(), CURLUPART_USER) || has_part(parsed.get(), CURLUPART_PASSWORD) ||
        has_part(parsed.get(), CURLUPART_OPTIONS))
        return "holds a user name or password, which would end up in logs; not supported";
    if (url.find_first_of("?#") != std::string_view::npos)
        // Also an empty one ("…/x/?"), which libcurl drops: the base is a folder, nothing else.
        return "has a query or fragment ('?' or '#'); an HTTP share is a folder URL, its files are fetched below it";
    if (!has_part(parsed.get(), CURLUPART_HOST))
        return "has no host name";
    return "";
}

std::string with_trailing_slash(std::string_view url)
{
    std::string out(url);
    while (!out.empty() && out.back() == '/')
        out.pop_back();
    return out + "/";
}

std::string join_url(std::string_view base, std::string_view path)
{
    std::string relative = escape_path(path);
    // The escaped path resolved against the base, as a browser resolves a relative link. A
    // base libcurl cannot parse (refused by base_url_problem before any fetch) is joined as text.
    UniqueUrl url(curl_url());
    char* joined = nullptr;
    if (url && curl_url_set(url.get(), CURLUPART_URL, std::string(base).c_str(), 0) == CURLUE_OK &&
        curl_url_set(url.get(), CURLUPART_URL, relative.c_str(), 0) == CURLUE_OK &&
        curl_url_get(url.get(), CURLUPART_URL, &joined, 0) == CURLUE_OK && joined) {
        CurlText owned(joined);
        return joined;
    }
    return std::string(base) + relative;
}

}  // namespace signage
