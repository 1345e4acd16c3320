// HTTP shares that never answer: a sync must give up (stall timeout) or stop when cancelled,
// and leave the cache as it was. The server is a socket on 127.0.0.1 that accepts connections
// (the kernel does, from its backlog) but never reads or writes.
#include "playlist/sync/share_sync.h"
#include "tests/unit/sync_fixture.h"

#include <arpa/inet.h>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>

using namespace signage;
using namespace signage::testing;

namespace {

// A listening socket on 127.0.0.1; `port` is where it listens.
struct SilentServer {
    UniqueFd fd;
    int port = 0;

    SilentServer()
    {
        fd.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        REQUIRE(fd.valid());
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(::listen(fd.get(), 8) == 0);
        socklen_t size = sizeof address;
        REQUIRE(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &size) == 0);
        port = ntohs(address.sin_port);
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/share/"; }
};

double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("an HTTP server that accepts but never answers: the sync gives up after the stall timeout", "[sync][http]")
{
    SyncFixture f;
    SilentServer server;
    SyncOptions options = f.options();
    options.share = server.url();
    options.stall_seconds = 1;
    auto start = std::chrono::steady_clock::now();
    auto report = sync_share(options);
    double took = seconds_since(start);
    REQUIRE_FALSE(report);
    CHECK_THAT(report.error().to_string(), Catch::StartsWith(server.url() + "manifest.txt: cannot fetch: "));
    CHECK_THAT(report.error().to_string(), Catch::Contains("stall timeout 1 s"));
    CHECK(took >= 0.9);
    CHECK(took < 10);
    CHECK_FALSE(fs::exists(f.current()));
}

TEST_CASE("an HTTP sync waiting on a silent server stops soon when cancelled", "[sync][http]")
{
    SyncFixture f;
    SilentServer server;
    std::atomic<bool> cancel{false};
    SyncOptions options = f.options();
    options.share = server.url();
    options.cancel = &cancel;
    auto start = std::chrono::steady_clock::now();
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        cancel = true;
    });
    auto report = sync_share(options);
    canceller.join();
    REQUIRE_FALSE(report);
    CHECK_THAT(report.error().to_string(), Catch::Contains("sync cancelled"));
    CHECK(seconds_since(start) < 5);  // libcurl looks at the flag about once a second
}

TEST_CASE("an HTTP share that refuses connections fails the sync, naming the manifest's URL", "[sync][http]")
{
    SyncFixture f;
    std::string url;
    {
        SilentServer closed;  // a port nobody listens on once it is closed
        url = closed.url();
    }
    SyncOptions options = f.options();
    options.share = url;
    auto report = sync_share(options);
    REQUIRE_FALSE(report);
    CHECK_THAT(report.error().to_string(), Catch::StartsWith(url + "manifest.txt: cannot fetch: "));
}

TEST_CASE("an HTTP share's URL is checked before anything is fetched", "[sync][http]")
{
    SyncFixture f;
    SyncOptions options = f.options();
    options.share = "https://user:secret@example.com/share/";
    auto report = sync_share(options);
    REQUIRE_FALSE(report);
    CHECK_THAT(report.error().to_string(), Catch::Contains("password"));
    CHECK_FALSE(fs::exists(f.cache));  // refused before the cache was created
}

TEST_CASE("sync options keep an HTTP share's URL as written", "[sync][http]")
{
    auto load = parse_config_text("[content]\nshare = https://cdn.example.com/branch-042/\ncache = cache\n",
                                  "/etc/sp/player.ini", "/etc/sp");
    REQUIRE(load.errors.empty());
    SyncOptions o = sync_options_from_config(load.config);
    CHECK(o.share == "https://cdn.example.com/branch-042/");
    CHECK(o.cache == "/etc/sp/cache");
}
