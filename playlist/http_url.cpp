#include "playlist/http_url.h"

#include <algorithm>

namespace signage {

namespace {

char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool starts_with_nocase(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) { return lower(a) == lower(b); });
}

size_t scheme_length(std::string_view url)
{
    if (starts_with_nocase(url, "http://"))
        return 7;
    if (starts_with_nocase(url, "https://"))
        return 8;
    return 0;
}

bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

}  // namespace

bool is_http_url(std::string_view text)
{
    return scheme_length(text) > 0;
}

std::string base_url_problem(std::string_view url)
{
    size_t scheme = scheme_length(url);
    if (scheme == 0)
        return "not an http:// or https:// URL";
    for (unsigned char c : url)
        if (c <= 0x20 || c == 0x7F)
            return "contains a space or a control character (write it percent-encoded: %20)";
    if (url.find_first_of("?#") != std::string_view::npos)
        return "has a query or fragment ('?' or '#'); an HTTP share is a folder URL, its files are fetched below it";
    size_t path_start = url.find('/', scheme);
    std::string_view authority =
        url.substr(scheme, path_start == std::string_view::npos ? std::string_view::npos : path_start - scheme);
    if (authority.find('@') != std::string_view::npos)
        return "holds a user name or password, which would end up in logs; not supported";
    if (authority.empty() || authority.front() == ':')
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

std::string percent_encode_path(std::string_view path)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(path.size());
    for (unsigned char c : path) {
        if (unreserved(c) || c == '/') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string join_url(std::string_view base, std::string_view path)
{
    return std::string(base) + percent_encode_path(path);
}

}  // namespace signage
