// A share and a cache in one scratch folder, and the check every sync test ends with: does
// `current` name a complete, playable snapshot?
#pragma once

#include "playlist/base/file_io.h"
#include "playlist/share/manifest.h"
#include "playlist/timeline/playlist.h"
#include "playlist/base/sha256.h"
#include "playlist/sync/share_sync.h"
#include "playlist/share/snapshot_cache.h"
#include "tests/unit/temp_dir.h"

#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/stat.h>

namespace signage::testing {

namespace fs = std::filesystem;

inline std::string read_bytes(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Deterministic bytes that differ with the seed.
inline std::string pattern(size_t size, unsigned seed)
{
    std::string out(size, '\0');
    uint32_t x = seed * 2654435761u + 1;
    for (auto& c : out) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<char>(x);
    }
    return out;
}

// Sets a file's modification time to `seconds_ago` before now (links not followed).
inline void set_age(const fs::path& path, double seconds_ago)
{
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    long long ns = static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec -
                   static_cast<long long>(seconds_ago * 1e9);
    timespec times[2] = {{ns / 1000000000LL, ns % 1000000000LL}, {ns / 1000000000LL, ns % 1000000000LL}};
    ::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW);
}

struct SyncFixture {
    TempDir temp;
    fs::path share;
    fs::path cache;

    SyncFixture() : share(temp.path / "share"), cache(temp.path / "cache") { fs::create_directories(share); }

    // Options for tests: no settle wait unless asked, no free-space margin.
    SyncOptions options(double settle = 0) const
    {
        SyncOptions o;
        o.share = share.string();
        o.cache = cache.string();
        o.settle_seconds = settle;
        o.min_free_bytes = 0;
        return o;
    }

    // Writes a share file, `age` seconds old (so it counts as settled). Age 0 leaves the time
    // the write gave it; a negative age puts it in the future, so it is fresh however slow the
    // machine (a share server whose clock runs ahead).
    fs::path put(const std::string& relative, const std::string& bytes, double age = 600) const
    {
        fs::path path = share / relative;
        fs::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
        if (age != 0)
            set_age(path, age);
        return path;
    }

    // A playlist showing the given images (and a slogan, so it has an item even without images).
    void put_playlist(const std::vector<std::string>& images, const std::string& marker = "v1", double age = 600) const
    {
        std::string text = "[hello]\ntype = slogan\ntext = " + marker + "\n";
        for (size_t i = 0; i < images.size(); ++i)
            text += "\n[image-" + std::to_string(i) + "]\ntype = image\nfile = " + images[i] + "\n";
        put("playlist.ini", text, age);
    }

    fs::path current() const { return cache / "current"; }
    std::string current_file(const std::string& relative) const { return read_bytes(current() / relative); }
    bool in_current(const std::string& relative) const { return fs::exists(current() / relative); }
    std::string current_id() const { return fs::read_symlink(current()).filename().string(); }

    size_t snapshot_count() const
    {
        size_t n = 0;
        for ([[maybe_unused]] auto& e : fs::directory_iterator(cache / "snapshots"))
            ++n;
        return n;
    }

    bool has_staging() const
    {
        for (auto& e : fs::directory_iterator(cache))
            if (e.path().filename().string().starts_with("staging-"))
                return true;
        return false;
    }
};

// "" when `current` (if any) names a complete snapshot: its record parses, every file it lists
// is there with that size and checksum and nothing else is, and its playlist (unless "": the
// alerts cache has none) loads with every file it names present. Otherwise what is wrong.
inline std::string cache_problem(const fs::path& cache, const std::string& playlist = "playlist.ini")
{
    fs::path link = cache / "current";
    std::error_code ec;
    if (!fs::is_symlink(link, ec))
        return fs::exists(link, ec) ? "current is not a link" : "";
    auto dir = current_snapshot_dir(cache.string());
    if (!dir)
        return "current names no snapshot";
    std::string record_path = *dir + "/" + std::string(kSnapshotManifestName);
    auto text = read_file_limited(record_path, kMaxManifestBytes);
    if (!text)
        return text.error().to_string();
    auto record = parse_manifest(*text, record_path);
    if (!record)
        return record.error().to_string();
    size_t files = 0;
    for (auto& e : fs::recursive_directory_iterator(*dir))
        if (e.is_regular_file() && e.path().filename() != kSnapshotManifestName)
            ++files;
    if (files != record->entries.size())
        return "snapshot holds " + std::to_string(files) + " files, its record lists " +
               std::to_string(record->entries.size());
    for (const auto& entry : record->entries) {
        std::string bytes = read_bytes(fs::path(*dir) / entry.path);
        if (bytes.size() != entry.size)
            return entry.path + ": size " + std::to_string(bytes.size()) + ", recorded " + std::to_string(entry.size);
        if (*sha256_hex(bytes) != entry.sha256)
            return entry.path + ": checksum differs from the record";
    }
    if (playlist.empty())
        return "";
    PlaylistLoad load = load_playlist(*dir + "/" + playlist);
    if (load.playlist.items.empty())
        return "playlist has no items";
    for (const auto& item : load.playlist.items)
        if (!item.path.empty() && !fs::exists(item.path))
            return "playlist names missing " + item.path;
    return "";
}

}  // namespace signage::testing
