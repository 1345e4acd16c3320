// The one copy of each small helper: ASCII trim and case (playlist/base/ascii.h), and the EINTR-safe
// reads and writes (playlist/base/file_io.h).
#include "playlist/base/ascii.h"
#include "playlist/base/file_io.h"
#include "playlist/text/text_encoding.h"

#include <catch2/catch.hpp>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <thread>
#include <unistd.h>

using namespace signage;

TEST_CASE("ascii: trim, lower, compare without case", "[text]")
{
    CHECK(trim_ascii(" \t\r\n\v\fa b\r\n") == "a b");
    CHECK(trim_ascii("   ").empty());
    CHECK(trim_ascii("\xE3\x80\x80x") == "\xE3\x80\x80x");  // ASCII only
    CHECK(lower_ascii("HTTPS://Example.ORG/Ä") == "https://example.org/Ä");
    CHECK(equal_nocase("ETag", "etag"));
    CHECK_FALSE(equal_nocase("ETag", "etags"));
    CHECK(starts_with_nocase("HTTPS://EXAMPLE.ORG/x", "https://"));
    CHECK_FALSE(starts_with_nocase("http", "https://"));
    // The slogan trim: ASCII white space and the ideographic space, in any mix.
    CHECK(trim(" \xE3\x80\x80 你好\xE3\x80\x80\t") == "你好");
}

namespace {
void on_alarm(int) {}
}  // namespace

TEST_CASE("file io: read_some, read_full and write_all go on after a signal", "[text]")
{
    int ends[2];
    REQUIRE(::pipe(ends) == 0);
    // A handler without SA_RESTART: a blocked read() returns EINTR when it runs.
    struct sigaction action {};
    action.sa_handler = on_alarm;
    struct sigaction old {};
    REQUIRE(::sigaction(SIGUSR1, &action, &old) == 0);
    pthread_t reader = ::pthread_self();
    std::thread writer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        ::pthread_kill(reader, SIGUSR1);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        CHECK(write_all(ends[1], "hello world", 11));
        ::close(ends[1]);
    });
    char buffer[32] = "";
    ssize_t got = read_full(ends[0], buffer, sizeof buffer);
    writer.join();
    ::sigaction(SIGUSR1, &old, nullptr);
    CHECK(got == 11);
    CHECK(std::string(buffer, 11) == "hello world");
    CHECK(read_some(ends[0], buffer, sizeof buffer) == 0);
    ::close(ends[0]);
    CHECK(read_some(-1, buffer, 1) == -1);
    CHECK(errno == EBADF);
    CHECK_FALSE(write_all(-1, "x", 1));
}
