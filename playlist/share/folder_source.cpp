#include "playlist/share/folder_source.h"

#include "playlist/base/file_io.h"
#include <cstdio>
#include <fcntl.h>
#include <filesystem>

namespace signage {

namespace fs = std::filesystem;

namespace {

std::string megabytes(uint64_t bytes)
{
    return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MB";
}

std::string format_duration(double seconds)
{
    char text[32];
    std::snprintf(text, sizeof text, "%g s", seconds);
    return text;
}

class FolderSource final : public SyncSource {
public:
    FolderSource(std::string share, const ScanLimits& limits, ShareScope scope, double settle_seconds,
                 const std::atomic<bool>* cancel)
        : m_path(std::move(share)), m_limits(limits), m_scope(std::move(scope)), m_settle_seconds(settle_seconds),
          m_cancel(cancel)
    {
    }

    const std::string& name() const override { return m_share ? m_share->path() : m_path; }
    std::string file_name(const std::string& path) const override { return name() + "/" + path; }

    Result<SourceListing> list(const SnapshotCache&, const std::optional<std::string>&) override
    {
        auto share = ShareRoot::open(m_path);
        if (!share)
            return share.error();
        m_share.emplace(std::move(*share));
        SourceListing out;
        auto manifest = read_manifest();
        if (!manifest)
            return manifest.error();
        out.manifest = std::move(*manifest);
        auto listing = scan_share(*m_share, m_limits, m_scope);
        if (!listing)
            return m_share->still_there() ? listing.error() : share_disappeared(m_share->path());
        out.listing = std::move(*listing);
        return out;
    }

    bool looks_unchanged(const ShareFile& file, const struct stat& current) const override
    {
        return same_mtime(current.st_mtim, file.mtime);
    }

    Result<ShareCopy> fetch(const ShareFile& file, const ManifestEntry*, const FetchTarget& target) override
    {
        return copy_from_share(*m_share, file, target.dir_fd, target.name, target.full_name, *target.buffer,
                               m_cancel);
    }

    Result<std::string> recheck(const ShareFile& file) const override
    {
        struct stat now {};
        int err = m_share->stat_file(file.source, now);
        if (err && !m_share->still_there())
            return share_disappeared(m_share->path());
        if (err == ENOENT)
            return std::string("disappeared from the share during the sync");
        if (err)
            return share_error(file.source, "stat", err);
        if (static_cast<uint64_t>(now.st_size) != file.size || !same_mtime(now.st_mtim, file.mtime))
            return "still being written (its size or modification time changed within " +
                   format_duration(m_settle_seconds) + ")";
        return std::string();
    }

    // A share that vanished during the sync is not trusted, even when every copy happened to finish.
    Status confirm() const override
    {
        if (!m_share->still_there())
            return share_disappeared(m_share->path());
        return Status{};
    }

    // A folder is listed in full on every sync: there is nothing to remember in between.
    void synced(const SnapshotCache&, const std::string&, bool) override {}

private:
    std::string m_path;
    ScanLimits m_limits;
    ShareScope m_scope;
    double m_settle_seconds;
    const std::atomic<bool>* m_cancel;
    std::optional<ShareRoot> m_share;

    // An error reading the share: the share's own disappearance is named as such.
    Error share_error(const std::string& relative, std::string_view action, int err) const
    {
        if (!m_share->still_there())
            return share_disappeared(m_share->path());
        return os_error(m_share->full(relative), action, err);
    }

    // The share's manifest.txt, parsed strictly; nullopt when it has none.
    Result<std::optional<Manifest>> read_manifest() const
    {
        std::string name(kManifestName);
        UniqueFd fd;
        int err = m_share->open_file(name, fd);
        if (err == ENOENT)
            return std::optional<Manifest>();
        if (err)
            return share_error(name, "open", err);
        struct stat info {};
        if (::fstat(fd.get(), &info) != 0)
            return share_error(name, "stat", errno);
        if (!S_ISREG(info.st_mode))
            return Error{m_share->full(name), 0, "is not a regular file"};
        if (static_cast<uint64_t>(info.st_size) > kMaxManifestBytes)
            return Error{m_share->full(name), 0, "is larger than " + megabytes(kMaxManifestBytes)};
        std::string text(static_cast<size_t>(info.st_size), '\0');
        ssize_t got = read_full(fd.get(), text.data(), text.size());
        if (got < 0)
            return share_error(name, "read", errno);
        text.resize(static_cast<size_t>(got));
        auto manifest = parse_manifest(text, m_share->full(name));
        if (!manifest)
            return manifest.error();
        return std::optional<Manifest>(std::move(*manifest));
    }
};

}  // namespace

Result<std::unique_ptr<SyncSource>> open_folder_source(const std::string& share, const std::string& cache,
                                                       const ScanLimits& limits, const ShareScope& scope,
                                                       double settle_seconds, const std::atomic<bool>* cancel)
{
    std::error_code ec;
    std::string share_real = fs::weakly_canonical(share, ec).string();
    std::string cache_real = fs::weakly_canonical(cache, ec).string();
    auto inside = [](const std::string& inner, const std::string& outer) {
        return inner == outer || (inner.size() > outer.size() && inner.starts_with(outer) &&
                                  (outer.back() == '/' || inner[outer.size()] == '/'));
    };
    if (inside(cache_real, share_real))
        return Error{cache, 0, "the cache is inside the share " + share + "; it would sync itself"};
    if (inside(share_real, cache_real))
        return Error{share, 0, "the share is inside the cache " + cache};
    return std::unique_ptr<SyncSource>(std::make_unique<FolderSource>(share, limits, scope, settle_seconds, cancel));
}

}  // namespace signage
