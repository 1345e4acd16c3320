#include "playlist/share/manifest.h"
#include "playlist/share/publish.h"
#include "playlist/base/sha256.h"
#include "tests/unit/sync_fixture.h"

#include <catch2/catch.hpp>

using namespace signage;
using namespace signage::testing;

namespace {

const std::string kSha(64, 'a');

std::string manifest_text(const std::string& body)
{
    return "signage-manifest 1\n" + body;
}

}  // namespace

TEST_CASE("a manifest survives formatting and parsing", "[manifest]")
{
    Manifest m;
    m.entries = {{"posters/b c.png", 12, kSha}, {"a.txt", 0, std::string(64, '0')}, {"中文/海报.jpg", 99, kSha}};
    REQUIRE(m.sort_and_check_unique());
    std::string text = format_manifest(m, "a comment");
    auto parsed = parse_manifest(text, "manifest.txt");
    REQUIRE(parsed);
    REQUIRE(parsed->entries.size() == 3);
    CHECK(parsed->entries[0].path == "a.txt");
    CHECK(parsed->find("posters/b c.png")->size == 12);
    CHECK(parsed->find("中文/海报.jpg")->sha256 == kSha);
    CHECK(parsed->find("missing") == nullptr);
    CHECK(format_manifest(*parsed, "a comment") == text);
}

TEST_CASE("Windows line ends are read like Unix ones", "[manifest]")
{
    auto parsed = parse_manifest("signage-manifest 1\r\n" + kSha + " 5 a.txt\r\nend 1\r\n", "m");
    REQUIRE(parsed);
    CHECK(parsed->entries[0].path == "a.txt");
}

TEST_CASE("every malformed manifest is refused with its line", "[manifest]")
{
    struct Case {
        std::string text;
        int line;
        std::string message;
    };
    const std::string ok = kSha + " 5 a.txt\n";
    const Case cases[] = {
        {"", 0, "empty file"},
        {"hello\n", 1, "not a signage-player manifest"},
        {"signage-manifest 2\nend 0\n", 1, "manifest format 2 is not understood"},
        {manifest_text(ok), 2, "no \"end\" line"},
        {manifest_text(ok + "end 1"), 3, "cut short"},
        {manifest_text(ok + "end 2\n"), 3, "\"end\" says 2 files, the manifest lists 1"},
        {manifest_text(ok + "end 1\n#x\n"), 4, "text after the \"end\" line"},
        {manifest_text("abc 5 a.txt\nend 1\n"), 2, "bad SHA-256"},
        {manifest_text(std::string(64, 'A') + " 5 a.txt\nend 1\n"), 2, "64 lowercase hex digits"},
        {manifest_text(kSha + " -5 a.txt\nend 1\n"), 2, "bad size"},
        {manifest_text(kSha + " 05 a.txt\nend 1\n"), 2, "bad size"},
        {manifest_text(kSha + " 99999999999999999999 a.txt\nend 1\n"), 2, "bad size"},
        {manifest_text(kSha + " 5\nend 1\n"), 2, "expected \"<sha256> <size> <path>\""},
        {manifest_text(kSha + " 5 /etc/passwd\nend 1\n"), 2, "absolute path"},
        {manifest_text(kSha + " 5 ../up\nend 1\n"), 2, "\"..\" in a path"},
        {manifest_text(kSha + " 5 a/./b\nend 1\n"), 2, "\".\" in a path"},
        {manifest_text(kSha + " 5 a//b\nend 1\n"), 2, "empty path component"},
        {manifest_text(kSha + " 5 dir/\nend 1\n"), 2, "empty path component"},
        {manifest_text(kSha + " 5 \nend 1\n"), 2, "empty path"},
        {manifest_text(kSha + " 5 a\tb\nend 1\n"), 2, "control character"},
        {manifest_text(ok + "# comment\n" + ok + "end 2\n"), 4, "\"a.txt\" is listed twice (first on line 2)"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto parsed = parse_manifest(c.text, "share/manifest.txt");
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().file == "share/manifest.txt");
        CHECK(parsed.error().line == c.line);
        CHECK_THAT(parsed.error().message, Catch::Contains(c.message));
    }
}

TEST_CASE("publish lists every file with its checksum, not itself, and replaces the manifest", "[manifest]")
{
    SyncFixture f;
    f.put("a.txt", "alpha");
    f.put("posters/b.png", pattern(5000, 1));
    f.put(".DS_Store", "junk");
    auto report = publish_manifest(f.share.string(), ScanLimits{});
    REQUIRE(report);
    CHECK(report->files == 2);
    CHECK(report->bytes == 5005);
    auto first = read_bytes(f.share / "manifest.txt");
    auto parsed = parse_manifest(first, "manifest.txt");
    REQUIRE(parsed);
    REQUIRE(parsed->entries.size() == 2);
    CHECK(parsed->find("a.txt")->sha256 == *sha256_hex("alpha"));
    CHECK(parsed->find("posters/b.png")->size == 5000);
    // Publishing again reads the same files (the manifest itself is skipped): the same bytes.
    REQUIRE(publish_manifest(f.share.string(), ScanLimits{}));
    CHECK(read_bytes(f.share / "manifest.txt") == first);
    for (auto& e : fs::directory_iterator(f.share))
        CHECK_FALSE(e.path().filename().string().starts_with(".manifest"));  // no temporary left
}
