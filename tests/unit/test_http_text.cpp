// HTTP shares' text: URLs (checking a share's base, joining encoded paths to it, on libcurl's
// URL API), the response head as HttpClient reads it from libcurl (status, ETag, Last-Modified,
// sizes, ranges; a canned server on 127.0.0.1), and the one header parsed here, Content-Range.
#include "playlist/base/ascii.h"
#include "playlist/share/http_client.h"
#include "playlist/share/http_range.h"
#include "playlist/share/http_url.h"
#include "playlist/base/posix_handles.h"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace signage;

namespace {

// Answers the connections it accepts with `responses`, one each, in order, then closes them.
class CannedServer {
public:
    explicit CannedServer(std::vector<std::string> responses) : m_responses(std::move(responses))
    {
        m_fd.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        REQUIRE(m_fd.valid());
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(m_fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(::listen(m_fd.get(), 8) == 0);
        socklen_t size = sizeof address;
        REQUIRE(::getsockname(m_fd.get(), reinterpret_cast<sockaddr*>(&address), &size) == 0);
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~CannedServer()
    {
        ::shutdown(m_fd.get(), SHUT_RDWR);
        m_thread.join();
    }

    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(m_port) + path; }

private:
    void serve()
    {
        for (const std::string& response : m_responses) {
            UniqueFd client(::accept4(m_fd.get(), nullptr, nullptr, SOCK_CLOEXEC));
            if (!client.valid())
                return;
            std::string request;
            char buffer[4096];
            while (request.find("\r\n\r\n") == std::string::npos) {
                ssize_t n = ::read(client.get(), buffer, sizeof buffer);
                if (n <= 0)
                    break;
                request.append(buffer, static_cast<size_t>(n));
            }
            [[maybe_unused]] ssize_t n = ::write(client.get(), response.data(), response.size());
        }
    }

    std::vector<std::string> m_responses;
    UniqueFd m_fd;
    int m_port = 0;
    std::thread m_thread;
};

struct Fetched {
    ResponseHead head;       // as HttpResult has it
    ResponseHead body_head;  // as the sink saw it
    std::string body;
};

Fetched fetch(const std::string& url, std::vector<std::string> headers = {})
{
    auto client = HttpClient::create(HttpSettings{});
    REQUIRE(client);
    Fetched out;
    auto got = client->get(url, headers, [&](const ResponseHead& head, const char* data, size_t size) {
        out.body_head = head;
        out.body.append(data, size);
        return true;
    });
    REQUIRE(got);
    out.head = got->head;
    return out;
}

}  // namespace

TEST_CASE("http(s) URLs are told from folders", "[http]")
{
    CHECK(is_http_url("http://host/x/"));
    CHECK(is_http_url("HTTPS://host/x/"));
    CHECK(is_http_url("HTTPS://EXAMPLE.ORG/x"));  // any case: no folder watcher for it (player_sync.cpp)
    CHECK(is_http_url("hTTp://example.org/"));
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
    CHECK(join_url("https://h/x/", "posters/a-b_c.d~1.png") == "https://h/x/posters/a-b_c.d~1.png");
    CHECK(join_url("https://h/x/", "a b#1?.png") == "https://h/x/a%20b%231%3F.png");
    CHECK(join_url("https://h/x/", "100%/x+y&z=;") == "https://h/x/100%25/x%2By%26z%3D%3B");
    CHECK(join_url("https://h/x/", "海报.jpg") == "https://h/x/%E6%B5%B7%E6%8A%A5.jpg");
    CHECK(join_url("https://h/x/", "a:b/c.png") == "https://h/x/a%3Ab/c.png");  // never read as a scheme
    CHECK(join_url("http://h:8080/my%20share/", "a.png") == "http://h:8080/my%20share/a.png");
    CHECK(join_url("https://h/x/", "posters/a b.png") == "https://h/x/posters/a%20b.png");
    CHECK(join_url("https://h/x/", "manifest.txt") == "https://h/x/manifest.txt");
}

TEST_CASE("response heads from libcurl: status, validators and sizes of the last response after redirects", "[http]")
{
    CannedServer server({"HTTP/1.1 301 Moved Permanently\r\nLocation: /y/manifest.txt\r\nETag: \"redirect\"\r\n"
                         "Content-Length: 0\r\nConnection: close\r\n\r\n",
                         "HTTP/1.1 200 OK\r\netag:   W/\"5f-abc\"  \r\n"
                         "Last-Modified: Sat, 28 Nov 2026 21:21:36 GMT\r\ncontent-length: 5\r\nConnection: close\r\n\r\n"
                         "hello"});
    Fetched got = fetch(server.url("/x/manifest.txt"));
    CHECK(got.body == "hello");
    for (const ResponseHead* head : {&got.head, &got.body_head}) {
        CHECK(head->status == 200);
        CHECK(head->etag == "W/\"5f-abc\"");
        CHECK(head->last_modified == "Sat, 28 Nov 2026 21:21:36 GMT");
        REQUIRE(head->content_length);
        CHECK(*head->content_length == 5);
        CHECK_FALSE(head->content_range);
    }
}

TEST_CASE("response heads from libcurl: a 304 without body, and values never echoed back", "[http]")
{
    CannedServer server({"HTTP/1.1 304 Not Modified\r\nETag: \"a\x01" "b\"\r\nLast-Modified: \"" +
                         std::string(2000, 'x') + "\"\r\nConnection: close\r\n\r\n"});
    Fetched got = fetch(server.url("/x/manifest.txt"), {"If-None-Match: \"a\""});
    CHECK(got.head.status == 304);
    CHECK(got.body.empty());
    CHECK(got.head.etag.empty());           // a control character: not echoed back, not stored
    CHECK(got.head.last_modified.empty());  // longer than kMaxHeaderValueBytes
}

TEST_CASE("response heads from libcurl: the Content-Range of a resumed download", "[http]")
{
    CannedServer server({"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 5-9/10\r\nContent-Length: 5\r\n"
                         "Connection: close\r\n\r\nworld"});
    Fetched got = fetch(server.url("/x/a.bin"), {"Range: bytes=5-"});
    CHECK(got.body == "world");
    REQUIRE(got.body_head.content_range);
    CHECK(got.body_head.status == 206);
    CHECK(got.body_head.content_range->first == 5);
    CHECK(got.body_head.content_range->last == 9);
    CHECK(got.body_head.content_range->total == 10u);
}

TEST_CASE("Content-Range of a resumed download", "[http]")
{
    auto range = parse_content_range(" Bytes 100-999/1000\r\n");
    REQUIRE(range);
    CHECK(range->first == 100);
    CHECK(range->last == 999);
    CHECK(range->total == 1000u);

    auto unknown_total = parse_content_range("bytes 0-9/*");
    REQUIRE(unknown_total);
    CHECK_FALSE(unknown_total->total);
    CHECK_FALSE(parse_content_range("bytes 10-5/100"));   // backwards
    CHECK_FALSE(parse_content_range("bytes 0-100/100"));  // past the end
    CHECK_FALSE(parse_content_range("bytes */100"));      // the form of a 416
    CHECK_FALSE(parse_content_range("items 0-1/2"));
    CHECK_FALSE(parse_content_range("bytes 0-x/2"));
}
