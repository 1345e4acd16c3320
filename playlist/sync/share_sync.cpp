#include "playlist/base/ascii.h"
#include "playlist/sync/share_sync.h"

#include "playlist/base/atomic_file.h"
#include "playlist/base/file_io.h"
#include "playlist/share/folder_source.h"
#include "playlist/share/http_source.h"
#include "playlist/share/http_url.h"
#include "playlist/share/manifest.h"
#include "playlist/timeline/playlist.h"
#include "playlist/base/sha256.h"
#include "playlist/share/snapshot_cache.h"
#include "playlist/sync/snapshot_probe.h"

#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>

namespace signage {

namespace fs = std::filesystem;

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr size_t kCopyBufferBytes = size_t{1} << 20;

std::string megabytes(uint64_t bytes)
{
    return std::to_string((bytes + (1u << 20) - 1) >> 20) + " MB";
}

double seconds_between(const timespec& earlier, const timespec& later)
{
    return static_cast<double>(later.tv_sec - earlier.tv_sec) + (later.tv_nsec - earlier.tv_nsec) / 1e9;
}

// What a sync does with one file of the share.
enum class Plan {
    Link,  // unchanged: hard link from the current snapshot
    Copy,  // new or changed: copy from the share
    Keep,  // changed but not taken: the current snapshot's version, or nothing
};

struct Item {
    const ShareFile* file = nullptr;
    Plan plan = Plan::Link;
    const ManifestEntry* listed = nullptr;  // its line in the share's manifest
    bool has_current = false;               // the current snapshot holds a version of it
    uint64_t current_size = 0;
    bool quiet = false;       // unchanged for settle_seconds before the scan, going by its mtime
    bool verified = false;    // a copy whose checksum matches the share's manifest
    std::string part;         // a copy's temporary name in staging
    std::string sha256;       // of the version that goes into the snapshot
    std::string not_taken;    // why a changed file was not taken
    bool unplayable = false;  // not taken because the media probe found it would not play
    std::string probe_verdict;  // then why (as remembered in kProbeFailuresName)
};

// Files the media probe failed, remembered in the cache so that a broken file left on the share
// is not copied and probed again by every sync (each poll would re-read a broken 1 GB video):
// "<size> <mtime s> <mtime ns> <manifest sha256 or -> <path>\t<verdict>" per line. Seen again
// with the same size, time (and manifest checksum), it is not taken for the same reason.
constexpr std::string_view kProbeFailuresName = "probe-failures.txt";

struct ProbeFailure {
    uint64_t size = 0;
    long long seconds = 0, nanoseconds = 0;
    std::string sha256;  // "-": the manifest did not list it
    std::string verdict;
};

std::string probe_failure_key(const ShareFile& file, const ManifestEntry* listed)
{
    return std::to_string(file.size) + " " + std::to_string(static_cast<long long>(file.mtime.tv_sec)) + " " +
           std::to_string(static_cast<long long>(file.mtime.tv_nsec)) + " " + (listed ? listed->sha256 : "-");
}

// path -> "<size> <s> <ns> <sha>" and the verdict; lines that do not parse are forgotten.
std::unordered_map<std::string, std::pair<std::string, std::string>> parse_probe_failures(std::string_view text)
{
    std::unordered_map<std::string, std::pair<std::string, std::string>> out;
    while (!text.empty()) {
        size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        size_t tab = line.find('\t');
        size_t spaces = 0, at = 0;
        for (; spaces < 4 && at < tab; ++at)
            spaces += line[at] == ' ';
        if (tab == std::string_view::npos || spaces < 4 || at >= tab || tab + 1 >= line.size())
            continue;
        out[std::string(line.substr(at, tab - at))] = {std::string(line.substr(0, at - 1)),
                                                       std::string(line.substr(tab + 1))};
    }
    return out;
}

struct CurrentSnapshot {
    std::string id;
    std::string dir;
    UniqueFd fd;
    std::optional<Manifest> record;  // nullopt when missing or unreadable
};

struct Staging {
    std::string id;
    std::string dir;
    UniqueFd fd;
    std::set<std::string> folders;  // created below it
};

Result<std::unique_ptr<SyncSource>> open_source(const SyncOptions& options)
{
    if (options.share.empty())
        return Error{"", 0, "no share given ([content] share)"};
    if (options.cache.empty())
        return Error{"", 0, "no cache folder given ([content] cache)"};
    if (is_http_url(options.share)) {
        HttpSettings http{options.connect_timeout_seconds, options.stall_seconds, options.ca_file, options.cancel};
        return open_http_source(options.share, options.limits, options.scope, http);
    }
    return open_folder_source(options.share, options.cache, options.limits, options.scope, options.settle_seconds,
                              options.cancel);
}

class ShareSync {
public:
    explicit ShareSync(const SyncOptions& options) : m_options(options) {}

