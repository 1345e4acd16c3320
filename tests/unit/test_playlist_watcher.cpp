#include "playlist/timeline/playlist_watcher.h"
#include "tests/unit/eventually.h"
#include "tests/unit/temp_dir.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

using namespace signage;
using signage::testing::eventually;
namespace fs = std::filesystem;

TEST_CASE("a changed playlist is re-read and handed over once", "[watcher]")
{
    testing::TempDir share;
    share.write("playlist.ini", "[a]\ntype = slogan\ntext = one\n");
    auto first = load_playlist((share.path / "playlist.ini").string());
    std::atomic<int> wakes{0};
    PlaylistWatcher watcher(first, 0.05, [&] { ++wakes; });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK_FALSE(watcher.take());  // unchanged: nothing to hand over

    share.write("playlist.ini", "[a]\ntype = slogan\ntext = one\n[b]\ntype = slogan\ntext = two\n");
    std::optional<PlaylistLoad> fresh;
    REQUIRE(eventually([&] { return (fresh = watcher.take()).has_value(); }));
    CHECK(fresh->playlist.items.size() == 2);
    CHECK(wakes >= 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK_FALSE(watcher.take());  // handed over once
}

TEST_CASE("a changed slogans file counts as a playlist change", "[watcher]")
{
    testing::TempDir share;
    share.write("slogans.txt", "甲\n");
    share.write("playlist.ini", "[s]\ntype = slogans\nfile = slogans.txt\n");
    auto first = load_playlist((share.path / "playlist.ini").string());
    REQUIRE(first.playlist.items.size() == 1);
    PlaylistWatcher watcher(first, 0.05, nullptr);
    share.write("slogans.txt", "甲\n乙\n丙\n");
    std::optional<PlaylistLoad> fresh;
    REQUIRE(eventually([&] { return (fresh = watcher.take()).has_value(); }));
    CHECK(fresh->playlist.items.size() == 3);
}

TEST_CASE("the fingerprint changes with content and notices a missing file", "[watcher]")
{
    testing::TempDir share;
    share.write("playlist.ini", "[a]\ntype = slogan\ntext = x\n");
    auto load = load_playlist((share.path / "playlist.ini").string());
    std::string before = playlist_fingerprint(load.playlist);
    share.write("playlist.ini", "[a]\ntype = slogan\ntext = xy\n");
    CHECK(playlist_fingerprint(load.playlist) != before);
    fs::remove(share.path / "playlist.ini");
    CHECK_THAT(playlist_fingerprint(load.playlist), Catch::Contains("missing"));
}

TEST_CASE("a replacement playlist is loaded on the watcher thread, handed over, then watched", "[watcher]")
{
    testing::TempDir temp;
    temp.write("old/playlist.ini", "[a]\ntype = slogan\ntext = one\n");
    temp.write("new/playlist.ini", "[a]\ntype = slogan\ntext = one\n[b]\ntype = slogan\ntext = two\n");
    auto first = load_playlist(temp.file("old/playlist.ini"));
    std::atomic<int> wakes{0};
    PlaylistWatcher watcher(first, 3600, [&] { ++wakes; });  // no poll during the test: only the request counts

    watcher.replace_with([] { return std::optional<PlaylistLoad>{}; });  // nothing to load: nothing handed over
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK_FALSE(watcher.take());

    std::string file = temp.file("new/playlist.ini");
    watcher.replace_with([file] { return std::optional<PlaylistLoad>(load_playlist(file)); });
    std::optional<PlaylistLoad> fresh;
    REQUIRE(eventually([&] { return (fresh = watcher.take()).has_value(); }));
    CHECK(fresh->playlist.file == file);
    CHECK(fresh->playlist.items.size() == 2);
    CHECK(wakes == 1);
}

TEST_CASE("the watcher lets go of the start-up playlist's hold once it watches another", "[watcher]")
{
    testing::TempDir temp;
    temp.write("a.ini", "[a]\ntype = slogan\ntext = one\n");
    temp.write("b.ini", "[b]\ntype = slogan\ntext = two\n");
    auto first = load_playlist(temp.file("a.ini"));
    auto hold = std::make_shared<int>(1);
    first.playlist.hold = hold;
    std::weak_ptr<int> watched_hold = hold;
    hold.reset();
    {
        PlaylistWatcher watcher(first, 3600, nullptr);
        first.playlist.hold.reset();
        CHECK_FALSE(watched_hold.expired());  // the watcher's own copy

        std::string file = temp.file("b.ini");
        watcher.replace_with([file] { return std::optional<PlaylistLoad>(load_playlist(file)); });
        REQUIRE(eventually([&] { return watcher.take().has_value(); }));
        CHECK(eventually([&] { return watched_hold.expired(); }, 1));
    }
}
