// The pure parts of HTTP shares: URLs (checking a share's base, joining encoded paths to it) and
// the response-head lines a sync reads (status, ETag, Last-Modified, sizes, ranges).
#include "playlist/http_headers.h"
#include "playlist/http_url.h"

#include <catch2/catch.hpp>

using namespace signage;

TEST_CASE("http(s) URLs are told from folders", "[http]")
{
    CHECK(is_http_url("http://host/x/"));
    CHECK(is_http_url("HTTPS://host/x/"));
    CHECK_FALSE(is_http_url("/mnt/share"));
    CHECK_FALSE(is_http_url("ftp://host/x/"));
    CHECK_FALSE(is_http_url("https:/host"));
    CHECK_FALSE(is_http_url("shares/https://host"));
}

TEST_CASE("a share's base URL is checked before anything is fetched", "[http]")
{
    CHECK(base_url_problem("https://cdn.example.com/branch-042/") == "");
    CHECK(base_url_problem("http://127.0.0.1:8080") == "");
    CHECK(base_url_problem("http://[::1]:8080/a/b") == "");
    CHECK_THAT(base_url_problem("file:///etc/"), Catch::Contains("not an http:// or https:// URL"));
    CHECK_THAT(base_url_problem("https://host/a b/"), Catch::Contains("space or a control character"));
    CHECK_THAT(base_url_problem("https://host/a\tb/"), Catch::Contains("control character"));
    CHECK_THAT(base_url_problem("https://host/x/?sig=1"), Catch::Contains("query or fragment"));
    CHECK_THAT(base_url_problem("https://host/x/#top"), Catch::Contains("query or fragment"));
    CHECK_THAT(base_url_problem("https://user:secret@host/x/"), Catch::Contains("password"));
    CHECK(base_url_problem("https://host/mail@x/") == "");  // an '@' in the path is no password
    CHECK_THAT(base_url_problem("https:///x/"), Catch::Contains("no host"));
    CHECK_THAT(base_url_problem("https://:80/x/"), Catch::Contains("no host"));
    CHECK_THAT(base_url_problem("https://"), Catch::Contains("no host"));
}

TEST_CASE("paths are joined to the base with every component percent-encoded", "[http]")
{
    CHECK(with_trailing_slash("https://h/x") == "https://h/x/");
    CHECK(with_trailing_slash("https://h/x//") == "https://h/x/");
    CHECK(percent_encode_path("posters/a-b_c.d~1.png") == "posters/a-b_c.d~1.png");
    CHECK(percent_encode_path("a b#1?.png") == "a%20b%231%3F.png");
    CHECK(percent_encode_path("100%/x+y&z=;") == "100%25/x%2By%26z%3D%3B");
    CHECK(percent_encode_path("海报.jpg") == "%E6%B5%B7%E6%8A%A5.jpg");
    CHECK(join_url("https://h/x/", "posters/a b.png") == "https://h/x/posters/a%20b.png");
    CHECK(join_url("https://h/x/", "manifest.txt") == "https://h/x/manifest.txt");
}

TEST_CASE("response heads: status, validators and sizes, the last response after redirects", "[http]")
{
    ResponseHead head;
    for (const char* line : {"HTTP/1.1 301 Moved Permanently\r\n", "Location: /y/manifest.txt\r\n",
                             "ETag: \"redirect\"\r\n", "\r\n", "HTTP/1.1 200 OK\r\n", "etag:   W/\"5f-abc\"  \r\n",
                             "Last-Modified: Sat, 28 Nov 2026 21:21:36 GMT\r\n", "content-length: 1234\r\n", "\r\n"})
        add_header_line(head, line);
    CHECK(head.status == 200);
    CHECK(head.etag == "W/\"5f-abc\"");
    CHECK(head.last_modified == "Sat, 28 Nov 2026 21:21:36 GMT");
    REQUIRE(head.content_length);
    CHECK(*head.content_length == 1234);
    CHECK_FALSE(head.content_range);

    ResponseHead h2;
    add_header_line(h2, "HTTP/2 304\r\n");
    CHECK(h2.status == 304);
    add_header_line(h2, "Content-Length: -5\r\n");
    CHECK_FALSE(h2.content_length);
    add_header_line(h2, "ETag: \"a\x01" "b\"\r\n");  // a control character: not echoed back, not stored
    CHECK(h2.etag.empty());
    add_header_line(h2, "ETag: \"" + std::string(2000, 'x') + "\"\r\n");
    CHECK(h2.etag.empty());
    add_header_line(h2, "no colon here\r\n");
    CHECK(h2.status == 304);
}

TEST_CASE("Content-Range of a resumed download", "[http]")
{
    ResponseHead head;
    add_header_line(head, "HTTP/1.1 206 Partial Content\r\n");
    add_header_line(head, "Content-Range: bytes 100-999/1000\r\n");
    REQUIRE(head.content_range);
    CHECK(head.content_range->first == 100);
    CHECK(head.content_range->last == 999);
    CHECK(head.content_range->total == 1000u);

    auto unknown_total = parse_content_range("bytes 0-9/*");
    REQUIRE(unknown_total);
    CHECK_FALSE(unknown_total->total);
    CHECK_FALSE(parse_content_range("bytes 10-5/100"));   // backwards
    CHECK_FALSE(parse_content_range("bytes 0-100/100"));  // past the end
    CHECK_FALSE(parse_content_range("bytes */100"));      // the form of a 416
    CHECK_FALSE(parse_content_range("items 0-1/2"));
    CHECK_FALSE(parse_content_range("bytes 0-x/2"));
}
