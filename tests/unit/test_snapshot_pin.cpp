// The player's pin on the snapshot it plays: later syncs must not prune it, however many.
#include "playlist/share/snapshot_cache.h"
#include "playlist/sync/snapshot_playlist.h"
#include "tests/unit/sync_fixture.h"

#include <catch2/catch.hpp>

using namespace signage;
using namespace signage::testing;

namespace {

std::string commit_one(SnapshotCache& cache, const std::string& playlist_text)
{
    auto id = cache.create_staging();
    REQUIRE(id);
    std::ofstream(cache.staging_dir(*id) + "/playlist.ini") << playlist_text;
    REQUIRE(cache.commit(*id));
    return *id;
}

const char* kPlaylist = "[hello]\ntype = slogan\ntext = one\n";

}  // namespace

TEST_CASE("a pinned snapshot survives later syncs, and once unpinned the next prune removes it", "[cache][pin]")
{
    TempDir temp;
    std::string root = (temp.path / "cache").string();
    auto cache = SnapshotCache::open(root);
    REQUIRE(cache);
    std::string on_screen = commit_one(*cache, kPlaylist);

    std::optional<SnapshotPin> pin = pin_current_snapshot(root);
    REQUIRE(pin);
    CHECK(pin->dir() == cache->snapshot_dir(on_screen));

    // Three quick syncs: without the pin the first would be gone after the second.
    std::string second = commit_one(*cache, kPlaylist);
    std::string third = commit_one(*cache, kPlaylist);
    std::string fourth = commit_one(*cache, kPlaylist);
    CHECK(fs::exists(cache->snapshot_dir(on_screen) + "/playlist.ini"));
    CHECK_FALSE(fs::exists(cache->snapshot_dir(second)));  // neither pinned, current nor previous
    CHECK(cache->current_id() == fourth);
    CHECK(cache->previous_id() == third);

    pin.reset();
    cache->prune();
    CHECK_FALSE(fs::exists(cache->snapshot_dir(on_screen)));
    CHECK(fs::exists(cache->snapshot_dir(third)));
    CHECK(fs::exists(cache->snapshot_dir(fourth)));
}

TEST_CASE("a pin on a removed snapshot fails, and no snapshot means no pin", "[cache][pin]")
{
    TempDir temp;
    std::string root = (temp.path / "cache").string();
    auto cache = SnapshotCache::open(root);
    REQUIRE(cache);
    CHECK_FALSE(pin_current_snapshot(root));
    CHECK_FALSE(SnapshotPin::take(root + "/snapshots/nothing-here"));

    std::string first = commit_one(*cache, kPlaylist);
    std::string dir = cache->snapshot_dir(first);
    fs::remove_all(dir);
    auto pin = SnapshotPin::take(dir);
    REQUIRE_FALSE(pin);
    CHECK(pin.error().file == dir);
}

TEST_CASE("a snapshot playlist holds its snapshot while any copy of it lives", "[cache][pin]")
{
    TempDir temp;
    std::string root = (temp.path / "cache").string();
    auto cache = SnapshotCache::open(root);
    REQUIRE(cache);
    CHECK_FALSE(load_snapshot_playlist(root, "playlist.ini"));

    std::string first = commit_one(*cache, kPlaylist);
    auto loaded = load_snapshot_playlist(root, "playlist.ini");
    REQUIRE(loaded);
    CHECK(loaded->snapshot_dir == cache->snapshot_dir(first));
    // Read from the resolved folder, not through `current`: it keeps its files when current moves on.
    CHECK(loaded->load.playlist.file == cache->snapshot_dir(first) + "/playlist.ini");
    REQUIRE(loaded->load.playlist.items.size() == 1);
    REQUIRE(loaded->load.playlist.hold);

    Playlist in_use = loaded->load.playlist;  // what a show keeps
    loaded.reset();
    commit_one(*cache, kPlaylist);
    commit_one(*cache, kPlaylist);
    CHECK(fs::exists(cache->snapshot_dir(first)));

    in_use = Playlist{};
    cache->prune();
    CHECK_FALSE(fs::exists(cache->snapshot_dir(first)));
}
