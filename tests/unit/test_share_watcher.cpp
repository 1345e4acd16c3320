// inotify on a local share: writes, new folders and their files, removal of the share, hidden
// names ignored.
#include "playlist/sync/share_watcher.h"
#include "tests/unit/eventually.h"
#include "tests/unit/temp_dir.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace signage;
using signage::testing::eventually;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("share watcher: a file written, in the top folder or a folder made later", "[share-watcher]")
{
    testing::TempDir temp;
    fs::path share = temp.path / "share";
    fs::create_directories(share / "posters");
    std::atomic<int> changes{0};
    ShareWatcher watcher(share.string(), 0.1, [&](const ShareChange&) { ++changes; }, nullptr);
    REQUIRE(eventually([&] { return watcher.watched_folders() == 2; }));
    CHECK(changes == 0);

    write(share / "playlist.ini", "x");
    REQUIRE(eventually([&] { return changes > 0; }));

    int before = changes;
    fs::create_directories(share / "videos");
    REQUIRE(eventually([&] { return watcher.watched_folders() == 3; }));
    REQUIRE(eventually([&] { return changes > before; }));
    before = changes;
    write(share / "videos" / "a.mp4", "x");
    REQUIRE(eventually([&] { return changes > before; }));

    before = changes;
    fs::remove(share / "posters");
    REQUIRE(eventually([&] { return changes > before && watcher.watched_folders() == 2; }));
}

TEST_CASE("share watcher: hidden names (a copy tool's unfinished files) are ignored, their rename is not",
          "[share-watcher]")
{
    testing::TempDir temp;
    fs::path share = temp.path / "share";
    fs::create_directories(share);
    std::atomic<int> changes{0};
    ShareWatcher watcher(share.string(), 0.1, [&](const ShareChange&) { ++changes; }, nullptr);
    REQUIRE(eventually([&] { return watcher.watched_folders() == 1; }));

    write(share / ".poster.png.XXXXXX", "partial");
    fs::create_directories(share / ".Trash");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(changes == 0);
    CHECK(watcher.watched_folders() == 1);

    fs::rename(share / ".poster.png.XXXXXX", share / "poster.png");
    REQUIRE(eventually([&] { return changes > 0; }));
}

TEST_CASE("share watcher: the share missing, then there, removed, then back", "[share-watcher]")
{
    testing::TempDir temp;
    fs::path share = temp.path / "share";
    std::atomic<int> changes{0};
    ShareWatcher watcher(share.string(), 0.05, [&](const ShareChange&) { ++changes; }, nullptr);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(watcher.watched_folders() == 0);

    CHECK(changes == 0);

    // Found: reported as a change, since nothing it held was seen arriving.
    fs::create_directories(share);
    REQUIRE(eventually([&] { return watcher.watched_folders() == 1 && changes == 1; }));

    fs::rename(share, temp.path / "away");  // unmounted, or removed
    REQUIRE(eventually([&] { return changes == 2 && watcher.watched_folders() == 0; }));

    fs::rename(temp.path / "away", share);
    REQUIRE(eventually([&] { return watcher.watched_folders() == 1 && changes == 3; }));
    int before = changes;
    write(share / "playlist.ini", "x");
    REQUIRE(eventually([&] { return changes > before; }));
}

TEST_CASE("share watcher: says which names at the share's top changed, so alerts/ has a sync of its own",
          "[share-watcher]")
{
    testing::TempDir temp;
    fs::path share = temp.path / "share";
    fs::create_directories(share / "videos");
    std::mutex mutex;
    std::vector<ShareChange> seen;
    ShareWatcher watcher(share.string(), 0.1,
                         [&](const ShareChange& change) {
                             std::lock_guard lock(mutex);
                             seen.push_back(change);
                         },
                         nullptr);
    REQUIRE(eventually([&] { return watcher.watched_folders() == 2; }));
    // Everything the batches since the last call touched.
    auto take = [&] {
        std::lock_guard lock(mutex);
        ShareChange all;
        for (const ShareChange& c : seen) {
            all.everything = all.everything || c.everything;
            all.tops.insert(c.tops.begin(), c.tops.end());
        }
        seen.clear();
        return all;
    };
    auto settled = [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        return take();
    };

    // The alerts folder made after the watch began, then a file dropped into it.
    fs::create_directories(share / "alerts");
    REQUIRE(eventually([&] { return watcher.watched_folders() == 3; }));
    ShareChange made = settled();
    CHECK_FALSE(made.everything);
    CHECK(made.tops == std::set<std::string, std::less<>>{"alerts"});
    CHECK(made.touches("alerts"));
    CHECK_FALSE(made.beyond("alerts"));

    write(share / "alerts" / "fire.txt", "x");
    REQUIRE(eventually([&] {
        std::lock_guard lock(mutex);
        return !seen.empty();
    }));
    ShareChange dropped = settled();
    CHECK(dropped.tops == std::set<std::string, std::less<>>{"alerts"});
    CHECK_FALSE(dropped.beyond("alerts"));

    // Content elsewhere: not the alerts' business.
    write(share / "videos" / "a.mp4", "x");
    write(share / "playlist.ini", "x");
    ShareChange content;
    REQUIRE(eventually([&] {
        ShareChange more = take();
        content.tops.insert(more.tops.begin(), more.tops.end());
        return content.tops.size() == 2;
    }));
    CHECK(content.tops == std::set<std::string, std::less<>>{"playlist.ini", "videos"});
    CHECK_FALSE(content.touches("alerts"));
    CHECK(content.beyond("alerts"));

    settled();  // the last events of those writes

    // The alerts folder removed: the alerts sync empties the alerts.
    fs::remove_all(share / "alerts");
    ShareChange removed;
    REQUIRE(eventually([&] {
        ShareChange more = take();
        removed.tops.insert(more.tops.begin(), more.tops.end());
        return removed.tops.count("alerts") > 0;
    }));
    CHECK(removed.tops == std::set<std::string, std::less<>>{"alerts"});
}

TEST_CASE("share watcher: a share found again counts as a change of everything", "[share-watcher]")
{
    testing::TempDir temp;
    fs::path share = temp.path / "share";
    std::mutex mutex;
    std::vector<ShareChange> seen;
    ShareWatcher watcher(share.string(), 0.05,
                         [&](const ShareChange& change) {
                             std::lock_guard lock(mutex);
                             seen.push_back(change);
                         },
                         nullptr);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // looked for, missing
    fs::create_directories(share);
    REQUIRE(eventually([&] {
        std::lock_guard lock(mutex);
        return !seen.empty();
    }));
    std::lock_guard lock(mutex);
    CHECK(seen.front().everything);
    CHECK(seen.front().touches("alerts"));
    CHECK(seen.front().beyond("alerts"));
}

TEST_CASE("share watcher: a local folder is not a network file system", "[share-watcher]")
{
    testing::TempDir temp;
    CHECK(network_file_system(temp.path.string()).empty());
    CHECK(network_file_system((temp.path / "missing").string()).empty());
}
