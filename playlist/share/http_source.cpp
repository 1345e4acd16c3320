#include "playlist/share/http_source.h"

#include "playlist/base/atomic_file.h"
#include "playlist/base/file_io.h"
#include "playlist/share/http_download.h"
#include "playlist/share/http_url.h"

#include <algorithm>
#include <fcntl.h>

namespace signage {

namespace {

constexpr const char* kPartialFolder = "partial";
constexpr const char* kStateFile = "http-state";
constexpr std::string_view kStateHeader = "signage-http-state 1";

// What the last complete sync saw of the share: enough to ask "changed since?".
struct ShareState {
    std::string url;
    std::string snapshot;  // the snapshot made from that manifest; current when it still applies
    std::string etag;
    std::string last_modified;
};

std::optional<ShareState> read_state(const std::string& path)
{
    auto text = read_file_limited(path, 16 << 10);
    if (!text || !text->starts_with(std::string(kStateHeader) + "\n"))
        return std::nullopt;
    ShareState state;
    size_t at = kStateHeader.size() + 1;
    while (at < text->size()) {
        size_t end = text->find('\n', at);
        if (end == std::string::npos)
            return std::nullopt;  // cut short
        std::string_view line(text->data() + at, end - at);
        size_t space = line.find(' ');
        std::string_view key = line.substr(0, space);
        std::string value(space == std::string_view::npos ? std::string_view() : line.substr(space + 1));
        if (key == "url")
            state.url = std::move(value);
        else if (key == "snapshot")
            state.snapshot = std::move(value);
        else if (key == "etag")
            state.etag = std::move(value);
        else if (key == "last-modified")
            state.last_modified = std::move(value);
        at = end + 1;
    }
    return state;
}

std::string format_state(const ShareState& state)
{
    std::string out = std::string(kStateHeader) + "\n";
    out += "url " + state.url + "\nsnapshot " + state.snapshot + "\n";
    if (!state.etag.empty())
        out += "etag " + state.etag + "\n";
    if (!state.last_modified.empty())
        out += "last-modified " + state.last_modified + "\n";
    return out;
}

bool hidden(std::string_view path)
{
    return path.front() == '.' || path.find("/.") != std::string_view::npos;
}

class HttpSource final : public SyncSource {
public:
    HttpSource(std::string url, HttpClient client, const ScanLimits& limits, ShareScope scope)
        : m_base(with_trailing_slash(url)), m_name(m_base.substr(0, m_base.size() - 1)), m_client(std::move(client)),
          m_limits(limits), m_scope(std::move(scope))
    {
    }

    const std::string& name() const override { return m_name; }
    std::string file_name(const std::string& path) const override { return join_url(m_base, path); }

