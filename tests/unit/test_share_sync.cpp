#include "playlist/share/publish.h"
#include "playlist/sync/share_sync.h"
#include "tests/unit/sync_fixture.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <sys/mount.h>
#include <thread>

using namespace signage;
using namespace signage::testing;

namespace {

SyncReport sync_ok(const SyncOptions& options)
{
    auto report = sync_share(options);
    if (!report)
        FAIL(report.error().to_string());
    return std::move(*report);
}

std::string failure(const SyncOptions& options)
{
    auto report = sync_share(options);
    REQUIRE_FALSE(report);
    return report.error().to_string();
}

std::string all_messages(const std::vector<Error>& errors)
{
    std::string out;
    for (const auto& e : errors)
        out += e.to_string() + "\n";
    return out;
}

ino_t inode(const fs::path& path)
{
    struct stat info {};
    ::stat(path.c_str(), &info);
    return info.st_ino;
}

}  // namespace

TEST_CASE("the first sync copies the share into a snapshot that becomes current", "[sync]")
{
    SyncFixture f;
    f.put_playlist({"posters/a.png"});
    f.put("posters/a.png", pattern(30000, 1));
    f.put("slogans/extra.txt", "more");
    auto report = sync_ok(f.options());
    CHECK(report.changed);
    CHECK(report.files == 3);
    CHECK(report.files_copied == 3);
    CHECK(report.files_linked == 0);
    CHECK(report.bytes_copied == fs::file_size(f.share / "playlist.ini") + 30000 + 4);
    CHECK(f.current_file("posters/a.png") == pattern(30000, 1));
    CHECK(f.current_id() == report.snapshot);
    CHECK(cache_problem(f.cache) == "");
    // Snapshot files are read-only and carry the share's modification time.
    struct stat copied {};
    struct stat original {};
    ::stat((f.current() / "posters/a.png").c_str(), &copied);
    ::stat((f.share / "posters/a.png").c_str(), &original);
    CHECK((copied.st_mode & 0777) == 0444);
    CHECK(same_mtime(copied.st_mtim, original.st_mtim));
}

TEST_CASE("one file changed out of 1000: only it is copied, the rest are hard links", "[sync]")
{
    SyncFixture f;
    std::vector<std::string> images;
    for (int i = 0; i < 1000; ++i) {
        std::string name = "media/" + std::to_string(i / 100) + "/file-" + std::to_string(i) + ".png";
        f.put(name, pattern(1024, static_cast<unsigned>(i)));
        if (i % 100 == 0)
            images.push_back(name);
    }
    f.put_playlist(images);
    auto first = sync_ok(f.options());
    REQUIRE(first.files == 1001);
    REQUIRE(first.files_copied == 1001);

    auto unchanged = sync_ok(f.options());
    CHECK_FALSE(unchanged.changed);
    CHECK(unchanged.bytes_copied == 0);
    CHECK(unchanged.snapshot == first.snapshot);
    CHECK(f.snapshot_count() == 1);

    // Same size, new content and time (set explicitly: two writes within one clock tick share
    // an mtime, and neither rsync nor we could tell them apart by size and time).
    fs::path changed = f.put("media/4/file-437.png", pattern(1024, 99999), 300);
    auto second = sync_ok(f.options());
    CHECK(second.changed);
    CHECK(second.files == 1001);
    CHECK(second.files_copied == 1);
    CHECK(second.bytes_copied == 1024);
    CHECK(second.files_linked == 1000);
    CHECK(second.files_removed == 0);
    CHECK(f.current_file("media/4/file-437.png") == pattern(1024, 99999));
    fs::path old_snapshot = f.cache / "snapshots" / first.snapshot;
    CHECK(inode(f.current() / "media/4/file-436.png") == inode(old_snapshot / "media/4/file-436.png"));
    CHECK(inode(f.current() / "media/4/file-437.png") != inode(old_snapshot / "media/4/file-437.png"));
    CHECK(read_bytes(old_snapshot / "media/4/file-437.png") == pattern(1024, 437));  // previous intact
    CHECK(fs::read_symlink(f.cache / "previous").filename() == first.snapshot);
    CHECK(cache_problem(f.cache) == "");
}