    Result<SyncReport> run()
    {
        auto started = SteadyClock::now();
        Status status = run_steps();
        if (m_staging && m_cache)
            m_cache->discard_staging(m_staging->id);
        if (!status)
            return status.error();
        m_source->synced(*m_cache, m_report.snapshot, m_report.not_taken.empty() && m_report.refused.empty());
        remember_probe_failures();
        m_report.seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
        return m_report;
    }

private:
    const SyncOptions& m_options;
    SyncReport m_report;
    std::optional<SnapshotCache> m_cache;
    std::unique_ptr<SyncSource> m_source;
    SourceListing m_listing;
    std::optional<CurrentSnapshot> m_current;
    std::optional<Staging> m_staging;
    std::vector<Item> m_items;
    timespec m_scan_started{};  // wall clock, to compare with mtimes
    SteadyClock::time_point m_scan_finished;
    std::vector<char> m_buffer;
    std::string m_probe_failures_text;  // as read at the start
    std::unordered_map<std::string, std::pair<std::string, std::string>> m_probe_failures;

    std::string probe_failures_path() const { return m_cache->root() + "/" + std::string(kProbeFailuresName); }

    // After a successful sync: the files the probe failed, this time or before, and still on the
    // share as they were. Rewritten only when that changed. Losing it costs a probe, no more.
    void remember_probe_failures()
    {
        std::string text;
        for (const Item& item : m_items)
            if (item.unplayable)
                text += probe_failure_key(*item.file, item.listed) + " " + item.file->path + "\t" +
                        item.probe_verdict + "\n";
        if (text == m_probe_failures_text)
            return;
        if (text.empty())
            ::unlink(probe_failures_path().c_str());
        else
            (void)write_file_atomically(probe_failures_path(), text);
    }

    void step(SyncStep s, const std::string& detail = "")
    {
        if (m_options.on_step)
            m_options.on_step(s, detail);
    }

    bool cancelled() const { return m_options.cancel && m_options.cancel->load(); }
    // One folder alone (the alerts): no playlist, no media probe.
    bool one_folder() const { return !m_options.scope.only.empty(); }
    bool probes() const { return !m_options.probe.argv.empty() && !one_folder(); }
    Error cancelled_error() const { return sync_cancelled(m_options.share); }

