#include "playlist/base/sha256.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <unistd.h>

using namespace signage;

TEST_CASE("SHA-256 of the standard test vectors", "[sha256]")
{
    CHECK(*sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(*sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(*sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("SHA-256 fed in pieces equals one pass, also from a file", "[sha256]")
{
    std::string data(3'000'001, 'x');
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<char>(i * 7 + i / 1000);
    auto hash = Sha256::create();
    REQUIRE(hash);
    for (size_t at = 0; at < data.size(); at += 65537)
        hash->update(data.data() + at, std::min<size_t>(65537, data.size() - at));
    std::string pieces = *hash->finish_hex();
    CHECK(pieces == *sha256_hex(data));

    char name[] = "/tmp/signage-sha-XXXXXX";
    int fd = ::mkstemp(name);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()));
    ::lseek(fd, 0, SEEK_SET);
    CHECK(*sha256_of_fd(fd, name) == pieces);
    ::close(fd);
    ::unlink(name);
}
