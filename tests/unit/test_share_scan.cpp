#include "playlist/share/share_scan.h"
#include "tests/unit/sync_fixture.h"

#include <catch2/catch.hpp>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <sys/un.h>

using namespace signage;
using namespace signage::testing;

namespace {

ShareListing scan(const fs::path& share, ScanLimits limits = {})
{
    auto root = ShareRoot::open(share.string());
    REQUIRE(root);
    auto listing = scan_share(*root, limits);
    REQUIRE(listing);
    return std::move(*listing);
}

std::vector<std::string> paths(const ShareListing& listing)
{
    std::vector<std::string> out;
    for (const auto& f : listing.files)
        out.push_back(f.path);
    return out;
}

std::string refusal(const ShareListing& listing, const fs::path& path)
{
    for (const auto& e : listing.refused)
        if (e.file == path.string())
            return e.message;
    return "(not refused)";
}

}  // namespace

TEST_CASE("a scan lists regular files sorted, with sizes, skipping hidden ones", "[scan]")
{
    SyncFixture f;
    f.put("b.txt", "bb");
    f.put("a/z.png", "zzz");
    f.put("a/.hidden", "h");
    f.put(".rsync-temp.XXXX", "partial");
    f.put(".git/config", "x");
    auto listing = scan(f.share);
    CHECK(paths(listing) == std::vector<std::string>{"a/z.png", "b.txt"});
    CHECK(listing.files[0].size == 3);
    CHECK(listing.hidden == 3);
    CHECK(listing.refused.empty());
}

TEST_CASE("links and special files that could lead outside the share are refused, named", "[scan]")
{
    SyncFixture f;
    fs::path outside = f.temp.path / "outside";
    fs::create_directories(outside);
    std::ofstream(outside / "secret.txt") << "secret";
    f.put("real/poster.png", "poster");
    fs::create_symlink("../outside/secret.txt", f.share / "up-link");
    fs::create_symlink("/etc/passwd", f.share / "absolute-link");
    fs::create_symlink("../outside", f.share / "dir-out");
    fs::create_symlink((outside).string(), f.share / "dir-out-absolute");
    fs::create_symlink("real", f.share / "dir-in");
    fs::create_symlink("real/poster.png", f.share / "alias.png");
    fs::create_symlink("nowhere.png", f.share / "dangling.png");
    fs::create_symlink("alias.png", f.share / "chain.png");
    REQUIRE(::mkfifo((f.share / "pipe").c_str(), 0644) == 0);
    int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::string sock_path = (f.share / "sock").string();
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", sock_path.c_str());
    REQUIRE(::bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    ::close(sock);
    bool root_user = ::geteuid() == 0;
    if (root_user)
        REQUIRE(::mknod((f.share / "null-device").c_str(), S_IFCHR | 0644, makedev(1, 3)) == 0);
    f.put(std::string("bad\x01name.png"), "x");

    auto listing = scan(f.share);
    // The in-share link to a file is taken as that file; nothing else but the real file.
    CHECK(paths(listing) == std::vector<std::string>{"alias.png", "real/poster.png"});
    CHECK(listing.files[0].source == "real/poster.png");
    CHECK_THAT(refusal(listing, f.share / "up-link"), Catch::Contains("outside the share; refused"));
    CHECK_THAT(refusal(listing, f.share / "absolute-link"), Catch::Contains("absolute path (/etc/passwd)"));
    CHECK_THAT(refusal(listing, f.share / "dir-out"), Catch::Contains("outside the share"));
    CHECK_THAT(refusal(listing, f.share / "dir-out-absolute"), Catch::Contains("absolute path"));
    CHECK_THAT(refusal(listing, f.share / "dir-in"), Catch::Contains("link to a folder"));
    CHECK_THAT(refusal(listing, f.share / "dangling.png"), Catch::Contains("does not exist"));
    CHECK_THAT(refusal(listing, f.share / "chain.png"), Catch::Contains("a link itself"));
    CHECK_THAT(refusal(listing, f.share / "pipe"), Catch::Contains("FIFO"));
    CHECK_THAT(refusal(listing, f.share / "sock"), Catch::Contains("socket"));
    if (root_user)
        CHECK_THAT(refusal(listing, f.share / "null-device"), Catch::Contains("device file"));
    CHECK_THAT(refusal(listing, f.share / "bad\\x01name.png"), Catch::Contains("control character"));
}

TEST_CASE("limits: file size and depth refuse, too many entries fail the scan", "[scan]")
{
    SyncFixture f;
    f.put("small.bin", std::string(1000, 's'));
    f.put("big.bin", std::string(5000, 'b'));
    f.put("a/b/c/deep.txt", "deep");
    ScanLimits limits;
    limits.max_file_bytes = 4096;
    limits.max_depth = 2;
    auto listing = scan(f.share, limits);
    CHECK(paths(listing) == std::vector<std::string>{"small.bin"});
    CHECK_THAT(refusal(listing, f.share / "big.bin"), Catch::Contains("max_file_mb"));
    CHECK_THAT(refusal(listing, f.share / "a/b/c"), Catch::Contains("nested more than 2 folders"));

    limits.max_entries = 3;
    auto root = ShareRoot::open(f.share.string());
    REQUIRE(root);
    auto too_many = scan_share(*root, limits);
    REQUIRE_FALSE(too_many);
    CHECK_THAT(too_many.error().message, Catch::Contains("more than 3 files and folders"));
}

TEST_CASE("opening below the share refuses a link swapped in after the scan", "[scan]")
{
    SyncFixture f;
    fs::path outside = f.temp.path / "outside";
    fs::create_directories(outside);
    std::ofstream(outside / "f.txt") << "outside";
    f.put("sub/f.txt", "inside");
    auto root = ShareRoot::open(f.share.string());
    REQUIRE(root);
    UniqueFd fd;
    CHECK(root->open_file("sub/f.txt", fd) == 0);

    fs::rename(f.share / "sub", f.temp.path / "sub-moved");
    fs::create_symlink(outside, f.share / "sub");
    int through_link = root->open_file("sub/f.txt", fd);
    CHECK((through_link == ELOOP || through_link == ENOTDIR));
    fs::remove(f.share / "sub");
    fs::create_directories(f.share / "sub");
    fs::create_symlink(outside / "f.txt", f.share / "sub/f.txt");
    CHECK(root->open_file("sub/f.txt", fd) == ELOOP);
}

TEST_CASE("a share that is removed or replaced is no longer there", "[scan]")
{
    SyncFixture f;
    auto root = ShareRoot::open(f.share.string());
    REQUIRE(root);
    CHECK(root->still_there());
    fs::rename(f.share, f.temp.path / "elsewhere");
    fs::create_directories(f.share);
    CHECK_FALSE(root->still_there());  // same name, other folder (a mount point without its mount)
    auto gone = ShareRoot::open((f.temp.path / "nothing").string());
    REQUIRE_FALSE(gone);
    CHECK_THAT(gone.error().message, Catch::Contains("share not reachable"));
}
