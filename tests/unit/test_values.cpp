#include "playlist/base/values.h"

#include <catch2/catch.hpp>

using namespace signage;

TEST_CASE("durations accept seconds with units", "[values]")
{
    double s = 0;
    CHECK(parse_seconds("8", 0, 100, s).empty());
    CHECK(s == 8);
    CHECK(parse_seconds("8s", 0, 100, s).empty());
    CHECK(s == 8);
    CHECK(parse_seconds(" 1.5s ", 0, 100, s).empty());
    CHECK(s == 1.5);
    CHECK(parse_seconds("500ms", 0, 100, s).empty());
    CHECK(s == 0.5);
    CHECK(parse_seconds("2m", 0, 1000, s).empty());
    CHECK(s == 120);
    CHECK(parse_seconds("1h", 0, 4000, s).empty());
    CHECK(s == 3600);
    CHECK_FALSE(parse_seconds("eight", 0, 100, s).empty());
    CHECK_FALSE(parse_seconds("8 s s", 0, 100, s).empty());
    CHECK_FALSE(parse_seconds("", 0, 100, s).empty());
    CHECK_FALSE(parse_seconds("nan", 0, 100, s).empty());
    CHECK(parse_seconds("200", 0, 100, s) == "must be 0 to 100 seconds, got 200s");
}

TEST_CASE("colours", "[values]")
{
    Color c;
    CHECK(parse_color("#FFF", c).empty());
    CHECK(c == Color{255, 255, 255, 255});
    CHECK(parse_color("#0b1f3a", c).empty());
    CHECK(c == Color{0x0B, 0x1F, 0x3A, 255});
    CHECK(parse_color("#11223344", c).empty());
    CHECK(c.a == 0x44);
    CHECK_FALSE(parse_color("0B1F3A", c).empty());
    CHECK_FALSE(parse_color("#GG0000", c).empty());
    CHECK_FALSE(parse_color("#12345", c).empty());
    CHECK(Color{1, 2, 3, 255}.to_string() == "#010203");
}

TEST_CASE("booleans, integers, numbers, choices, lists", "[values]")
{
    bool b = false;
    CHECK(parse_bool("Yes", b).empty());
    CHECK(b);
    CHECK(parse_bool("off", b).empty());
    CHECK_FALSE(b);
    CHECK_FALSE(parse_bool("maybe", b).empty());
    long i = 0;
    CHECK(parse_int("42", 0, 100, i).empty());
    CHECK(i == 42);
    CHECK_FALSE(parse_int("4.2", 0, 100, i).empty());
    CHECK_FALSE(parse_int("101", 0, 100, i).empty());
    double d = 0;
    CHECK(parse_number("2.5", 0, 3, d).empty());
    CHECK_FALSE(parse_number("inf", 0, 3, d).empty());
    std::string choice;
    CHECK(parse_choice("COVER", "contain|cover|stretch", choice).empty());
    CHECK(choice == "cover");
    CHECK(parse_choice("fill", "contain|cover|stretch", choice) ==
          "expected one of contain,cover,stretch, got \"fill\"");
    CHECK(split_list(" a, ,b ,c") == std::vector<std::string>{"a", "b", "c"});
}
