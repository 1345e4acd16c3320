#include "playlist/http_client.h"

#include "playlist/curl_library.h"

#include <cstdio>

namespace signage {

namespace {

struct SlistFree {
    const CurlApi* api = nullptr;
    void operator()(curl_slist* list) const { api->slist_free_all(list); }
};
using UniqueSlist = std::unique_ptr<curl_slist, SlistFree>;

// What the callbacks of one transfer share.
struct Transfer {
    const BodySink* sink = nullptr;
    const std::atomic<bool>* cancel = nullptr;
    ResponseHead head;
    bool stopped = false;
};

size_t on_header(char* data, size_t size, size_t count, void* user)
{
    auto* transfer = static_cast<Transfer*>(user);
    add_header_line(transfer->head, std::string_view(data, size * count));
    return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user)
{
    auto* transfer = static_cast<Transfer*>(user);
    // Bodies of redirects and interim responses are not the content.
    int status = transfer->head.status;
    if (status < 200 || (status >= 300 && status < 400))
        return size * count;
    if (!(*transfer->sink)(transfer->head, data, size * count)) {
        transfer->stopped = true;
        return CURL_WRITEFUNC_ERROR;
    }
    return size * count;
}

// Called about once a second even while nothing arrives: where a cancel is noticed.
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    auto* transfer = static_cast<Transfer*>(user);
    return transfer->cancel && transfer->cancel->load() ? 1 : 0;
}

}  // namespace

void HttpClient::EasyCleanup::operator()(void* curl) const
{
    api->easy_cleanup(static_cast<CURL*>(curl));
}

Result<HttpClient> HttpClient::create(const HttpSettings& settings)
{
    auto api = curl_api();
    if (!api)
        return api.error();
    const CurlApi& curl_lib = **api;
    std::unique_ptr<void, EasyCleanup> curl(curl_lib.easy_init(), EasyCleanup{&curl_lib});
    if (!curl)
        return Error{"", 0, "cannot create a libcurl handle"};
    CURL* c = static_cast<CURL*>(curl.get());
    // Options that hold for every request; get() sets the per-request ones. Each is checked:
    // the protocol limits and the certificate checks must hold, whatever libcurl was loaded.
    CURLcode code = CURLE_OK;
    const char* failed = "";
    auto set = [&](CURLoption option, const char* name, auto value) {
        if (code == CURLE_OK && (code = curl_lib.easy_setopt(c, option, value)) != CURLE_OK)
            failed = name;
    };
    set(CURLOPT_PROTOCOLS_STR, "CURLOPT_PROTOCOLS_STR", "http,https");
    set(CURLOPT_REDIR_PROTOCOLS_STR, "CURLOPT_REDIR_PROTOCOLS_STR", "http,https");
    set(CURLOPT_FOLLOWLOCATION, "CURLOPT_FOLLOWLOCATION", 1L);
    set(CURLOPT_MAXREDIRS, "CURLOPT_MAXREDIRS", 5L);
    set(CURLOPT_SSL_VERIFYPEER, "CURLOPT_SSL_VERIFYPEER", 1L);
    set(CURLOPT_SSL_VERIFYHOST, "CURLOPT_SSL_VERIFYHOST", 2L);
    if (!settings.ca_file.empty()) {
        // Instead of the system's store, not in addition: a private CA's screens trust only it.
        set(CURLOPT_CAINFO, "CURLOPT_CAINFO", settings.ca_file.c_str());
        set(CURLOPT_CAPATH, "CURLOPT_CAPATH", static_cast<const char*>(nullptr));
    }
    set(CURLOPT_NOSIGNAL, "CURLOPT_NOSIGNAL", 1L);  // no SIGALRM for DNS timeouts: we run on a thread
    set(CURLOPT_CONNECTTIMEOUT_MS, "CURLOPT_CONNECTTIMEOUT_MS",
        static_cast<long>(settings.connect_timeout_seconds * 1000));
    set(CURLOPT_LOW_SPEED_LIMIT, "CURLOPT_LOW_SPEED_LIMIT", 1L);
    set(CURLOPT_LOW_SPEED_TIME, "CURLOPT_LOW_SPEED_TIME", settings.stall_seconds);
    set(CURLOPT_USERAGENT, "CURLOPT_USERAGENT", "signage-player");
    set(CURLOPT_HEADERFUNCTION, "CURLOPT_HEADERFUNCTION", on_header);
    set(CURLOPT_WRITEFUNCTION, "CURLOPT_WRITEFUNCTION", on_body);
    set(CURLOPT_XFERINFOFUNCTION, "CURLOPT_XFERINFOFUNCTION", on_progress);
    set(CURLOPT_NOPROGRESS, "CURLOPT_NOPROGRESS", 0L);
    if (code != CURLE_OK) {
        const curl_version_info_data* version = curl_lib.version_info(CURLVERSION_NOW);
        return Error{"", 0,
                     std::string("libcurl ") + (version ? version->version : "?") + " refuses " + failed + ": " +
                         curl_lib.easy_strerror(code) + " (HTTP(S) shares need libcurl 7.85 or newer)"};
    }
    return HttpClient(std::move(curl), curl_lib, settings);
}

std::string HttpClient::certificate_hint() const
{
    if (m_settings.ca_file.empty())
        return " (certificate checked against the system's CA store; a server whose certificate a private CA "
               "signed needs [content] ca_file)";
    return " (certificate checked against [content] ca_file = " + m_settings.ca_file + ")";
}

Result<HttpResult> HttpClient::get(const std::string& url, const std::vector<std::string>& headers,
                                   const BodySink& sink)
{
    CURL* c = static_cast<CURL*>(m_curl.get());
    const CurlApi& curl_lib = *m_api;
    Transfer transfer;
    transfer.sink = &sink;
    transfer.cancel = m_settings.cancel;
    UniqueSlist list(nullptr, SlistFree{&curl_lib});
    for (const std::string& header : headers) {
        curl_slist* longer = curl_lib.slist_append(list.get(), header.c_str());
        if (!longer)
            return Error{url, 0, "out of memory for the request's headers"};
        list.release();
        list.reset(longer);
    }
    char message[CURL_ERROR_SIZE] = "";
    curl_lib.easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_lib.easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
    curl_lib.easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
    curl_lib.easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
    curl_lib.easy_setopt(c, CURLOPT_XFERINFODATA, &transfer);
    curl_lib.easy_setopt(c, CURLOPT_ERRORBUFFER, message);
    CURLcode code = curl_lib.easy_perform(c);
    // The handle outlives these locals: it must not keep pointers to them.
    curl_lib.easy_setopt(c, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
    curl_lib.easy_setopt(c, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));

    HttpResult result;
    result.head = std::move(transfer.head);
    if (code == CURLE_OK)
        return result;
    if (code == CURLE_ABORTED_BY_CALLBACK) {
        result.cancelled = true;
        return result;
    }
    if (code == CURLE_WRITE_ERROR && transfer.stopped) {
        result.stopped = true;
        return result;
    }
    std::string why = message[0] ? message : curl_lib.easy_strerror(code);
    if (code == CURLE_OPERATION_TIMEDOUT) {
        char limits[96];
        std::snprintf(limits, sizeof limits, " (connect timeout %g s, stall timeout %ld s)",
                      m_settings.connect_timeout_seconds, m_settings.stall_seconds);
        why += limits;
    }
    if (code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE)
        why += certificate_hint();
    return Error{url, 0, "cannot fetch: " + why};
}

}  // namespace signage
