// The one JSON string writer (status.json, play --stats, the sync's result) and the flat-object
// reader of the sync's result.
#include "playlist/base/json.h"

#include <catch2/catch.hpp>

using namespace signage;

TEST_CASE("json strings: quotes, backslashes and control characters escaped, UTF-8 kept", "[json]")
{
    CHECK(json_string("") == "\"\"");
    CHECK(json_string("plain text") == "\"plain text\"");
    CHECK(json_string("a \"b\" \\c") == "\"a \\\"b\\\" \\\\c\"");
    CHECK(json_string(std::string("nul\0tab\tnl\n", 11)) == "\"nul\\u0000tab\\u0009nl\\u000a\"");
    // DEL: legal in JSON as it is, but terminals act on it; both writers escape it now.
    CHECK(json_string("del\x7f") == "\"del\\u007f\"");
    CHECK(json_string("\x1f ~") == "\"\\u001f ~\"");
    CHECK(json_string("你我同心 反诈同行 🙂") == "\"你我同心 反诈同行 🙂\"");
}

TEST_CASE("json strings: invalid UTF-8 becomes U+FFFD, byte by byte", "[json]")
{
    CHECK(json_string("a\xff" "b") == "\"a\\ufffdb\"");
    CHECK(json_string("\xe6\xb5") == "\"\\ufffd\\ufffd\"");          // cut short
    CHECK(json_string("\xc0\xaf") == "\"\\ufffd\\ufffd\"");          // overlong '/'
    CHECK(json_string("\xed\xa0\x80") == "\"\\ufffd\\ufffd\\ufffd\"");  // a surrogate
    CHECK(json_string("\xf4\x90\x80\x80") == "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // above U+10FFFF
}

TEST_CASE("json flat objects: what the writer writes reads back", "[json]")
{
    std::string nasty = std::string("q\"b\\c\x01\x7f 海报 \n", 15);
    auto object = parse_json_flat_object("{ \"s\": " + json_string(nasty) +
                                         ", \"n\": -1.5e2, \"t\": true, \"f\": false, \"z\": null,\n"
                                         " \"a\": [\"x\", " + json_string("y\ty") + "], \"e\": [] }\n");
    REQUIRE(object);
    CHECK(std::get<std::string>(object->at("s")) == nasty);
    CHECK(std::get<double>(object->at("n")) == -150);
    CHECK(std::get<bool>(object->at("t")));
    CHECK_FALSE(std::get<bool>(object->at("f")));
    CHECK(std::holds_alternative<JsonNull>(object->at("z")));
    CHECK(std::get<std::vector<std::string>>(object->at("a")) == std::vector<std::string>{"x", "y\ty"});
    CHECK(std::get<std::vector<std::string>>(object->at("e")).empty());
    auto empty = parse_json_flat_object(" {} ");
    REQUIRE(empty);
    CHECK(empty->empty());
}

TEST_CASE("json flat objects: escapes, surrogate pairs", "[json]")
{
    auto object = parse_json_flat_object(R"({"s": "\u6d77\u62a5 \ud83d\ude42 \/ \b\f\r"})");
    REQUIRE(object);
    CHECK(std::get<std::string>(object->at("s")) == "海报 🙂 / \b\f\r");
}

TEST_CASE("json flat objects: what is refused", "[json]")
{
    for (const char* bad : {"", "[]", "{", "{\"a\"}", "{\"a\": }", "{\"a\": 1,}", "{\"a\": 1} x", "{\"a\": {\"b\": 1}}",
                            "{\"a\": [1]}", "{\"a\": \"\\x\"}", "{\"a\": \"\\ud83d\"}", "{\"a\": \"\\ude42\"}",
                            "{\"a\": \"\\u12\"}", "{\"a\": \"tab\there\"}", "{\"a\": 01}", "{\"a\": 1.}", "{\"a\": -}",
                            "{\"a\": 1e999}", "{\"a\": tru}", "{\"a\": \"\xff\"}", "{a: 1}"}) {
        INFO(bad);
        CHECK_FALSE(parse_json_flat_object(bad));
    }
    auto error = parse_json_flat_object("{\"a\": 1,}");
    REQUIRE_FALSE(error);
    CHECK(error.error().message == "JSON at byte 8: expected a string");
    CHECK_FALSE(parse_json_flat_object("{\"a\": \"" + std::string(100, 'x') + "\"}", 64));
}
