#include "playlist/share/snapshot_cache.h"
#include "tests/unit/sync_fixture.h"

#include <catch2/catch.hpp>

using namespace signage;
using namespace signage::testing;

namespace {

std::string stage(SnapshotCache& cache, const std::string& content)
{
    auto id = cache.create_staging();
    REQUIRE(id);
    std::ofstream(cache.staging_dir(*id) + "/file.txt") << content;
    return *id;
}

}  // namespace

TEST_CASE("commit switches current, keeps the one before as previous, removes older ones", "[cache]")
{
    TempDir temp;
    std::string root = (temp.path / "cache").string();
    auto cache = SnapshotCache::open(root);
    REQUIRE(cache);
    CHECK_FALSE(cache->current_id());
    CHECK_FALSE(current_snapshot_dir(root));

    std::string first = stage(*cache, "one");
    REQUIRE(cache->commit(first));
    CHECK(cache->current_id() == first);
    CHECK_FALSE(cache->previous_id());
    CHECK(read_bytes(*current_snapshot_dir(root) + "/file.txt") == "one");
    CHECK(fs::read_symlink(temp.path / "cache/current") == fs::path("snapshots/" + first));  // relative

    std::vector<SyncStep> steps;
    std::string second = stage(*cache, "two");
    REQUIRE(cache->commit(second, [&](SyncStep s) { steps.push_back(s); }));
    CHECK(steps == std::vector<SyncStep>{SyncStep::Stored, SyncStep::PreviousSwitched, SyncStep::CurrentSwitched,
                                         SyncStep::Pruned});
    CHECK(cache->current_id() == second);
    CHECK(cache->previous_id() == first);

    std::string third = stage(*cache, "three");
    REQUIRE(cache->commit(third));
    CHECK(cache->previous_id() == second);
    CHECK_FALSE(fs::exists(cache->snapshot_dir(first)));
    CHECK(fs::exists(cache->snapshot_dir(second)));
}

TEST_CASE("rollback makes previous current, and a second rollback undoes it", "[cache]")
{
    TempDir temp;
    std::string root = (temp.path / "cache").string();
    auto cache = SnapshotCache::open(root);
    REQUIRE(cache);
    CHECK_THAT(cache->rollback().error().message, Catch::Contains("no previous snapshot"));
    std::string first = stage(*cache, "one");
    REQUIRE(cache->commit(first));
    std::string second = stage(*cache, "two");
    REQUIRE(cache->commit(second));
    REQUIRE(cache->rollback());
    CHECK(cache->current_id() == first);
    CHECK(cache->previous_id() == second);
    CHECK(read_bytes(*current_snapshot_dir(root) + "/file.txt") == "one");
    REQUIRE(cache->rollback());
    CHECK(cache->current_id() == second);
}

TEST_CASE("one sync at a time; leftovers of a killed one are removed on open", "[cache]")
{
    TempDir temp;
    std::string root = (temp.path / "cache").string();
    std::string kept;
    {
        auto cache = SnapshotCache::open(root);
        REQUIRE(cache);
        auto second = SnapshotCache::open(root);
        REQUIRE_FALSE(second);
        CHECK_THAT(second.error().message, Catch::Contains("another sync is using this cache"));
        kept = stage(*cache, "kept");
        REQUIRE(cache->commit(kept));
        stage(*cache, "abandoned");  // a staging folder, as a killed sync leaves it
        fs::create_directories(temp.path / "cache/snapshots/orphan");
        fs::create_symlink("snapshots/orphan", temp.path / "cache/current.tmp");
    }  // lock released here
    auto cache = SnapshotCache::open(root);
    REQUIRE(cache);
    std::vector<std::string> names;
    for (auto& e : fs::directory_iterator(root))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"current", "lock", "snapshots"});
    CHECK_FALSE(fs::exists(temp.path / "cache/snapshots/orphan"));
    CHECK(cache->current_id() == kept);
}
