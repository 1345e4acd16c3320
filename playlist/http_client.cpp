#include "playlist/http_client.h"

#include <cstdio>
#include <curl/curl.h>
#include <mutex>

namespace signage {

namespace {

struct SlistFree {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
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

Status global_init()
{
    static std::once_flag once;
    static CURLcode code = CURLE_OK;
    std::call_once(once, [] { code = curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (code != CURLE_OK)
        return Error{"", 0, std::string("cannot initialise libcurl: ") + curl_easy_strerror(code)};
    return Status{};
}

}  // namespace

void HttpClient::EasyCleanup::operator()(void* curl) const
{
    curl_easy_cleanup(static_cast<CURL*>(curl));
}

Result<HttpClient> HttpClient::create(const HttpSettings& settings)
{
    if (Status s = global_init(); !s)
        return s.error();
    std::unique_ptr<void, EasyCleanup> curl(curl_easy_init());
    if (!curl)
        return Error{"", 0, "cannot create a libcurl handle"};
    CURL* c = static_cast<CURL*>(curl.get());
    // Options that hold for every request; get() sets the per-request ones.
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for DNS timeouts: we run on a thread
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings.connect_timeout_seconds * 1000));
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, settings.stall_seconds);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "signage-player");
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    return HttpClient(std::move(curl), settings);
}

Result<HttpResult> HttpClient::get(const std::string& url, const std::vector<std::string>& headers,
                                   const BodySink& sink)
{
    CURL* c = static_cast<CURL*>(m_curl.get());
    Transfer transfer;
    transfer.sink = &sink;
    transfer.cancel = m_settings.cancel;
    UniqueSlist list;
    for (const std::string& header : headers) {
        curl_slist* longer = curl_slist_append(list.get(), header.c_str());
        if (!longer)
            return Error{url, 0, "out of memory for the request's headers"};
        list.release();
        list.reset(longer);
    }
    char message[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &transfer);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, message);
    CURLcode code = curl_easy_perform(c);
    // The handle outlives these locals: it must not keep pointers to them.
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);

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
    std::string why = message[0] ? message : curl_easy_strerror(code);
    if (code == CURLE_OPERATION_TIMEDOUT) {
        char limits[96];
        std::snprintf(limits, sizeof limits, " (connect timeout %g s, stall timeout %ld s)",
                      m_settings.connect_timeout_seconds, m_settings.stall_seconds);
        why += limits;
    }
    return Error{url, 0, "cannot fetch: " + why};
}

}  // namespace signage
