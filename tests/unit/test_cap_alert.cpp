#include "playlist/alerts/cap_alert.h"
#include "tests/unit/cap_samples.h"
#include "tests/unit/temp_dir.h"

#include <catch2/catch.hpp>
#include <libxml/parser.h>

#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace signage;
using signage::testing::CapSample;

namespace {

// Counts what libxml2 would load from outside (files, URLs): the XXE tests expect none.
int g_external_loads = 0;
xmlParserInputPtr counting_loader(const char*, const char*, xmlParserCtxtPtr)
{
    ++g_external_loads;
    return nullptr;
}

struct CountExternalLoads {
    xmlExternalEntityLoader previous = xmlGetExternalEntityLoader();
    CountExternalLoads()
    {
        g_external_loads = 0;
        xmlSetExternalEntityLoader(counting_loader);
    }
    ~CountExternalLoads() { xmlSetExternalEntityLoader(previous); }
};

// What `run` writes to file descriptor 2 (libxml2's default error channel is stderr).
template <typename F>
std::string stderr_of(F&& run)
{
    signage::testing::TempDir dir;
    std::string path = dir.file("stderr.txt");
    std::fflush(stderr);
    int saved = ::dup(2);
    int capture = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(capture, 2);
    run();
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    ::close(capture);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string without_info_times(std::string info)
{
    for (const char* tag : {"effective", "onset", "expires"}) {
        std::string open = std::string("<") + tag + ">";
        std::string close = std::string("</") + tag + ">";
        size_t at = info.find(open);
        if (at != std::string::npos)
            info.erase(at, info.find(close, at) + close.size() - at);
    }
    return info;
}

}  // namespace

TEST_CASE("a CAP 1.2 typhoon warning in Chinese is read", "[alerts]")
{
    auto cap = parse_cap(CapSample{}.xml(), "alerts/typhoon.xml");
    REQUIRE(cap.ok());
    CHECK(cap->identifier == "GD-440000-20261224192503-TYPHOON");
    CHECK(cap->sender == "warning@gd-weather.example.cn");
    CHECK(cap->status == "Actual");
    CHECK(cap->msg_type == "Alert");
    CHECK(cap->sent == testing::kTyphoonSent);
    CHECK(cap->references.empty());
    REQUIRE(cap->infos.size() == 1);
    const CapInfo& info = cap->infos[0];
    CHECK(info.language == "zh-CN");
    CHECK(info.event == "台风红色预警");
    CHECK(info.headline == "广东省气象台发布台风红色预警信号");
    CHECK(info.description ==
          "受今年第28号台风影响，预计未来12小时内珠江口沿海将出现12级以上大风和特大暴雨。\n"
          "      请立即停止户外活动，留在安全的室内，远离临时搭建物。");
    CHECK(info.urgency == "Immediate");
    CHECK(info.severity == "Extreme");
    CHECK(info.effective == testing::kTyphoonEffective);
    CHECK(info.onset == testing::kTyphoonOnset);
    CHECK(info.expires == testing::kTyphoonExpires);
}

TEST_CASE("CAP: optional times stay empty, a missing language is CAP's en-US", "[alerts]")
{
    std::string info = without_info_times(testing::kTyphoonInfoEn);
    info.erase(info.find("<language>en-US</language>"), std::string("<language>en-US</language>").size());
    CapSample sample;
    sample.infos = info;
    auto cap = parse_cap(sample.xml(), "a.xml");
    REQUIRE(cap.ok());
    REQUIRE(cap->infos.size() == 1);
    CHECK(cap->infos[0].language == "en-US");
    CHECK_FALSE(cap->infos[0].effective);
    CHECK_FALSE(cap->infos[0].onset);
    CHECK_FALSE(cap->infos[0].expires);
}

TEST_CASE("CAP: two info blocks, references and a prefixed namespace", "[alerts]")
{
    CapSample sample;
    sample.msg_type = "Update";
    sample.references = "\n    warning@gd-weather.example.cn,GD-1,2026-12-24T18:00:00+08:00\n"
                        "    warning@gd-weather.example.cn,GD-0 ";
    sample.infos = testing::kTyphoonInfoZh + testing::kTyphoonInfoEn;
    auto cap = parse_cap(sample.xml(), "a.xml");
    REQUIRE(cap.ok());
    REQUIRE(cap->infos.size() == 2);
    CHECK(cap->infos[0].language == "zh-CN");
    CHECK(cap->infos[1].language == "en-US");
    CHECK(cap->infos[1].headline == "Red typhoon warning for the Pearl River Estuary");
    REQUIRE(cap->references.size() == 2);
    CHECK(cap->references[0].sender == "warning@gd-weather.example.cn");
    CHECK(cap->references[0].identifier == "GD-1");
    CHECK(cap->references[0].sent == "2026-12-24T18:00:00+08:00");
    CHECK(cap->references[1].identifier == "GD-0");
    CHECK(cap->references[1].sent.empty());

    // The same alert written with a "cap:" prefix is the same alert.
    std::string prefixed = "<cap:alert xmlns:cap=\"urn:oasis:names:tc:emergency:cap:1.2\">"
                           "<cap:identifier>X</cap:identifier><cap:sender>s</cap:sender>"
                           "<cap:sent>2026-12-24T19:25:03+08:00</cap:sent><cap:status>Actual</cap:status>"
                           "<cap:msgType>Alert</cap:msgType><cap:scope>Public</cap:scope>"
                           "<cap:info><cap:event>E</cap:event><cap:headline>H</cap:headline></cap:info></cap:alert>";
    auto other = parse_cap(prefixed, "b.xml");
    REQUIRE(other.ok());
    REQUIRE(other->infos.size() == 1);
    CHECK(other->infos[0].headline == "H");
}

TEST_CASE("CAP date-times need an offset", "[alerts]")
{
    CHECK(*parse_cap_time("2026-12-24T19:25:03+08:00") == testing::kTyphoonSent);
    CHECK(*parse_cap_time("2026-12-24T06:25:03-05:00") == testing::kTyphoonSent);
    CHECK(*parse_cap_time("2026-12-24T11:25:03-00:00") == testing::kTyphoonSent);
    CHECK(*parse_cap_time("2026-12-24T11:25:03Z") == testing::kTyphoonSent);
    CHECK(*parse_cap_time("  2026-12-24T11:25:03.5Z\n") == testing::kTyphoonSent + 0.5);
    CHECK(*parse_cap_time("2024-02-29T00:00:00+00:00") == 1709164800);
    CHECK(*parse_cap_time("1969-12-31T23:59:59Z") == -1);

    for (const char* bad : {"2026-12-24T19:25:03", "2026-12-24 19:25:03+08:00", "2026-13-01T00:00:00Z",
                            "2025-02-29T00:00:00Z", "2026-12-24T24:00:00Z", "2026-12-24T19:25:03+8:00",
                            "2026-12-24T19:25:03+15:00", "2026-12-24T19:25:03+08:00 extra", "2026-12-24", "",
                            "tomorrow", "2026-12-24T19:25:03.+08:00"}) {
        auto t = parse_cap_time(bad);
        INFO(bad);
        REQUIRE_FALSE(t.ok());
        CHECK_THAT(t.error().message, Catch::StartsWith("not a CAP date-time '"));
    }
    CHECK_THAT(parse_cap_time("2026-12-24T19:25:03").error().message, Catch::Contains("no UTC offset"));
}

TEST_CASE("CAP date-times are written back in UTC as CAP writes it", "[alerts]")
{
    CHECK(format_cap_time(testing::kTyphoonSent) == "2026-12-24T11:25:03-00:00");
    CHECK(format_cap_time(-1) == "1969-12-31T23:59:59-00:00");
    CHECK(format_cap_time(kNever) == "never");
    for (double t : {0.0, 951782400.0, 1709164800.0, 4102444799.0})
        CHECK(*parse_cap_time(format_cap_time(t)) == t);
}

TEST_CASE("CAP: malformed XML names the file and the line, and prints nothing", "[alerts]")
{
    std::string xml = CapSample{}.xml();
    xml.replace(xml.find("</headline>"), 11, "</headlin>");  // line 22 of the sample
    Result<CapMessage> cap = Error{};
    std::string printed = stderr_of([&] { cap = parse_cap(xml, "alerts/broken.xml"); });
    REQUIRE_FALSE(cap.ok());
    CHECK(cap.error().file == "alerts/broken.xml");
    CHECK(cap.error().line == 22);
    CHECK_THAT(cap.error().message, Catch::Contains("headline"));
    CHECK(printed.empty());

    auto truncated = parse_cap(xml.substr(0, 120), "cut.xml");
    REQUIRE_FALSE(truncated.ok());
    CHECK(truncated.error().line > 0);
    CHECK_FALSE(parse_cap("", "empty.xml").ok());
    CHECK_FALSE(parse_cap("not xml at all", "text.xml").ok());
}

TEST_CASE("CAP: an external entity (XXE) reads no file", "[alerts]")
{
    const std::string attacks[] = {
        "<?xml version=\"1.0\"?>\n<!DOCTYPE alert [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
        "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>1</identifier><sender>s</sender>"
        "<sent>2026-12-24T19:25:03+08:00</sent><status>Actual</status><msgType>Alert</msgType>"
        "<info><event>e</event><headline>&x;</headline></info></alert>\n",
        // The same through a parameter entity and an external DTD.
        "<!DOCTYPE alert [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><alert/>",
        "<!DOCTYPE alert SYSTEM \"file:///etc/passwd\"><alert/>",
        "<!DOCTYPE alert SYSTEM \"http://127.0.0.1:9/cap.dtd\"><alert/>",
    };
    for (const std::string& xml : attacks) {
        CountExternalLoads count;
        Result<CapMessage> cap = Error{};
        std::string printed = stderr_of([&] { cap = parse_cap(xml, "alerts/xxe.xml"); });
        INFO(xml);
        REQUIRE_FALSE(cap.ok());
        CHECK(g_external_loads == 0);
        CHECK_THAT(cap.error().message, Catch::Contains("DOCTYPE"));
        CHECK(cap.error().message.find("root:") == std::string::npos);
        CHECK(cap.error().file == "alerts/xxe.xml");
        CHECK(cap.error().line >= 1);
        CHECK(printed.empty());
    }
}

TEST_CASE("CAP: an entity bomb (billion laughs) is refused at once", "[alerts]")
{
    std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n";
    xml += " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n";
    for (int i = 2; i <= 9; ++i) {
        std::string prev = "&lol" + std::to_string(i - 1) + ";";
        std::string body;
        for (int k = 0; k < 10; ++k)
            body += prev;
        xml += " <!ENTITY lol" + std::to_string(i) + " \"" + body + "\">\n";
    }
    xml += "]>\n<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>&lol9;</identifier></alert>\n";

    auto start = std::chrono::steady_clock::now();
    auto cap = parse_cap(xml, "alerts/lol.xml");
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE_FALSE(cap.ok());
    CHECK_THAT(cap.error().message, Catch::Contains("DOCTYPE"));
    CHECK(cap.error().line == 2);
    CHECK(seconds < 1.0);
}

TEST_CASE("CAP: an undeclared entity is an XML error, not a lookup", "[alerts]")
{
    CountExternalLoads count;
    std::string xml = CapSample{}.xml();
    xml.replace(xml.find("广东省气象台发布"), std::string("广东省气象台发布").size(), "&x;");
    auto cap = parse_cap(xml, "a.xml");
    REQUIRE_FALSE(cap.ok());
    CHECK_THAT(cap.error().message, Catch::Contains("not well-formed XML"));
    CHECK(g_external_loads == 0);
}

TEST_CASE("CAP: what is not a CAP 1.2 alert says why", "[alerts]")
{
    auto foo = parse_cap("<?xml version=\"1.0\"?>\n<foo xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"/>", "f.xml");
    REQUIRE_FALSE(foo.ok());
    CHECK(foo.error().to_string() == "f.xml:2: not a CAP 1.2 alert: root element is <foo>");

    std::string v11 = CapSample{}.xml();
    v11.replace(v11.find("cap:1.2"), 7, "cap:1.1");
    auto old = parse_cap(v11, "old.xml");
    REQUIRE_FALSE(old.ok());
    CHECK_THAT(old.error().message,
               Catch::Contains("not a CAP 1.2 alert") && Catch::Contains("urn:oasis:names:tc:emergency:cap:1.1"));

    auto bare = parse_cap("<alert><identifier>1</identifier></alert>", "bare.xml");
    REQUIRE_FALSE(bare.ok());
    CHECK_THAT(bare.error().message, Catch::Contains("no namespace"));
}

TEST_CASE("CAP: required fields and their values are checked", "[alerts]")
{
    std::string xml = CapSample{}.xml();
    std::string no_id = xml;
    no_id.erase(no_id.find("  <identifier>"), no_id.find("<sender>") - no_id.find("  <identifier>"));
    auto missing = parse_cap(no_id, "alerts/noid.xml");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().to_string() == "alerts/noid.xml:2: missing <identifier>");

    CapSample blank;
    blank.sender = "  ";
    CHECK(parse_cap(blank.xml(), "b.xml").error().message == "<sender> is empty");

    CapSample status;
    status.status = "Real";
    CHECK_THAT(parse_cap(status.xml(), "s.xml").error().message, Catch::StartsWith("status: 'Real' is not a CAP status"));

    CapSample type;
    type.msg_type = "Warning";
    CHECK_THAT(parse_cap(type.xml(), "t.xml").error().message, Catch::StartsWith("msgType: 'Warning'"));

    CapSample sent;
    sent.sent = "2026-12-24T19:25:03";
    auto bad_sent = parse_cap(sent.xml(), "sent.xml");
    CHECK(bad_sent.error().line == 5);
    CHECK_THAT(bad_sent.error().message, Catch::StartsWith("sent: not a CAP date-time '2026-12-24T19:25:03'"));

    std::string expires = xml;
    expires.replace(expires.find("2026-12-25T07:30:00+08:00"), 25, "2026-12-25 07:30");
    auto bad = parse_cap(expires, "alerts/typhoon.xml");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().file == "alerts/typhoon.xml");
    CHECK(bad.error().line == 20);
    CHECK_THAT(bad.error().message, Catch::StartsWith("expires: not a CAP date-time '2026-12-25 07:30'"));

    CapSample refs;
    refs.references = "just-one-token";
    CHECK_THAT(parse_cap(refs.xml(), "r.xml").error().message, Catch::StartsWith("references: not sender,identifier"));
}

TEST_CASE("CAP: an oversized document is refused before parsing", "[alerts]")
{
    std::string xml = CapSample{}.xml();
    xml.insert(xml.find("</alert>"), std::string(kMaxCapBytes, ' '));
    auto cap = parse_cap(xml, "big.xml");
    REQUIRE_FALSE(cap.ok());
    CHECK_THAT(cap.error().message, Catch::Contains("more than the limit"));
}