    Status run_steps()
    {
        auto source = open_source(m_options);
        if (!source)
            return source.error();
        m_source = std::move(*source);
        auto cache = SnapshotCache::open(m_options.cache);
        if (!cache)
            return cache.error();
        m_cache.emplace(std::move(*cache));
        if (auto remembered = read_file_limited(probe_failures_path(), kMaxManifestBytes))
            m_probe_failures_text = std::move(*remembered);
        m_probe_failures = parse_probe_failures(m_probe_failures_text);
        step(SyncStep::Locked);

        if (Status s = open_current(); !s)
            return s;
        ::clock_gettime(CLOCK_REALTIME, &m_scan_started);
        auto listing = m_source->list(*m_cache, m_current ? std::optional(m_current->id) : std::nullopt);
        if (!listing)
            return listing.error();
        m_listing = std::move(*listing);
        m_scan_finished = SteadyClock::now();
        m_report.refused = m_listing.listing.refused;
        m_report.hidden_skipped = m_listing.listing.hidden;
        m_report.share_unchanged = m_listing.unchanged;
        step(SyncStep::Scanned);

        if (m_listing.unchanged && !m_current)
            return Error{m_source->name(), 0, "says nothing changed, but the cache has no current snapshot"};
        if (!m_listing.unchanged) {
            plan();
            if (!m_current || needs_new_snapshot(false)) {
                if (Status s = build(); !s)
                    return s;
            }
            if (m_staging && needs_new_snapshot(true))
                return commit();
        }
        // Nothing taken changes what the current snapshot holds.
        m_report.changed = false;
        m_report.snapshot = m_current->id;
        m_report.snapshot_dir = m_current->dir;
        m_report.files = m_current->record ? m_current->record->entries.size() : 0;
        m_report.files_linked = 0;
        collect_not_taken();
        return Status{};
    }

