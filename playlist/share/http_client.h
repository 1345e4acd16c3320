// GET over HTTP(S) with libcurl, for share syncs: one handle reused for every request of a sync
// (one connection kept alive), HTTPS certificates verified against the system's CA store or a
// private CA's bundle ([content] ca_file), redirects followed to http(s) only, a connect timeout
// and a stall timeout so a dead server never hangs a sync, and a cancel flag checked while
// waiting. The response's status, sizes and validators come from libcurl itself
// (curl_easy_getinfo, curl_easy_header), not from parsing its header lines.
#pragma once

#include "playlist/base/error.h"
#include "playlist/share/http_range.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace signage {

// What a share sync needs of a response's head: the status, the validators to send back in the
// next conditional request (ETag, Last-Modified), and the sizes that say whether a body is what
// was asked for (Content-Length, Content-Range of a resumed download).
struct ResponseHead {
    int status = 0;             // 0: no response
    std::string etag;           // as sent, quotes and W/ included: echoed in If-None-Match
    std::string last_modified;  // as sent: echoed in If-Modified-Since
    std::optional<uint64_t> content_length;
    std::optional<ContentRange> content_range;
};

// Values over this many bytes or with control characters are ignored: they are echoed in
// requests and kept in the cache's line-based state file.
inline constexpr size_t kMaxHeaderValueBytes = 1000;

struct HttpSettings {
    double connect_timeout_seconds = 15;
    // A transfer that moves less than one byte a second for this long is given up (a server
    // that accepted the connection and then went silent).
    long stall_seconds = 60;
    // PEM file of the CAs that may sign the server's certificate, instead of the system's
    // store; "" = the system's.
    std::string ca_file;
    const std::atomic<bool>* cancel = nullptr;
};

// Receives the body of the final response, the head complete by then. Returns false to stop
// the transfer (HttpResult::stopped).
using BodySink = std::function<bool(const ResponseHead& head, const char* data, size_t size)>;

struct HttpResult {
    ResponseHead head;      // of the final response (after redirects)
    bool stopped = false;   // the sink stopped it
    bool cancelled = false; // the cancel flag stopped it
};

class HttpClient {
public:
    static Result<HttpClient> create(const HttpSettings& settings);

    // One GET of `url` with extra request `headers` ("Range: bytes=100-"). Any HTTP status is a
    // result for the caller to judge; failing to get one (no connection, a timeout, a
    // connection cut in the middle of the body, a redirect elsewhere than http(s)) is an Error
    // naming the URL.
    Result<HttpResult> get(const std::string& url, const std::vector<std::string>& headers, const BodySink& sink);

    const HttpSettings& settings() const { return m_settings; }

private:
    struct EasyCleanup {
        void operator()(void* curl) const;  // a CURL*: <curl/curl.h> stays out of this header
    };
    HttpClient(std::unique_ptr<void, EasyCleanup> curl, const HttpSettings& settings)
        : m_curl(std::move(curl)), m_settings(settings)
    {
    }

    std::string certificate_hint() const;

    std::unique_ptr<void, EasyCleanup> m_curl;
    HttpSettings m_settings;
};

}  // namespace signage