    Result<SourceListing> list(const SnapshotCache& cache, const std::optional<std::string>& current) override
    {
        m_state_path = cache.root() + "/" + kStateFile;
        m_partial_dir = cache.root() + "/" + kPartialFolder;
        if (::mkdirat(cache.root_fd(), kPartialFolder, 0755) != 0 && errno != EEXIST)
            return os_error(m_partial_dir, "create the folder", errno);
        m_partial.reset(::openat(cache.root_fd(), kPartialFolder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!m_partial.valid())
            return os_error(m_partial_dir, "open", errno);

        std::string url = file_name(std::string(kManifestName));
        std::vector<std::string> headers;
        auto state = read_state(m_state_path);
        bool conditional = state && current && state->url == m_base && state->snapshot == *current &&
                           (!state->etag.empty() || !state->last_modified.empty());
        if (conditional) {
            if (!state->etag.empty())
                headers.push_back("If-None-Match: " + state->etag);
            if (!state->last_modified.empty())
                headers.push_back("If-Modified-Since: " + state->last_modified);
        }
        std::string text;
        bool too_large = false;
        auto got = m_client.get(url, headers, [&](const ResponseHead& head, const char* data, size_t size) {
            if (head.status != 200)
                return false;
            if (text.size() + size > kMaxManifestBytes) {
                too_large = true;
                return false;
            }
            text.append(data, size);
            return true;
        });
        if (!got)
            return got.error();
        if (got->cancelled)
            return sync_cancelled(m_name);
        int status = got->head.status;
        SourceListing out;
        if (status == 304 && conditional) {
            m_unchanged = true;
            out.unchanged = true;
            return out;
        }
        if (status == 404)
            return Error{url, 0,
                         "HTTP 404 (an HTTP share needs its manifest.txt: run `signage-player publish` in the folder "
                         "the server serves)"};
        if (status != 200)
            return Error{url, 0, "HTTP " + std::to_string(status)};
        if (too_large)
            return Error{url, 0, "is larger than " + std::to_string(kMaxManifestBytes >> 20) + " MB"};
        auto manifest = parse_manifest(text, url);
        if (!manifest)
            return manifest.error();
        m_etag = got->head.etag;
        m_last_modified = got->head.last_modified;
        if (manifest->entries.size() > m_limits.max_entries)
            return Error{url, 0, "lists more than " + std::to_string(m_limits.max_entries) + " files; not synced"};
        out.listing = listing_of(*manifest);
        out.manifest = std::move(*manifest);
        return out;
    }

    // The size matched; the manifest's checksum decides.
    bool looks_unchanged(const ShareFile&, const struct stat&) const override { return true; }

    Result<ShareCopy> fetch(const ShareFile& file, const ManifestEntry* listed, const FetchTarget& target) override
    {
        ShareCopy copy;
        if (!listed) {
            copy.not_taken = "is not listed in " + std::string(kManifestName);
            return copy;
        }
        auto got = download_to_partial(m_client, file_name(file.path), *listed, m_partial.get(), m_partial_dir,
                                       *target.buffer);
        if (!got)
            return got.error();
        if (got->cancelled)
            return sync_cancelled(m_name);
        copy.bytes = got->bytes;
        if (!got->not_taken.empty()) {
            copy.not_taken = std::move(got->not_taken);
            return copy;
        }
        copy.sha256 = std::move(got->sha256);
        const std::string& partial = listed->sha256;
        if (copy.sha256 != listed->sha256) {
            // Not the listed file: the sync reports it; no later sync may resume it.
            ::unlinkat(m_partial.get(), partial.c_str(), 0);
            return copy;
        }
        // Read-only like every snapshot file; a hard link, so a sync that fails after this keeps
        // the download in partial/ for the next one.
        if (::fchmodat(m_partial.get(), partial.c_str(), 0444, 0) != 0)
            return os_error(m_partial_dir + "/" + partial, "make read-only", errno);
        if (::linkat(m_partial.get(), partial.c_str(), target.dir_fd, target.name.c_str(), 0) != 0)
            return os_error(target.full_name, "link from " + m_partial_dir + "/" + partial, errno);
        return copy;
    }

    // Every file of an HTTP share is listed, and a fetch checks it against its line.
    Result<std::string> recheck(const ShareFile&) const override
    {
        return "is not listed in " + std::string(kManifestName);
    }

    // What was taken is checked byte for byte against the manifest: the server may go now.
    Status confirm() const override { return Status{}; }

    void synced(const SnapshotCache&, const std::string& snapshot, bool complete) override
    {
        // Downloads are in the snapshot now, or were not the listed file. (A sync that fails
        // keeps them, for the next one to resume.)
        remove_partials();
        if (m_unchanged)
            return;  // the state that brought the 304 still holds
        // Without validators there is nothing to ask with. When something was left out, a
        // conditional request would answer 304 and never retry it.
        if (!complete || (m_etag.empty() && m_last_modified.empty())) {
            ::unlink(m_state_path.c_str());
            return;
        }
        ShareState state{m_base, snapshot, m_etag, m_last_modified};
        if (!write_file_atomically(m_state_path, format_state(state)))
            ::unlink(m_state_path.c_str());
    }

private:
    std::string m_base;  // ends with '/'
    std::string m_name;  // without it
    HttpClient m_client;
    ScanLimits m_limits;
    ShareScope m_scope;
    std::string m_state_path;
    std::string m_partial_dir;
    UniqueFd m_partial;
    std::string m_etag;           // of the manifest fetched by list()
    std::string m_last_modified;  // of the manifest fetched by list()
    bool m_unchanged = false;  // list() got a 304

    ShareListing listing_of(const Manifest& manifest) const
    {
        ShareListing out;
        auto refuse = [&](const std::string& path, std::string reason) {
            out.refused.push_back({file_name(path), 0, std::move(reason)});
        };
        const auto& entries = manifest.entries;
        for (const ManifestEntry& entry : entries) {
            const std::string& path = entry.path;
            if (!m_scope.includes(path))
                continue;
            if (hidden(path)) {
                ++out.hidden;
                continue;
            }
            // A path that is also the folder of another: no file system can hold both.
            auto below = std::lower_bound(entries.begin(), entries.end(), path + "/",
                                          [](const ManifestEntry& e, const std::string& p) { return e.path < p; });
            if (below != entries.end() && below->path.starts_with(path + "/")) {
                refuse(path, "is listed as a file and as a folder in " + std::string(kManifestName) + "; refused");
                continue;
            }
            if (std::count(path.begin(), path.end(), '/') > m_limits.max_depth) {
                refuse(path, "is nested more than " + std::to_string(m_limits.max_depth) + " folders deep; not synced");
                continue;
            }
            if (entry.size > m_limits.max_file_bytes) {
                refuse(path, too_large_reason(entry.size, m_limits.max_file_bytes));
                continue;
            }
            out.files.push_back({path, path, entry.size, timespec{}});
        }
        return out;
    }

    void remove_partials()
    {
        if (!m_partial.valid())
            return;
        UniqueFd fd(::openat(m_partial.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        UniqueDir dir(fd.valid() ? ::fdopendir(fd.get()) : nullptr);
        if (!dir)
            return;
        fd.release();
        std::vector<std::string> names;
        while (dirent* entry = ::readdir(dir.get())) {
            std::string name = entry->d_name;
            if (name != "." && name != "..")
                names.push_back(std::move(name));
        }
        for (const std::string& name : names)
            ::unlinkat(m_partial.get(), name.c_str(), 0);
    }
};

}  // namespace

Result<std::unique_ptr<SyncSource>> open_http_source(const std::string& url, const ScanLimits& limits,
                                                     const ShareScope& scope, const HttpSettings& settings)
{
    if (std::string problem = base_url_problem(url); !problem.empty())
        return Error{"", 0, "[content] share = " + url + ": " + problem};
    auto client = HttpClient::create(settings);
    if (!client)
        return client.error();
    return std::unique_ptr<SyncSource>(std::make_unique<HttpSource>(url, std::move(*client), limits, scope));
}

}  // namespace signage
