#include "playlist/share/http_client.h"

#include "playlist/base/ascii.h"

#include <algorithm>
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
    CURL* curl = nullptr;
    const BodySink* sink = nullptr;
    const std::atomic<bool>* cancel = nullptr;
    ResponseHead head;
    bool stopped = false;
};

// The last value of header `name` in the latest response, "" when absent, too long or holding
// control characters (it would be echoed in a request and stored in a line-based file).
std::string header_value(CURL* curl, const char* name)
{
    curl_header* header = nullptr;
    if (curl_easy_header(curl, name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK || !header)
        return "";
    if (header->amount > 1 && curl_easy_header(curl, name, header->amount - 1, CURLH_HEADER, -1, &header) != CURLHE_OK)
        return "";
    std::string_view value = trim_ascii(header->value ? header->value : "");
    bool control = std::any_of(value.begin(), value.end(), [](unsigned char c) { return c < 0x20 || c == 0x7F; });
    if (value.size() > kMaxHeaderValueBytes || control)
        return "";
    return std::string(value);
}

// The head of the latest response (the final one once the redirects are followed), as libcurl
// parsed it.
ResponseHead read_head(CURL* curl)
{
    ResponseHead head;
    long status = 0;
    if (curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK)
        head.status = static_cast<int>(status);
    curl_off_t length = -1;
    if (curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK && length >= 0)
        head.content_length = static_cast<uint64_t>(length);
    head.etag = header_value(curl, "ETag");
    head.last_modified = header_value(curl, "Last-Modified");
    if (std::string range = header_value(curl, "Content-Range"); !range.empty())
        head.content_range = parse_content_range(range);
    return head;
}

size_t on_body(char* data, size_t size, size_t count, void* user)
{
    auto* transfer = static_cast<Transfer*>(user);
    // Read once per response: its first bytes (a new status means a new response).
    long status = 0;
    curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &status);
    if (transfer->head.status != status)
        transfer->head = read_head(transfer->curl);
    // Bodies of redirects and interim responses are not the content.
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

// Once per process, before the first handle (libcurl's own rule; thread-safe here).
CURLcode global_init()
{
    static std::once_flag once;
    static CURLcode code = CURLE_OK;
    std::call_once(once, [] { code = curl_global_init(CURL_GLOBAL_DEFAULT); });
    return code;
}

}  // namespace

void HttpClient::EasyCleanup::operator()(void* curl) const
{
    curl_easy_cleanup(static_cast<CURL*>(curl));
}

Result<HttpClient> HttpClient::create(const HttpSettings& settings)
{
    if (CURLcode code = global_init(); code != CURLE_OK)
        return Error{"", 0, std::string("cannot initialise libcurl: ") + curl_easy_strerror(code)};
    std::unique_ptr<void, EasyCleanup> curl(curl_easy_init());
    if (!curl)
        return Error{"", 0, "cannot create a libcurl handle"};
    CURL* c = static_cast<CURL*>(curl.get());
    // Options that hold for every request; get() sets the per-request ones. Each is checked:
    // the protocol limits and the certificate checks must hold, whatever libcurl is installed.
    CURLcode code = CURLE_OK;
    const char* failed = "";
    auto set = [&](CURLoption option, const char* name, auto value) {
        if (code == CURLE_OK && (code = curl_easy_setopt(c, option, value)) != CURLE_OK)
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
    set(CURLOPT_WRITEFUNCTION, "CURLOPT_WRITEFUNCTION", on_body);
    set(CURLOPT_XFERINFOFUNCTION, "CURLOPT_XFERINFOFUNCTION", on_progress);
    set(CURLOPT_NOPROGRESS, "CURLOPT_NOPROGRESS", 0L);
    if (code != CURLE_OK) {
        const curl_version_info_data* version = curl_version_info(CURLVERSION_NOW);
        return Error{"", 0,
                     std::string("libcurl ") + (version ? version->version : "?") + " refuses " + failed + ": " +
                         curl_easy_strerror(code) + " (HTTP(S) shares need libcurl 7.85 or newer)"};
    }
    return HttpClient(std::move(curl), settings);
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
    Transfer transfer;
    transfer.curl = c;
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
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &transfer);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, message);
    CURLcode code = curl_easy_perform(c);
    // The handle outlives these locals: it must not keep pointers to them.
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));

    HttpResult result;
    // The final response's head: also for one without a body (304), which the sink never saw.
    result.head = read_head(c);
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
    if (code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE)
        why += certificate_hint();
    return Error{url, 0, "cannot fetch: " + why};
}

}  // namespace signage
