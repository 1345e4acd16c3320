// inotify on a local share: writes, new folders and their files, removal of the share, hidden
// names ignored.
#include "playlist/sync/share_watcher.h"
#include "tests/unit/eventually.h"
#include "tests/unit/temp_dir.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

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
    ShareWatcher watcher(share.string(), 0.1, [&] { ++changes; }, nullptr);
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
    ShareWatcher watcher(share.string(), 0.1, [&] { ++changes; }, nullptr);
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
    ShareWatcher watcher(share.string(), 0.05, [&] { ++changes; }, nullptr);
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

TEST_CASE("share watcher: a local folder is not a network file system", "[share-watcher]")
{
    testing::TempDir temp;
    CHECK(network_file_system(temp.path.string()).empty());
    CHECK(network_file_system((temp.path / "missing").string()).empty());
}
