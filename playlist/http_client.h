// GET over HTTP(S) with libcurl, for share syncs: one handle reused for every request of a sync
// (one connection kept alive), HTTPS certificates verified against the system's CA store or a
// private CA's bundle ([content] ca_file), redirects followed to http(s) only, a connect timeout
// and a stall timeout so a dead server never hangs a sync, and a cancel flag checked while
// waiting. libcurl itself is loaded by the first HttpClient::create() (curl_library.h).
#pragma once

#include "playlist/error.h"
#include "playlist/http_headers.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace signage {

struct CurlApi;

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
        const CurlApi* api = nullptr;
        void operator()(void* curl) const;
    };
    HttpClient(std::unique_ptr<void, EasyCleanup> curl, const CurlApi& api, const HttpSettings& settings)
        : m_curl(std::move(curl)), m_api(&api), m_settings(settings)
    {
    }

    std::string certificate_hint() const;

    std::unique_ptr<void, EasyCleanup> m_curl;
    const CurlApi* m_api;
    HttpSettings m_settings;
};

}  // namespace signage