    Status open_current()
    {
        auto id = m_cache->current_id();
        if (!id)
            return Status{};
        CurrentSnapshot current;
        current.id = *id;
        current.dir = m_cache->snapshot_dir(*id);
        current.fd.reset(::open(current.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!current.fd.valid())
            return Status{};  // a dangling `current` (removed by hand): sync as if first
        std::string record_path = current.dir + "/" + std::string(kSnapshotManifestName);
        if (auto text = read_file_limited(record_path, kMaxManifestBytes))
            if (auto record = parse_manifest(*text, record_path))
                current.record = std::move(*record);
        m_current = std::move(current);
        return Status{};
    }

    // The checksum of the current snapshot's version of `path`: from its record, else computed.
    Result<std::string> current_sha(const std::string& path, uint64_t size)
    {
        if (m_current->record)
            if (const ManifestEntry* e = m_current->record->find(path); e && e->size == size)
                return e->sha256;
        UniqueFd fd(::openat(m_current->fd.get(), path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        if (!fd.valid())
            return os_error(m_current->dir + "/" + path, "open", errno);
        return sha256_of_fd(fd.get(), m_current->dir + "/" + path);
    }

    void plan()
    {
        m_items.reserve(m_listing.listing.files.size());
        for (const ShareFile& file : m_listing.listing.files) {
            Item item;
            item.file = &file;
            if (m_listing.manifest)
                item.listed = m_listing.manifest->find(file.path);
            struct stat current {};
            if (m_current && ::fstatat(m_current->fd.get(), file.path.c_str(), &current, AT_SYMLINK_NOFOLLOW) == 0 &&
                S_ISREG(current.st_mode)) {
                item.has_current = true;
                item.current_size = static_cast<uint64_t>(current.st_size);
            }
            item.quiet = seconds_between(file.mtime, m_scan_started) >= m_options.settle_seconds;
            if (item.listed && item.listed->size != file.size) {
                item.plan = Plan::Keep;
                item.not_taken = "is " + std::to_string(file.size) + " bytes, " + std::string(kManifestName) +
                                 " says " + std::to_string(item.listed->size) +
                                 " (still being copied, or the manifest is out of date: run publish again)";
            } else if (item.has_current && item.current_size == file.size && m_source->looks_unchanged(file, current)) {
                item.plan = Plan::Link;
                if (item.listed) {
                    auto sha = current_sha(file.path, file.size);
                    if (!sha || *sha != item.listed->sha256)
                        item.plan = Plan::Copy;  // same size and time, other content: trust the manifest
                }
            } else {
                item.plan = Plan::Copy;
            }
            if (item.plan == Plan::Copy && probes())
                if (auto known = m_probe_failures.find(file.path);
                    known != m_probe_failures.end() && known->second.first == probe_failure_key(file, item.listed)) {
                    item.plan = Plan::Keep;  // failed the probe as it is now: neither copied nor probed again
                    item.unplayable = true;
                    item.probe_verdict = known->second.second;
                    item.not_taken = item.probe_verdict + " (probed before, unchanged since)";
                }
            m_items.push_back(std::move(item));
        }
    }

    // Whether the snapshot would differ from the current one. Before building (`built` false),
    // every planned copy counts; afterwards only copies that were taken.
    bool needs_new_snapshot(bool built) const
    {
        if (!m_current || !m_current->record)
            return true;
        size_t kept = 0;
        for (const Item& item : m_items) {
            if (item.plan == Plan::Copy && (!built || item.not_taken.empty()))
                return true;
            if (item.plan == Plan::Link || item.has_current)
                ++kept;
        }
        return kept != m_current->record->entries.size();
    }

    Status check_free_space()
    {
        uint64_t needed = 0;
        size_t files = 0;
        for (const Item& item : m_items)
            if (item.plan == Plan::Copy) {
                needed += item.file->size;
                ++files;
            }
        struct statvfs disk {};
        if (::statvfs(m_cache->root().c_str(), &disk) != 0)
            return os_error(m_cache->root(), "read the free space", errno);
        uint64_t free = static_cast<uint64_t>(disk.f_bavail) * disk.f_frsize;
        if (free < needed + m_options.min_free_bytes)
            return Error{m_cache->root(), 0,
                         "not enough free space: copying " + std::to_string(files) + " changed files (" +
                             megabytes(needed) + ") would leave less than [content] min_free_mb (" +
                             megabytes(m_options.min_free_bytes) + ") of the " + megabytes(free) +
                             " free; sync refused"};
        if (disk.f_files > 0 && disk.f_favail < files + m_items.size() / 16 + 64)
            return Error{m_cache->root(), 0, "the cache's file system is out of inodes; sync refused"};
        return Status{};
    }

    Status ensure_parent(const std::string& path)
    {
        for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
            std::string folder = path.substr(0, slash);
            if (m_staging->folders.count(folder))
                continue;
            if (::mkdirat(m_staging->fd.get(), folder.c_str(), 0755) != 0 && errno != EEXIST)
                return os_error(m_staging->dir + "/" + folder, "create the folder", errno);
            m_staging->folders.insert(folder);
        }
        return Status{};
    }

    // Hard-links the current snapshot's version into staging (copies it locally where the file
    // system refuses: no hard links, or too many of them).
    Status link_current(Item& item)
    {
        const std::string& path = item.file->path;
        if (Status s = ensure_parent(path); !s)
            return s;
        if (::linkat(m_current->fd.get(), path.c_str(), m_staging->fd.get(), path.c_str(), 0) == 0)
            return Status{};
        if (errno != EMLINK && errno != EPERM && errno != EXDEV)
            return os_error(m_staging->dir + "/" + path, "link from " + m_current->dir, errno);
        UniqueFd from(::openat(m_current->fd.get(), path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        UniqueFd to(::openat(m_staging->fd.get(), path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444));
        if (!from.valid() || !to.valid())
            return os_error(m_staging->dir + "/" + path, "copy from " + m_current->dir, errno);
        for (;;) {
            ssize_t n = read_some(from.get(), m_buffer.data(), m_buffer.size());
            if (n < 0)
                return os_error(m_current->dir + "/" + path, "read", errno);
            if (n == 0)
                break;
            if (Status s = write_to_cache(to.get(), m_buffer.data(), static_cast<size_t>(n), m_staging->dir + "/" + path); !s)
                return s;
        }
        struct stat info {};
        ::fstat(from.get(), &info);
        timespec times[2] = {info.st_mtim, info.st_mtim};
        ::futimens(to.get(), times);
        return Status{};
    }

    // Fetches a new or changed file from the share under a temporary, hidden name (no share file
    // can have it: both sources skip dot files).
    Status copy_in(Item& item)
    {
        const std::string& path = item.file->path;
        if (Status s = ensure_parent(path); !s)
            return s;
        size_t slash = path.rfind('/');
        item.part = slash == std::string::npos ? "." + path + ".part"
                                               : path.substr(0, slash + 1) + "." + path.substr(slash + 1) + ".part";
        FetchTarget target{m_staging->fd.get(), item.part, m_staging->dir + "/" + item.part, &m_buffer};
        auto copy = m_source->fetch(*item.file, item.listed, target);
        if (!copy)
            return copy.error();
        m_report.bytes_copied += copy->bytes;
        item.not_taken = std::move(copy->not_taken);
        item.sha256 = std::move(copy->sha256);
        return Status{};
    }

    // The second look at copied files that were fresh at the scan: taken only when their size and
    // time held still for settle_seconds.
    Status second_look()
    {
        bool any = false;
        for (Item& item : m_items) {
            if (item.plan != Plan::Copy || !item.not_taken.empty())
                continue;
            if (item.listed) {
                if (item.sha256 == item.listed->sha256)
                    item.verified = true;
                else
                    item.not_taken = "does not match " + std::string(kManifestName) +
                                     " (its SHA-256 differs: still being copied, or the manifest is out of date: "
                                     "run publish again)";
                continue;
            }
            any = any || !item.quiet;
        }
        if (!any)
            return Status{};
        auto deadline = m_scan_finished + std::chrono::duration_cast<SteadyClock::duration>(
                                              std::chrono::duration<double>(m_options.settle_seconds));
        auto waited_from = SteadyClock::now();
        while (SteadyClock::now() < deadline) {
            if (cancelled())
                return cancelled_error();
            SteadyClock::duration slice = std::chrono::milliseconds(50);
            std::this_thread::sleep_for(std::min(slice, deadline - SteadyClock::now()));
        }
        m_report.settle_wait_seconds = std::chrono::duration<double>(SteadyClock::now() - waited_from).count();
        for (Item& item : m_items) {
            if (item.plan != Plan::Copy || !item.not_taken.empty() || item.verified || item.quiet)
                continue;
            auto why = m_source->recheck(*item.file);
            if (!why)
                return why.error();
            item.not_taken = std::move(*why);
        }
        step(SyncStep::Settled);
        return Status{};
    }

    Status build()
    {
        if (Status s = check_free_space(); !s)
            return s;
        auto id = m_cache->create_staging();
        if (!id)
            return id.error();
        Staging staging;
        staging.id = *id;
        staging.dir = m_cache->staging_dir(*id);
        staging.fd.reset(::open(staging.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        m_staging = std::move(staging);
        if (!m_staging->fd.valid())
            return os_error(m_staging->dir, "open", errno);
        m_buffer.resize(kCopyBufferBytes);
        // The folder is there even when empty: readers list it, whatever the share holds.
        if (one_folder()) {
            const std::string& folder = m_options.scope.only;
            if (::mkdirat(m_staging->fd.get(), folder.c_str(), 0755) != 0)
                return os_error(m_staging->dir + "/" + folder, "create the folder", errno);
            m_staging->folders.insert(folder);
        }

        for (Item& item : m_items) {
            if (cancelled())
                return cancelled_error();
            if (item.plan == Plan::Link) {
                if (Status s = link_current(item); !s)
                    return s;
                step(SyncStep::Linked, item.file->path);
            } else if (item.plan == Plan::Copy) {
                step(SyncStep::Copying, item.file->path);
                if (Status s = copy_in(item); !s)
                    return s;
                step(SyncStep::Copied, item.file->path);
            }
        }
        if (Status s = second_look(); !s)
            return s;
        if (Status s = place_files(); !s)
            return s;
        return probe_media();
    }

    // A changed file not taken: the current snapshot's version goes into staging, or nothing.
    Status keep_previous(Item& item)
    {
        item.plan = Plan::Keep;
        if (!item.has_current)
            return Status{};
        if (Status s = link_current(item); !s)
            return s;
        auto sha = current_sha(item.file->path, item.current_size);
        if (!sha)
            return sha.error();
        item.sha256 = *sha;
        return Status{};
    }

    // The media probe (snapshot_probe.h says why a child process): the videos and images the new
    // playlist shows that were copied by this sync are opened with the real decoders, and one
    // that would not play is not taken, like a file still being copied. Hard-linked files were
    // probed when they came. No such file (a sync that changed no media): no child at all.
    Status probe_media()
    {
        if (!probes())
            return Status{};
        std::unordered_map<std::string, Item*> copied;
        for (Item& item : m_items)
            if (item.plan == Plan::Copy && item.not_taken.empty())
                copied.emplace(item.file->path, &item);
        // The playlist as verify() will read it; one that is missing or wrong is for verify() to report.
        if (copied.empty() || !share_path_problem(m_options.playlist).empty())
            return Status{};
        PlaylistLoad load = load_playlist(m_staging->dir + "/" + m_options.playlist);
        std::vector<ProbeFile> files = files_to_probe(load.playlist, m_staging->dir,
                                                      [&](const std::string& path) { return copied.count(path) > 0; });
        if (files.empty())
            return Status{};
        const std::atomic<bool> never{false};
        auto problems = probe_files(m_options.probe, m_staging->dir, files, m_options.cancel ? *m_options.cancel : never);
        if (!problems)
            return cancelled() ? cancelled_error() : problems.error();
        m_report.files_probed = files.size();
        for (size_t i = 0; i < files.size(); ++i) {
            Item& item = *copied.at(files[i].path);
            if ((*problems)[i].empty() || item.unplayable)
                continue;
            item.unplayable = true;
            item.probe_verdict = std::string("not taken: ") +
                                 (files[i].kind == ProbeKind::Video ? "not a playable video: " : "not a usable image: ") +
                                 on_share((*problems)[i]);
            item.not_taken = item.probe_verdict;
            if (::unlinkat(m_staging->fd.get(), files[i].path.c_str(), 0) != 0)
                return os_error(m_staging->dir + "/" + files[i].path, "remove", errno);
            if (Status s = keep_previous(item); !s)
                return s;
        }
        step(SyncStep::Probed);
        return Status{};
    }

    // Copies that passed go to their real names; the rest fall back to the current version.
    Status place_files()
    {
        for (Item& item : m_items) {
            const std::string& path = item.file->path;
            if (item.plan == Plan::Copy && item.not_taken.empty()) {
                if (::renameat(m_staging->fd.get(), item.part.c_str(), m_staging->fd.get(), path.c_str()) != 0)
                    return os_error(m_staging->dir + "/" + path, "rename", errno);
                continue;
            }
            if (item.plan == Plan::Copy && !item.part.empty())
                ::unlinkat(m_staging->fd.get(), item.part.c_str(), 0);
            if (item.plan == Plan::Link) {
                auto sha = current_sha(path, item.file->size);
                if (!sha)
                    return sha.error();
                item.sha256 = *sha;
            } else if (Status s = keep_previous(item); !s) {
                return s;
            }
        }
        return Status{};
    }

    Manifest new_record() const
    {
        Manifest record;
        for (const Item& item : m_items) {
            if (item.plan == Plan::Link || (item.plan == Plan::Copy && item.not_taken.empty()))
                record.entries.push_back({item.file->path, item.file->size, item.sha256});
            else if (item.has_current)
                record.entries.push_back({item.file->path, item.current_size, item.sha256});
        }
        return record;  // in path order, as the listing
    }

    Status write_record(const Manifest& record)
    {
        std::string text = format_manifest(record, "what this snapshot holds: sha256 size path");
        std::string name(kSnapshotManifestName);
        UniqueFd fd(::openat(m_staging->fd.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444));
        if (!fd.valid())
            return os_error(m_staging->dir + "/" + name, "create", errno);
        return write_to_cache(fd.get(), text.data(), text.size(), m_staging->dir + "/" + name);
    }

    // A path under staging, named as it is on the share (for messages).
    std::string on_share(const std::string& text) const
    {
        std::string out = text;
        const std::string& from = m_staging->dir;
        const std::string& to = m_source->name();
        for (size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size()))
            out.replace(at, from.size(), to);
        return out;
    }

    const Item* left_out_unplayable(const std::string& path) const
    {
        for (const Item& item : m_items)
            if (item.file->path == path && item.unplayable && !item.has_current)
                return &item;
        return nullptr;
    }

    std::string why_missing(const std::string& path) const
    {
        for (const Item& item : m_items)
            if (item.file->path == path && !item.not_taken.empty())
                return "was not taken: " + item.not_taken;
        std::string full = m_source->file_name(path);
        for (const Error& e : m_listing.listing.refused)
            if (e.file == full)
                return e.message;
        if (path.front() == '.' || path.find("/.") != std::string::npos)
            return "is hidden (names starting with '.' are not synced)";
        if (!m_options.scope.includes(path))
            return "is in the share's " + m_options.scope.leave_out + "/ folder, which only the alerts sync takes";
        return "is not on the share";
    }

    Status verify(const Manifest& record)
    {
        // Copies are checked here; a hard link is the current snapshot's file, whose size and
        // time were compared with the share's when it was planned.
        for (const Item& item : m_items) {
            if (item.plan != Plan::Copy || !item.not_taken.empty())
                continue;
            struct stat info {};
            const std::string& path = item.file->path;
            if (::fstatat(m_staging->fd.get(), path.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0 ||
                !S_ISREG(info.st_mode) || static_cast<uint64_t>(info.st_size) != item.file->size)
                return Error{m_staging->dir + "/" + path, 0,
                             "snapshot check failed: missing or not " + std::to_string(item.file->size) + " bytes"};
        }
        if (one_folder())
            return Status{};
        std::set<std::string> held;
        for (const ManifestEntry& e : record.entries)
            held.insert(e.path);
        const std::string& playlist = m_options.playlist;
        if (std::string problem = share_path_problem(playlist); !problem.empty())
            return Error{"", 0,
                         "[content] playlist = " + playlist +
                             ": with a share, name the playlist relative to the share's top (" + problem + ")"};
        if (!held.count(playlist))
            return Error{m_source->file_name(playlist), 0, "the playlist " + why_missing(playlist)};
        PlaylistLoad load = load_playlist(m_staging->dir + "/" + playlist);
        auto mapped = [&](const Error& e) { return Error{on_share(e.file), e.line, on_share(e.message)}; };
        if (load.playlist.items.empty()) {
            std::string why = load.errors.empty() ? "" : ": " + mapped(load.errors.front()).to_string();
            return Error{m_source->file_name(playlist), 0, "the playlist has no item that can play" + why};
        }
        std::string prefix = m_staging->dir + "/";
        auto check = [&](const std::string& full, const std::string& where, int line) -> Status {
            if (full.empty() || !full.starts_with(prefix))
                return Status{};
            std::string path = full.substr(prefix.size());
            // Left out by the media probe: reported as not taken, and the player skips it. The
            // rest of the snapshot is taken: a broken video must not hold back every other update.
            if (held.count(path) || left_out_unplayable(path))
                return Status{};
            return Error{on_share(where), line, "names " + path + ", which " + why_missing(path)};
        };
        size_t can_play = 0;
        for (const PlaylistItem& item : load.playlist.items) {
            if (Status s = check(item.path, item.source_file, item.source_line); !s)
                return s;
            if (Status s = check(item.background_image, item.source_file, item.source_line); !s)
                return s;
            bool left_out = item.path.starts_with(prefix) && !held.count(item.path.substr(prefix.size()));
            can_play += left_out ? 0 : 1;
        }
        if (can_play == 0)
            return Error{m_source->file_name(playlist), 0,
                         "the playlist has no item that can play: every file it shows was not taken (" +
                             left_out_unplayable(load.playlist.items.front().path.substr(prefix.size()))->not_taken +
                             ")"};
        for (const std::string& slogans : load.playlist.slogan_files)
            if (Status s = check(slogans, load.playlist.file, 0); !s)
                return s;
        for (const Error& e : load.errors)
            m_report.warnings.push_back(mapped(e));
        for (const Error& e : load.warnings)
            m_report.warnings.push_back(mapped(e));
        return Status{};
    }

    void collect_not_taken()
    {
        for (const Item& item : m_items)
            if (!item.not_taken.empty())
                m_report.not_taken.push_back(
                    {m_source->file_name(item.file->path), 0,
                     item.not_taken + (item.has_current ? "; the previous version is kept" : "; left out for now")});
    }

    Status commit()
    {
        Manifest record = new_record();
        if (Status s = write_record(record); !s)
            return s;
        step(SyncStep::Built);
        if (Status s = verify(record); !s)
            return s;
        step(SyncStep::Verified);
        if (Status s = m_source->confirm(); !s)
            return s;
        if (cancelled())
            return cancelled_error();
        std::optional<std::string> before = m_current ? std::optional(m_current->id) : std::nullopt;
        Durability durability = one_folder() ? Durability::EachFile : Durability::FileSystem;
        if (Status s = m_cache->commit(m_staging->id, [&](SyncStep s) { step(s); }, durability); !s)
            return s;
        m_report.changed = true;
        m_report.snapshot = m_staging->id;
        m_report.snapshot_dir = m_cache->snapshot_dir(m_staging->id);
        m_staging.reset();  // stored now: not to be discarded
        m_report.files = record.entries.size();
        for (const Item& item : m_items) {
            if (item.plan == Plan::Copy && item.not_taken.empty())
                ++m_report.files_copied;
            else if (item.plan == Plan::Link || item.has_current)
                ++m_report.files_linked;
        }
        if (m_current && m_current->record)
            for (const ManifestEntry& e : m_current->record->entries)
                if (!record.find(e.path))
                    ++m_report.files_removed;
        collect_not_taken();
        return Status{};
    }
};

}  // namespace

SyncOptions sync_options_from_config(const Config& config)
{
    // Absolute: messages name real places, and nothing depends on the working directory.
    auto absolute = [&](const std::string& path) {
        std::error_code ec;
        return path.empty() ? path : fs::absolute(config.resolve(path), ec).lexically_normal().string();
    };
    SyncOptions options;
    options.share = is_http_url(config.share) ? config.share : absolute(config.share);
    options.cache = absolute(config.cache);
    options.ca_file = absolute(config.ca_file);
    options.playlist = config.playlist;
    options.settle_seconds = config.settle;
    options.min_free_bytes = static_cast<uint64_t>(config.min_free_mb) << 20;
    options.limits.max_file_bytes = static_cast<uint64_t>(config.max_file_mb) << 20;
    options.probe.seconds_per_file = config.probe_timeout;
    return options;
}

SyncOptions alerts_sync_options_from_config(const Config& config)
{
    SyncOptions options = sync_options_from_config(config);
    if (!options.cache.empty())
        options.cache += "/" + std::string(kAlertsFolder);
    options.scope = alerts_scope();
    options.settle_seconds = config.alerts_settle;
    return options;
}

Result<SyncReport> sync_share(const SyncOptions& options)
{
    return ShareSync(options).run();
}

Status rollback_snapshot(const std::string& cache_root)
{
    auto cache = SnapshotCache::open(cache_root);
    if (!cache)
        return cache.error();
    return cache->rollback();
}

}  // namespace signage