TEST_CASE("deleted files leave the next snapshot; hidden files never enter one", "[sync]")
{
    SyncFixture f;
    f.put_playlist({});
    f.put("old.png", "old");
    f.put(".DS_Store", "junk");
    sync_ok(f.options());
    CHECK(f.in_current("old.png"));
    CHECK_FALSE(f.in_current(".DS_Store"));
    fs::remove(f.share / "old.png");
    auto report = sync_ok(f.options());
    CHECK(report.changed);
    CHECK(report.files_removed == 1);
    CHECK(report.hidden_skipped == 1);
    CHECK_FALSE(f.in_current("old.png"));
}

TEST_CASE("a file still being written is never taken half", "[sync]")
{
    SyncFixture f;
    f.put_playlist({});
    f.put("video.mp4", pattern(8000, 1));
    sync_ok(f.options());

    // A writer appends to a new file and rewrites an existing one, a chunk every 10 ms.
    std::atomic<bool> stop{false};
    std::string growing = pattern(400 * 1024, 2);
    std::string rewritten = pattern(200 * 1024, 3);
    std::thread writer([&] {
        std::ofstream fresh(f.share / "growing.mp4", std::ios::binary);
        std::ofstream over(f.share / "video.mp4", std::ios::binary | std::ios::trunc);
        for (size_t at = 0; at < growing.size() && !stop; at += 4096) {
            fresh.write(growing.data() + at, 4096).flush();
            if (at < rewritten.size())
                over.write(rewritten.data() + at, 4096).flush();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto during = sync_share(f.options(0.3));
    stop = true;
    writer.join();
    REQUIRE(during);
    CHECK_FALSE(f.in_current("growing.mp4"));
    CHECK(f.current_file("video.mp4") == pattern(8000, 1));  // the previous version plays on
    std::string reasons = all_messages(during->not_taken);
    CHECK_THAT(reasons, Catch::Contains("growing.mp4: still being written"));
    CHECK_THAT(reasons, Catch::Contains("left out for now"));
    CHECK_THAT(reasons, Catch::Contains("video.mp4: still being written"));
    CHECK_THAT(reasons, Catch::Contains("the previous version is kept"));
    CHECK(cache_problem(f.cache) == "");

    // Once quiet for the settle time, the complete files are taken.
    std::this_thread::sleep_for(std::chrono::milliseconds(350));
    auto after = sync_ok(f.options(0.3));
    CHECK(after.not_taken.empty());
    std::string taken = f.current_file("growing.mp4");
    CHECK(taken == read_bytes(f.share / "growing.mp4"));
    CHECK(growing.starts_with(taken));
    CHECK(f.current_file("video.mp4") == read_bytes(f.share / "video.mp4"));
}

TEST_CASE("a fresh file is taken only after the settle time, and the wait is reported", "[sync]")
{
    SyncFixture f;
    f.put_playlist({});
    f.put("new.png", "fresh", -1);
    auto report = sync_ok(f.options(0.2));
    CHECK(f.in_current("new.png"));
    CHECK(report.settle_wait_seconds > 0.1);
    CHECK(report.settle_wait_seconds < 1);
}

TEST_CASE("the share removed mid-sync: the sync fails, current is untouched", "[sync]")
{
    SyncFixture f;
    for (int i = 0; i < 20; ++i)
        f.put("f" + std::to_string(i) + ".png", pattern(2000, static_cast<unsigned>(i)));
    f.put_playlist({"f0.png"});
    auto first = sync_ok(f.options());
    for (int i = 0; i < 20; ++i)
        f.put("f" + std::to_string(i) + ".png", pattern(2000, static_cast<unsigned>(i + 100)), 300);

    SECTION("during the copies")
    {
        int copies = 0;
        auto options = f.options();
        options.on_step = [&](SyncStep step, const std::string&) {
            if (step == SyncStep::Copying && ++copies == 5)
                fs::remove_all(f.share);
        };
        CHECK_THAT(failure(options), Catch::Contains("the share disappeared during the sync"));
    }
    SECTION("after the last copy, before the switch")
    {
        auto options = f.options();
        options.on_step = [&](SyncStep step, const std::string&) {
            if (step == SyncStep::Verified)
                fs::rename(f.share, f.temp.path / "moved-away");
        };
        CHECK_THAT(failure(options), Catch::Contains("the share disappeared during the sync"));
    }
    SECTION("replaced by an empty folder of the same name (a mount point without its mount)")
    {
        auto options = f.options();
        options.on_step = [&](SyncStep step, const std::string&) {
            if (step == SyncStep::Scanned) {
                fs::rename(f.share, f.temp.path / "moved-away");
                fs::create_directories(f.share);
            }
        };
        CHECK_THAT(failure(options), Catch::Contains("the share disappeared during the sync"));
    }
    SECTION("gone before the sync starts")
    {
        fs::remove_all(f.share);
        CHECK_THAT(failure(f.options()), Catch::Contains("share not reachable"));
    }
    SECTION("an empty share (unmounted) has no playlist")
    {
        fs::remove_all(f.share);
        fs::create_directories(f.share);
        CHECK_THAT(failure(f.options()), Catch::Contains("playlist.ini: the playlist is not on the share"));
    }
    CHECK(f.current_id() == first.snapshot);
    CHECK(f.current_file("f3.png") == pattern(2000, 3));
    CHECK_FALSE(f.has_staging());
    CHECK(cache_problem(f.cache) == "");
}

TEST_CASE("with a manifest on the share, a file that does not match it is not taken", "[sync]")
{
    SyncFixture f;
    f.put_playlist({"a.png"});
    f.put("a.png", pattern(5000, 1));
    f.put("b.png", pattern(5000, 2));
    REQUIRE(publish_manifest(f.share.string(), ScanLimits{}));
    sync_ok(f.options());

    SECTION("changed after publish, same size")
    {
        f.put("b.png", pattern(5000, 3), 300);
        auto report = sync_ok(f.options());
        CHECK(f.current_file("b.png") == pattern(5000, 2));
        CHECK_THAT(all_messages(report.not_taken), Catch::Contains("b.png: does not match manifest.txt"));
        CHECK_THAT(all_messages(report.not_taken), Catch::Contains("the previous version is kept"));
    }
    SECTION("another size than listed: not even copied")
    {
        f.put("b.png", pattern(7000, 3), 300);
        auto report = sync_ok(f.options());
        CHECK(report.bytes_copied == 0);
        CHECK(f.current_file("b.png") == pattern(5000, 2));
        CHECK_THAT(all_messages(report.not_taken), Catch::Contains("manifest.txt says 5000"));
    }
    SECTION("same size and time but another checksum in the manifest: copied and checked")
    {
        auto text = read_bytes(f.share / "manifest.txt");
        auto at = text.find(" 5000 b.png");
        REQUIRE(at != std::string::npos);
        text.replace(at - 64, 64, std::string(64, 'f'));
        f.put("manifest.txt", text);
        auto report = sync_ok(f.options());
        CHECK(report.bytes_copied == 5000 + fs::file_size(f.share / "manifest.txt"));  // both changed
        CHECK_THAT(all_messages(report.not_taken), Catch::Contains("b.png: does not match manifest.txt"));
    }
    SECTION("a fresh file that matches is taken without waiting for it to settle")
    {
        f.put("c.png", pattern(3000, 4), 0);
        REQUIRE(publish_manifest(f.share.string(), ScanLimits{}));
        set_age(f.share / "manifest.txt", 600);
        auto report = sync_ok(f.options(30));
        CHECK(f.current_file("c.png") == pattern(3000, 4));
        CHECK(report.settle_wait_seconds == 0);
        CHECK(report.not_taken.empty());
    }
    SECTION("a malformed manifest fails the sync with its line")
    {
        f.put("manifest.txt", "signage-manifest 1\nnonsense\nend 0\n");
        CHECK_THAT(failure(f.options()), Catch::Contains("manifest.txt:2: expected \"<sha256> <size> <path>\""));
    }
    CHECK(cache_problem(f.cache) == "");
}

TEST_CASE("a sync that would fill the disk is refused", "[sync]")
{
    SyncFixture f;
    f.put_playlist({});
    f.put("big.bin", pattern(100000, 1));
    SECTION("min_free_mb above the free space")
    {
        auto options = f.options();
        options.min_free_bytes = uint64_t{1} << 60;
        CHECK_THAT(failure(options), Catch::Contains("would leave less than [content] min_free_mb"));
        CHECK_FALSE(fs::exists(f.current()));
    }
    SECTION("a really full disk (a 256 KB tmpfs), when mounting is allowed")
    {
        fs::create_directories(f.cache);
        if (::mount("tmpfs", f.cache.c_str(), "tmpfs", 0, "size=256k") != 0) {
            SUCCEED("cannot mount a tmpfs here (not root): skipped");
            return;
        }
        struct Unmount {
            fs::path path;
            ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
        } unmount{f.cache};
        sync_ok(f.options());  // 100 KB fits
        f.put("big.bin", pattern(100000, 2), 300);
        f.put("more.bin", pattern(100000, 3), 300);
        CHECK_THAT(failure(f.options()), Catch::Contains("not enough free space"));  // 200 KB, ~150 KB free
        fs::remove(f.share / "more.bin");
        // The estimate passes, then something else fills the disk during the copy: ENOSPC.
        auto options = f.options();
        bool filled = false;
        options.on_step = [&](SyncStep step, const std::string&) {
            if (step != SyncStep::Copying || filled)
                return;
            filled = true;
            std::ofstream filler(f.cache / "filler", std::ios::binary);
            std::string block(4096, 'x');
            while (filler.write(block.data(), static_cast<std::streamsize>(block.size())))
                filler.flush();
        };
        CHECK_THAT(failure(options), Catch::Contains("the cache's disk is full"));
        fs::remove(f.cache / "filler");
        CHECK(f.current_file("big.bin") == pattern(100000, 1));
        CHECK_FALSE(f.has_staging());
        CHECK(cache_problem(f.cache) == "");
    }
}

TEST_CASE("path escapes on the share are refused and never reach the snapshot", "[sync]")
{
    SyncFixture f;
    fs::path outside = f.temp.path / "outside";
    fs::create_directories(outside);
    std::ofstream(outside / "secret.txt") << "secret";
    f.put_playlist({"poster.png"});
    f.put("poster.png", "poster");
    fs::create_symlink("../outside/secret.txt", f.share / "secret.txt");
    fs::create_symlink("../outside", f.share / "linked-dir");
    fs::create_symlink("/etc", f.share / "etc");
    REQUIRE(::mkfifo((f.share / "pipe").c_str(), 0644) == 0);
    f.put(std::string("evil\nname.png"), "x");
    auto report = sync_ok(f.options());
    std::string refused = all_messages(report.refused);
    CHECK_THAT(refused, Catch::Contains("secret.txt: is a link to ../outside/secret.txt, outside the share"));
    CHECK_THAT(refused, Catch::Contains("linked-dir: is a link to ../outside, outside the share"));
    CHECK_THAT(refused, Catch::Contains("etc: is a link to an absolute path"));
    CHECK_THAT(refused, Catch::Contains("pipe: is a FIFO"));
    CHECK_THAT(refused, Catch::Contains("evil\\x0aname.png: name contains a control character"));
    std::vector<std::string> held;
    for (auto& e : fs::recursive_directory_iterator(f.current()))
        held.push_back(fs::relative(e.path(), f.current()).string());
    std::sort(held.begin(), held.end());
    CHECK(held == std::vector<std::string>{".snapshot-manifest.txt", "playlist.ini", "poster.png"});

    SECTION("a playlist naming a refused file fails the sync, saying why")
    {
        f.put_playlist({"poster.png", "secret.txt"}, "v2", 300);
        std::string why = failure(f.options());
        CHECK_THAT(why, Catch::Contains("playlist.ini:9: names secret.txt, which is a link to ../outside/secret.txt"));
    }
    SECTION("a folder swapped for a link to outside between scan and copy is not followed")
    {
        f.put("sub/f.txt", "inside");
        auto options = f.options();
        options.on_step = [&](SyncStep step, const std::string& path) {
            if (step == SyncStep::Copying && path == "sub/f.txt") {
                fs::rename(f.share / "sub", f.temp.path / "sub-away");
                fs::create_symlink("../outside", f.share / "sub");
                std::ofstream(outside / "f.txt") << "outside!";
            }
        };
        auto swapped = sync_ok(options);
        CHECK_FALSE(f.in_current("sub/f.txt"));
        CHECK_THAT(all_messages(swapped.not_taken), Catch::Contains("sub/f.txt: was replaced by a link"));
    }
}

TEST_CASE("the playlist and every file it names must be in the new snapshot", "[sync]")
{
    SyncFixture f;
    f.put_playlist({"a.png"});
    f.put("a.png", "a");
    auto first = sync_ok(f.options());

    SECTION("a missing poster")
    {
        f.put_playlist({"a.png", "posters/missing.png"}, "v2", 300);
        CHECK_THAT(failure(f.options()), Catch::Contains("playlist.ini:9: names posters/missing.png, which is not on "
                                                         "the share"));
    }
    SECTION("a poster still being copied (new, not settled)")
    {
        f.put_playlist({"a.png", "b.png"}, "v2", 300);
        f.put("b.png", "b", -1);
        auto options = f.options(0.2);
        options.on_step = [&](SyncStep step, const std::string&) {
            if (step == SyncStep::Copied)
                f.put("b.png", "bb", -1);  // still growing
        };
        CHECK_THAT(failure(options), Catch::Contains("names b.png, which was not taken: still being written"));
    }
    SECTION("no playlist at all")
    {
        fs::remove(f.share / "playlist.ini");
        CHECK_THAT(failure(f.options()), Catch::Contains("the playlist is not on the share"));
    }
    SECTION("a playlist with nothing playable")
    {
        f.put("playlist.ini", "[broken]\ntype = nonsense\n", 300);
        CHECK_THAT(failure(f.options()), Catch::Contains("the playlist has no item that can play: "));
    }
    SECTION("a playlist in a subfolder, as [content] playlist says")
    {
        f.put("lobby/list.ini", "[p]\ntype = image\nfile = p.png\n", 300);
        f.put("lobby/p.png", "p", 300);
        auto options = f.options();
        options.playlist = "lobby/list.ini";
        CHECK(sync_ok(options).changed);
        return;
    }
    CHECK(f.current_id() == first.snapshot);
    CHECK_FALSE(f.has_staging());
}

TEST_CASE("rollback returns to the previous snapshot", "[sync]")
{
    SyncFixture f;
    f.put_playlist({}, "v1");
    sync_ok(f.options());
    f.put_playlist({}, "v2", 300);
    sync_ok(f.options());
    CHECK_THAT(f.current_file("playlist.ini"), Catch::Contains("v2"));
    REQUIRE(rollback_snapshot(f.cache.string()));
    CHECK_THAT(f.current_file("playlist.ini"), Catch::Contains("v1"));
    REQUIRE(rollback_snapshot(f.cache.string()));
    CHECK_THAT(f.current_file("playlist.ini"), Catch::Contains("v2"));
}

TEST_CASE("a sync can be cancelled, and only one runs at a time", "[sync]")
{
    SyncFixture f;
    f.put_playlist({});
    for (int i = 0; i < 10; ++i)
        f.put("f" + std::to_string(i), pattern(1000, static_cast<unsigned>(i)));
    std::atomic<bool> cancel{false};
    auto options = f.options();
    options.cancel = &cancel;
    options.on_step = [&](SyncStep step, const std::string&) {
        if (step == SyncStep::Copied)
            cancel = true;
    };
    CHECK_THAT(failure(options), Catch::Contains("sync cancelled"));
    CHECK_FALSE(fs::exists(f.current()));
    CHECK_FALSE(f.has_staging());

    auto held = SnapshotCache::open(f.cache.string());
    REQUIRE(held);
    CHECK_THAT(failure(f.options()), Catch::Contains("another sync is using this cache"));
}

TEST_CASE("a cache inside the share is refused", "[sync]")
{
    SyncFixture f;
    auto options = f.options();
    options.cache = (f.share / "cache").string();
    CHECK_THAT(failure(options), Catch::Contains("the cache is inside the share"));
}

TEST_CASE("sync options come from the config", "[sync]")
{
    auto load = parse_config_text("[content]\nshare = /mnt/share/\ncache = cache\nsettle = 500ms\nmin_free_mb = 10\n"
                                  "[limits]\nmax_file_mb = 3\n",
                                  "/etc/sp/player.ini", "/etc/sp");
    REQUIRE(load.errors.empty());
    SyncOptions o = sync_options_from_config(load.config);
    CHECK(o.share == "/mnt/share/");
    CHECK(o.cache == "/etc/sp/cache");
    CHECK(o.playlist == "playlist.ini");
    CHECK(o.settle_seconds == 0.5);
    CHECK(o.min_free_bytes == 10u << 20);
    CHECK(o.limits.max_file_bytes == 3u << 20);
    Config defaults = default_config();
    CHECK(defaults.share.empty());
    CHECK(defaults.cache == "/var/lib/signage-player");
    CHECK(defaults.sync_every == 60);
    CHECK(defaults.min_free_mb == 512);
}
